import dataclasses
import datetime as dt
import hashlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from tributes import shared_cache
from tributes.access import get_visible_memorial, may_post
from tributes.models import CandleEvent, Memorial
from tributes.views.caching import public_when_the_same_for_everyone
from tributes.views.memorial_candles import memorial_candles_html
from tributes.views.memorial_forms import candle_form_html, tribute_form_html
from tributes.views.tribute_list import (
    TRIBUTES_PER_PAGE,
    TributePage,
    cursor_at,
    filled_in,
    kept_tributes_html,
    parse_cursor,
    tribute_page,
    visitors_love,
    with_tribute_page,
)

# The old numbered addresses (?page=N) followed to their keyset page, up to this page.
OLD_PAGES_FOLLOWED = 100
# How long the page around each visitor's own parts is kept at most (see _visitors_page).
SHELL_KEPT_SECONDS = 10 * 60
# Where the parts made per request go in the kept page (tribute_list.filled_in): our own
# comments, in our template's HTML; visitors' words are escaped, so none can hold one.
TRIBUTES_MARKER = "<!--memorial:tributes-->"
CANDLES = "memorial:candles"
TRIBUTE_FORM = "memorial:tribute-form"

__all__ = ["TRIBUTES_PER_PAGE", "deep_page_path", "home", "memorial_detail"]


@public_when_the_same_for_everyone
@require_safe
def home(request):
    now = timezone.now()
    events = (
        CandleEvent.objects.upcoming(now=now)
        .filter(Q(memorial__isnull=True) | Q(memorial__in=Memorial.objects.listed()))
        .select_related("memorial")[:6]
    )
    memorials = Memorial.objects.listed().select_related("cover_photo")[:9]
    return render(request, "tributes/home.html", {"events": events, "memorials": memorials})


def older_tributes_path(memorial, cursor) -> str:
    return (
        f"{memorial.get_absolute_url()}?before={cursor}" if cursor else memorial.get_absolute_url()
    )


def deep_page_path(memorial, number: int) -> str:
    """The keyset address of the memorial's page `number` (the benchmarks ask for a deep one)."""
    return older_tributes_path(memorial, cursor_at(memorial, (number - 1) * TRIBUTES_PER_PAGE))


def _shown_service(memorial):
    service = getattr(memorial, "service", None)
    return service if service is not None and service.shown else None


def _same_page_for_everyone(request) -> bool:
    """Nobody signed in, no share link, no message waiting: the page around the visitor's own
    parts is the one every such visitor sees."""
    return (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
    )


@dataclass(frozen=True)
class PageParts:
    """The page with markers where each visitor's own parts go: their love forms
    (`<!--love:ID-->`, tribute_list.py), the candles section and the tribute form."""

    html: str
    may_post: bool
    # Kept for visitors it is the same for: what it was made from, and until when it holds.
    stamp: tuple = ()
    until: float = 0.0


def _next_event(memorial, now):
    return memorial.candle_events.upcoming(now=now).first()


def _next_event_card_changes_at(event) -> float:
    """When the page's card for `event` changes by itself: a fixed event's card says "Candle
    lighting now" from its start, and an event stops being the memorial's next candle time
    (CandleEventQuerySet.upcoming) when it ends, so a later one may be shown instead. Other
    changes to its events change the version."""
    if event is None:
        return math.inf
    if event.is_floating:
        last_day = event.local_date + dt.timedelta(days=3)
        return dt.datetime.combine(last_day, dt.time(), tzinfo=dt.UTC).timestamp()
    starts = event.starts_at.timestamp()
    return starts if time.time() < starts else event.ends_at.timestamp()


def _page_parts(request, memorial, page: TributePage, *, is_owner: bool) -> PageParts:
    """Render the page around the visitor's own parts."""
    # Comments are written on each tribute's own page (a link): no comment form is built here.
    visitor_may_post = is_owner or may_post(memorial, None)
    tributes = kept_tributes_html(memorial, page, may_post=visitor_may_post)
    next_event = _next_event(memorial, timezone.now())
    context = {
        "memorial": memorial,
        "page": page,
        "next_event": next_event,
        "service": _shown_service(memorial),
        "is_owner": is_owner,
        "may_post": visitor_may_post,
        "tributes_html": mark_safe(TRIBUTES_MARKER) if tributes else "",  # noqa: S308
        "candles_html": mark_safe(f"<!--{CANDLES}-->"),  # noqa: S308 (a constant)
        "tribute_form_html": mark_safe(f"<!--{TRIBUTE_FORM}-->"),  # noqa: S308 (a constant)
    }
    html = render_to_string("tributes/memorial_detail.html", context, request=request)
    return PageParts(
        html=html.replace(TRIBUTES_MARKER, tributes, 1),
        may_post=visitor_may_post,
        until=min(time.time() + SHELL_KEPT_SECONDS, _next_event_card_changes_at(next_event)),
    )


