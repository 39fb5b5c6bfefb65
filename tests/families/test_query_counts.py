"""The family's busiest pages ask the database the same number of times, however much there is.

Each test makes a little (2 of everything), counts the queries of the page, makes ten times
as much (20), and asks for exactly the same count, pinned as a number so that a change shows.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.support.factories import (
    CandleEventFactory,
    CandleFactory,
    CommentFactory,
    MemorialFactory,
    TributeFactory,
    UserFactory,
)
from tributes.models import Guest, Photo, RejectionReason, Status, Visibility
from tributes.moderation import decisions

pytestmark = pytest.mark.django_db

DASHBOARD_QUERIES = 8
MEMORIAL_QUERIES = 7
QUEUE_QUERIES = 9


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def fill(memorial, count: int, start: int) -> None:
    """`count` more of everything on `memorial`: tributes, comments, candles, events, people."""
    for n in range(start, start + count):
        tribute = TributeFactory(memorial=memorial, author_name=f"Writer {n}")
        CommentFactory(tribute=tribute, status=Status.PENDING)
        photo = Photo.objects.create(
            memorial=memorial,
            width=800,
            height=600,
            alt_text=f"Photo {n}",
            renditions=[{"width": 800, "height": 600, "name": f"photos/{n}-800.webp"}],
        )
        TributeFactory(memorial=memorial, status=Status.PENDING, photo=photo)
        CandleFactory(memorial=memorial, name=f"Lighter {n}")
        CandleEventFactory(memorial=memorial)
        Guest.objects.create(memorial=memorial, user=UserFactory(username=f"guest-{n}"))
        memorial.owners.add(UserFactory(username=f"co-owner-{n}"))


def test_the_dashboard_does_not_grow_with_memorials_tributes_or_candles(client, owner):
    client.force_login(owner)
    url = reverse("family:dashboard")
    memorials = []

    def more_memorials(count: int) -> None:
        for _ in range(count):
            memorial = MemorialFactory(
                owners=[owner], family_moderates=len(memorials) % 2 == 0, cover_photo=None
            )
            memorials.append(memorial)
            fill(memorial, 2, start=len(memorials) * 100)

    more_memorials(2)
    few = queries(client, url)
    more_memorials(18)
    assert queries(client, url) == few == DASHBOARD_QUERIES
    page = client.get(url).text
    assert all(memorial.name in page for memorial in memorials)


def test_the_familys_memorial_page_does_not_grow_with_tributes_guests_or_owners(client, owner):
    memorial = MemorialFactory(owners=[owner], family_moderates=True, visibility=Visibility.PRIVATE)
    client.force_login(owner)
    url = reverse("family:memorial", kwargs={"slug": memorial.slug})
    fill(memorial, 2, start=0)
    few = queries(client, url)
    fill(memorial, 18, start=2)
    assert queries(client, url) == few == MEMORIAL_QUERIES


def test_the_familys_queue_does_not_grow_with_what_waits_or_who_reads(client, owner):
    memorial = MemorialFactory(owners=[owner], family_moderates=True, visibility=Visibility.PRIVATE)
    client.force_login(owner)
    url = reverse("family:queue", kwargs={"slug": memorial.slug})
    fill(memorial, 2, start=0)
    # Some the family refused, which it may put back.
    for tribute in memorial.tributes.filter(status=Status.PENDING)[:1]:
        decisions.reject(tribute, by=owner, reason=RejectionReason.ABUSIVE)
    few = queries(client, url)
    fill(memorial, 18, start=2)
    for tribute in memorial.tributes.filter(status=Status.PENDING)[:9]:
        decisions.reject(tribute, by=owner, reason=RejectionReason.ABUSIVE)
    assert queries(client, url) == few == QUEUE_QUERIES
