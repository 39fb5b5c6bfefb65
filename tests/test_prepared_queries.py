"""Querysets compiled once per process (tributes/prepared_queries.py): the same models as the
queryset itself gives, for whichever value is put in, from any thread."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.test import Client

from tests.support.factories import MemorialFactory, TributeFactory
from tributes.models import Memorial, Service, Visibility
from tributes.prepared_queries import SLOT, PreparedQuery
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
