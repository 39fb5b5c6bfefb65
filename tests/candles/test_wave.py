"""The Wave of Light: which offsets are lit now, and its page of candles per zone and hour."""

import datetime as dt
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
    assert "Europe/London" in lit[0].zone_names
    # East comes first: the wave starts at the date line.
    assert rows[0].offset > rows[-1].offset


def test_the_wave_page_shows_where_candles_are_lit_and_counts_per_zone_and_hour(
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
    lit_row = page[page.index('<tr class="wave-live table-warning wave-yours">') :].split("</tr>")[
        0
    ]
    assert "UTC+01:00" in lit_row and "Candles are lit" in lit_row and "(your zone)" in lit_row
    assert "Europe/London" in lit_row
    assert '<td>15 October, 10:00</td><th scope="row">Asia/Tokyo</th><td>3</td>' in page
    assert '<td>15 October, 18:00</td><th scope="row">Europe/London</th><td>1</td>' in page


def test_a_fixed_event_has_no_wave_page(client, event):
    response = client.get(reverse("tributes:event_wave", args=[event.slug]))
    assert response.status_code == 302