def _visitors_page_key(request, memorial, page: TributePage) -> str:
    """Where the page for every visitor it is the same for is kept: the memorial, the cursor,
    the language, the time zone and the address the site was asked at (the share links carry
    it)."""
    asked = repr(
        (
            memorial.pk,
            str(page.before),
            translation.get_language(),
            timezone.get_current_timezone_name(),
            request.build_absolute_uri("/"),
        )
    )
    return "memorial-page:" + hashlib.blake2b(asked.encode(), digest_size=16).hexdigest()


def _visitors_page(request, memorial, page: TributePage) -> PageParts:
    """The page parts every visitor without a session or message sees, kept in each process
    and in the shared cache (shared_cache.kept): at the rush a page view then costs its one
    query and no round trip to the cache.

    The kept parts hold while they were made from the same page version (changed by every
    save or delete of a tribute, comment, photo, candle time or the memorial, models.PageVersion)
    and the same memorial and service as read now, from the same rows (ids and times of change:
    a tribute held or deleted is never shown, even by a change made without signals), and
    before the next candle time shown has ended. Visibility and the love counts are never kept:
    both were read now.
    """
    service = getattr(memorial, "service", None)
    stamp = (
        memorial.page_version,
        memorial.updated_at,
        service and [getattr(service, field.attname) for field in service._meta.fields],
        [(pk, updated_at) for pk, _, updated_at, _ in page.rows],
        str(page.older),
    )

    def made() -> PageParts:
        parts = _page_parts(request, memorial, page, is_owner=False)
        return dataclasses.replace(parts, stamp=stamp)

    return shared_cache.kept(
        _visitors_page_key(request, memorial, page),
        SHELL_KEPT_SECONDS,
        lambda parts: parts.stamp == stamp and parts.until > time.time(),
        made,
    )


@require_safe
def memorial_detail(request, slug):
    if "page" not in request.GET:
        # One query: the memorial, and its page of tributes' rows.
        before = parse_cursor(request.GET.get("before", ""))
        memorial = get_visible_memorial(
            request,
            slug,
            read_with=lambda memorials: with_tribute_page(memorials, before),
            read_with_name=("tribute page", before),
        )
        return _memorial_page(request, memorial, tribute_page(memorial, before))
    # The numbered pages of before: sent on, once, to the same tributes' keyset address.
    # Beyond OLD_PAGES_FOLLOWED, to the first page: no address may ask for a long OFFSET.
    memorial = get_visible_memorial(request, slug)
    number = request.GET["page"]
    position = 0
    if number.isdigit() and int(number) <= OLD_PAGES_FOLLOWED:
        position = (int(number) - 1) * TRIBUTES_PER_PAGE
    return redirect(older_tributes_path(memorial, cursor_at(memorial, position)))


def _memorial_page(request, memorial, page: TributePage) -> HttpResponse:
    if _same_page_for_everyone(request):
        parts = _visitors_page(request, memorial, page)
    else:
        parts = _page_parts(request, memorial, page, is_owner=memorial.is_owned_by(request.user))
    # The visitor's own parts go in last: their love, the forms' keys and CSRF, their own candle.
    visitors_parts = visitors_love(request, memorial, page)
    visitors_parts[CANDLES] = memorial_candles_html(
        request, memorial, candle_form_html=candle_form_html(request, memorial)
    )
    if parts.may_post:
        visitors_parts[TRIBUTE_FORM] = tribute_form_html(request, memorial)
    response = HttpResponse(filled_in(parts.html, visitors_parts))
    # Each answer carries fresh form keys (tributes/security/tokens.py): no shared cache may
    # keep it. It differs with the session, read or not.
    patch_cache_control(response, private=True)
    patch_vary_headers(response, ["Cookie"])
    return response
