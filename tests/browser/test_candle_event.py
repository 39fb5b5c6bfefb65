"""A family's candle lighting in a real browser, with the clocks under the test's control."""

import datetime as dt

import pytest
import time_machine
from playwright.sync_api import Browser, Page, expect

from tests.support.factories import CandleEventFactory, MemorialFactory

pytestmark = pytest.mark.django_db(transaction=True)

START = dt.datetime(2026, 10, 15, 18, 0, tzinfo=dt.UTC)  # 19:00 in London


def _light(page: Page, name: str) -> None:
    page.get_by_label("Your name").fill(name)
    page.get_by_role("button", name="Light my candle").click()


def _teddys_candles_at_seven_uk_time():
    return CandleEventFactory(
        memorial=MemorialFactory(name="Teddy Ashby", slug="teddy-ashby"),
        local_date=dt.date(2026, 10, 15),
        local_time=dt.time(19, 0),
        time_zone="Europe/London",
    )


def test_the_countdown_reaches_the_start_and_candles_appear_without_reload(
    page: Page, browser: Browser, site
):
    memorial = MemorialFactory(name="Teddy Ashby", slug="teddy-ashby")
    event = CandleEventFactory(
        memorial=memorial,
        title="Candles for Teddy",
        local_date=dt.date(2026, 10, 15),
        local_time=dt.time(19, 0),
        time_zone="Europe/London",
    )
    url = site + event.get_absolute_url()
    script_errors = []
    page.on("pageerror", lambda error: script_errors.append(str(error)))
    with time_machine.travel(START - dt.timedelta(seconds=10)) as server_clock:
        page.clock.install(time=START - dt.timedelta(seconds=10))
        page.goto(url)

        # Before: a countdown, the family's candle waiting, no form yet.
        expect(page.locator("[data-countdown]")).to_have_text("in 1 minute")
        expect(
            page.get_by_text("It will be lit at 19:00 UK time, and then you can light yours.")
        ).to_be_visible()
        expect(page.get_by_role("button", name="Light my candle")).to_be_hidden()

        # The start: the page's own clock lights the family's candle and opens the form.
        server_clock.move_to(START + dt.timedelta(seconds=1))
        page.clock.fast_forward(11_000)
        expect(page.get_by_text("It was lit at 19:00 UK time.")).to_be_visible()
        expect(page.locator("[data-family-candle]")).to_have_class("candle is-lit")
        expect(page.locator("[data-countdown]")).to_be_hidden()

        # A visitor lights theirs (a normal form post, so it works without JavaScript too).
        _light(page, "Sam")
        expect(page.get_by_text("Thank you. Your candle is lit")).to_be_visible()
        expect(page.locator("[data-candle-count]")).to_have_text("1 candle lit")

        # Someone else, in another browser, lights a candle a moment later.
        page.evaluate("window.stillTheSamePage = true")
        other = browser.new_context()
        other_page = other.new_page()
        other_page.clock.install(time=START + dt.timedelta(seconds=20))
        server_clock.move_to(START + dt.timedelta(seconds=20))
        other_page.goto(url)
        _light(other_page, "Jo")
        expect(other_page.get_by_text("Thank you. Your candle is lit")).to_be_visible()
        other.close()

        # The first page's poll brings the new count and candle, without a reload.
        server_clock.move_to(START + dt.timedelta(seconds=30))
        page.clock.fast_forward(10_000)
        expect(page.locator("[data-candle-count]")).to_have_text("2 candles lit")
        expect(page.locator("[data-candle-list]").get_by_text("Jo")).to_be_visible()
        # The wall drew Sam's candle with the page, and the poll added Jo's beside it.
        expect(page.locator("[data-candle-wall] li")).to_have_count(2)
        assert page.evaluate("window.stillTheSamePage") is True
    assert script_errors == []


