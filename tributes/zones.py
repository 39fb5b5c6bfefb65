"""Time zones: validating a zone name, wall times that clocks skip or repeat, and the visitor's zone.

A visitor's zone comes from their browser when JavaScript runs, else the zone they chose. The
browser's script and the zone chooser both store an IANA name in the `tz` cookie. It is not
secret and holds no identity, so it is a plain cookie that the script may read and write.
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

ZONE_COOKIE = "tz"
# Set when the visitor picked a zone themselves: their choice beats the browser's.
ZONE_CHOSEN_COOKIE = "tz_chosen"
ZONE_COOKIE_MAX_AGE = 365 * 24 * 60 * 60


@functools.cache
def known_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


REGIONS = (
    "Africa/",
    "America/",
    "Antarctica/",
    "Asia/",
    "Atlantic/",
    "Australia/",
    "Europe/",
    "Indian/",
    "Pacific/",
)


def is_place_zone(name: str) -> bool:
    """A Region/City zone a person would recognise (not Etc/GMT+5, US/Eastern or posix/...)."""
    return name.startswith(REGIONS)


@functools.cache
def zone_choices() -> list[tuple[str, str]]:
    """Zones a person would recognise, for the zone chooser."""
    names = sorted(name for name in known_zones() if is_place_zone(name))
    return [(name, name.replace("_", " ")) for name in names]


def is_known_zone(name: str) -> bool:
    return name in known_zones()


def validate_time_zone(value: str) -> None:
    if not is_known_zone(value):
        raise ValidationError(
            _("%(value)s is not a time zone we know. Try a name like Europe/London."),
            params={"value": value},
        )


@functools.lru_cache(maxsize=16)
def zones_by_offset(wall: dt.datetime) -> dict[dt.timedelta, tuple[str, ...]]:
    """Region/City zone names grouped by their UTC offset at the wall time `wall`.

    Cached: it looks at every zone (about 30 ms) and a floating event asks with the same time.
    """
    by_offset: dict[dt.timedelta, list[str]] = {}
    for name in sorted(known_zones()):
        if not is_place_zone(name):
            continue
        offset = wall.replace(tzinfo=zoneinfo.ZoneInfo(name)).utcoffset()
        by_offset.setdefault(offset, []).append(name)
    return {offset: tuple(names) for offset, names in by_offset.items()}


def wall_time_problem(wall: dt.datetime, zone: zoneinfo.ZoneInfo) -> str:
    """Explain why a local wall time cannot name one instant in `zone`, or return ''.

    On the day clocks go forward a wall time may not exist; on the day they go back it may
    happen twice. Round-tripping through UTC and comparing both folds detects both.
    """
    early = wall.replace(tzinfo=zone, fold=0)
    late = wall.replace(tzinfo=zone, fold=1)
    round_trip = early.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None)
    params = {"time": wall.strftime("%H:%M"), "zone": zone.key}
    if round_trip != wall:
        return str(
            _(
                "%(time)s does not exist in %(zone)s that day: the clocks go forward. Please choose another time."
            )
            % params
        )
    if early.utcoffset() != late.utcoffset():
        return str(
            _(
                "%(time)s happens twice in %(zone)s that day: the clocks go back. Please choose another time."
            )
            % params
        )
    return ""


def visitor_zone(request: HttpRequest) -> zoneinfo.ZoneInfo:
    name = request.COOKIES.get(ZONE_COOKIE, "")
    return zoneinfo.ZoneInfo(name if is_known_zone(name) else settings.TIME_ZONE)


def remember_zone(response: HttpResponse, name: str) -> HttpResponse:
    """Remember a zone the visitor chose; the page's script then no longer replaces it."""
    for cookie, value in [(ZONE_COOKIE, name), (ZONE_CHOSEN_COOKIE, "1")]:
        response.set_cookie(
            cookie,
            value,
            max_age=ZONE_COOKIE_MAX_AGE,
            secure=settings.SESSION_COOKIE_SECURE,
            samesite="Lax",
        )
    return response
