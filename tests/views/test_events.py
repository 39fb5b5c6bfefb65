"""The event page's times as people say them, and the searchable zone chooser."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 10, 15, 18, 0, tzinfo=dt.UTC)  # 19:00 in London


def _page(client, event, at):
    with time_machine.travel(at, tick=False):
        return client.get(event.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("before", "words"),
    [
        (dt.timedelta(days=3, hours=4), "in 3 days"),
        (dt.timedelta(hours=5, minutes=20), "in 5 hours"),
        (dt.timedelta(minutes=11, seconds=30), "in 12 minutes"),
    ],
)
def test_the_countdown_says_days_then_hours_then_minutes(client, event, before, words):
    page = _page(client, event, START - before)
    assert f"{words}</span>." in page


def test_times_name_the_zone_as_people_say_it(client, event):
    client.cookies["tz"] = "America/New_York"
    page = _page(client, event, START - dt.timedelta(days=1))
    assert "15 October 2026, 19:00</time>\n      UK time." in page
    assert '<time datetime="2026-10-15T18:00:00Z">' in page
    assert (
        "15 October 2026, 14:00</span>\n        your time (<span data-local-zone>New York time</span>)"
        in page
    )
    assert "It will be lit at 19:00 UK time" in page
    assert "Europe/London" not in page.split("<datalist")[0]


@pytest.mark.parametrize("zone", ["Europe/London", "Europe/Dublin"])
def test_a_visitor_whose_clock_shows_the_events_time_is_not_told_it_twice(client, event, zone):
    # Dublin keeps UK time in October: "19:00 UK time. That is 19:00 your time" says nothing.
    client.cookies["tz"] = zone
    page = _page(client, event, START - dt.timedelta(days=1))
    your_time = re.search(r'<span class="your-time"[^>]*>', page).group()
    assert "hidden" in your_time


def test_a_browser_giving_an_old_zone_name_gets_the_zone_under_its_current_name(client, event):
    # Browsers without Temporal still report India as Asia/Calcutta through Intl.
    client.cookies["tz"] = "Asia/Calcutta"
    page = _page(client, event, START - dt.timedelta(days=1))
    assert 'data-visitor-zone="Asia/Kolkata"' in page
    assert "your time (<span data-local-zone>India time</span>)" in page
    assert "Calcutta" not in page.split("<datalist")[0]
    india = re.search(r'<option value="Mumbai, India"[^>]*>', page).group()
    assert 'data-old-zones="Asia/Calcutta"' in india


def test_the_zone_chooser_lists_places_not_identifiers(client, event):
    page = _page(client, event, START - dt.timedelta(days=1))
    chooser = page[page.index('<form method="post" action="/time-zone/"') :].split("</form>")[0]
    assert 'list="zone-places"' in chooser
    assert (
        '<option value="London, United Kingdom" data-zone="Europe/London" data-time-name="UK time" data-first'
        in chooser
    )
    assert 'value="Asia/Calcutta"' not in chooser and 'value="Asia/Kolkata"' not in chooser


@pytest.mark.parametrize(
    ("typed", "zone"), [("Tokyo, Japan", "Asia/Tokyo"), ("tokyo", "Asia/Tokyo")]
)
def test_a_visitor_chooses_a_zone_by_typing_a_place(client, event, typed, zone):
    response = client.post(
        reverse("tributes:choose_zone"), {"zone": typed, "next": event.get_absolute_url()}
    )
    assert response.status_code == 302
    assert response.cookies["tz"].value == zone


def test_a_place_we_do_not_know_leaves_the_zone_as_it_was(client, event):
    response = client.post(
        reverse("tributes:choose_zone"), {"zone": "Atlantis", "next": event.get_absolute_url()}
    )
    assert response.status_code == 302
    assert "tz" not in response.cookies


def test_the_zone_chooser_starts_at_the_visitors_own_place(client, event):
    client.cookies["tz"] = "Asia/Tokyo"
    page = _page(client, event, START - dt.timedelta(days=1))
    chooser = page[page.index('<form method="post" action="/time-zone/"') :].split("</form>")[0]
    field = re.search(r'<input type="text" name="zone"[^>]*>', chooser).group(0)
    assert 'value="Tokyo, Japan"' in field
    # Back to the same page once chosen.
    assert f'name="next" value="{event.get_absolute_url()}"' in chooser


@pytest.mark.parametrize(
    ("at", "now_shown"),
    [(START - dt.timedelta(days=1), False), (START + dt.timedelta(minutes=10), True)],
)
def test_the_memorial_and_home_pages_say_when_candles_are_being_lit_now(
    client, event, at, now_shown
):
    with time_machine.travel(at, tick=False):
        memorial_page = client.get(event.memorial.get_absolute_url()).content.decode()
        home_page = client.get(reverse("tributes:home")).content.decode()
    assert ("Candle lighting now" in memorial_page) is now_shown
    assert ("Next candle lighting" in memorial_page) is not now_shown
    for page in (memorial_page, home_page):
        assert ("Candles are being lit now." in page) is now_shown


def test_a_memorial_page_kept_from_before_the_start_says_now_once_it_starts(client, event):
    # The page around the visitor's own parts is kept for minutes: the start changes it.
    for at, shown in [
        (START - dt.timedelta(minutes=2), False),
        (START + dt.timedelta(minutes=2), True),
    ]:
        with time_machine.travel(at, tick=False):
            page = client.get(event.memorial.get_absolute_url()).content.decode()
        assert ("Candle lighting now" in page) is shown
