"""The Wave of Light: which offsets are lit now, and its page of candles per zone and hour."""

import datetime as dt
import re
import zoneinfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

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


def _wave_page(client, event, at):
    with time_machine.travel(at, tick=False):
        response = client.get(reverse("tributes:event_wave", args=[event.slug]))
    assert response.status_code == 200
    return response.content.decode()


def _rows(page, heading, pattern):
    """The rows of the table under `heading`, as `pattern`'s groups."""
    return re.findall(pattern, page.split(f"{heading}</h2>")[1].split("</table>")[0])


def test_a_visitor_in_an_offset_no_place_of_ours_has_still_gets_the_wave(client, wave_of_light):
    # UTC-12 (Baker Island): a zone browsers may send, with no named place, so no band.
    client.cookies["tz"] = "Etc/GMT+12"
    page = _wave_page(client, wave_of_light, START)
    assert page.count('<rect class="wave-band') == len(event_wave(wave_of_light, at=START))
    # No element marked (the page's inline stylesheet names the classes all the same).
    assert 'class="wave-you"' not in page
    assert re.search(r'class="[^"]*wave-yours', page) is None
    assert "The arrow marks your time band." not in page


def test_the_picture_spans_every_band_and_its_arrow_points_at_the_visitors_band(
    client, wave_of_light
):
    client.cookies["tz"] = "Asia/Tokyo"
    page = _wave_page(client, wave_of_light, START)
    bands = event_wave(wave_of_light, at=START)
    xs = [float(x) for x in re.findall(r'<rect class="wave-band[^"]*" x="([\d.]+)"', page)]
    assert len(xs) == len(bands)
    # Side by side from the left edge, one band width apart, and the picture holds them all.
    width = xs[1] - xs[0]
    assert xs == [index * width for index in range(len(bands))]
    assert f'viewBox="0 0 {len(bands) * width:g} 64"' in page
    tokyo = next(i for i, band in enumerate(bands) if "Asia/Tokyo" in band.zone_names)
    tip = float(re.search(r'<path class="wave-you" d="M([\d.]+) 52', page).group(1))
    # The rectangle drawn for a band is 9 wide: the arrow's tip sits under its middle.
    assert abs(tip - (xs[tokyo] + 4.5)) <= 0.5


def test_the_places_with_most_candles_come_first_then_by_name(client, wave_of_light):
    for zone, count in [("Asia/Tokyo", 1), ("Europe/London", 3), ("Europe/Paris", 1)]:
        CandleFactory.create_batch(
            count, event=wave_of_light, memorial=None, time_zone=zone, lit_at=START
        )
    page = _wave_page(client, wave_of_light, START + dt.timedelta(minutes=30))
    assert _rows(page, "Candles per place", r'<th scope="row">([^<]+)</th><td>(\d+)</td>') == [
        ("London", "3"),
        ("Tokyo", "1"),
        ("Paris", "1"),
    ]


def test_candles_per_hour_are_listed_hour_by_hour_then_by_place(client, wave_of_light):
    # Lit in this order: the list is by hour first, then by zone within the hour.
    for zone, lit_at in [
        ("Europe/London", START),
        ("Asia/Tokyo", START + dt.timedelta(minutes=10)),
        ("Europe/London", START - dt.timedelta(hours=8)),
    ]:
        CandleFactory(event=wave_of_light, memorial=None, time_zone=zone, lit_at=lit_at)
    page = _wave_page(client, wave_of_light, START + dt.timedelta(minutes=30))
    hour_and_place = r'<td>([^<]+)</td><th scope="row">([^<]+)</th>'
    assert _rows(page, "Candles per place and hour", hour_and_place) == [
        ("15 October, 10:00", "London"),
        ("15 October, 18:00", "Tokyo"),
        ("15 October, 18:00", "London"),
    ]


def test_candles_are_counted_by_utc_hour_even_where_the_site_keeps_half_hour_time(
    client, wave_of_light
):
    # A site whose own zone is India's (TIME_ZONE is read from the environment): the table's
    # hours are still UTC hours, as its heading says.
    CandleFactory(event=wave_of_light, memorial=None, time_zone="Europe/London", lit_at=START)
    with timezone.override("Asia/Kolkata"):
        page = _wave_page(client, wave_of_light, START + dt.timedelta(minutes=30))
    assert '<td>15 October, 18:00</td><th scope="row">London</th><td>1</td>' in page


def test_the_wave_at_an_instant_shows_the_bands_lit_then(wave_of_light):
    from tributes.candles.wave import wave_page

    # Asked about 10:30 UTC on the day (whatever the clock says now): Tokyo (and Eucla, 15 minutes behind) are lit.
    at = dt.datetime(2026, 10, 15, 10, 30, tzinfo=UTC)
    page = wave_page(wave_of_light, zone=zoneinfo.ZoneInfo("Asia/Tokyo"), at=at)
    assert [band.offset_label for band in page["lit_now"]] == ["UTC+09:00", "UTC+08:45"]
    assert page["your_band"].is_lit
