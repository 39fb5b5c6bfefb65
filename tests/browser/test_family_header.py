"""The header's family links on a phone, by keyboard: make a page, sign in, your memorials."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.support.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 360, "height": 800}
PASSWORD = "a quiet place to remember"


def tab_to(page: Page, name: str, *, presses: int = 6) -> None:
    """Press Tab until the focused element is the link called `name`."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.textContent.trim()")
        if focused == name:
            return
    raise AssertionError(f"{name!r} is not reached by keyboard")


def fits_the_phone(page: Page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, "the page is wider than the phone"
    # Each header link is a comfortable target, on the screen.
    for box in page.locator(".site-header a").evaluate_all(
        "links => links.map(a => a.getBoundingClientRect().toJSON())"
    ):
        assert box["right"] <= PHONE["width"] and box["height"] >= 24, box


def test_the_header_leads_by_keyboard_to_signing_in_and_then_to_your_memorials(
    browser: Browser, site
):
    from allauth.account.models import EmailAddress

    user = UserFactory(username="mum", email="mum@example.org", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()

    page.goto(site + "/")
    fits_the_phone(page)
    tab_to(page, "Make a memorial page")
    tab_to(page, "Sign in", presses=1)
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/login/**")
    page.get_by_label("Email").fill("mum@example.org")
    page.get_by_label(re.compile(r"^\s*Password\s*\*?\s*$")).fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator(".site-header").get_by_role("link", name="Your memorials")).to_be_visible()

    page.goto(site + "/find/")
    fits_the_phone(page)
    assert page.locator(".site-header").get_by_role("link", name="Sign in").count() == 0
    tab_to(page, "Your memorials", presses=8)
    page.keyboard.press("Enter")
    page.wait_for_url("**/family/")
    context.close()
