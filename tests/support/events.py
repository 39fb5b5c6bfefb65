"""A candle time on a memorial that started five minutes ago and is live for two hours."""

from __future__ import annotations

import datetime as dt

from tests.support.factories import CandleEventFactory


def live_event(memorial, now: dt.datetime):
    start = (now - dt.timedelta(minutes=5)).astimezone(memorial.zone)
    return CandleEventFactory(
        memorial=memorial,
        local_date=start.date(),
        local_time=start.time().replace(microsecond=0),
        time_zone=memorial.time_zone,
        duration=dt.timedelta(hours=2),
    )
