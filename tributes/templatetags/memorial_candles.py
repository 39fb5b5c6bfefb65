from django import template
from django.db.models import Count
from django.utils import timezone

from tributes import shared_cache
from tributes.candles.forms import MemorialCandleForm
from tributes.models import Candle
from tributes.models.candles import burning_at
from tributes.security.visitors import VISITOR_COOKIE, visitor_key

register = template.Library()

# Drawn candles on a memorial page: enough to feel the warmth of many, few enough for a phone.
CANDLES_DRAWN = 24
# Dated records of candles that went out, behind "Candles that have gone out".
GONE_OUT_LISTED = 24


# The counts are shared by every visitor for this long: the rush's thousands of page views a
# second then count a memorial's candles once. The candles drawn are read fresh (a bounded read
# of the newest, on candle_memorial_newest_idx), so whoever just lit one sees it at once.
COUNTS_SHARED_SECONDS = 2
# The candles that went out change slowly (a candle goes out at most once): shared for longer.
GONE_OUT_SHARED_SECONDS = 30


def candle_counts(memorial, *, now) -> dict[str, int]:
    """How many candles burn on the memorial, and how many were lit, shared for a few seconds."""

    def count() -> dict[str, int]:
        return Candle.objects.for_memorial(memorial).aggregate(
            burning=Count("pk", filter=burning_at(now)), total=Count("pk")
        )

    return shared_cache.cached(
        f"memorial-candles-count:{memorial.pk}", COUNTS_SHARED_SECONDS, count
    )


def newest_burning(memorial, *, now, limit: int) -> list[Candle]:
    """The newest `limit` candles burning on the memorial: the index read from the top."""
    return list(
        Candle.objects.for_memorial(memorial)
        .filter(burning_at(now))
        .select_related("event")
        .order_by("-lit_at")[:limit]
    )


def newest_gone_out(memorial, *, now, limit: int) -> list[Candle]:
    """The newest `limit` candles that went out, shared for a while (they seldom change)."""

    def read() -> list[Candle]:
        return list(
            Candle.objects.for_memorial(memorial)
            .gone_out(now=now)
            .select_related("event")
            .order_by("-lit_at")[:limit]
        )

    return shared_cache.cached(
        f"memorial-candles-gone-out:{memorial.pk}", GONE_OUT_SHARED_SECONDS, read
    )


@register.inclusion_tag("tributes/_memorial_candles.html", takes_context=True)
def memorial_candles(context, memorial):
    """The candles section of a memorial page: the burning candles drawn (at most
    CANDLES_DRAWN, then "and N more"), the count, and the newest candles that went out as dated
    records. A visitor sees their own candle as they wrote it (Candle.seen_by).
    """
    now = timezone.now()
    request = context.get("request")
    key = None
    if request is not None and VISITOR_COOKIE in request.COOKIES:
        key = visitor_key(request)
    burning = [
        candle.seen_by(key) for candle in newest_burning(memorial, now=now, limit=CANDLES_DRAWN)
    ]
    gone_out = [
        candle.seen_by(key)
        for candle in newest_gone_out(memorial, now=now, limit=GONE_OUT_LISTED)
        if not candle.is_burning(at=now)
    ]
    burning_count = max(candle_counts(memorial, now=now)["burning"], len(burning))
    return {
        "memorial": memorial,
        "now": now,
        "burning": burning,
        "burning_count": burning_count,
        "more_burning": burning_count - len(burning),
        "gone_out": gone_out,
        "form": MemorialCandleForm(),
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }
