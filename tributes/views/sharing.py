"""Sharing and keepsakes: share images, QR codes, the keepsake page, the memory book, search,
and the site's icons and web manifest."""

from __future__ import annotations

import math

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from tributes.access import get_visible_event, get_visible_memorial
from tributes.security import log as security_log
from tributes.security.ratelimits import Reached, limit_reached
from tributes.sharing import cards, qr
from tributes.sharing.book import ready_memory_book
from tributes.sharing.keepsake import keepsake
from tributes.sharing.rules import event_is_shareable, memorial_is_shareable
from tributes.sharing.search import MAX_QUERY_LENGTH, MAX_RESULTS, find_memorials

# Share images and QR codes change address when what they show changes (?v=fingerprint).
SHARED_FILE_CACHE_SECONDS = 7 * 86_400
# Icons and the manifest keep one address for years; a browser checks again after this long.
ICON_CACHE_SECONDS = 30 * 86_400


def _keep_private(response: HttpResponse, memorial) -> HttpResponse:
    """Anything about a memorial that is not public stays out of shared caches."""
    if memorial_is_shareable(memorial):
        patch_cache_control(response, public=True, max_age=SHARED_FILE_CACHE_SECONDS)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response


def _wait_a_moment(request, *, action: str, reached: Reached) -> HttpResponse:
    """The 429 page for a page asked for too often (nothing typed to give back, unlike a post)."""
    security_log.rate_limit_reached(
        action=action, scope=reached.scope, view=request.resolver_match.view_name
    )
    minutes = max(1, math.ceil(reached.retry_after / 60))
    response = render(request, "tributes/wait_a_moment.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(reached.retry_after)
    return response


def _card_response(card: cards.Card) -> FileResponse:
    response = FileResponse(
        default_storage.open(cards.stored_image(card)), content_type="image/png"
    )
    patch_cache_control(response, public=True, max_age=SHARED_FILE_CACHE_SECONDS)
    return response


@require_safe
def memorial_share_image(request, slug):
    """The link-preview image of a public memorial; unlisted and private ones have none."""
    memorial = get_visible_memorial(request, slug)
    if not memorial_is_shareable(memorial):
        raise Http404
    return _card_response(cards.memorial_card(memorial))


@require_safe
def event_share_image(request, slug):
    event = get_visible_event(request, slug)
    if not event_is_shareable(event):
        raise Http404
    return _card_response(cards.event_card(event))


@require_safe
def memorial_qr_svg(request, slug):
    memorial = get_visible_memorial(request, slug)
    response = HttpResponse(qr.memorial_qr_svg(memorial), content_type="image/svg+xml")
    response["Content-Disposition"] = f'inline; filename="{memorial.slug}-qr.svg"'
    return _keep_private(response, memorial)


@require_safe
def memorial_qr_card(request, slug):
    """A card to print for an order of service: the name, the dates, the QR code, the address."""
    memorial = get_visible_memorial(request, slug)
    context = {"memorial": memorial, "address": qr.memorial_address(memorial)}
    response = render(request, "tributes/qr_card.html", context)
    return _keep_private(response, memorial)


@require_safe
def memorial_keepsake(request, slug):
    """Everything of the memorial on one page, made to print (see static/css/print.css)."""
    memorial = get_visible_memorial(request, slug)
    response = render(request, "tributes/keepsake.html", {"keepsake": keepsake(memorial)})
    return _keep_private(response, memorial)


@require_safe
def memorial_memory_book(request, slug):
    """The keepsake as a PDF, or a page saying it is being made (by the background worker)."""
    memorial = get_visible_memorial(request, slug)
    reached = limit_reached(request, "memory_book", target=f"memory_book:{slug}")
    if reached:
        return _wait_a_moment(request, action="memory_book", reached=reached)
    name = ready_memory_book(memorial)
    if name is None:
        response = render(
            request, "tributes/memory_book_making.html", {"memorial": memorial}, status=202
        )
        patch_cache_control(response, no_store=True)
        return response
    response = FileResponse(default_storage.open(name), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{memorial.slug}-memory-book.pdf"'
    return _keep_private(response, memorial)


@require_safe
def find_memorial(request):
    """Search public memorials by name; unlisted and private ones are never found."""
    query = request.GET.get("q", "").strip()
    problem = ""
    results = []
    if len(query) > MAX_QUERY_LENGTH:
        problem = _("Please use %(count)s characters or fewer.") % {"count": MAX_QUERY_LENGTH}
    elif query:
        reached = limit_reached(request, "search")
        if reached:
            return _wait_a_moment(request, action="search", reached=reached)
        results = find_memorials(query)
    context = {"query": query, "results": results, "problem": problem, "limit": MAX_RESULTS}
    return render(request, "tributes/find.html", context)


@require_safe
def favicon(request):
    """/favicon.ico, which browsers ask for without reading the page."""
    with open(finders.find("img/icons/favicon.ico"), "rb") as icon:
        response = HttpResponse(icon.read(), content_type="image/x-icon")
    patch_cache_control(response, public=True, max_age=ICON_CACHE_SECONDS)
    return response


@require_safe
def web_manifest(request):
    icons = [
        {"src": static("img/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": static("img/icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {
            "src": static("img/icons/icon-maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
        {"src": static("img/icons/favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
    ]
    manifest = {
        "name": settings.SITE_NAME,
        "short_name": settings.SITE_NAME,
        "description": _("A quiet place to remember someone you lost."),
        "start_url": "/",
        "display": "browser",
        "background_color": "#fbf7f0",
        "theme_color": "#2b2634",
        "icons": icons,
    }
    response = JsonResponse(manifest, content_type="application/manifest+json")
    patch_cache_control(response, public=True, max_age=ICON_CACHE_SECONDS)
    return response
