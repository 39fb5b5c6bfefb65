"""A family does everything themselves on a phone, reading their mail from a real SMTP server."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.support.photos import jpeg
from tests.support.posting import run_due_tasks
from tests.support.smtp import first_link, smtp_server

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 360, "height": 800}
PASSWORD = "a quiet place to remember"


@pytest.fixture
def mail(settings):
    with smtp_server() as server:
        settings.MAILERS = server.mailers()
        yield server


def phone(browser: Browser):
    # axe is injected as a script, which the site's CSP rightly refuses: bypass it for its runs.
    context = browser.new_context(viewport=PHONE, bypass_csp=True)
    return context, context.new_page()


def no_violations(page: Page, checked: dict, name: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    checked[name] = Axe().run(page)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} is wider than the phone"


def test_a_family_makes_a_memorial_and_approves_a_visitors_tribute(
    browser: Browser, site, mail, tmp_path, settings
):
    # Our own emails (invitations) link to SITE_URL; allauth's follow the request.
    settings.SITE_URL = site
    checked: dict = {}
    photo = tmp_path / "IMG_0042.jpg"
    photo.write_bytes(jpeg((1200, 900)))
    family_context, family = phone(browser)

    # A newcomer finds how to make a page from the home page and makes an account.
    family.goto(site + "/")
    no_violations(family, checked, "home")
    family.get_by_role("link", name="Make a memorial page").first.click()
    no_violations(family, checked, "sign in")
    family.get_by_role("link", name="Make an account to make a memorial page").click()
    family.get_by_label("Email").fill("mum@example.org")
    family.get_by_label(re.compile(r"^\s*Password\s*\*?\s*$")).fill(PASSWORD)
    family.get_by_label("Password (again)").fill(PASSWORD)
    no_violations(family, checked, "sign up")
    family.get_by_role("button", name="Make my account").click()
    expect(family.get_by_role("heading", name="Please check your email")).to_be_visible()
    no_violations(family, checked, "check your email")

    # The verification email arrives through SMTP; its link confirms the address.
    message = mail.wait_for(to="mum@example.org", subject="confirm")
    family.goto(first_link(message))
    no_violations(family, checked, "confirm email")
    family.get_by_role("button", name="Yes, this is my address").click()

    # Straight on to what they came for: the memorial, with a cover photo.
    expect(family.get_by_role("heading", name="Make a memorial page")).to_be_visible()
    expect(family.get_by_text("You are signed in.")).to_be_visible()
    family.get_by_role("textbox", name=re.compile(r"^Their name")).fill("Teddy Ashby")
    family.get_by_label("Born on (optional)").fill("2026-03-09")
    family.get_by_label("Died on (optional)").fill("2026-03-09")
    family.get_by_label("A note under the dates (optional)").fill("born at 21 weeks and 5 days")
    family.get_by_label("Their story (optional)").fill("Our little boy, loved every day.")
    family.get_by_label("A photo for the top of the page (optional)").set_input_files(photo)
    family.get_by_label("Describe the photo (optional)").fill("Teddy in his blue hat")
    family.get_by_label("Unlisted: only people with the link").check()
    family.get_by_label("We do: nothing appears before one of us has read it").check()
    no_violations(family, checked, "make a memorial")
    family.get_by_role("button", name="Make the page").click()
    expect(family.get_by_role("heading", name="Teddy Ashby")).to_be_visible()
    no_violations(family, checked, "the family's memorial page")
    # The page is a preview until the family opens it to visitors.
    family.get_by_role("button", name="Open the page to visitors").click()
    expect(family.get_by_text("The page is open to visitors now.")).to_be_visible()

    # A co-owner is invited by email, makes an account, verifies it and accepts.
    family.get_by_role("link", name="Invite someone to look after it with you").click()
    no_violations(family, checked, "who looks after it")
    family.get_by_label("Their email address").fill("dad@example.org")
    family.get_by_role("button", name="Send the invitation").click()
    expect(family.get_by_text("We have emailed an invitation to dad@example.org.")).to_be_visible()
    # The invitation waits in the outbox: the worker delivers it through the real SMTP server.
    assert run_due_tasks() >= 1
    invitation = mail.wait_for(to="dad@example.org", subject="invitation")
    dad_context, dad = phone(browser)
    dad.goto(first_link(invitation))
    no_violations(dad, checked, "invitation")
    dad.get_by_role("link", name="Make an account").click()
    dad.get_by_label("Email").fill("dad@example.org")
    dad.get_by_label(re.compile(r"^\s*Password\s*\*?\s*$")).fill(PASSWORD)
    dad.get_by_label("Password (again)").fill(PASSWORD)
    dad.get_by_role("button", name="Make my account").click()
    dad.goto(first_link(mail.wait_for(to="dad@example.org", subject="confirm")))
    dad.get_by_role("button", name="Yes, this is my address").click()
    dad.get_by_role("button", name="Accept the invitation").click()
    expect(dad.get_by_text("You now look after this memorial too.")).to_be_visible()
    expect(dad.get_by_role("heading", name="Teddy Ashby")).to_be_visible()
    dad_context.close()

    # A candle time at 19:00 in two taps.
    family.goto(site + "/family/")
    family.get_by_role("link", name="Look after this memorial").click()
    family.get_by_role("link", name="Set a candle time").click()
    no_violations(family, checked, "candle times")
    family.get_by_role("button", name=re.compile(r"at 19:00$")).click()
    expect(family.get_by_text("the candle time is set.")).to_be_visible()
    no_violations(family, checked, "candle event page")
    family.goto(site + "/family/")
    family.get_by_role("link", name="See the page").first.click()
    cover = family.get_by_role("img", name="Teddy in his blue hat")
    expect(cover).to_be_visible()
    family.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=cover.element_handle()
    )
    memorial_url = family.url

    # A visitor leaves a tribute; it waits for the family.
    visitor_context, visitor = phone(browser)
    visitor.goto(memorial_url)
    no_violations(visitor, checked, "memorial page")
    visitor.get_by_label("Your name").fill("Sam Carter")
    visitor.get_by_label("Your tribute").fill("We light a candle for Teddy every Sunday.")
    visitor.get_by_role("button", name="Leave your tribute").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Thank you for your tribute")
    visitor.goto(memorial_url)
    expect(visitor.get_by_text("We light a candle for Teddy every Sunday.")).to_have_count(0)
    visitor.get_by_text("Light a candle for Teddy Ashby").click()
    visitor.get_by_label("Name on your candle").fill("Sam")
    visitor.get_by_role("button", name="Light a candle").click()
    expect(visitor.get_by_text("Your candle is lit on this page.")).to_be_visible()

    # The family sees the candle, and approves the tribute from their own queue, in one tap.
    family.goto(site + "/family/")
    family.get_by_role("link", name="Read 1 waiting item").click()
    no_violations(family, checked, "family queue")
    family.get_by_role("button", name="Approve Sam Carter").click()
    expect(family.get_by_text("Approved 1 tribute.")).to_be_visible()
    no_violations(family, checked, "family queue, empty")

    visitor.reload()
    expect(visitor.get_by_text("We light a candle for Teddy every Sunday.")).to_be_visible()
    family_context.close()
    visitor_context.close()
    for name, results in checked.items():
        assert results.violations_count == 0, f"{name}: {results.generate_report()}"
