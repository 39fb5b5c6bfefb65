"""The Wave of Light: a floating event ("19:00 wherever you are") moving around the world."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import TruncHour
from django.utils import timezone

from tributes.models import CandleEvent, EventState
from tributes.zones import zones_by_offset


@dataclass(frozen=True)
class WaveZone:
    offset: dt.timedelta
    zone_names: list[str]
    state: str

    @property
    def offset_label(self) -> str:
        minutes = int(self.offset.total_seconds()) // 60
        sign = "+" if minutes >= 0 else "-"
        hours, minutes = divmod(abs(minutes), 60)
        return f"UTC{sign}{hours:02d}:{minutes:02d}"

    @property
    def is_lit(self) -> bool:
        return self.state == EventState.LIVE

    def places(self, *, first: str = "", count: int = 6) -> list[str]:
        """A few of the zone names, with `first` (the visitor's zone) leading when it is here."""
        others = [name for name in self.zone_names if name != first]
        leading = [first] if first in self.zone_names else []
        return [name.replace("_", " ") for name in (leading + others)[:count]]


def event_wave(event: CandleEvent, *, at: dt.datetime | None = None) -> list[WaveZone]:
    """For a floating event: every UTC offset in use that day, east to west, with its state.

    Each entry lists the zone names sharing that offset at the event's local start.
    """
    at = at or timezone.now()
    by_offset = zones_by_offset(event.local_start)
    wave = []
    for offset in sorted(by_offset, reverse=True):
        names = list(by_offset[offset])
        state = event.state(at=at, zone=zoneinfo.ZoneInfo(names[0]))
        wave.append(WaveZone(offset=offset, zone_names=names, state=state))
    return wave


def candles_per_zone_and_hour(event: CandleEvent) -> list[dict]:
    """For the wave page: how many candles were lit in each zone, hour by hour (UTC)."""
    return list(
        event.candles.annotate(hour=TruncHour("lit_at", tzinfo=dt.UTC))
        .values("time_zone", "hour")
        .annotate(candles=Count("pk"))
        .order_by("hour", "time_zone")
    )
