"""What every family page shares: signed in, never cached, rate limited when it writes."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.utils.cache import add_never_cache_headers

from tributes.security.ratelimits import rate_limited


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
