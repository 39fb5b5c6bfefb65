"""An "add to calendar" file for a candle event (RFC 5545, made with the icalendar library).

A fixed event carries its wall time with a TZID and the matching VTIMEZONE, so calendars show
it at the right moment in any zone. A floating event ("19:00 wherever you are") uses floating
local times with no zone, which calendars show at that wall time wherever the reader is.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from icalendar import Alarm, Calendar, Event

from tributes.models import CandleEvent


def event_calendar(event: CandleEvent) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.SITE_NAME}//Candle lighting//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    entry = Event()
    entry.add("uid", f"candle-event-{event.pk}@{settings.SITE_URL.split('://')[-1]}")
    entry.add("dtstamp", timezone.now())
    entry.add("summary", event.title)
    url = settings.SITE_URL + event.get_absolute_url()
    entry.add("description", f"{event.message}\n\n{url}".strip())
    entry.add("url", url)
    # A floating event has no zone: its start stays a naive, floating wall time.
    start = event.local_start.replace(tzinfo=event.zone)
    entry.add("dtstart", start)
    entry.add("dtend", start + event.duration)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", event.title)
    alarm.add("trigger", -dt.timedelta(minutes=15))
    entry.add_component(alarm)
    calendar.add_component(entry)
    if not event.is_floating:
        calendar.add_missing_timezones()
    return calendar.to_ical()
