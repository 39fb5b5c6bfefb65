"""Sharing and keepsakes in a real browser: copying the link, printing, the keepsake pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.support.factories import CommentFactory, MemorialFactory, TributeFactory

pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.fixture
def remembered():
    memorial = MemorialFactory(name="Teddy Ashby", slug="teddy", story="Teddy loved the sea.")
    tribute = TributeFactory(memorial=memorial, author_name="Nana Jo", message="Our lighthouse.")
    CommentFactory(tribute=tribute, author_name="Sam", body="He shone so brightly.")
    return memorial


@pytest.mark.parametrize("width", [360, 1280])
def test_a_visitor_copies_the_memorials_link(browser: Browser, site, remembered, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    page = context.new_page()
    page.goto(site + remembered.get_absolute_url())
    # The button at the top, beside the name (the full share section further down has one too).
    hero = page.locator(".memorial-hero")
    expect(hero.get_by_role("link", name="Share this page")).to_be_hidden()
    hero.get_by_role("button", name="Copy the link").click()
    expect(hero.get_by_role("status").filter(has_text="The link is copied")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == "http://127.0.0.1:8000/memorials/teddy/"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"memorial-share-{width}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()


def test_without_javascript_the_link_is_there_to_copy_and_no_button_is_dead(
    browser: Browser, site, remembered
):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + remembered.get_absolute_url())
    expect(page.get_by_role("link", name="http://127.0.0.1:8000/memorials/teddy/")).to_be_visible()
    expect(page.get_by_role("button", name="Copy the link")).to_be_hidden()
    expect(page.get_by_role("button", name="Share", exact=True)).to_be_hidden()
    # At the top, a plain link leads to the address in the share section.
    page.locator(".memorial-hero").get_by_role("link", name="Share this page").click()
    expect(page).to_have_url(site + remembered.get_absolute_url() + "#share-and-keep")
    context.close()


def test_the_memorial_prints_its_words_without_forms_or_buttons(browser: Browser, site, remembered):
    page = browser.new_page()
    page.goto(site + remembered.get_absolute_url())
    page.emulate_media(media="print")
    expect(page.get_by_text("Teddy loved the sea.")).to_be_visible()
    expect(page.get_by_text("Our lighthouse.")).to_be_visible()
    expect(page.get_by_text("He shone so brightly.")).to_be_visible()
    assert page.locator("form:visible, button:visible, .btn:visible").count() == 0
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.pdf(path=SCREENSHOTS / "memorial-printed.pdf")
    page.close()


def test_the_keepsake_and_card_pages_print_and_have_no_accessibility_problems(
    browser: Browser, site, remembered
):
    from axe_playwright_python.sync_playwright import Axe

    # axe is injected as a script, which the site's Content Security Policy rightly forbids.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    problems = {}
    for url in ("/memorials/teddy/keepsake/", "/memorials/teddy/card/", "/find/?q=ted", "/"):
        page.goto(site + url)
        results = Axe().run(page)
        problems[url] = [
            (violation["id"], [node["target"] for node in violation["nodes"]])
            for violation in results.response["violations"]
            if violation["impact"] in {"serious", "critical"}
        ]
    page.goto(site + "/memorials/teddy/keepsake/")
    expect(page.get_by_role("button", name="Print this keepsake")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Print this keepsake")).to_be_hidden()
    expect(page.get_by_text("Our lighthouse.")).to_be_visible()
    context.close()
    assert problems == {url: [] for url in problems}


def test_a_visitor_finds_a_memorial_from_the_home_page(browser: Browser, site, remembered):
    MemorialFactory(name="Teddy Hidden", visibility="unlisted")
    page = browser.new_page()
    page.goto(site + "/")
    page.get_by_label("Their name").fill("ted ashby")
    page.get_by_role("button", name="Find a memorial").click()
    expect(page.get_by_role("heading", name="1 memorial found")).to_be_visible()
    page.get_by_role("link", name="Teddy Ashby").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Teddy Ashby")
    page.close()
