"""Lighting candles: during a candle event, or on a memorial at any time.

One candle per visitor per event is the database's rule (`one_candle_per_visitor_per_event`),
and one candle per sent form (the form's submission key, stored as `idempotency_key`): these
functions turn a second try, or the same form sent twice, into the candle already lit instead
of an error or a second candle. Counts are always counted in the database, never kept in a
Python variable, so a burst of concurrent lights can neither lose nor double a candle.

Every candle is lit and counted at once. Its name and message go through the same spam checks as
a tribute (`screening.screen_message`): words with links or blocked words are held (`words_held`),
shown as "Someone" with no message until a moderator shows them in the admin. The visitor is
not told, and the count stays exact.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from contextlib import nullcontext
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tributes.models import BurnTime, Candle, CandleEvent, EventState, Memorial
from tributes.moderation import screening
from tributes.prepared_queries import prepared_insert
from tributes.security import log as security_log
from tributes.security import tokens

# Candles lit in an event burn at least this long, like a real one lit for the Wave of Light.
EVENT_CANDLE_MIN_BURN = dt.timedelta(hours=1)


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
    submission_key: str,
    message: str,
    show_name: bool,
    dedicated_to: Memorial | None,
) -> LitCandle:
    """Light this visitor's candle in `event`, or return the one they already lit.

    Raises CandleNotLit before the start or after the end (in the visitor's zone for a floating
    event). Runs one INSERT; a conflict on the unique constraint reads the existing candle.
    """
    now = timezone.now()
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
        idempotency_key=_idempotency_key(submission_key),
    )
    return _light_once(candle, Q(event=event, visitor_key=visitor_key))


def _idempotency_key(submission_key: str):
    return (
        tokens.idempotency_key(submission_key) if tokens.is_submission_key(submission_key) else None
    )


def _light_once(candle: Candle, same_visitor: Q | None = None) -> LitCandle:
    """Save `candle` with one INSERT (compiled once per process: prepared_queries.py), or find
    the candle lit before it by the same form (its idempotency key) or, in an event, by the same
    visitor (`same_visitor`)."""
    # Outside a transaction the INSERT commits on its own (one round trip at the 7pm rush);
    # inside one, a savepoint keeps a conflict from spoiling the caller's transaction.
    guard = transaction.atomic() if connection.in_atomic_block else nullcontext()
    try:
        with guard:
            prepared_insert(Candle).insert(candle)
    except IntegrityError:
        earlier = Q(pk__in=[])
        if candle.idempotency_key is not None:
            earlier |= Q(idempotency_key=candle.idempotency_key)
        if same_visitor is not None:
            earlier |= same_visitor
        existing = Candle.objects.filter(earlier).first()
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
    message: str,
    show_name: bool,
    submission_key: str,
) -> LitCandle:
    """Light a candle on a memorial page; it stays as a dated record after it goes out.

    A visitor may light as many as they like, one per sent form: the same form sent twice
    returns the candle it lit the first time (`already_lit`).
    """
    now = timezone.now()
    candle = Candle(
        words_held=words_need_reading(name, message),
        memorial=memorial,
        name=name,
        message=message,
        show_name=show_name,
        visitor_key=visitor_key,
        lit_at=now,
        burns_until=BurnTime(burn_time).burns_until(now),
        idempotency_key=_idempotency_key(submission_key),
    )
    return _light_once(candle)


def words_need_reading(name: str, message: str) -> bool:
    """True when a candle's words must wait for a moderator; logs the reason codes, never the words.

    Reads the blocked terms from the shared cache: no query on a warm cache.
    """
    return bool(screening.screen_message(kind="candle", text=f"{name}\n{message}"))


def show_words(candles, *, by) -> int:
    """A moderator shows the held words of `candles` (a queryset). Returns how many were shown."""
    count = candles.show_words()
    security_log.candle_words_shown(count=count, by=by)
    return count
