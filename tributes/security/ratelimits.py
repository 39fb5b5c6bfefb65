"""Rate limits on everything visitors post, counted on the shared cache (Redis in production).

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

Each limit counts in a fixed window of its period (staggered per counted value, so that windows
do not all end at once). On Redis one script counts every scope of a request in one round trip
(at the 7pm rush a candle otherwise paid two round trips a scope); on another cache (the tests'
and `make run`'s process memory) the scopes are counted one by one, with the same keys.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import math
import re
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ImproperlyConfigured
from django.shortcuts import render
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import NoScriptError
from redis.exceptions import TimeoutError as RedisTimeoutError

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
    return list(_parsed_limits(action, tuple(rates.items()), settings.RATE_LIMIT_SCALE))


# Parsed once per process and setting (a test may change the settings): every post asks.
@functools.lru_cache(maxsize=64)
def _parsed_limits(action: str, rates: tuple[tuple[str, str], ...], scale: float) -> tuple:
    by_scope = dict(rates)
    limits = []
    for scope in SCOPES:
        if by_scope.get(scope):
            count, seconds = parse_rate(by_scope[scope], scale=scale)
            limits.append(Limit(action, scope, count, seconds))
    return tuple(limits)


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


# A counter outlives its window by this much, so that a slow clock never reads it gone early.
EXPIRY_MARGIN_SECONDS = 60

# KEYS: the counters, in the order the scopes are checked; ARGV: each one's limit and expiry.
# Counts up to the first counter over its limit and returns its number (1-based), or 0.
_COUNT_IN_ORDER = """
for i, key in ipairs(KEYS) do
  local count = redis.call('INCR', key)
  if redis.call('TTL', key) < 0 then redis.call('EXPIRE', key, ARGV[2 * i]) end
  if count > tonumber(ARGV[2 * i - 1]) then return i end
end
return 0
"""
_COUNT_IN_ORDER_SHA = hashlib.sha1(_COUNT_IN_ORDER.encode(), usedforsecurity=False).hexdigest()


@dataclass(frozen=True)
class _Counter:
    limit: Limit
    key: str
    window_ends: int  # when this window's count starts again, in seconds since the epoch


def _counter(limit: Limit, value: str, now: int) -> _Counter:
    """The counter of `value` under `limit` in the window that holds `now`."""
    offset = zlib.crc32(value.encode()) % limit.seconds
    window_ends = now - now % limit.seconds + offset
    if window_ends <= now:
        window_ends += limit.seconds
    digest = hashlib.sha256(value.encode()).hexdigest()
    key = f"rl:{limit.action}.{limit.scope}:{limit.count}/{limit.seconds}s:{digest}:{window_ends}"
    return _Counter(limit, key, window_ends)


def _first_over_in_redis(cache: RedisCache, counters: list[_Counter]) -> _Counter | None:
    args = []
    for counter in counters:
        args += [counter.limit.count, counter.limit.seconds + EXPIRY_MARGIN_SECONDS]
    # Our keys are hex digests and fixed words: nothing for validate_key to warn about.
    keys = [cache.make_key(counter.key) for counter in counters]
    over = _run_script(cache._cache.get_client(write=True), keys, args)
    return counters[over - 1] if over else None


def _run_script(client, keys: list[str], args: list[int]) -> int:
    """_COUNT_IN_ORDER in one round trip, on a connection of the client's pool.

    What redis-py's Script object does, without its retries and metrics around every call (at the
    rush they cost as much CPU as the round trip itself): EVALSHA, and EVAL once if this Redis
    does not hold the script yet (after a restart or a SCRIPT FLUSH). A connection that fails is
    closed before it goes back to the pool, as redis-py's own commands do.
    """
    pool = client.connection_pool
    connection = pool.get_connection()
    try:
        try:
            connection.send_command("EVALSHA", _COUNT_IN_ORDER_SHA, len(keys), *keys, *args)
            return connection.read_response()
        except NoScriptError:
            connection.send_command("EVAL", _COUNT_IN_ORDER, len(keys), *keys, *args)
            return connection.read_response()
    except (RedisConnectionError, RedisTimeoutError, OSError):
        connection.disconnect()
        raise
    finally:
        pool.release(connection)


def _first_over_one_by_one(cache, counters: list[_Counter]) -> _Counter | None:
    for counter in counters:
        expiry = counter.limit.seconds + EXPIRY_MARGIN_SECONDS
        if cache.add(counter.key, 1, expiry):
            count = 1
        else:
            try:
                count = cache.incr(counter.key)
            except ValueError:  # Gone since add() saw it: its window ended, this is the first.
                cache.add(counter.key, 1, expiry)
                count = 1
        if count > counter.limit.count:
            return counter
    return None


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
    now = int(time.time())
    counters = []
    for limit in limits_for(action):
        value = _scope_value(limit.scope, request, target=target, email=email)
        if value is not None:
            counters.append(_counter(limit, value, now))
    if not counters:
        return None
    try:
        cache = caches[settings.RATE_LIMIT_CACHE]
        if isinstance(cache, RedisCache):
            over = _first_over_in_redis(cache, counters)
        else:
            over = _first_over_one_by_one(cache, counters)
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
    if over is None:
        return None
    return Reached(scope=over.limit.scope, retry_after=max(1, over.window_ends - now))


def rate_limited_response(request, *, action: str, reached: Reached, form=None):
    """The kind 429 page: the visitor's words, in a form (`form`, a form class, when given) that
    sends them again later (see kept_text.words_to_send_again)."""
    view = getattr(request.resolver_match, "view_name", "") or ""
    security_log.rate_limit_reached(action=action, scope=reached.scope, view=view)
    context = {
        **words_to_send_again(request, form=form),
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
