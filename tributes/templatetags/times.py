"""Times as people say them: "UK time", "Tokyo", "in 3 days", and `<time datetime>` values."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django import template
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.dates import MONTHS
from django.utils.safestring import SafeString, mark_safe

from tributes import zones
from tributes.models import EventState

register = template.Library()


def _key(zone: zoneinfo.ZoneInfo | str) -> str:
    return zone.key if isinstance(zone, zoneinfo.ZoneInfo) else str(zone)


@register.filter
def time_name(zone: zoneinfo.ZoneInfo | str) -> str:
    """{{ event.time_zone|time_name }}: "UK time"."""
    return zones.zone_time_name(_key(zone))


@register.filter
def place_name(zone: zoneinfo.ZoneInfo | str) -> str:
    """{{ candle.time_zone|place_name }}: "Tokyo"."""
    return zones.place_name(_key(zone)) if zone else ""


@register.simple_tag
def countdown(starts_at: dt.datetime, now: dt.datetime) -> str:
    """{% countdown starts_at now %}: "in 3 days", "in 5 hours", "in 12 minutes"."""
    return zones.countdown_words((starts_at - now).total_seconds())


@register.simple_tag
def happening_now(event) -> bool:
    """{% happening_now event as now %}: a fixed event's candles are being lit at this moment.

    Never for a floating event: it happens at a different instant in each zone."""
    return not event.is_floating and event.state() == EventState.LIVE


@register.simple_tag
def month_names() -> str:
    """{% month_names %}: "January,February,...", for the page's script to write dates as we do."""
    return ",".join(str(MONTHS[number]) for number in range(1, 13))


@register.filter
def machine_time(value: dt.datetime | dt.date | None) -> str:
    """A `<time datetime>` value the HTML standard accepts: whole seconds, in UTC."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    return value.isoformat()


# The datalist's HTML by language: the same on every page, and hundreds of places to name.
_zone_places_html: dict[str | None, str] = {}


@register.simple_tag
def zone_places_list() -> SafeString:
    """The chooser's datalist: every place people may search for, with its zone's time name; a
    zone's first place also carries its old names, for the script that reads the browser's zone.
    Rendered once per process and language."""
    language = translation.get_language()
    html = _zone_places_html.get(language)
    if html is None:
        old_names: dict[str, list[str]] = {}
        for old, current in zones.old_zone_names().items():
            old_names.setdefault(current, []).append(old)
        places = []
        for label, zone in zones.place_choices().items():
            first = label == zones.zone_label(zone)
            names = " ".join(old_names.get(zone, [])) if first else ""
            places.append((label, zone, zones.zone_time_name(zone), first, names))
        html = render_to_string("tributes/_zone_places.html", {"places": places})
        _zone_places_html[language] = html
    return mark_safe(html)  # noqa: S308 (our template, rendered with autoescaping)
