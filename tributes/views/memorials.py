import hashlib

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
    cursor_at,
    parse_cursor,
    tribute_page,
    tributes_html,
    version_key,
)

# The old numbered addresses (?page=N) followed to their keyset page, up to this page.
OLD_PAGES_FOLLOWED = 100
# How long the page around its tributes, candles and forms is kept (see _page_shell).
SHELL_KEPT_SECONDS = 10 * 60
# Where the parts made per request go in the kept page: our own comments, in our template's
# HTML; visitors' words are escaped, so none can hold one.
TRIBUTES_MARKER = "<!--memorial:tributes-->"
CANDLES_MARKER = "<!--memorial:candles-->"
TRIBUTE_FORM_MARKER = "<!--memorial:tribute-form-->"

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


def _shell_key(request, context) -> str:
    """Everything the page shows outside its tributes, candles and forms (which are made apart):
    the memorial (its version changes with every save of it, a tribute, comment or photo), its
    service and next candle time as read now, the page's cursors, the language and the address
    the site was asked at (the share links carry it)."""
    memorial, service, event = context["memorial"], context["service"], context["next_event"]
    shown = repr(
        (
            memorial.pk,
            memorial.updated_at,
            shared_cache.version(version_key(memorial.pk)),
            service and [getattr(service, field.attname) for field in service._meta.fields],
            event and [getattr(event, field.attname) for field in event._meta.fields],
            event and event.state(),  # "Candle lighting now" from its start
            str(context["page"].before),
            str(context["page"].older),
            bool(context["tributes_html"]),
            context["may_post"],
            translation.get_language(),
            timezone.get_current_timezone_name(),
            request.build_absolute_uri("/"),
        )
    )
    return "memorial-page:" + hashlib.blake2b(shown.encode(), digest_size=16).hexdigest()


def _page_shell(request, context) -> str:
    """The page with markers where the tributes, candles and tribute form go, rendered once
    and kept in the shared cache for every visitor it is the same for."""
    markers = {
        **context,
        "tributes_html": mark_safe(TRIBUTES_MARKER) if context["tributes_html"] else "",  # noqa: S308
        "candles_html": mark_safe(CANDLES_MARKER),  # noqa: S308 (a constant)
        "tribute_form_html": mark_safe(TRIBUTE_FORM_MARKER),  # noqa: S308 (a constant)
    }

    def render_shell() -> str:
        return render_to_string("tributes/memorial_detail.html", markers, request=request)

    if not _same_page_for_everyone(request):
        return render_shell()
    return shared_cache.cached(_shell_key(request, context), SHELL_KEPT_SECONDS, render_shell)


@require_safe
def memorial_detail(request, slug):
    memorial = get_visible_memorial(request, slug)
    if "page" in request.GET:
        # The numbered pages of before: sent on, once, to the same tributes' keyset address.
        # Beyond OLD_PAGES_FOLLOWED, to the first page: no address may ask for a long OFFSET.
        number = request.GET["page"]
        position = 0
        if number.isdigit() and int(number) <= OLD_PAGES_FOLLOWED:
            position = (int(number) - 1) * TRIBUTES_PER_PAGE
        return redirect(older_tributes_path(memorial, cursor_at(memorial, position)))
    page = tribute_page(memorial, parse_cursor(request.GET.get("before", "")))
    is_owner = memorial.is_owned_by(request.user)
    # Comments are written on each tribute's own page (a link): no comment form is built here.
    visitor_may_post = is_owner or may_post(memorial, None)
    context = {
        "memorial": memorial,
        "page": page,
        "next_event": memorial.candle_events.upcoming(now=timezone.now()).first(),
        "service": _shown_service(memorial),
        "is_owner": is_owner,
        "may_post": visitor_may_post,
        "tributes_html": tributes_html(request, memorial, page, may_post=visitor_may_post),
    }
    html = _page_shell(request, context)
    # The visitor's own parts go in last: the forms' keys and CSRF, their own candle.
    candles = memorial_candles_html(
        request, memorial, candle_form_html=candle_form_html(request, memorial)
    )
    html = html.replace(CANDLES_MARKER, candles, 1)
    if visitor_may_post:
        html = html.replace(TRIBUTE_FORM_MARKER, tribute_form_html(request, memorial), 1)
    html = html.replace(TRIBUTES_MARKER, context["tributes_html"], 1)
    response = HttpResponse(html)
    # Each answer carries fresh form keys (tributes/security/tokens.py): no shared cache may
    # keep it. It differs with the session, read or not.
    patch_cache_control(response, private=True)
    patch_vary_headers(response, ["Cookie"])
    return response
