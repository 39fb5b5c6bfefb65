"""What an event shows: the count and newest candles (shared by pollers), and the whole page."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zoneinfo
from dataclasses import dataclass

from django.db.models import Count, Max
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tributes import shared_cache
from tributes.models import Candle, CandleEvent, EventState
from tributes.zones import zone_time_name

NEWEST_CANDLES = 12
NAMES_ON_RECORD = 200
# The event page draws one candle for each lit, up to this many (the count says the rest).
WALL_CANDLES = 60
# The count and newest candles are shared by every poller of an event for this long.
STATUS_CACHE_SECONDS = 2


def visitors_candle(event: CandleEvent, visitor_key: str | None) -> Candle | None:
    if not visitor_key:
        return None
    return Candle.objects.filter(event=event, visitor_key=visitor_key).first()


def event_candle_status(event: CandleEvent, *, fresh: bool) -> dict:
    """The count and newest candles of an event, shared by pollers for a couple of seconds.

    Two queries when the cache is cold or `fresh` is asked for (by whoever makes an answer that
    is itself shared), none when warm, and no cache read either within one process
    (shared_cache.shared_briefly). `newest_id` is the newest candle counted. Names hidden by their
    lighters, and words held for a moderator, are replaced by "Someone" (with no message)
    before anything is cached.
    """

    def counted() -> dict:
        candles = list(event.candles.all()[:NEWEST_CANDLES])
        # Read from candle_event_counted_idx alone: the count, and the newest candle counted.
        totals = event.candles.order_by().aggregate(count=Count("pk"), newest_id=Max("pk"))
        return {
            "count": totals["count"],
            "newest_id": totals["newest_id"] or 0,
            "candles": [candle_as_dict(candle) for candle in candles],
        }

    if fresh:
        return shared_cache.cached(
            f"candles:status:{event.pk}", STATUS_CACHE_SECONDS, counted, fresh=True
        )
    return shared_cache.shared_briefly(
        f"candles:status-shared:{event.pk}", STATUS_CACHE_SECONDS, counted
    )


@dataclass(frozen=True)
class StatusAnswer:
    """The poll's answer as sent: its JSON, an ETag made from it, and whether it may be shared."""

    body: bytes
    etag: str
    floating: bool


def status_answer(event: CandleEvent, *, zone: zoneinfo.ZoneInfo, fresh: bool) -> StatusAnswer:
    """What `status.json` answers a visitor in `zone` (only a floating event's state depends on
    the zone): state, count and newest candles. No query on a warm cache, two when `fresh`
    (when the answer itself is what is shared)."""
    shared = event_candle_status(event, fresh=fresh)
    payload = {
        "count": shared["count"],
        "candles": shared["candles"],
        "state": event.state(zone=event.zone_for(zone)),
        "count_text": ngettext("%(count)s candle lit", "%(count)s candles lit", shared["count"])
        % {"count": shared["count"]},
    }
    body = json.dumps(payload).encode()
    etag = '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
    return StatusAnswer(body=body, etag=etag, floating=event.is_floating)


def forget_answers_kept_here() -> None:
    shared_cache.forget_kept_here()


def visitors_status_answer(slug: str, zone: zoneinfo.ZoneInfo, compute) -> StatusAnswer:
    """The answer every visitor without an account or share link gets, built once by `compute`
    and shared for STATUS_CACHE_SECONDS: no query, and one cache read per process and answer."""
    return shared_cache.shared_briefly(
        f"candles:status-answer:{slug}:{zone.key}", STATUS_CACHE_SECONDS, compute
    )


def as_seen_by_its_lighter(status: dict, your_candle: Candle | None) -> dict:
    """`status` (the pollers' shared answer) for the visitor who lit `your_candle`: their candle
    counted and shown even when it was lit after the shared answer was made, and their own held
    words shown back to them (see Candle.seen_by). Returns a copy: the shared answer is untouched.

    Candle ids only grow, so a candle newer than the newest one counted (`newest_id`) was not
    counted. At the rush every lighter's page then costs no count of the whole event.
    """
    if your_candle is None:
        return status
    own = candle_as_dict(your_candle.seen_by(your_candle.visitor_key))
    if your_candle.pk > status["newest_id"]:
        return {
            **status,
            "count": status["count"] + 1,
            "candles": [own, *status["candles"]][:NEWEST_CANDLES],
        }
    if not your_candle.words_held:
        return status
    candles = [own if item["id"] == your_candle.pk else item for item in status["candles"]]
    return {**status, "candles": candles}


def candle_as_dict(candle: Candle) -> dict:
    return {
        "id": candle.pk,
        "name": candle.display_name,
        "message": candle.shown_message,
        "lit_at": candle.lit_at.isoformat(),
    }


def event_page(
    event: CandleEvent,
    *,
    now: dt.datetime,
    zone: zoneinfo.ZoneInfo,
    visitor_key: str | None,
) -> dict:
    """What the event page shows a visitor in `zone` at `now`. Runs up to four queries.

    Every visitor sees the pollers' shared count, as status.json gives it; one who lit a candle
    (`visitor_key`: lighting sets the cookie) sees theirs counted in it at once
    (`as_seen_by_its_lighter`). After the end the names that were shared are the dated record.
    """
    event_zone = event.zone_for(zone)
    state = event.state(at=now, zone=event_zone)
    your_candle = visitors_candle(event, visitor_key)
    shared = event_candle_status(event, fresh=False)
    status = as_seen_by_its_lighter(shared, your_candle)
    return {
        "event": event,
        "state": state,
        "now": now,
        "starts_at": event.start_in(event_zone),
        "ends_at": event.end_in(event_zone),
        "event_zone": event_zone,
        # "19:00 UK time"; a floating event starts at 19:00 in each visitor's own time.
        "event_zone_name": _("your time") if event.is_floating else zone_time_name(event.time_zone),
        "visitor_zone": zone,
        "status": status,
        "wall": range(min(status["count"], WALL_CANDLES)),
        "wall_size": WALL_CANDLES,
        "your_candle": your_candle,
        "names_on_record": (
            event.candles.filter(show_name=True, words_held=False)[:NAMES_ON_RECORD]
            if state == EventState.ENDED
            else None
        ),
    }
