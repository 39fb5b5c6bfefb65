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

A `PreparedInsert` does the same for a new row: the INSERT that `obj.save()` would build for the
model, compiled once, and run with each object's values as Django's compiler prepares them.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Hashable

from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.signals import post_save, pre_save
from django.db.models.sql import InsertQuery

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


class PreparedInsert:
    """`insert(obj)`: what `obj.save()` does for a new row of `model` (its pre_save and post_save
    signals, its fields' pre_save and database preparation, its primary key read back), with the
    SQL compiled once. At the rush every light saves a candle: building and compiling that INSERT
    took a worker more time than the database took to run it.

    For plain models only (no parents, no generated or database-default fields, no order with
    respect to another): anything else raises ValueError when it is prepared.
    """

    def __init__(self, model: type[Model], using: str = "default"):
        meta = model._meta
        fields = [field for field in meta.local_concrete_fields if field is not meta.auto_field]
        if (
            meta.parents
            or meta.order_with_respect_to
            or any(field.generated or field.has_db_default() for field in fields)
            or list(meta.db_returning_fields) != [meta.auto_field]
        ):
            raise ValueError(f"{meta.label} is not a plain model: save() its rows instead")
        query = InsertQuery(model)
        query.insert_values(fields, [model()])
        compiler = query.get_compiler(using=using)
        compiler.returning_fields = [meta.auto_field]
        ((sql, _),) = compiler.as_sql()
        self._model = model
        self._using = using
        self._fields = fields
        self._sql = sql

    def insert(self, obj: Model) -> None:
        """Save the new `obj` with one INSERT; raises IntegrityError as save() would."""
        model, using = self._model, self._using
        obj._prepare_related_fields_for_save(operation_name="save")
        pre_save.send(sender=model, instance=obj, raw=False, using=using, update_fields=None)
        connection = connections[using]
        values = [field.pre_save(obj, add=True) for field in self._fields]
        if any(hasattr(value, "resolve_expression") for value in values):
            raise ValueError("an expression needs the compiler: save() this row instead")
        params = [
            field.get_db_prep_save(value, connection)
            for field, value in zip(self._fields, values, strict=True)
        ]
        with connection.cursor() as cursor:
            cursor.execute(self._sql, params)
            (pk,) = cursor.fetchone()
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = using
        post_save.send(
            sender=model, instance=obj, created=True, update_fields=None, raw=False, using=using
        )


_inserts: dict[tuple[str, str], PreparedInsert] = {}


def prepared_insert(model: type[Model], using: str = "default") -> PreparedInsert:
    """The model's INSERT, compiled once per process and database."""
    key = (model._meta.label, using)
    insert = _inserts.get(key)
    if insert is None:
        insert = _inserts[key] = PreparedInsert(model, using)
    return insert
