from django import template
from django.db.models import BooleanField, Case, F, Value, When, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from tributes.candles.forms import MemorialCandleForm
from tributes.models import Candle
from tributes.models.candles import burning_at
from tributes.security.visitors import VISITOR_COOKIE, visitor_key

register = template.Library()

# Drawn candles on a memorial page: enough to feel the warmth of many, few enough for a phone.
CANDLES_DRAWN = 24
# Dated records of candles that went out, behind "Candles that have gone out".
GONE_OUT_LISTED = 24


def newest_candles(memorial, *, now, limit: int) -> list[Candle]:
    """The newest `limit` burning candles and the newest `limit` gone out, in one query.

    A window numbers the candles within each group (burning, gone out) by age, so that a
    memorial with hundreds of burning candles still lists the ones that went out.
    """
    is_burning = Case(
        When(burning_at(now), then=Value(True)), default=Value(False), output_field=BooleanField()
    )
    return list(
        Candle.objects.for_memorial(memorial)
        .select_related("event")
        .annotate(
            position=Window(RowNumber(), partition_by=[is_burning], order_by=F("lit_at").desc())
        )
        .filter(position__lte=limit)
        .order_by("-lit_at")
    )


@register.inclusion_tag("tributes/_memorial_candles.html", takes_context=True)
def memorial_candles(context, memorial, burning_count: int = 0):
    """The candles section of a memorial page, in one query: the burning candles drawn
    (at most CANDLES_DRAWN, then "and N more", N from `burning_count`, the page's own count),
    and the newest candles that went out as dated records.
    """
    now = timezone.now()
    request = context.get("request")
    key = None
    if request is not None and VISITOR_COOKIE in request.COOKIES:
        key = visitor_key(request)
    newest = [
        candle.seen_by(key)
        for candle in newest_candles(memorial, now=now, limit=max(CANDLES_DRAWN, GONE_OUT_LISTED))
    ]
    burning = [candle for candle in newest if candle.is_burning(at=now)][:CANDLES_DRAWN]
    gone_out = [candle for candle in newest if not candle.is_burning(at=now)][:GONE_OUT_LISTED]
    return {
        "memorial": memorial,
        "now": now,
        "burning": burning,
        "burning_count": max(burning_count, len(burning)),
        "more_burning": max(0, burning_count - len(burning)),
        "gone_out": gone_out,
        "form": MemorialCandleForm(),
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }
