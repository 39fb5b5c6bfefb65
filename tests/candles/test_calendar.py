"""The "add to calendar" file: RFC 5545, a VTIMEZONE for fixed events, floating time otherwise."""

import datetime as dt
from urllib.parse import urlsplit

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from icalendar import Calendar

from tests.support.factories import CandleEventFactory

pytestmark = pytest.mark.django_db


def _calendar(client, event) -> Calendar:
    response = client.get(reverse("tributes:event_ics", args=[event.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert f'filename="{event.slug}.ics"' in response["Content-Disposition"]
    return Calendar.from_ical(response.content)


def test_a_fixed_event_has_its_zone_and_a_matching_vtimezone(client, memorial):
    event = CandleEventFactory(
        memorial=memorial,
        title="Candles for Teddy",
        local_date=dt.date(2026, 10, 15),
        local_time=dt.time(19, 0),
        time_zone="America/New_York",
    )
    calendar = _calendar(client, event)
    assert calendar["VERSION"] == "2.0"
    (entry,) = calendar.walk("VEVENT")
    assert str(entry["SUMMARY"]) == "Candles for Teddy"
    start = entry.decoded("DTSTART")
    assert start.replace(tzinfo=None) == dt.datetime(2026, 10, 15, 19, 0)
    assert entry["DTSTART"].params["TZID"] == "America/New_York"
    assert start.astimezone(dt.UTC) == event.starts_at
    assert entry.decoded("DTEND") - start == dt.timedelta(hours=1)
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "America/New_York"
    assert f"/candles/{event.slug}/" in str(entry["URL"])
    assert entry["UID"]


def test_a_fixed_event_on_a_clock_change_day_keeps_its_instant(client, memorial):
    event = CandleEventFactory(
        memorial=memorial,
        local_date=dt.date(2026, 3, 29),
        local_time=dt.time(19, 0),
        time_zone="Europe/London",
    )
    (entry,) = _calendar(client, event).walk("VEVENT")
    assert entry.decoded("DTSTART").astimezone(dt.UTC) == dt.datetime(
        2026, 3, 29, 18, 0, tzinfo=dt.UTC
    )


def test_a_floating_event_uses_floating_local_time_without_a_zone(client, wave_of_light):
    calendar = _calendar(client, wave_of_light)
    (entry,) = calendar.walk("VEVENT")
    start = entry.decoded("DTSTART")
    assert start == dt.datetime(2026, 10, 15, 19, 0)
    assert start.tzinfo is None
    assert "TZID" not in entry["DTSTART"].params
    assert calendar.walk("VTIMEZONE") == []
    assert b"DTSTART:20261015T190000\r\n" in calendar.to_ical()


def test_the_calendar_file_reminds_fifteen_minutes_before(client, memorial):
    event = CandleEventFactory(memorial=memorial)
    (alarm,) = _calendar(client, event).walk("VALARM")
    assert alarm.decoded("TRIGGER") == -dt.timedelta(minutes=15)


def test_the_calendar_file_is_a_published_event_with_its_words_and_link(client, memorial):
    event = CandleEventFactory(
        memorial=memorial, title="Candles for Teddy", message="Light one with us at home."
    )
    downloaded = dt.datetime(2026, 10, 1, 9, 30, tzinfo=dt.UTC)
    with time_machine.travel(downloaded, tick=False):
        calendar = _calendar(client, event)
    # What calendar apps need to accept it as an event to add, not an invitation to answer.
    assert str(calendar["PRODID"]) == f"-//{settings.SITE_NAME}//Candle lighting//EN"
    assert str(calendar["METHOD"]) == "PUBLISH"
    (entry,) = calendar.walk("VEVENT")
    assert entry.decoded("DTSTAMP") == downloaded
    link = f"{settings.SITE_URL}/candles/{event.slug}/"
    assert str(entry["URL"]) == link
    assert str(entry["DESCRIPTION"]) == f"Light one with us at home.\n\n{link}"
    (alarm,) = entry.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert str(alarm["DESCRIPTION"]) == "Candles for Teddy"


def test_an_event_without_words_describes_itself_by_its_link(client, memorial):
    event = CandleEventFactory(memorial=memorial, message="")
    (entry,) = _calendar(client, event).walk("VEVENT")
    assert str(entry["DESCRIPTION"]) == f"{settings.SITE_URL}/candles/{event.slug}/"


def test_downloading_it_again_updates_the_same_entry_rather_than_adding_one(client, memorial):
    event, other = CandleEventFactory.create_batch(2, memorial=memorial)
    uid = str(_calendar(client, event).walk("VEVENT")[0]["UID"])
    assert str(_calendar(client, event).walk("VEVENT")[0]["UID"]) == uid
    assert str(_calendar(client, other).walk("VEVENT")[0]["UID"]) != uid
    # Unique across every site: it names this site's host.
    assert uid == f"candle-event-{event.pk}@{urlsplit(settings.SITE_URL).netloc}"
