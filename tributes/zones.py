"""Time zones: names people say ("UK time"), the places of the zone chooser, wall times that clocks
skip or repeat, and the visitor's zone.

A visitor's zone comes from their browser when JavaScript runs, else the zone they chose. The
browser's script and the zone chooser both store an IANA name in the `tz` cookie. It is not
secret and holds no identity, so it is a plain cookie that the script may read and write.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.resources
import math
import zoneinfo
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tributes.zone_places import ZONE_PLACES, StrOrPromise

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


@dataclass(frozen=True)
class ZonePlace:
    """One canonical zone as people know it: its country, its cities, what they call its time."""

    zone: str
    country: str
    cities: tuple[str, ...]
    # What people call the time there when it is not "<first city> time" (lazily translated).
    given_time_name: StrOrPromise

    @property
    def time_name(self) -> str:
        return str(self.given_time_name or _("%(place)s time") % {"place": self.cities[0]})

    @property
    def label(self) -> str:
        """How the chooser shows it: "London, United Kingdom"."""
        return f"{self.cities[0]}, {self.country}"


@functools.cache
def zone_places() -> dict[str, ZonePlace]:
    """Every zone we name, by IANA name, in the order of tributes/zone_places.py."""
    return {
        zone: ZonePlace(zone, country, cities, given_time_name)
        for zone, country, cities, given_time_name in ZONE_PLACES
    }


@functools.cache
def old_zone_names() -> dict[str, str]:
    """Old and merged IANA names of the zones we list ("Asia/Calcutta": "Asia/Kolkata").

    Browsers without Temporal still report some old names through Intl. Read from the link lines
    of the tzdata package's own tzdata.zi (a pinned dependency), never a list of our own.
    """
    text = importlib.resources.files("tzdata").joinpath("zoneinfo", "tzdata.zi").read_text()
    listed = zone_places()
    links = {}
    for line in text.splitlines():
        if line.startswith("L "):
            _, target, alias = line.split()
            if target in listed and alias not in listed and is_place_zone(alias):
                links[alias] = target
    return links


def current_zone_name(name: str) -> str:
    """`name`, or the name we list its zone under when it is an old one."""
    return old_zone_names().get(name, name)


def _listed_place(zone: str) -> ZonePlace | None:
    return zone_places().get(current_zone_name(zone))


def place_name(zone: str) -> str:
    """The zone's first city ("London"), or the city part of a zone we do not list."""
    place = _listed_place(zone)
    if place:
        return place.cities[0]
    return zone.rsplit("/", 1)[-1].replace("_", " ")


def zone_time_name(zone: str) -> str:
    """What people call the time in `zone`: "UK time", "New York time", "India time"."""
    place = _listed_place(zone)
    if place:
        return place.time_name
    return _("%(place)s time") % {"place": place_name(zone)}


@functools.cache
def place_choices() -> dict[str, str]:
    """What a visitor may type or pick in the zone chooser, each mapped to its IANA name.

    Every city of every zone we list, as "Edinburgh, United Kingdom", sorted by name. No raw
    identifiers: a visitor searches for the city they live in.
    """
    choices = {}
    for place in zone_places().values():
        for city in place.cities:
            choices.setdefault(f"{city}, {place.country}", place.zone)
    return dict(sorted(choices.items(), key=lambda item: item[0].casefold()))


def zone_for_place(text: str) -> str | None:
    """The IANA name for what a visitor typed in the chooser, or None.

    Accepts a chooser label ("Paris, France"), a city alone when only one zone has it
    ("Paris"), a country with one zone ("Japan"), or an IANA name ("Europe/Paris").
    """
    wanted = " ".join(text.split()).casefold()
    if not wanted:
        return None
    if is_known_zone(text.strip()) and is_place_zone(text.strip()):
        return text.strip()
    by_label = {label.casefold(): zone for label, zone in place_choices().items()}
    if wanted in by_label:
        return by_label[wanted]
    for field in ("cities", "country"):
        matches = {
            place.zone
            for place in zone_places().values()
            if wanted in {name.casefold() for name in _as_tuple(getattr(place, field))}
        }
        if len(matches) == 1:
            return matches.pop()
    return None


def _as_tuple(value: str | tuple[str, ...]) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else (value,)


def zone_label(zone: str) -> str:
    """The chooser's value for `zone`: "London, United Kingdom", or the city for a zone not listed."""
    place = _listed_place(zone)
    return place.label if place else place_name(zone)


class PlaceZoneField(forms.CharField):
    """A time zone chosen by place: people type their city and the browser suggests places from
    the `zone-places` datalist (templates/tributes/_zone_places.html; it works without
    JavaScript). A zone is shown as its place ("London, United Kingdom"); what is typed cleans
    to its IANA name."""

    default_error_messages = {
        "unknown_place": _("We do not know that place. Please choose one of the places suggested."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"list": "zone-places", "autocomplete": "off"})
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        # An IANA name (the initial value or the saved one) shows as its place; typed text as typed.
        if isinstance(value, str) and is_place_zone(value) and is_known_zone(value):
            return zone_label(value)
        return value

    def to_python(self, value) -> str:
        typed = super().to_python(value)
        if typed in self.empty_values:
            return typed
        zone = zone_for_place(typed)
        if zone is None:
            raise ValidationError(self.error_messages["unknown_place"], code="unknown_place")
        return zone


def is_known_zone(name: str) -> bool:
    return name in known_zones()


def validate_time_zone(value: str) -> None:
    if not is_known_zone(value):
        raise ValidationError(
            _("%(value)s is not a time zone we know. Try a name like Europe/London."),
            params={"value": value},
        )


@functools.lru_cache(maxsize=16)
def places_by_offset(wall: dt.datetime) -> dict[dt.timedelta, tuple[ZonePlace, ...]]:
    """The zones we name, grouped by their UTC offset at the wall time `wall`, in list order.

    Cached: a floating event asks with the same wall time on every visit.
    """
    by_offset: dict[dt.timedelta, list[ZonePlace]] = {}
    for place in zone_places().values():
        offset = wall.replace(tzinfo=zoneinfo.ZoneInfo(place.zone)).utcoffset()
        by_offset.setdefault(offset, []).append(place)
    return {offset: tuple(places) for offset, places in by_offset.items()}


def wall_time_problem(wall: dt.datetime, zone: zoneinfo.ZoneInfo) -> str:
    """Explain why a local wall time cannot name one instant in `zone`, or return ''.

    On the day clocks go forward a wall time may not exist; on the day they go back it may
    happen twice. Round-tripping through UTC and comparing both folds detects both.
    """
    early = wall.replace(tzinfo=zone, fold=0)
    late = wall.replace(tzinfo=zone, fold=1)
    round_trip = early.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None)
    params = {"time": wall.strftime("%H:%M"), "zone": zone_time_name(zone.key)}
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
    name = current_zone_name(request.COOKIES.get(ZONE_COOKIE, ""))
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


def countdown_words(seconds: float) -> str:
    """How long until a start, as people say it: "in 3 days" until the last day, then "in 5
    hours", then "in 12 minutes". static/js/candle_event.js says the same, minute by minute."""
    if seconds <= 0:
        return str(_("now"))
    days, rest = divmod(int(seconds), 24 * 60 * 60)
    if days:
        return ngettext("in %(count)s day", "in %(count)s days", days) % {"count": days}
    hours = rest // 3600
    if hours:
        return ngettext("in %(count)s hour", "in %(count)s hours", hours) % {"count": hours}
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext("in %(count)s minute", "in %(count)s minutes", minutes) % {"count": minutes}
