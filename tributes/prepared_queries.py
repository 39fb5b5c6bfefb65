"""Querysets compiled to SQL once per process and then run with one value changed.

At the rush every visitor's page view asks the database the same question with another slug
(and most often the same slug): building and compiling the memorial page's queryset cost more
of a worker's time than the database took to answer it. A `PreparedQuery` keeps what Django's
compiler made of the queryset (its SQL, and how each column of a row becomes the model, its
select_related objects and its annotations) and runs that SQL again with the one value put
in, through Django's own row-to-model code: the queryset stays the one definition of the
question.

Only values passed as parameters may change: the queryset is built with `SLOT` in the place
of the value, which must appear exactly once among the SQL's parameters.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Hashable

from django.db import connections
from django.db.models import Model, QuerySet

# What a queryset is built with in place of the value that changes; no slug or key can hold
# a NUL character, so it is never a real value.
SLOT = "\x00prepared-slot\x00"

# The prepared queries of a process, by the name their makers give them: at most this many.
KEPT_MAX = 256
_kept: dict[Hashable, PreparedQuery] = {}
_kept_lock = threading.Lock()


class PreparedQuery:
    def __init__(self, queryset: QuerySet):
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        slots = [position for position, param in enumerate(params) if param == SLOT]
        if len(slots) != 1:
            raise ValueError(f"SLOT must be one parameter of the query, not {len(slots)}")
        self._queryset = queryset
        self._compiler = compiler
        self._sql = sql
        self._params = list(params)
        self._slot = slots[0]

    def run(self, value) -> list[Model]:
        """The queryset's models with `value` in SLOT's place, as `list(queryset)` gives them."""
        params = self._params.copy()
        params[self._slot] = value
        ready = (self._sql, tuple(params))
        # A copy per run: the compiler's setup (its select, klass_info) is shared between
        # threads; what as_sql answers and the connection (this thread's own) are the run's.
        compiler = copy.copy(self._compiler)
        compiler.connection = connections[self._queryset.db]
        compiler.as_sql = lambda *args, **kwargs: ready
        queryset = self._queryset._chain()
        queryset.query.get_compiler = lambda *args, **kwargs: compiler
        return list(queryset)


def prepared(name: Hashable, make: Callable[[], QuerySet]) -> PreparedQuery:
    """The query `make()` builds (with SLOT in it), compiled once per process under `name`."""
    query = _kept.get(name)
    if query is None:
        query = PreparedQuery(make())
        with _kept_lock:
            if len(_kept) >= KEPT_MAX:
                _kept.clear()
            _kept[name] = query
    return query
