"""The family's dashboard: each memorial they own, with what waits, newest tributes and candles.

`dashboard_cards` reads everything in a fixed number of queries whatever the number of
memorials, tributes or candles: one list per kind of thing, for all the memorials at once,
the newest few of each memorial picked by a window function in the database.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from tributes.models import Candle, CandleEvent, Comment, Memorial, Status, Tribute
from tributes.models.tributes import UNREVIEWED
from tributes.moderation.notices import Waiting

NEWEST = 5


@dataclass
class Card:
    memorial: Memorial
    # None where the site's moderators read first: the family has no queue there.
    waiting: Waiting | None = None
    tributes: list[Tribute] = field(default_factory=list)
    candles: list[Candle] = field(default_factory=list)
    next_event: CandleEvent | None = None


def _newest(queryset: QuerySet, *, order: str, limit: int = NEWEST) -> QuerySet:
    """The first `limit` rows of each memorial in `queryset`, in `order` (one query)."""
    ranked = queryset.annotate(
        place=Window(RowNumber(), partition_by=[F("memorial_id")], order_by=order)
    )
    return ranked.filter(place__lte=limit).order_by("memorial_id", "place")


def _waiting(memorial_ids: list[int]) -> dict[int, Waiting]:
    """What waits to be read on each memorial: two grouped counts, as waiting_for_moderation."""
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for model, memorial in ((Tribute, "memorial_id"), (Comment, "tribute__memorial_id")):
        rows = (
            model.objects.to_read()
            .filter(**{f"{memorial}__in": memorial_ids})
            .values(memorial)
            .annotate(
                pending=Count("pk", filter=Q(status=Status.PENDING)),
                unreviewed=Count("pk", filter=UNREVIEWED),
            )
            .order_by()
        )
        for row in rows:
            totals[row[memorial]][0] += row["pending"]
            totals[row[memorial]][1] += row["unreviewed"]
    return {pk: Waiting(pending=p, unreviewed=u) for pk, (p, u) in totals.items()}


def dashboard_cards(user, *, now: dt.datetime) -> list[Card]:
    """One card per memorial `user` owns, by name. Six queries, however much there is."""
    memorials = list(Memorial.objects.owned_by(user).select_related("cover_photo").order_by("name"))
    cards = {memorial.pk: Card(memorial) for memorial in memorials}
    if not cards:
        return []
    ids = list(cards)
    moderated = [memorial.pk for memorial in memorials if memorial.family_moderates]
    waiting = _waiting(moderated) if moderated else {}
    for pk in moderated:
        cards[pk].waiting = waiting.get(pk, Waiting(pending=0, unreviewed=0))
    tributes = Tribute.objects.published().filter(memorial_id__in=ids)
    for tribute in _newest(tributes, order="-created_at"):
        cards[tribute.memorial_id].tributes.append(tribute)
    candles = Candle.objects.burning(now=now).filter(memorial_id__in=ids)
    for candle in _newest(candles, order="-lit_at"):
        cards[candle.memorial_id].candles.append(candle)
    events = CandleEvent.objects.upcoming(now=now).filter(memorial_id__in=ids)
    for event in _newest(events, order=["starts_at", "local_date", "local_time"], limit=1):
        cards[event.memorial_id].next_event = event
    return list(cards.values())
