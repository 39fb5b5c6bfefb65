import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from tests.support.factories import CommentFactory, MemorialFactory, TributeFactory, UserFactory
from tributes.models import Status

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"


def test_a_moderator_approves_a_tribute_and_a_comment_together_from_the_queue(
    browser: Browser, page: Page, site
):
    memorial = MemorialFactory(name="Teddy Ashby", slug="teddy")
    published = TributeFactory(memorial=memorial, author_name="Sam Carter")
    TributeFactory(
        memorial=memorial,
        status=Status.PENDING,
        author_name="Ruth Ellis",
        message="Teddy's laugh filled the room.",
    )
    CommentFactory(
        tribute=published, status=Status.PENDING, author_name="Jo Lee", body="Sunday candles too."
    )
    TributeFactory(
        memorial=memorial, status=Status.PENDING, author_name="Left waiting", message="Not yet."
    )
    user = UserFactory(username="moderator", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Moderators"))

    context = browser.new_context()
    moderator = context.new_page()
    moderator.goto(site + reverse("admin:login"))
    moderator.get_by_label("Username").fill("moderator")
    moderator.get_by_label("Password").fill(PASSWORD)
    moderator.get_by_role("button", name="Log in").click()
    moderator.get_by_role("link", name="Open the moderation queue").click()
    expect(moderator.get_by_role("table", name="Tributes and comments to read")).to_be_visible()

    moderator.get_by_label("Select the tribute from Ruth Ellis on Teddy Ashby").check()
    moderator.get_by_label("Select the comment from Jo Lee on Teddy Ashby").check()
    moderator.get_by_role("button", name="Approve and publish").click()
    expect(moderator.get_by_text("Approved 1 tribute and 1 comment.")).to_be_visible()
    expect(moderator.get_by_text("Teddy's laugh filled the room.")).to_have_count(0)
    expect(moderator.get_by_text("Not yet.")).to_be_visible()
    context.close()

    page.goto(site + memorial.get_absolute_url())
    expect(page.get_by_text("Teddy's laugh filled the room.")).to_be_visible()
    expect(page.get_by_text("Sunday candles too.")).to_be_visible()
    expect(page.get_by_text("Not yet.")).to_have_count(0)


def test_select_all_works_from_the_keyboard_and_the_queue_has_no_accessibility_violations(
    browser: Browser, site
):
    from axe_playwright_python.sync_playwright import Axe

    memorial = MemorialFactory(name="Teddy Ashby", slug="teddy")
    for n in range(3):
        TributeFactory(memorial=memorial, status=Status.PENDING, message="x" * 300 + f" {n}")
    UserFactory(username="moderator", password=PASSWORD, is_staff=True, is_superuser=True)
    # axe is injected as a script, which the CSP rightly refuses: bypass it for this check.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto(site + reverse("admin:login"))
    page.get_by_label("Username").fill("moderator")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(site + reverse("admin:tributes_moderation_queue"))

    select_all = page.get_by_label("Select every item on this page")
    select_all.focus()
    page.keyboard.press("Space")
    expect(page.locator("input.queue-item:checked")).to_have_count(3)
    results = {"queue": Axe().run(page)}
    page.set_viewport_size({"width": 1024, "height": 800})
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")

    # Reject without a reason: refused next to the reason, the selection kept.
    page.get_by_role("button", name="Reject").click()
    expect(page.get_by_text("Please choose a reason to reject.")).to_be_visible()
    expect(page.locator("input.queue-item:checked")).to_have_count(3)
    expect(page.get_by_label("Reason to reject")).to_have_attribute("aria-invalid", "true")
    results["refused decision"] = Axe().run(page)
    context.close()
    for name, result in results.items():
        assert result.violations_count == 0, f"{name}: {result.generate_report()}"
    assert overflow <= 0
