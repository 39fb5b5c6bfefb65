"""The Wave of Light: which offsets are lit now, and its page of candles per zone and hour."""

import datetime as dt
import re
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from tests.support.factories import CandleFactory
from tributes.candles.wave import event_wave

pytestmark = pytest.mark.django_db

UTC = dt.UTC
LONDON = zoneinfo.ZoneInfo("Europe/London")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
SECOND = dt.timedelta(seconds=1)
START = dt.datetime(2026, 10, 15, 18, 0, tzinfo=dt.UTC)  # 19:00 in London


def test_the_wave_shows_which_offsets_are_lit_now(wave_of_light):
    rows = event_wave(wave_of_light, at=dt.datetime(2026, 10, 15, 18, 30, tzinfo=UTC))
    lit = [row for row in rows if row.is_lit]
    assert [row.offset_label for row in lit] == ["UTC+01:00"]
    assert lit[0].place_names[:3] == ["London", "Dublin", "Lisbon"]
    # East comes first: the wave starts at the date line.
    assert rows[0].offset > rows[-1].offset


def test_each_band_names_places_once_without_aliases(wave_of_light):
    rows = event_wave(wave_of_light, at=START)
    zones = [zone for row in rows for zone in row.zone_names]
    assert len(zones) == len(set(zones))
    assert "Asia/Kolkata" in zones and "Asia/Calcutta" not in zones
    india = next(row for row in rows if "Asia/Kolkata" in row.zone_names)
    assert india.offset_label == "UTC+05:30" and "Mumbai" in india.place_names


def test_the_wave_page_draws_the_bands_marks_yours_and_counts_candles_per_place_and_hour(
    client, wave_of_light
):
    tokyo_hour = dt.datetime(2026, 10, 15, 10, 5, tzinfo=dt.UTC)
    CandleFactory.create_batch(
        3, event=wave_of_light, memorial=None, time_zone="Asia/Tokyo", lit_at=tokyo_hour
    )
    CandleFactory(event=wave_of_light, memorial=None, time_zone="Europe/London", lit_at=START)
    client.cookies["tz"] = "Europe/London"
    with time_machine.travel(START + dt.timedelta(minutes=30), tick=False):
        response = client.get(reverse("tributes:event_wave", args=[wave_of_light.slug]))
    page = response.content.decode()
    assert "Wave of Light: where the wave is now" in page
    # The picture: one band per offset, the lit one with its flame, and the visitor's arrow.
    assert page.count('<rect class="wave-band') == len(event_wave(wave_of_light, at=START))
    assert page.count('class="wave-band wave-band-live"') == 1
    assert page.count('class="wave-you"') == 1
    # Its text equivalent: the same bands as a list, the visitor's own marked.
    lit_row = page[page.index('<li class="wave-row wave-live wave-yours">') :].split("</li>")[0]
    assert "UTC+01:00" in lit_row and "Candles are lit" in lit_row
    assert "your time band" in lit_row and "London, Dublin, Lisbon" in lit_row
    assert "Candles are lit now in London, Dublin, Lisbon" in page
    assert "Europe/London" not in page and "Asia/Tokyo" not in page
    assert '<td>15 October, 10:00</td><th scope="row">Tokyo</th><td>3</td>' in page
    assert '<td>15 October, 18:00</td><th scope="row">London</th><td>1</td>' in page


def test_a_visitor_in_a_zone_we_do_not_list_still_finds_their_band(client, wave_of_light):
    # An old alias a browser may still send: same offset as Kolkata.
    client.cookies["tz"] = "Asia/Calcutta"
    with time_machine.travel(START, tick=False):
        page = client.get(
            reverse("tributes:event_wave", args=[wave_of_light.slug])
        ).content.decode()
    # The row itself, not the page's inline stylesheet, which names the class too.
    yours = re.search(r'<li class="wave-row[^"]*wave-yours">.*?</li>', page, re.S).group()
    assert "UTC+05:30" in yours and "Mumbai" in yours


def test_a_fixed_event_has_no_wave_page(client, event):
    response = client.get(reverse("tributes:event_wave", args=[event.slug]))
    assert response.status_code == 302
