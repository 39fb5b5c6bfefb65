"""The shared cache (Redis in production), used so that a cache outage never stops the site.

Every cache use in the app goes through these functions. When the cache cannot be reached,
reads fall back to computing the answer (from the database), writes are skipped, and the
failure is logged once per call as a warning: a slower page, never an error page. Rate limits
(tributes/security/ratelimits.py) fail open on their own.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
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
        put(key, value, seconds)
    return value


# What `shared_briefly` keeps in this process: key -> (when it runs out, value). At most this many.
_KEPT_HERE_MAX = 1000
_kept_here: dict[str, tuple[float, Any]] = {}
_making_here: dict[str, threading.Lock] = {}


def shared_briefly[T](key: str, seconds: float, compute: Callable[[], T]) -> T:
    """`compute()` shared by every process for `seconds` from when it was made, and kept in this
    process until then too: at the rush, one cache read per process and answer, not per request.

    Never older than `seconds` wherever it was made (the time it runs out is stored with it).
    """
    kept = _kept_here.get(key)
    if kept is not None and kept[0] > time.time():
        return kept[1]
    # When it runs out, one thread of the process reads (or makes) it again; the others wait
    # for that one instead of all counting at once.
    with _making_here.setdefault(key, threading.Lock()):
        kept = _kept_here.get(key)
        if kept is not None and kept[0] > time.time():
            return kept[1]
        runs_out, value = cached(key, seconds, lambda: (time.time() + seconds, compute()))
        if len(_kept_here) >= _KEPT_HERE_MAX:
            _kept_here.clear()
            _making_here.clear()
        _kept_here[key] = (runs_out, value)
    return value


def forget_shared_briefly(key: str) -> None:
    """Let the next `shared_briefly(key, ...)` here compute it again (other processes keep theirs
    until it runs out)."""
    _kept_here.pop(key, None)
    forget(key)


def forget_kept_here() -> None:
    """Drop what `shared_briefly` and `kept` keep in this process (the tests start each one
    afresh)."""
    _kept_here.clear()
    with _held_here_lock:
        _held_here.clear()


# What `kept` holds in this process: the values most recently asked for, at most this many (a
# memorial page is about 100 KB, so a few MB a process).
_HELD_HERE_MAX = 64
_held_here: OrderedDict[str, Any] = OrderedDict()
_held_here_lock = threading.Lock()


def kept[T](key: str, seconds: float, holds: Callable[[T], bool], make: Callable[[], T]) -> T:
    """The value at `key` while `holds(value)`: kept in this process (the most asked for),
    else read from the shared cache, else `make()` and stored in both (for `seconds` there).

    At the rush the same few values are asked for by every request: each process then answers
    them without a round trip, and the cache, down or not, is asked only when one changes.
    """
    with _held_here_lock:
        value = _held_here.get(key)
        if value is not None:
            _held_here.move_to_end(key)
    if value is not None and holds(value):
        return value
    value = cached(key, seconds, make)
    if not holds(value):
        value = cached(key, seconds, make, fresh=True)
    with _held_here_lock:
        _held_here[key] = value
        _held_here.move_to_end(key)
        while len(_held_here) > _HELD_HERE_MAX:
            _held_here.popitem(last=False)
    return value


def put(key: str, value: Any, seconds: float) -> None:
    """Store `value` at `key` for `seconds`; skipped when the cache cannot be reached."""
    try:
        cache.set(key, value, seconds)
    except Exception as error:
        log.warning("cache unavailable, %s not kept (%s)", key, error)


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
