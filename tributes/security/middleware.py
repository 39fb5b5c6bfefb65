"""Middleware of our own: the Permissions-Policy header, refusing oversized requests, and the
kind page of a database outage."""

import logging

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.shortcuts import render

from tributes.security.kept_text import words_to_send_again

log = logging.getLogger(__name__)

# How long a visitor (or their browser, or a proxy) is asked to wait when the database is away:
# a restart takes a few seconds, a failover under a minute.
DATABASE_RETRY_AFTER_SECONDS = 30


class PermissionsPolicyMiddleware:
    """Tell browsers this site never uses the camera, microphone, location or payments."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class RequestSizeLimitMiddleware:
    """Refuse a request whose declared body is larger than MAX_REQUEST_BODY_BYTES, with a kind 413.

    It runs before anything reads the body, so an oversized upload is never read into memory or
    onto disk. Form fields are further limited by DATA_UPLOAD_MAX_MEMORY_SIZE (a kind 400).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BODY_BYTES:
            limit_mb = settings.MAX_REQUEST_BODY_BYTES // (1024 * 1024)
            return render(request, "413.html", {"limit_mb": limit_mb}, status=413)
        return self.get_response(request)


class DatabaseOutageMiddleware:
    """When the database cannot be reached, answer 503 with Retry-After, and a post's words back.

    Like the 429 page, a post is shown again in its form (the `posting_form` its rate limit
    names) with a button that sends it again, under the same submission key, so nothing is
    lost and nothing is saved twice. The page is rendered without anything that would ask the
    database: no signed-in user, no stored messages.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError) or not _is_outage(
            exception
        ):
            return None
        first_line = next(iter(str(exception).splitlines()), "")
        log.error("database unavailable, answered 503: %s", first_line)
        view = getattr(request.resolver_match, "func", None)
        context = {
            **words_to_send_again(request, form=getattr(view, "posting_form", None)),
            "messages": (),
            "user": None,
            "was_post": request.method == "POST",
        }
        response = render(request, "503.html", context, status=503)
        response["Retry-After"] = str(DATABASE_RETRY_AFTER_SECONDS)
        # The line above says it, with the reason: django.request would log each 503 a second
        # time ("Service Unavailable: /path"). Django's own mark for an answer already logged.
        response._has_been_logged = True
        return response


def _is_outage(error: DatabaseError) -> bool:
    # An OperationalError is also what a lock timeout or a cancelled query raises; those come
    # from the database answering, not from it being away, and stay errors of their own. Every
    # message of a server that is away names the connection ("connection refused", "couldn't get
    # a connection", "server closed the connection unexpectedly", "terminating connection due to
    # administrator command"), the server's state ("the database system is shutting down",
    # "... is starting up", "... is in recovery mode") or a host name that does not resolve
    # (psycopg's words, then libpq's).
    text = str(error).lower()
    return isinstance(error, InterfaceError) or any(
        sign in text
        for sign in (
            "connection",
            "the database system",
            "failed to resolve host",
            "could not translate host",
        )
    )
