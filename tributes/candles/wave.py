"""The Wave of Light: a floating event ("19:00 wherever you are") moving around the world.

The wave is drawn from the zones we name (tributes/zone_places.py): one band per UTC offset in use
at the event's local start, east to west, each with the places people know there.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import TruncHour

from tributes.models import CandleEvent, EventState
from tributes.zones import ZonePlace, places_by_offset

PLACES_SHOWN = 6


@dataclass(frozen=True)
class WaveBand:
    offset: dt.timedelta
    places: tuple[ZonePlace, ...]
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

    @property
    def zone_names(self) -> list[str]:
        return [place.zone for place in self.places]

    @property
    def place_names(self) -> list[str]:
        """The first few places people know here: "London, Dublin, Lisbon"."""
        return [place.cities[0] for place in self.places[:PLACES_SHOWN]]

    @property
    def more(self) -> int:
        return max(len(self.places) - PLACES_SHOWN, 0)


def event_wave(event: CandleEvent, *, at: dt.datetime) -> list[WaveBand]:
    """For a floating event: every UTC offset in use that day, east to west, with its state at `at`."""
    by_offset = places_by_offset(event.local_start)
    return [
        WaveBand(
            offset=offset,
            places=by_offset[offset],
            state=event.state(at=at, zone=zoneinfo.ZoneInfo(by_offset[offset][0].zone)),
        )
        for offset in sorted(by_offset, reverse=True)
    ]


def band_of(wave: list[WaveBand], zone: zoneinfo.ZoneInfo, wall: dt.datetime) -> WaveBand | None:
    """The band a visitor in `zone` belongs to (any zone, even one we do not list, by its offset)."""
    offset = wall.replace(tzinfo=zone).utcoffset()
    return next((band for band in wave if band.offset == offset), None)


def candles_per_zone_and_hour(event: CandleEvent) -> list[dict]:
    """For the wave page: how many candles were lit in each zone, hour by hour (UTC)."""
    return list(
        event.candles.annotate(hour=TruncHour("lit_at", tzinfo=dt.UTC))
        .values("time_zone", "hour")
        .annotate(candles=Count("pk"))
        .order_by("hour", "time_zone")
    )


BAND_WIDTH = 10


def wave_page(event: CandleEvent, *, zone: zoneinfo.ZoneInfo, at: dt.datetime) -> dict:
    """What the wave page shows a visitor in `zone` at `at`: the bands, drawn and listed, with
    the visitor's own band marked, and the candles lit per zone. Runs two queries."""
    bands = event_wave(event, at=at)
    yours = band_of(bands, zone, event.local_start)
    return {
        "event": event,
        "bands": bands,
        "your_band": yours,
        "lit_now": [band for band in bands if band.is_lit],
        "picture": {
            "width": len(bands) * BAND_WIDTH,
            "bands": [(index * BAND_WIDTH, band) for index, band in enumerate(bands)],
            "your_x": bands.index(yours) * BAND_WIDTH + BAND_WIDTH / 2 if yours else None,
        },
        "per_zone": event.candles.values("time_zone")
        .annotate(candles=Count("pk"))
        .order_by("-candles", "time_zone"),
        "per_zone_and_hour": candles_per_zone_and_hour(event),
    }
