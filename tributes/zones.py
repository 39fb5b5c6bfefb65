"""A visitor's time zone: from their browser when JavaScript runs, else the zone they chose.

The browser's script and the zone chooser both store an IANA name in the `tz` cookie. It is not
secret and holds no identity, so it is a plain cookie that the script may read and write.
"""

from __future__ import annotations

import functools
import zoneinfo

from django.conf import settings
from django.http import HttpRequest, HttpResponse

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
