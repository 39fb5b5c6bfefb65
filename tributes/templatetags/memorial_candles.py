from django import template
from django.utils import timezone

from tributes.candle_forms import MemorialCandleForm
from tributes.models import Candle

register = template.Library()

CANDLES_SHOWN = 12


@register.inclusion_tag("tributes/_memorial_candles.html", takes_context=True)
def memorial_candles(context, memorial):
    """The candles section of a memorial page: the newest candles, in one query.

    Burning candles are listed first; those that went out stay as dated records below.
    """
    now = timezone.now()
    newest = list(
        Candle.objects.for_memorial(memorial).select_related("event")[: CANDLES_SHOWN * 2]
    )
    return {
        "memorial": memorial,
        "now": now,
        "burning": [candle for candle in newest if candle.is_burning(at=now)],
        "gone_out": [candle for candle in newest if not candle.is_burning(at=now)],
        "form": MemorialCandleForm(),
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }
