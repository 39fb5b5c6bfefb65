from django import template
from django.utils import timezone

from tributes.candles.forms import MemorialCandleForm
from tributes.models import Candle
from tributes.security.visitors import VISITOR_COOKIE, visitor_key

register = template.Library()

CANDLES_SHOWN = 12


@register.inclusion_tag("tributes/_memorial_candles.html", takes_context=True)
def memorial_candles(context, memorial):
    """The candles section of a memorial page: the newest candles, in one query.

    Burning candles are listed first; those that went out stay as dated records below.
    """
    now = timezone.now()
    request = context.get("request")
    key = None
    if request is not None and VISITOR_COOKIE in request.COOKIES:
        key = visitor_key(request)
    newest = [
        candle.seen_by(key)
        for candle in Candle.objects.for_memorial(memorial).select_related("event")[
            : CANDLES_SHOWN * 2
        ]
    ]
    return {
        "memorial": memorial,
        "now": now,
        "burning": [candle for candle in newest if candle.is_burning(at=now)],
        "gone_out": [candle for candle in newest if not candle.is_burning(at=now)],
        "form": MemorialCandleForm(),
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }
