"""The site's URLs, with the author's private link answered by a view that fails.

Used by the live Sentry test (ROOT_URLCONF=tests.support.failing_urls in a real server process):
the failure carries, as a real one might, the token, an email address and the client's address in
its message, its local variables and the log lines before it.
"""

import logging

from django.urls import path

from memorial.urls import urlpatterns as site_urlpatterns

logger = logging.getLogger("tributes.failing")


def failing_private_link(request, token):
    author_email = "sam.carter@example.org"
    client_address = request.META.get("HTTP_X_FORWARDED_FOR", "")
    logger.warning("Looking up %s for %s from %s", request.path, author_email, client_address)
    raise RuntimeError(f"No tribute at {request.path} for {author_email} ({client_address})")


urlpatterns = [
    path("your-tribute/<str:token>/", failing_private_link),
    *site_urlpatterns,
]