def test_the_event_and_wave_pages_have_no_serious_accessibility_problems(
    browser: Browser, site, wave_of_light
):
    from axe_playwright_python.sync_playwright import Axe

    event = _teddys_candles_at_seven_uk_time()
    # axe is injected as a script, which the site's Content Security Policy rightly forbids.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    problems = {}
    visits = [
        (START - dt.timedelta(days=1), event.get_absolute_url()),
        (START + dt.timedelta(minutes=5), event.get_absolute_url() + "?during"),
        (START + dt.timedelta(minutes=5), wave_of_light.get_absolute_url()),
        (START + dt.timedelta(minutes=5), f"/candles/{wave_of_light.slug}/wave/"),
        (START + dt.timedelta(hours=2), event.get_absolute_url() + "?after"),
        (START, event.memorial.get_absolute_url()),
    ]
    for when, url in visits:
        with time_machine.travel(when):
            page.goto(site + url)
            results = Axe().run(page)
            problems[url] = [
                (violation["id"], [node["target"] for node in violation["nodes"]])
                for violation in results.response["violations"]
                if violation["impact"] in {"serious", "critical"}
            ]
    context.close()
    assert problems == {url: [] for url in problems}


def test_without_javascript_a_visitor_chooses_a_zone_and_lights_a_candle(
    browser: Browser, site, wave_of_light
):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    # 10:30 UTC: 19:30 in Tokyo, still morning in London (the site's zone).
    with time_machine.travel(dt.datetime(2026, 10, 15, 10, 30, tzinfo=dt.UTC)):
        page.goto(site + wave_of_light.get_absolute_url())
        expect(page.get_by_text("You can light your candle here when it starts.")).to_be_visible()
        page.get_by_label("Your time zone").fill("Tokyo, Japan")
        page.get_by_role("button", name="Use this time zone").click()
        expect(page.locator("[data-local-zone]")).to_have_text("Japan time")
        _light(page, "Kenji")
        expect(page.get_by_text("Thank you. Your candle is lit")).to_be_visible()
        expect(page.locator("[data-candle-count]")).to_have_text("1 candle lit")
        expect(page.locator("[data-candle-wall] li")).to_have_count(1)
        page.get_by_role("link", name="See where the wave of light is now").click()
        expect(page.get_by_role("row", name="Tokyo 1", exact=True)).to_be_visible()
    context.close()


def test_the_browsers_zone_is_used_until_the_visitor_chooses_another(browser: Browser, site):
    event = _teddys_candles_at_seven_uk_time()
    context = browser.new_context(timezone_id="America/New_York")
    page = context.new_page()
    with time_machine.travel(START - dt.timedelta(days=1)):
        page.goto(site + event.get_absolute_url())
        expect(page.locator("[data-local-zone]")).to_have_text("New York time")
        expect(page.locator("[data-local-time]")).to_have_text("15 October 2026, 14:00")
        # The server heard it too: the next page is made in the browser's zone.
        page.reload()
        expect(page.get_by_label("Your time zone")).to_have_value("New York, United States")

        page.get_by_label("Your time zone").fill("Tokyo, Japan")
        page.get_by_role("button", name="Use this time zone").click()
        expect(page.locator("[data-local-zone]")).to_have_text("Japan time")
        expect(page.locator("[data-local-time]")).to_have_text("16 October 2026, 03:00")
    context.close()


def test_a_browser_without_temporal_writes_the_visitors_time_the_same_way(browser: Browser, site):
    event = _teddys_candles_at_seven_uk_time()
    context = browser.new_context(timezone_id="Asia/Tokyo")
    # Safari has no Temporal yet: the page falls back to Intl.
    context.add_init_script("delete window.Temporal;")
    page = context.new_page()
    with time_machine.travel(START - dt.timedelta(days=1)):
        page.goto(site + event.get_absolute_url())
        expect(page.locator("[data-local-zone]")).to_have_text("Japan time")
        expect(page.locator("[data-local-time]")).to_have_text("16 October 2026, 03:00")
    context.close()
