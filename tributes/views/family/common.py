"""What every family page shares: signed in, never cached, rate limited when it writes."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.utils.cache import add_never_cache_headers

from tributes.ratelimits import rate_limited


def family_page(view):
    """Signed in first; the answer is never cached (it shows what waits and who owns what)."""

    @login_required
    @rate_limited("family")
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        response.headers["Cache-Control"] = "no-store, private"
        return response

    return wrapper


def get_owned_memorial(request, slug: str):
    """The memorial at `slug` if the signed-in person owns it; otherwise 404, as if none existed."""
    from django.shortcuts import get_object_or_404

    from tributes.models import Memorial

    return get_object_or_404(
        Memorial.objects.owned_by(request.user).select_related("cover_photo"), slug=slug
    )
