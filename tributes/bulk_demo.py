"""A big demo for measuring speed: the demo memorial loved by a whole country on one night.

`load_bulk_demo()` adds to the demo memorial (tributes/demo.py) 100,000 published tributes,
200,000 comments and 50,000 candles, a candle time that is live now (10,000 of those candles are
lit in it), and a hundred ordinary memorials with a few tributes, comments and candles each.
Rows are made by PostgreSQL itself (`INSERT ... SELECT ... FROM generate_series`), so the whole
load takes seconds, not the minutes that saving rows one by one would.

Every column of each table is given explicitly (from the model's own fields), so a field added
later without a value here fails loudly instead of loading rows the site cannot show.
"""

from __future__ import annotations

import datetime as dt
import re

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from tributes import demo
from tributes.models import Candle, CandleEvent, Comment, Memorial, Status, Tribute, Visibility

TRIBUTES = 100_000
COMMENTS_PER_TRIBUTE = 2
CANDLES = 50_000
EVENT_CANDLES = 10_000
ORDINARY_MEMORIALS = 100
LIVE_EVENT_SLUG = "candles-for-teddy-tonight"
ORDINARY_SLUG_PREFIX = "bulk-remembered-"

# A handful of kind words, chosen per row by its number.
MESSAGES = [
    "Thinking of you all tonight. Sending so much love.",
    "A candle in our window for your little one.",
    "You are not alone. We remember with you.",
    "Holding your family in our hearts today and always.",
    "I lost my daughter in 2021. Sending strength from Wales.",
    "Forever loved, never forgotten.",
    "Lighting a candle at 7pm with everyone who loves him.",
    "Our whole street is thinking of you.",
]
NAMES = ["Sam", "Priya", "Rosa", "Ahmed", "Grace", "Tom", "Helen", "Jo", "Maisie", "Lucy"]
RELATIONSHIPS = ["friend", "neighbour", "colleague", "a stranger who read the story", "cousin"]


def _array(values: list[str]) -> str:
    return "ARRAY[" + ", ".join("'" + value.replace("'", "''") + "'" for value in values) + "]"


def _pick(values: list[str], number: str = "n") -> str:
    return f"({_array(values)})[1 + {number} % {len(values)}]"


def _insert(model: type[Model], expressions: dict[str, str], source: str, params: dict) -> int:
    """INSERT INTO model's table every column of `expressions` (SQL per column) FROM `source`."""
    columns = [field.column for field in model._meta.concrete_fields if not field.primary_key]
    missing = set(columns) - set(expressions)
    unknown = set(expressions) - set(columns)
    if missing or unknown:
        raise RuntimeError(f"{model.__name__}: no value for {missing}, unknown {unknown}")
    # Only this module's own SQL fragments and the model's column names: no visitor's text.
    values = ", ".join(expressions[column] for column in columns)
    sql = f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) SELECT {values} FROM {source}"  # noqa: S608
    # Every % that does not name a parameter is SQL's modulo.
    sql = re.sub(r"%(?!\()", "%%", sql)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _moderated(*, status: str, created_at: str, moderated: bool = True) -> dict[str, str]:
    """The columns tributes and comments share (tributes/models/tributes.py: Moderated)."""
    return {
        "author_name": _pick(NAMES),
        "author_email": "''",
        "notify_on_publish": "false",
        "status": f"'{status}'",
        "moderated_by_id": "NULL",
        "moderated_at": created_at if moderated else "NULL",
        "rejection_reason": "''",
        "edit_token_hash": "NULL",
        "idempotency_key": "NULL",
        "created_at": created_at,
        "updated_at": created_at,
        "hold_reasons": "'[]'::jsonb",
    }


def _tributes(memorial_id: int, count: int, now: dt.datetime, *, status=Status.APPROVED) -> int:
    # One a minute going back in time from an hour ago: the newest first page is recent.
    created_at = "%(now)s - (n * interval '1 minute') - interval '1 hour'"
    return _insert(
        Tribute,
        {
            **_moderated(status=status, created_at=created_at, moderated=status != Status.PENDING),
            "memorial_id": "%(memorial)s",
            "relationship": _pick(RELATIONSHIPS),
            "message": _pick(MESSAGES),
            "emblem": _pick(["", "candle", "heart", "star", "yellow_rose"]),
            "photo_id": "NULL",
            "love_count": "n % 7",
        },
        "generate_series(1, %(count)s) AS n",
        {"now": now, "memorial": memorial_id, "count": count},
    )


