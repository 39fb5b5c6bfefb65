"""Rate limits on everything visitors post, on the shared cache (django-ratelimit underneath).

Each action ("tribute", "comment", "love", "candle", "reminder") has limits per scope in
settings.RATE_LIMITS, multiplied by settings.RATE_LIMIT_SCALE. Scopes are checked in this order and
the first one reached answers:

- "visitor": the visitor cookie's key (tributes.visitors), so one person is stopped first;
- "client": a keyed hash of the network address (tributes.clients), for bots without cookies;
  generous, because a church, school or care home shares one address;
- "memorial": what is being written to (a memorial, an event, a tribute), from a URL argument;
- "email": the address a confirmation email would go to, so the site cannot mail-bomb anyone.

Usage on a view that posts::

    @rate_limited("tribute", memorial_kwarg="slug")
    def post_tribute(request, slug): ...

Only POST requests are counted. A limited request gets status 429 and a page that gives the visitor
their words back in a form that sends them again, to the same address, once the wait is over.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.shortcuts import render
from django_ratelimit.core import get_usage

from tributes.security import log as security_log
from tributes.security.clients import client_key, daily_secret
from tributes.security.kept_text import words_to_send_again
from tributes.security.visitors import visitor_key

SCOPES = ("visitor", "client", "memorial", "email")

_RATE = re.compile(r"^(\d+)/(\d*)([smhd])$")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Limit:
    action: str
    scope: str
    count: int
    seconds: int


def parse_rate(rate: str, *, scale: float = 1.0) -> tuple[int, int]:
    """("5/10m", scale 2) -> (10, 600): the scaled count per period in seconds."""
    match = _RATE.match(rate.strip())
    if not match:
        raise ValueError(f"{rate!r} is not a rate like '5/10m'")
    count, multiple, unit = match.groups()
    seconds = int(multiple or 1) * _SECONDS[unit]
    return max(1, math.ceil(int(count) * scale)), seconds


def limits_for(action: str) -> list[Limit]:
    """The limits of `action`, scaled, in the order they are checked."""
    rates = settings.RATE_LIMITS[action]
    limits = []
    for scope in SCOPES:
        if rates.get(scope):
            count, seconds = parse_rate(rates[scope], scale=settings.RATE_LIMIT_SCALE)
            limits.append(Limit(action, scope, count, seconds))
    return limits


def email_key(address: str) -> str:
    """A keyed hash of a normalised email address (the address itself never reaches the cache)."""
    normalised = address.strip().casefold().encode()
    return hmac.new(daily_secret(), b"email:" + normalised, hashlib.sha256).hexdigest()


def _scope_value(scope: str, request, *, target: str | None, email: str | None) -> str | None:
    if scope == "visitor":
        return visitor_key(request)
    if scope == "client":
        return client_key(request)
    if scope == "memorial":
        return target
    if scope == "email":
        return email_key(email) if email else None
    return None


@dataclass(frozen=True)
class Reached:
    scope: str
    retry_after: int


def limit_reached(
    request, action: str, *, target: str | None = None, email: str | None = None
) -> Reached | None:
    """Count this request against `action`'s limits; return the first limit it is over, or None.

    A visitor over their own limit does not use up the shared address's or memorial's allowance:
    counting stops at the first limit reached. If the cache cannot be reached the request is let
    through (and logged): moderation still screens what it carries, and nobody loses their words.
    """
    if not settings.RATE_LIMIT_ENABLED:
        return None
    for limit in limits_for(action):
        value = _scope_value(limit.scope, request, target=target, email=email)
        if value is None:
            continue
        try:
            usage = get_usage(
                request,
                group=f"{action}.{limit.scope}",
                key=lambda group, request, value=value: value,
                rate=(limit.count, limit.seconds),
                increment=True,
            )
        except Exception as error:  # A cache outage must not stop people posting.
            # Expected while Redis is away and handled: one warning line, not a traceback (and
            # not an error mailed to the admins for every post).
            security_log.log.warning(
                "rate limit cache unavailable action=%s, letting it through (%s: %s)",
                action,
                type(error).__name__,
                error,
            )
            return None
        if usage and usage["should_limit"]:
            return Reached(scope=limit.scope, retry_after=max(1, usage["time_left"]))
    return None


def rate_limited_response(request, *, action: str, reached: Reached, form=None):
    """The kind 429 page: the visitor's words, in a form (`form`, a form class, when given) that
    sends them again later (see kept_text.words_to_send_again)."""
    view = getattr(request.resolver_match, "view_name", "") or ""
    security_log.rate_limit_reached(action=action, scope=reached.scope, view=view)
    context = {
        **words_to_send_again(request, form=form),
        "action": action,
        "minutes": max(1, math.ceil(reached.retry_after / 60)),
    }
    response = render(request, "429.html", context, status=429)
    response["Retry-After"] = str(reached.retry_after)
    return response


def _post_limit_reached(
    request, view_kwargs: dict, *, action: str, memorial_kwarg: str | None, email_field: str
) -> Reached | None:
    """Count a POST to a `rate_limited` view (other methods are never counted)."""
    if request.method != "POST":
        return None
    target = view_kwargs.get(memorial_kwarg) if memorial_kwarg else None
    return limit_reached(
        request,
        action,
        target=f"{action}:{target}" if target is not None else None,
        email=request.POST.get(email_field) or None,
    )


def rate_limited(
    action: str,
    *,
    memorial_kwarg: str | None = None,
    email_field: str = "email",
    form: type | None = None,
) -> Callable:
    """Decorate a view that posts `action`; see the module docstring.

    `memorial_kwarg` names the URL argument identifying what is written to (for the "memorial"
    scope); `email_field` the posted field a confirmation email goes to (for the "email" scope);
    `form` the form class to show on the 429 page.
    """
    if action not in settings.RATE_LIMITS:
        raise ImproperlyConfigured(f"No RATE_LIMITS entry for {action!r}.")

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            reached = _post_limit_reached(
                request,
                kwargs,
                action=action,
                memorial_kwarg=memorial_kwarg,
                email_field=email_field,
            )
            if reached:
                return rate_limited_response(request, action=action, reached=reached, form=form)
            return view(request, *args, **kwargs)

        # Lets a test find every view that accepts a post but is not rate limited.
        wrapped.rate_limit_action = action
        # Lets the outage page (security/middleware.py) give the words back in the same form.
        wrapped.posting_form = form
        return wrapped

    return decorator
