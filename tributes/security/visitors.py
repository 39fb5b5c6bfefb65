"""Recognising a returning visitor without an account and without storing their IP address.

A visitor gets an identifier in a signed cookie. What we store (on a love or a candle) is a
keyed hash of it, so the database never holds the cookie value itself. A first-time visitor's
identifier is made from the submission key of the form they post (security/tokens.py), not at
random: the same form sent twice before the cookie arrives (a double click, a resend) is then
the same visitor, and the database's one-per-visitor rules keep one candle or one love.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from tributes.security import tokens

VISITOR_COOKIE = "visitor"
VISITOR_COOKIE_SALT = "tributes.visitor"
VISITOR_COOKIE_MAX_AGE = 365 * 24 * 60 * 60


def _hash(identifier: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, identifier.encode(), hashlib.sha256).hexdigest()


def visitor_key(request: HttpRequest) -> str:
    """The stable key of the visitor making this request (creates one on first use).

    The cookie is set on the response by `remember_visitor`, which the views that need a key call.
    """
    if not hasattr(request, "_visitor_id"):
        identifier = request.get_signed_cookie(
            VISITOR_COOKIE, default=None, salt=VISITOR_COOKIE_SALT, max_age=VISITOR_COOKIE_MAX_AGE
        )
        request._visitor_is_new = identifier is None
        request._visitor_id = identifier or _new_identifier(request)
    return _hash(request._visitor_id)


def _new_identifier(request: HttpRequest) -> str:
    key = request.POST.get("submission_key", "") if request.method == "POST" else ""
    if tokens.is_submission_key(key):
        return tokens.visitor_identifier(key)
    return secrets.token_urlsafe(18)


def remember_visitor(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Set the visitor cookie on `response` if this request created a new visitor."""
    if getattr(request, "_visitor_is_new", False):
        response.set_signed_cookie(
            VISITOR_COOKIE,
            request._visitor_id,
            salt=VISITOR_COOKIE_SALT,
            max_age=VISITOR_COOKIE_MAX_AGE,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    return response
