from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from tributes.access import get_visible_memorial
from tributes.models import CandleEvent, Memorial
from tributes.views.caching import public_when_the_same_for_everyone
from tributes.views.tribute_list import (
    TRIBUTES_PER_PAGE,
    cursor_at,
    parse_cursor,
    tribute_page,
    tributes_html,
)
from tributes.views.tributes import writing_context

# The old numbered addresses (?page=N) followed to their keyset page, up to this page.
OLD_PAGES_FOLLOWED = 100

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
    now = timezone.now()
    page = tribute_page(memorial, parse_cursor(request.GET.get("before", "")))
    next_event = memorial.candle_events.upcoming(now=now).first()
    context = {
        "memorial": memorial,
        "page": page,
        "next_event": next_event,
        "service": _shown_service(memorial),
        "is_owner": memorial.is_owned_by(request.user),
    }
    context.update(writing_context(request, memorial, is_owner=context["is_owner"]))
    context["tributes_html"] = tributes_html(request, memorial, page, may_post=context["may_post"])
    response = render(request, "tributes/memorial_detail.html", context)
    # Each render carries fresh form keys (tributes/security/tokens.py): no shared cache may keep it.
    patch_cache_control(response, private=True)
    return response
