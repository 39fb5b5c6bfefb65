"""In a real browser: the honeypot stays out of sight and out of reach, and a rate-limited
visitor sees their words again on a page that keeps to the Content Security Policy."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_security_pages import watch_csp

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("tests.support.posting_urls"),
]


def test_the_honeypot_is_never_seen_nor_reached_with_the_keyboard(page: Page, site):
    page.goto(site + "/test-form/")
    expect(page.get_by_label("Your tribute")).to_be_visible()
    expect(page.locator("#id_website")).not_to_be_in_viewport()
    focused = []
    for _ in range(12):
        page.keyboard.press("Tab")
        focused.append(page.evaluate("document.activeElement.name || document.activeElement.id"))
    assert "website" not in focused
    assert "message" in focused


def test_a_limited_visitor_gets_their_words_back(page: Page, site, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "tribute": {"visitor": "1/h"}}
    violations = watch_csp(page)
    for _ in range(2):
        page.goto(site + "/test-posting-form/")
        page.get_by_label("Your name").fill("Aunt May")
        page.get_by_label("Your tribute").fill("We miss you every single day.")
        page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Please wait a few minutes")
    expect(page.get_by_label("Your tribute")).to_have_value("We miss you every single day.")
    expect(page.get_by_label("Your name")).to_have_value("Aunt May")
    expect(page.get_by_role("button", name="Send again")).to_be_visible()
    assert violations == []


def test_the_form_and_the_limited_page_are_accessible(browser, site, settings):
    from axe_playwright_python.sync_playwright import Axe

    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "tribute": {"visitor": "1/h"}}
    # axe's script is injected into the page: only this context lets it past the CSP.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto(site + "/test-posting-form/")
    problems = {"form": Axe().run(page).response["violations"]}
    for _ in range(2):
        page.goto(site + "/test-posting-form/")
        page.get_by_label("Your name").fill("Aunt May")
        page.get_by_label("Your tribute").fill("We miss you every single day.")
        page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Please wait a few minutes")
    problems["limited page"] = Axe().run(page).response["violations"]
    context.close()
    assert {name: [v["id"] for v in found] for name, found in problems.items()} == {
        "form": [],
        "limited page": [],
    }
