"""The candles section of a memorial page: the count, the candles drawn, those gone out."""

import hashlib

from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from tributes import shared_cache
from tributes.models import Candle
from tributes.models.candles import burning_at
from tributes.security.visitors import VISITOR_COOKIE, visitor_key

# Drawn candles on a memorial page: enough to feel the warmth of many, few enough for a phone.
CANDLES_DRAWN = 24
# Dated records of candles that went out, behind "Candles that have gone out".
GONE_OUT_LISTED = 24


# The counts are shared by every visitor for this long: the rush's thousands of page views a
# second then count a memorial's candles once (when they run out, one thread of each process
# counts while the others wait: shared_cache.shared_briefly). The candles drawn are read fresh
# (a bounded read of the newest, on candle_memorial_newest_idx) for visitors who may have lit
# one, so whoever just lit one sees it at once.
COUNTS_SHARED_SECONDS = 2
# The candles that went out change slowly (a candle goes out at most once): shared for longer.
GONE_OUT_SHARED_SECONDS = 30
# The section's HTML, kept under a digest of what it shows (see memorial_candles_html).
SECTION_KEPT_SECONDS = 60
CANDLE_FORM_MARKER = "<!--candle-form-->"


def candle_counts(memorial, *, now) -> dict[str, int]:
    """How many candles burn on the memorial, and how many were lit, shared for a few seconds."""

    def count() -> dict[str, int]:
        return Candle.objects.for_memorial(memorial).aggregate(
            burning=Count("pk", filter=burning_at(now)), total=Count("pk")
        )

    return shared_cache.shared_briefly(
        f"memorial-candles-counted:{memorial.pk}", COUNTS_SHARED_SECONDS, count
    )


def newest_burning(memorial, *, now, limit: int) -> list[Candle]:
    """The newest `limit` candles burning on the memorial: the index read from the top."""
    return list(
        Candle.objects.for_memorial(memorial)
        .filter(burning_at(now))
        .select_related("event")
        .order_by("-lit_at")[:limit]
    )


def shared_burning(memorial, *, now, limit: int) -> list[Candle]:
    """`newest_burning`, shared by every visitor for COUNTS_SHARED_SECONDS."""
    return shared_cache.shared_briefly(
        f"memorial-candles-drawn:{memorial.pk}",
        COUNTS_SHARED_SECONDS,
        lambda: newest_burning(memorial, now=now, limit=limit),
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

    return shared_cache.shared_briefly(
        f"memorial-candles-went-out:{memorial.pk}", GONE_OUT_SHARED_SECONDS, read
    )


def _shown(candle: Candle) -> tuple:
    """What the section shows of a candle: what its cached HTML is keyed by."""
    return (
        candle.pk,
        candle.display_name,
        candle.shown_message,
        candle.lit_at,
        candle.burns_until,
        candle.event.title if candle.event else None,
    )


def _section_html(memorial, *, key: str | None, now) -> str:
    """The section as `key`'s visitor sees it (None: a first-time visitor), the candle form
    left at its marker."""
    if key is None:
        # Nobody who lit a candle here is without the visitor cookie (lighting sets it): a
        # first-time visitor sees the candles drawn as shared for a couple of seconds.
        drawn = shared_burning(memorial, now=now, limit=CANDLES_DRAWN)
    else:
        drawn = newest_burning(memorial, now=now, limit=CANDLES_DRAWN)
    burning = [candle.seen_by(key) for candle in drawn if candle.is_burning(at=now)]
    gone_out = [
        candle.seen_by(key)
        for candle in newest_gone_out(memorial, now=now, limit=GONE_OUT_LISTED)
        if not candle.is_burning(at=now)
    ]
    burning_count = max(candle_counts(memorial, now=now)["burning"], len(burning))
    section = {
        "memorial": memorial,
        "burning": burning,
        "burning_count": burning_count,
        "more_burning": burning_count - len(burning),
        "gone_out": gone_out,
        "candle_form_html": mark_safe(CANDLE_FORM_MARKER),  # noqa: S308 (a constant)
    }
    shown = repr(
        (
            translation.get_language(),
            timezone.get_current_timezone_name(),
            memorial.pk,
            memorial.name,
            burning_count,
            [_shown(candle) for candle in burning],
            [_shown(candle) for candle in gone_out],
        )
    )
    digest = hashlib.blake2b(shown.encode(), digest_size=16).hexdigest()
    return shared_cache.cached(
        f"memorial-candles-html:{memorial.pk}:{digest}",
        SECTION_KEPT_SECONDS,
        lambda: render_to_string("tributes/_memorial_candles.html", section),
    )


def _first_visit_key(memorial) -> str:
    """Where the section as every first-time visitor sees it is kept (see memorial_candles_html)."""
    return (
        f"memorial-candles-first-visit:{memorial.pk}:{memorial.updated_at.timestamp()}:"
        f"{translation.get_language()}:{timezone.get_current_timezone_name()}"
    )


def memorial_candles_html(request, memorial, *, candle_form_html: str) -> SafeString:
    """The candles section of a memorial page: the burning candles drawn (at most
    CANDLES_DRAWN, then "and N more"), the count, and the newest candles that went out as dated
    records. A visitor sees their own candle as they wrote it (Candle.seen_by).

    Its HTML is kept in the shared cache under a digest of everything it shows (read fresh or
    shared as above), so a candle lit, gone out or changed makes a new entry; the candle form,
    filled in per visitor, goes in at the marker. What every first-time visitor sees is shared
    whole for COUNTS_SHARED_SECONDS, and kept in each process that long (shared_briefly): no
    round trip for most page views at the rush.
    """
    now = timezone.now()
    if VISITOR_COOKIE in request.COOKIES:
        html = _section_html(memorial, key=visitor_key(request), now=now)
    else:
        html = shared_cache.shared_briefly(
            _first_visit_key(memorial),
            COUNTS_SHARED_SECONDS,
            lambda: _section_html(memorial, key=None, now=now),
        )
    # The marker is ours: visitors' words in the section are escaped, so none can hold it.
    return mark_safe(  # noqa: S308 (our template; visitors' words escaped)
        html.replace(CANDLE_FORM_MARKER, candle_form_html, 1)
    )
