"""Query counts of every visitor-facing page and the admin's moderation lists, pinned, and not
growing as a memorial is loved more (ten times the tributes, comments and candles)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.support.events import live_event
from tests.support.factories import MemorialFactory, TributeFactory
from tributes import bulk_demo
from tributes.models import Status, Tribute
from tributes.views.memorials import deep_page_path

pytestmark = pytest.mark.django_db

# The most queries each page may run, on a cold cache (the first visitor's request).
PINNED = {
    "home": 3,
    "memorial page": 8,
    "memorial page 3": 8,
    "event page": 5,
    "status.json": 3,
    "comment page": 4,
    "admin: moderation queue": 12,
    "admin: tributes": 12,
    "admin: comments": 12,
}


def pages(memorial, event, tribute) -> dict[str, tuple[str, bool]]:
    """Each page's address, and whether it is the admin's (asked as a moderator)."""
    return {
        "home": (reverse("tributes:home"), False),
        "memorial page": (memorial.get_absolute_url(), False),
        "memorial page 3": (deep_page_path(memorial, 3), False),
        "event page": (event.get_absolute_url(), False),
        "status.json": (reverse("tributes:event_status", args=[event.slug]), False),
        "comment page": (
            reverse("tributes:write_comment", args=[memorial.slug, tribute.pk]),
            False,
        ),
        "admin: moderation queue": (reverse("admin:tributes_moderation_queue"), True),
        "admin: tributes": (reverse("admin:tributes_tribute_changelist"), True),
        "admin: comments": (reverse("admin:tributes_comment_changelist"), True),
    }


def query_counts(client, moderator_client, addresses) -> dict[str, int]:
    from tests.support.caches import start_cold

    counts = {}
    for name, (path, admin) in addresses.items():
        start_cold()
        with CaptureQueriesContext(connection) as queries:
            response = (moderator_client if admin else client).get(path)
        assert response.status_code == 200, name
        counts[name] = len(queries)
    return counts


@pytest.fixture
def moderator_client(moderator):
    from django.test import Client

    client = Client()
    client.force_login(moderator)
    return client


def test_query_counts_are_pinned_and_do_not_grow_with_rows(client, moderator_client):
    now = timezone.now()
    memorial = MemorialFactory(slug="loved")
    bulk_demo.add_rows(memorial, tributes=40, comments_per_tribute=2, candles=20, now=now)
    TributeFactory.create_batch(3, memorial=memorial, status=Status.PENDING)
    event = live_event(memorial, now)
    tribute = Tribute.objects.for_memorial(memorial).published().first()
    addresses = pages(memorial, event, tribute)
    # The moderator's first request also stamps their session: not part of any page's cost.
    query_counts(client, moderator_client, addresses)
    few = query_counts(client, moderator_client, addresses)

    bulk_demo.add_rows(memorial, tributes=400, comments_per_tribute=2, candles=200, now=now)
    TributeFactory.create_batch(30, memorial=memorial, status=Status.PENDING)
    many = query_counts(client, moderator_client, addresses)

    # (The queue may run one query fewer when its first page holds no comment.)
    assert {name: (few[name], count) for name, count in many.items() if count > few[name]} == {}
    assert {name: count for name, count in many.items() if count > PINNED[name]} == {}
