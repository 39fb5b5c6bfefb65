from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from tributes.access import get_visible_memorial
from tributes.models import Candle, CandleEvent, Comment, Memorial, Tribute
from tributes.models.candles import burning_at
from tributes.views.caching import public_when_the_same_for_everyone
from tributes.views.tributes import writing_context

TRIBUTES_PER_PAGE = 10


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


def deep_page_path(memorial, number: int) -> str:
    """The address of the memorial's page `number` (the benchmarks ask for a deep one)."""
    return f"{memorial.get_absolute_url()}?page={number}"


def _shown_service(memorial):
    service = getattr(memorial, "service", None)
    return service if service is not None and service.shown else None


@require_safe
def memorial_detail(request, slug):
    memorial = get_visible_memorial(request, slug)
    now = timezone.now()
    tributes = (
        Tribute.objects.for_memorial(memorial)
        .published()
        .select_related("photo")
        .prefetch_related(
            Prefetch("comments", queryset=Comment.objects.published(), to_attr="published_comments")
        )
    )
    page = Paginator(tributes, TRIBUTES_PER_PAGE).get_page(request.GET.get("page"))
    candles = Candle.objects.for_memorial(memorial).aggregate(
        burning=Count("pk", filter=burning_at(now)),
        total=Count("pk"),
    )
    next_event = memorial.candle_events.upcoming(now=now).first()
    context = {
        "memorial": memorial,
        "page": page,
        "candles": candles,
        "next_event": next_event,
        "service": _shown_service(memorial),
        "is_owner": memorial.is_owned_by(request.user),
    }
    context.update(
        writing_context(request, memorial, list(page.object_list), is_owner=context["is_owner"])
    )
    response = render(request, "tributes/memorial_detail.html", context)
    # Each render carries fresh form keys (tributes/security/tokens.py): no shared cache may keep it.
    patch_cache_control(response, private=True)
    return response
