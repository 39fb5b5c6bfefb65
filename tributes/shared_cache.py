"""The shared cache (Redis in production), used so that a cache outage never stops the site.

Every cache use in the app goes through these functions. When the cache cannot be reached,
reads fall back to computing the answer (from the database), writes are skipped, and the
failure is logged once per call as a warning: a slower page, never an error page. Rate limits
(tributes/security/ratelimits.py) fail open on their own.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.core.cache import cache

log = logging.getLogger(__name__)


def cached[T](key: str, seconds: float, compute: Callable[[], T], *, fresh: bool = False) -> T:
    """The value at `key`, or `compute()` stored there for `seconds` (computed when `fresh`).

    Without a cache, `compute()` runs every time. Its None is not remembered.
    """
    value = None
    if not fresh:
        try:
            value = cache.get(key)
        except Exception as error:  # Any backend error: the database still answers.
            log.warning("cache unavailable, reading %s from the database (%s)", key, error)
            return compute()
    if value is None:
        value = compute()
        try:
            cache.set(key, value, seconds)
        except Exception as error:
            log.warning("cache unavailable, %s not kept (%s)", key, error)
    return value


def add(key: str, value: Any, seconds: float, *, when_unavailable: bool) -> bool:
    """Store `value` at `key` unless something is there: True if it was stored.

    Without a cache nothing can be known, so `when_unavailable` is returned instead.
    """
    try:
        return cache.add(key, value, timeout=seconds)
    except Exception as error:
        log.warning("cache unavailable, %s not checked (%s)", key, error)
        return when_unavailable


def forget(key: str) -> None:
    try:
        cache.delete(key)
    except Exception as error:
        log.warning("cache unavailable, %s not forgotten (%s)", key, error)


def version(key: str) -> int | None:
    """The number kept at `key`, changed by `bump()`; None when the cache cannot be reached.

    A missing number (never set, evicted, or a cache that restarted) starts again from the
    clock in nanoseconds, so it never comes back to a value an older entry was stored under.
    """
    try:
        value = cache.get(key)
        if value is None:
            cache.add(key, time.time_ns(), timeout=None)
            value = cache.get(key)
        return value
    except Exception as error:
        log.warning("cache unavailable, %s not read (%s)", key, error)
        return None


def bump(key: str) -> None:
    """Change the number at `key` (see `version()`): what was stored under the old one is unused."""
    try:
        cache.incr(key)
    except ValueError:
        # Nothing there: the next `version()` starts from the clock, a number never used yet.
        pass
    except Exception as error:
        log.warning("cache unavailable, %s not changed (%s)", key, error)
