"""Which answers shared caches (a CDN, a proxy) may keep: only those the same for everyone."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.utils.cache import patch_cache_control, patch_vary_headers

# How long a page that is the same for every visitor may be kept by shared caches.
PUBLIC_PAGE_SECONDS = 60


def public_when_the_same_for_everyone(view):
    """Mark the answer `Cache-Control: public` when nothing in it belongs to this visitor.

    That is: a 200 to someone without a session (so not signed in, no share link, no message
    waiting), that sets no cookie and carries no CSRF token (a form that posts). Anything else is
    left as it was. `Vary: Cookie` keeps a cache from giving the shared copy to a visitor who has
    a session.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        same_for_everyone = (
            response.status_code == 200
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        )
        if same_for_everyone:
            patch_cache_control(response, public=True, max_age=PUBLIC_PAGE_SECONDS)
            patch_vary_headers(response, ["Cookie"])
        return response

    return wrapper
