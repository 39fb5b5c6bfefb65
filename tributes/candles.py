"""Lighting candles: during a candle event, or on a memorial at any time.

One candle per visitor per event is the database's rule (`one_candle_per_visitor_per_event`);
these functions turn a second try into "your candle is already lit" instead of an error. Counts
are always counted in the database, never kept in a Python variable, so a burst of concurrent
lights can neither lose nor double a candle.

Every candle is lit and counted at once. Its name and message go through the same spam checks as
a tribute (`spam.screen_message`): words with links or blocked words are held (`words_held`),
shown as "Someone" with no message until a moderator shows them in the admin. The visitor is
not told, and the count stays exact.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from contextlib import nullcontext
from dataclasses import dataclass

from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import Count
from django.db.models.functions import TruncHour
from django.utils import timezone
from django.utils.translation import gettext as _

from tributes import security_log, spam
from tributes.models import BurnTime, Candle, CandleEvent, EventState, Memorial

# Candles lit in an event burn at least this long, like a real one lit for the Wave of Light.
EVENT_CANDLE_MIN_BURN = dt.timedelta(hours=1)
NEWEST_CANDLES = 12
NAMES_ON_RECORD = 200
# The count and newest candles are shared by every poller of an event for this long.
STATUS_CACHE_SECONDS = 2


class CandleNotLit(Exception):
    """The candle could not be lit; the message says why, gently."""


@dataclass(frozen=True)
class LitCandle:
    candle: Candle
    already_lit: bool


def light_event_candle(
    *,
    event: CandleEvent,
    visitor_key: str,
    visitor_zone: zoneinfo.ZoneInfo,
    name: str,
    message: str = "",
    show_name: bool = True,
    dedicated_to: Memorial | None = None,
    now: dt.datetime | None = None,
) -> LitCandle:
    """Light this visitor's candle in `event`, or return the one they already lit.

    Raises CandleNotLit before the start or after the end (in the visitor's zone for a floating
    event). Runs one INSERT; a conflict on the unique constraint reads the existing candle.
    """
    now = now or timezone.now()
    zone = event.zone_for(visitor_zone)
    state = event.state(at=now, zone=zone)
    if state == EventState.BEFORE:
        raise CandleNotLit(_("Candles can be lit from the start time. Please come back then."))
    if state == EventState.ENDED:
        raise CandleNotLit(_("This candle lighting has ended. Thank you for remembering."))
    candle = Candle(
        words_held=words_need_reading(name, message),
        event=event,
        memorial=event.memorial if event.memorial_id else dedicated_to,
        name=name,
        message=message,
        show_name=show_name,
        visitor_key=visitor_key,
        time_zone=visitor_zone.key,
        lit_at=now,
        burns_until=max(event.end_in(zone), now + EVENT_CANDLE_MIN_BURN),
    )
    # Outside a transaction the INSERT commits on its own (one round trip at the 7pm rush);
    # inside one, a savepoint keeps a conflict from spoiling the caller's transaction.
    guard = transaction.atomic() if connection.in_atomic_block else nullcontext()
    try:
        with guard:
            candle.save(force_insert=True)
    except IntegrityError:
        existing = Candle.objects.filter(event=event, visitor_key=visitor_key).first()
        if existing is None:
            raise
        return LitCandle(candle=existing, already_lit=True)
    return LitCandle(candle=candle, already_lit=False)


def light_memorial_candle(
    *,
    memorial: Memorial,
    visitor_key: str,
    name: str,
    burn_time: BurnTime,
    message: str = "",
    show_name: bool = True,
    now: dt.datetime | None = None,
) -> Candle:
    """Light a candle on a memorial page; it stays as a dated record after it goes out."""
    now = now or timezone.now()
    return Candle.objects.create(
        words_held=words_need_reading(name, message),
        memorial=memorial,
        name=name,
        message=message,
        show_name=show_name,
        visitor_key=visitor_key,
        lit_at=now,
        burns_until=BurnTime(burn_time).burns_until(now),
    )


def words_need_reading(name: str, message: str) -> bool:
    """True when a candle's words must wait for a moderator; logs the reason codes, never the words.

    Reads the blocked terms from the shared cache: no query on a warm cache.
    """
    return bool(spam.screen_message(kind="candle", text=f"{name}\n{message}"))


def show_words(candles, *, by) -> int:
    """A moderator shows the held words of `candles` (a queryset). Returns how many were shown."""
    count = candles.show_words()
    security_log.candle_words_shown(count=count, by=by)
    return count


def visitors_candle(event: CandleEvent, visitor_key: str | None) -> Candle | None:
    if not visitor_key:
        return None
    return Candle.objects.filter(event=event, visitor_key=visitor_key).first()


def event_candle_status(event: CandleEvent, *, fresh: bool = False) -> dict:
    """The count and newest candles of an event, shared by pollers for a couple of seconds.

    Two queries when the cache is cold or `fresh` is asked for (the page itself, so that a
    visitor who has just lit a candle sees it counted), none when warm. Names hidden by their
    lighters, and words held for a moderator, are replaced by "Someone" (with no message)
    before anything is cached.
    """
    key = f"candles:status:{event.pk}"
    status = None if fresh else cache.get(key)
    if status is None:
        candles = list(event.candles.all()[:NEWEST_CANDLES])
        status = {
            "count": event.candles.count(),
            "candles": [candle_as_dict(candle) for candle in candles],
        }
        cache.set(key, status, STATUS_CACHE_SECONDS)
    return status


def as_seen_by_its_lighter(status: dict, your_candle: Candle | None) -> dict:
    """`status` for the visitor who lit `your_candle`: their own held words shown back to them.

    Whoever lit a candle sees it as they wrote it, so nothing tells them that a moderator will
    read it first; everyone else sees "Someone". Returns a copy: the shared answer is untouched.
    """
    if your_candle is None or not your_candle.words_held:
        return status
    own = {**candle_as_dict(your_candle), "name": your_candle.name, "message": your_candle.message}
    if not your_candle.show_name:
        own["name"] = str(_("Someone"))
    candles = [own if item["id"] == your_candle.pk else item for item in status["candles"]]
    return {**status, "candles": candles}


def candle_as_dict(candle: Candle) -> dict:
    return {
        "id": candle.pk,
        "name": candle.display_name,
        "message": candle.shown_message,
        "lit_at": candle.lit_at.isoformat(),
    }


def candles_per_zone_and_hour(event: CandleEvent) -> list[dict]:
    """For the wave page: how many candles were lit in each zone, hour by hour (UTC)."""
    return list(
        event.candles.annotate(hour=TruncHour("lit_at", tzinfo=dt.UTC))
        .values("time_zone", "hour")
        .annotate(candles=Count("pk"))
        .order_by("hour", "time_zone")
    )


def event_page(
    event: CandleEvent,
    *,
    now: dt.datetime,
    zone: zoneinfo.ZoneInfo,
    visitor_key: str | None,
) -> dict:
    """What the event page shows a visitor in `zone` at `now`. Runs up to four queries.

    The count is fresh (not the pollers' shared answer) so that someone who has just lit a
    candle sees it counted. After the end the names that were shared are the dated record.
    """
    event_zone = event.zone_for(zone)
    state = event.state(at=now, zone=event_zone)
    your_candle = visitors_candle(event, visitor_key)
    return {
        "event": event,
        "state": state,
        "now": now,
        "starts_at": event.start_in(event_zone),
        "ends_at": event.end_in(event_zone),
        "event_zone": event_zone,
        "visitor_zone": zone,
        "status": as_seen_by_its_lighter(event_candle_status(event, fresh=True), your_candle),
        "your_candle": your_candle,
        "names_on_record": (
            event.candles.filter(show_name=True, words_held=False)[:NAMES_ON_RECORD]
            if state == EventState.ENDED
            else None
        ),
    }
