"""Querysets and inserts compiled once per process (tributes/prepared_queries.py): the same
models as the queryset itself gives, for whichever value is put in, and the same rows as save()
stores, from any thread."""

import datetime as dt
import threading
import uuid

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models.signals import post_save, pre_save
from django.db.models.sql.compiler import SQLCompiler
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.support.factories import MemorialFactory, TributeFactory
from tributes.models import Candle, Memorial, PageVersion, Service, Visibility
from tributes.prepared_queries import SLOT, PreparedInsert, PreparedQuery, prepared_insert
from tributes.views.tribute_list import with_tribute_page

pytestmark = pytest.mark.django_db


def page_question(slug):
    memorials = Memorial.objects.visible_to(None).select_related("service")
    return with_tribute_page(memorials, None).filter(slug=slug).order_by()[:2]


def as_read(memorial) -> tuple:
    service = getattr(memorial, "service", None)
    return (
        {field.attname: getattr(memorial, field.attname) for field in Memorial._meta.fields},
        service and service.place,
        memorial.page_version,
        memorial.tribute_page_rows,
    )


def test_each_value_put_in_reads_what_the_queryset_itself_reads():
    teddy = MemorialFactory(name="Teddy Ashby", slug="teddy")
    rosie = MemorialFactory(name="Rosie Hart", slug="rosie")
    Service.objects.create(
        memorial=rosie,
        place="St Mary's, Whitby",
        local_date=dt.date(2026, 12, 10),
        local_time=dt.time(11, 30),
    )
    TributeFactory.create_batch(3, memorial=teddy)
    TributeFactory(memorial=rosie, message="For Rosie")
    query = PreparedQuery(page_question(SLOT))
    for slug in ("teddy", "rosie", "teddy", "nobody"):
        assert [as_read(m) for m in query.run(slug)] == [as_read(m) for m in page_question(slug)]
    [rosie_read] = query.run("rosie")
    assert rosie_read.service.place == "St Mary's, Whitby"
    assert len(rosie_read.tribute_page_rows) == 1


def test_a_private_memorial_is_not_read_for_visitors():
    MemorialFactory(slug="kept-close", visibility=Visibility.PRIVATE)
    assert PreparedQuery(page_question(SLOT)).run("kept-close") == []


@pytest.mark.django_db(transaction=True)
def test_threads_running_one_query_each_get_their_own_memorial():
    slugs = [MemorialFactory(slug=f"memorial-{n}").slug for n in range(4)]
    query = PreparedQuery(page_question(SLOT))
    wrong = []

    def read(slug):
        try:
            for _ in range(20):
                read_here = [memorial.slug for memorial in query.run(slug)]
                if read_here != [slug]:
                    wrong.append((slug, read_here))
        except Exception as error:  # Each thread on its own connection, or the test fails.
            wrong.append((slug, repr(error)))
        finally:
            connection.close()

    threads = [threading.Thread(target=read, args=(slug,)) for slug in slugs * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wrong == []


@pytest.mark.parametrize("slots", [0, 2])
def test_a_query_must_hold_the_slot_once(slots):
    memorials = Memorial.objects.all()
    if slots:
        memorials = memorials.filter(slug=SLOT, name=SLOT)
    with pytest.raises(ValueError, match="SLOT must be one parameter"):
        PreparedQuery(memorials)


def test_a_visitors_page_view_compiles_no_sql_once_the_process_has_asked(memorial, monkeypatch):
    TributeFactory(memorial=memorial)
    Client().get(memorial.get_absolute_url())
    compiled = []
    original = SQLCompiler.as_sql

    def counting(compiler, *args, **kwargs):
        compiled.append(compiler.query.model)
        return original(compiler, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counting)
    response = Client().get(memorial.get_absolute_url())
    assert response.status_code == 200 and memorial.name in response.text
    assert compiled == []


def a_candle(memorial, **values) -> Candle:
    lit_at = dt.datetime(2026, 12, 2, 19, 0, tzinfo=dt.UTC)
    given = {
        "memorial": memorial,
        "name": "Ruby's nan",
        "message": "Sending so much love",
        "show_name": False,
        "visitor_key": "a" * 64,
        "time_zone": "Europe/London",
        "lit_at": lit_at,
        "burns_until": lit_at + dt.timedelta(hours=24),
        "idempotency_key": uuid.uuid4(),
    }
    return Candle(**{**given, **values})


def stored(candle) -> dict:
    row = Candle.objects.filter(pk=candle.pk).values().get()
    return {name: value for name, value in row.items() if name not in ("id", "idempotency_key")}


def test_a_prepared_insert_stores_what_save_stores_with_the_same_sql(memorial):
    saved, inserted = a_candle(memorial), a_candle(memorial)
    with CaptureQueriesContext(connection) as by_save:
        saved.save()
    with CaptureQueriesContext(connection) as by_prepared:
        prepared_insert(Candle).insert(inserted)
    assert inserted.pk and inserted.pk != saved.pk
    assert not inserted._state.adding and inserted._state.db == "default"
    assert stored(inserted) == stored(saved)
    assert Candle.objects.get(pk=inserted.pk).idempotency_key == inserted.idempotency_key
    [save_sql], [prepared_sql] = by_save.captured_queries, by_prepared.captured_queries
    assert prepared_sql["sql"].split(" VALUES ")[0] == save_sql["sql"].split(" VALUES ")[0]


def test_a_prepared_insert_sends_the_signals_save_sends(memorial):
    heard = []

    def before(sender, instance, **kwargs):
        heard.append(("pre_save", instance.pk))

    def after(sender, instance, created, **kwargs):
        heard.append(("post_save", created, instance.pk))

    pre_save.connect(before, sender=Candle, weak=False)
    post_save.connect(after, sender=Candle, weak=False)
    try:
        candle = a_candle(memorial)
        prepared_insert(Candle).insert(candle)
    finally:
        pre_save.disconnect(before, sender=Candle)
        post_save.disconnect(after, sender=Candle)
    assert heard == [("pre_save", None), ("post_save", True, candle.pk)]


def test_a_prepared_insert_refuses_a_row_the_database_refuses(memorial):
    first = a_candle(memorial)
    prepared_insert(Candle).insert(first)
    again = a_candle(memorial, idempotency_key=first.idempotency_key)
    with pytest.raises(IntegrityError), transaction.atomic():
        prepared_insert(Candle).insert(again)
    assert again.pk is None
    assert Candle.objects.filter(idempotency_key=first.idempotency_key).count() == 1


def test_only_plain_models_are_prepared():
    # A page version's key is its memorial's: nothing for the database to give back.
    with pytest.raises(ValueError, match="is not a plain model"):
        PreparedInsert(PageVersion)


@pytest.mark.django_db(transaction=True)
def test_threads_inserting_at_once_each_store_their_own_candle():
    memorial = MemorialFactory(slug="wave-of-light")
    errors, lit = [], []

    def light(n):
        try:
            for m in range(10):
                candle = a_candle(memorial, name=f"Lighter {n}-{m}")
                prepared_insert(Candle).insert(candle)
                lit.append((candle.pk, candle.name))
        except Exception as error:  # Each thread on its own connection, or the test fails.
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=light, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(lit) == sorted(Candle.objects.filter(memorial=memorial).values_list("pk", "name"))
    assert len(lit) == 60
