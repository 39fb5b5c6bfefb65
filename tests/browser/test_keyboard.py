"""Keyboard only: posting a tribute, lighting a candle and sending love complete with Tab, Enter
and Space, every stop shows where the focus is, and after posting or lighting the focus is on
the words that say it worked."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from playwright.sync_api import Browser, Locator, Page, expect

from tests.support.factories import CandleEventFactory, MemorialFactory, TributeFactory

pytestmark = pytest.mark.django_db(transaction=True)

START = dt.datetime(2026, 10, 15, 18, 0, tzinfo=dt.UTC)  # 19:00 in London
MOST_TABS = 120

# A focus a person can see: an outline or Bootstrap's focus ring (a box shadow).
VISIBLE_FOCUS = """el => {
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  return outline || style.boxShadow !== "none";
}"""


def tab_to(page: Page, target: Locator) -> None:
    """Press Tab until `target` has the focus, checking that each stop on the way shows it."""
    for _ in range(MOST_TABS):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            assert target.evaluate(VISIBLE_FOCUS), f"no visible focus on {target}"
            return
        focused = page.locator(":focus")
        if focused.count():
            name = focused.evaluate("el => el.outerHTML.slice(0, 120)")
            assert focused.evaluate(VISIBLE_FOCUS), f"no visible focus on {name}"
    raise AssertionError(f"Tab never reached {target}")


def focused_text(page: Page) -> str:
    return page.evaluate("document.activeElement.innerText")


@pytest.fixture
def memorial():
    return MemorialFactory(name="Teddy Ashby", slug="teddy-ashby")


@pytest.mark.parametrize("javascript", [True, False], ids=["with JavaScript", "without"])
def test_a_visitor_posts_a_tribute_with_the_keyboard_alone(
    browser: Browser, site, memorial, javascript
):
    page = browser.new_context(java_script_enabled=javascript).new_page()
    page.goto(site + f"/memorials/{memorial.slug}/tributes/new/")
    tab_to(page, page.get_by_label("Your name"))
    page.keyboard.type("Sam Carter")
    tab_to(page, page.get_by_label("Your tribute"))
    page.keyboard.type("We light a candle for Teddy every Sunday.")
    button = page.get_by_role("button", name="Leave your tribute")
    tab_to(page, button)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Thank you for your tribute")).to_be_visible()
    # The words that say what happens next have the focus, so they are read first.
    expect(page.locator(".what-next[role=status]")).to_be_focused()


def test_a_visitor_lights_a_candle_with_the_keyboard_alone(page: Page, site, memorial):
    event = CandleEventFactory(
        memorial=memorial,
        local_date=START.date(),
        local_time=dt.time(19, 0),
        time_zone="Europe/London",
    )
    with time_machine.travel(START + dt.timedelta(minutes=5)):
        page.clock.install(time=START + dt.timedelta(minutes=5))
        page.goto(site + event.get_absolute_url())
        tab_to(page, page.get_by_label("Your name"))
        page.keyboard.type("Jo")
        tab_to(page, page.get_by_label("Show my name"))
        page.keyboard.press("Space")
        expect(page.get_by_label("Show my name")).not_to_be_checked()
        page.keyboard.press("Space")
        tab_to(page, page.get_by_role("button", name="Light my candle"))
        page.keyboard.press("Enter")
        expect(page.locator("#your-candle")).to_be_focused()
        assert "Thank you. Your candle is lit" in focused_text(page)


def test_a_visitor_sends_love_with_the_keyboard_alone(page: Page, site, memorial):
    TributeFactory(memorial=memorial, author_name="Sam Carter", message="Thinking of you.")
    page.goto(site + memorial.get_absolute_url())
    tab_to(page, page.get_by_role("button", name="Send love").first)
    page.keyboard.press("Space")
    expect(page.get_by_text("Thank you. Your love has been sent to the family.")).to_be_visible()
