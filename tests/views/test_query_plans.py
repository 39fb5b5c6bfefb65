"""Every query a visitor's page runs is served by an index, at a realistic shape of data.

Two hundred memorials share 20,000 tributes, 20,000 comments and 4,000 candles, the memorial
read here holding a tenth of them; the tables are then VACUUM ANALYZEd, so PostgreSQL plans with
true statistics (no enable_seqscan tricks). Each page's queries are captured, EXPLAINed as
they ran, and no plan may read tributes, comments or candles by a sequential scan.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.support.events import live_event
from tests.support.factories import MemorialFactory
from tributes import bulk_demo
from tributes.models import Tribute
from tributes.views.memorials import deep_page_path

pytestmark = pytest.mark.django_db(transaction=True)

SCANNED_TABLES = ("tributes_tribute", "tributes_comment", "tributes_candle")


@pytest.fixture
def loved_memorial():
    now = timezone.now()
    memorial = MemorialFactory(slug="loved")
    bulk_demo.add_rows(memorial, tributes=2_000, comments_per_tribute=1, candles=400, now=now)
    for _ in range(199):
        other = MemorialFactory()
        bulk_demo.add_rows(other, tributes=90, comments_per_tribute=1, candles=18, now=now)
    event = live_event(memorial, now)
    with connection.cursor() as cursor:
        for table in (*SCANNED_TABLES, "tributes_memorial", "tributes_candleevent"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    return memorial, event


def sequential_scans(sql: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return [
        line.strip()
        for line in plan.splitlines()
        if re.search(r"Seq Scan on (" + "|".join(SCANNED_TABLES) + r")\b", line)
    ]


def scans_of(client, path: str) -> dict[str, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    found = {}
    for query in queries.captured_queries:
        sql = query["sql"]
        if sql.lstrip().upper().startswith("SELECT") and any(t in sql for t in SCANNED_TABLES):
            scans = sequential_scans(sql)
            if scans:
                found[sql[:300]] = scans
    return found


def test_every_visitor_page_reads_tributes_comments_and_candles_by_index(client, loved_memorial):
    memorial, event = loved_memorial
    tribute = Tribute.objects.for_memorial(memorial).published().first()
    pages = [
        reverse("tributes:home"),
        memorial.get_absolute_url(),
        deep_page_path(memorial, 150),
        event.get_absolute_url(),
        reverse("tributes:event_status", args=[event.slug]),
        reverse("tributes:write_comment", args=[memorial.slug, tribute.pk]),
    ]
    problems = {page: scans for page in pages if (scans := scans_of(client, page))}
    assert problems == {}


def test_the_plan_check_finds_a_sequential_scan_when_there_is_one(loved_memorial):
    # The check itself must see a scan: a filter no index serves.
    assert sequential_scans("SELECT id FROM tributes_tribute WHERE message LIKE '%rose%'")


def plan_of(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def sql_of(client, path: str) -> list[str]:
    """The SQL of each query the page at `path` runs."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def test_a_deep_keyset_page_starts_at_its_cursor_on_the_memorial_pages_index(
    client, loved_memorial
):
    memorial, _ = loved_memorial
    page_query = next(
        sql
        for sql in sql_of(client, deep_page_path(memorial, 150))
        if "tributes_tribute" in sql and '"created_at" <=' in sql
    )
    plan = plan_of(page_query)
    # The index is entered at the cursor (an Index Cond on created_at), never read from the top.
    assert "tribute_page_idx" in plan, plan
    assert re.search(r"Index Cond: .*created_at <=", plan), plan
    assert "OFFSET" not in page_query.upper()


def test_the_newest_candles_burning_are_read_from_the_top_of_their_index(client, loved_memorial):
    memorial, _ = loved_memorial
    newest = [
        sql
        for sql in sql_of(client, memorial.get_absolute_url())
        if 'FROM "tributes_candle"' in sql and "LIMIT" in sql
    ]
    assert len(newest) == 2  # Burning, gone out: each bounded, neither an OR across events.
    plan = plan_of(newest[0])
    assert "candle_memorial_newest_idx" in plan and "Sort" not in plan, plan


def test_an_events_count_is_read_from_its_index_alone(client, loved_memorial):
    _, event = loved_memorial
    count = next(
        sql
        for sql in sql_of(client, reverse("tributes:event_status", args=[event.slug]))
        if "COUNT(" in sql and 'FROM "tributes_candle"' in sql
    )
    plan = plan_of(count)
    assert "candle_event_counted_idx" in plan, plan
