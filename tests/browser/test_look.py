"""The look in a real browser: candles drawn and flickering (still under reduced motion), our
colours in light and dark with no default Bootstrap blue left, and the memorial page at 360 px."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from tests.support.factories import CandleFactory, MemorialFactory, TributeFactory

pytestmark = pytest.mark.django_db(transaction=True)

BOOTSTRAP_BLUES = [
    "rgb(13, 110, 253)",
    "rgb(10, 88, 202)",
    "rgb(110, 168, 254)",
    "rgb(134, 183, 254)",
]

# Every colour a page's elements use (text, background, borders, outline), as computed.
COLOURS_IN_USE = """() => {
  const seen = new Set();
  for (const el of document.querySelectorAll("body *")) {
    const style = getComputedStyle(el);
    for (const p of ["color", "backgroundColor", "borderTopColor", "borderBottomColor", "outlineColor"]) {
      seen.add(style[p]);
    }
  }
  return [...seen];
}"""


@pytest.fixture
def memorial_url(site):
    memorial = MemorialFactory(name="Teddy Ashby", slug="teddy")
    TributeFactory(memorial=memorial, emblem="heart")
    CandleFactory.create_batch(3, memorial=memorial)
    CandleFactory(
        memorial=memorial,
        lit_at=timezone.now() - dt.timedelta(days=9),
        burns_until=timezone.now() - dt.timedelta(days=8),
    )
    return site + memorial.get_absolute_url()


@pytest.mark.parametrize("motion", ["no-preference", "reduce"])
def test_burning_candles_are_drawn_and_flicker_only_when_motion_is_welcome(
    browser: Browser, memorial_url, motion
):
    context = browser.new_context(reduced_motion=motion)
    page = context.new_page()
    page.goto(memorial_url)
    candles = page.locator(".candle-grid .candle-art")
    expect(candles).to_have_count(3)
    flame = candles.first.locator(".candle-flame")
    expect(flame).to_be_visible()
    animation = flame.evaluate("el => getComputedStyle(el).animationName")
    assert animation == ("candle-flicker" if motion == "no-preference" else "none")
    # The candle that went out is a dated record one click away.
    records = page.locator(".candles-gone-out")
    expect(records).to_be_hidden()
    page.get_by_text("Candles that have gone out").click()
    expect(records).to_be_visible()
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_our_colours_follow_the_visitors_light_or_dark_choice_with_no_default_blue(
    browser: Browser, memorial_url, scheme
):
    context = browser.new_context(color_scheme=scheme, viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.goto(memorial_url)
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == ("rgb(250, 246, 240)" if scheme == "light" else "rgb(26, 23, 21)")
    page.get_by_label("Your name").first.focus()
    used = page.evaluate(COLOURS_IN_USE)
    assert not set(used) & set(BOOTSTRAP_BLUES)
    button = page.get_by_role("link", name="Leave a tribute")
    expect(button).to_have_css(
        "background-color", "rgb(123, 59, 90)" if scheme == "light" else "rgb(230, 169, 197)"
    )
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    context.close()