def _comments(memorial_id: int, per_tribute: int) -> int:
    # Every tenth comment waits for a moderator: pages must never show those.
    created_at = "t.created_at + (c * interval '1 hour')"
    expressions = _moderated(status="", created_at=created_at)
    expressions["status"] = (
        f"CASE WHEN (t.id + c) % 10 = 0 THEN '{Status.PENDING}' ELSE '{Status.APPROVED}' END"
    )
    expressions["author_name"] = _pick(NAMES, "(t.id + c)")
    return _insert(
        Comment,
        {**expressions, "tribute_id": "t.id", "body": _pick(MESSAGES, "(t.id + c)")},
        "tributes_tribute AS t CROSS JOIN generate_series(1, %(per_tribute)s) AS c "
        "WHERE t.memorial_id = %(memorial)s AND t.status = %(approved)s",
        {"per_tribute": per_tribute, "memorial": memorial_id, "approved": Status.APPROVED},
    )


def _candles(
    memorial_id: int, count: int, now: dt.datetime, *, event_id: int | None = None, key: str
) -> int:
    """`count` candles; one in five still burning. In an event, each by its own visitor."""
    step = "3 minutes" if event_id is None else "10 ms"
    lit_at = f"%(now)s - (n * interval '{step}')"
    return _insert(
        Candle,
        {
            "event_id": "%(event)s",
            "memorial_id": "%(memorial)s",
            "name": _pick(NAMES),
            "show_name": "n % 9 <> 0",
            "message": f"CASE WHEN n % 4 = 0 THEN {_pick(MESSAGES)} ELSE '' END",
            "visitor_key": f"'{key}' || n",
            "time_zone": "'Europe/London'",
            "lit_at": lit_at,
            "burns_until": (
                f"CASE WHEN n % 5 = 0 OR %(event)s::integer IS NOT NULL "
                f"THEN %(now)s + interval '2 hours' ELSE {lit_at} + interval '1 day' END"
            ),
            "words_held": "false",
            "idempotency_key": "NULL",
        },
        "generate_series(1, %(count)s) AS n",
        {"event": event_id, "memorial": memorial_id, "now": now, "count": count},
    )


def _live_event(memorial: Memorial, now: dt.datetime) -> CandleEvent:
    start = (now - dt.timedelta(minutes=10)).astimezone(memorial.zone)
    event, _ = CandleEvent.objects.update_or_create(
        slug=LIVE_EVENT_SLUG,
        defaults={
            "memorial": memorial,
            "title": "Candles for Teddy tonight",
            "message": "We are lighting candles for Teddy right now. Please light one with us.",
            "local_date": start.date(),
            "local_time": start.time().replace(second=0, microsecond=0),
            "time_zone": memorial.time_zone,
            "duration": dt.timedelta(hours=3),
        },
    )
    return event


def add_rows(
    memorial: Memorial, *, tributes: int, comments_per_tribute: int, candles: int, now=None
) -> None:
    """Published tributes, their comments and candles on `memorial` (the EXPLAIN tests use it)."""
    now = now or timezone.now()
    _tributes(memorial.pk, tributes, now)
    _comments(memorial.pk, comments_per_tribute)
    _candles(memorial.pk, candles, now, key=f"rows-{memorial.pk}-")


def already_loaded() -> bool:
    return Memorial.objects.filter(slug__startswith=ORDINARY_SLUG_PREFIX).exists()


def load_bulk_demo(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Load the big demo once (the normal demo first); returns the rows made per kind."""
    now = now or timezone.now()
    memorial = demo.load_demo(now=now)
    made = dict.fromkeys(["memorials", "tributes", "comments", "candles"], 0)
    with transaction.atomic():
        event = _live_event(memorial, now)
        made["tributes"] += _tributes(memorial.pk, TRIBUTES, now)
        made["tributes"] += _tributes(memorial.pk, 200, now, status=Status.PENDING)
        made["comments"] += _comments(memorial.pk, COMMENTS_PER_TRIBUTE)
        made["candles"] += _candles(memorial.pk, CANDLES - EVENT_CANDLES, now, key="bulk-")
        made["candles"] += _candles(
            memorial.pk, EVENT_CANDLES, now, event_id=event.pk, key="bulk-event-"
        )
        ordinary = Memorial.objects.bulk_create(
            Memorial(
                name=f"{NAMES[number % len(NAMES)]} Remembered {number}",
                slug=f"{ORDINARY_SLUG_PREFIX}{number}",
                visibility=Visibility.PUBLIC,
                story="Remembered with love by family and friends.",
            )
            for number in range(1, ORDINARY_MEMORIALS + 1)
        )
        made["memorials"] = len(ordinary)
        for other in ordinary:
            made["tributes"] += _tributes(other.pk, 12, now)
            made["comments"] += _comments(other.pk, 1)
            made["candles"] += _candles(other.pk, 5, now, key=f"bulk-{other.pk}-")
    with connection.cursor() as cursor:
        for model in (Memorial, Tribute, Comment, Candle, CandleEvent):
            cursor.execute(f"ANALYZE {model._meta.db_table}")
    return made
