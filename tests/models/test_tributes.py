"""Tributes and love: what is published, and what the database refuses."""

import datetime as dt

import pytest
from django.db import IntegrityError
from django.utils import timezone

from tests.support.factories import (
    MemorialFactory,
    TributeFactory,
)
from tributes.models import Love, Status, Tribute

pytestmark = pytest.mark.django_db


def test_an_unknown_status_is_refused_by_the_database():
    tribute = TributeFactory()
    with pytest.raises(IntegrityError, match="tribute_status_valid"):
        Tribute.objects.filter(pk=tribute.pk).update(status="maybe")


def test_published_only_returns_approved_tributes():
    memorial = MemorialFactory()
    approved = TributeFactory(memorial=memorial, status=Status.APPROVED)
    for status in [Status.PENDING, Status.REJECTED, Status.SPAM]:
        TributeFactory(memorial=memorial, status=status)
    assert list(Tribute.objects.for_memorial(memorial).published()) == [approved]


def test_one_love_per_visitor_per_tribute():
    tribute = TributeFactory()
    Love.objects.create(tribute=tribute, visitor_key="same-visitor")
    with pytest.raises(IntegrityError, match="one_love_per_visitor"):
        Love.objects.create(tribute=tribute, visitor_key="same-visitor")


def test_the_memorial_page_goes_by_when_each_tribute_was_written_not_when_it_was_saved(
    client, memorial
):
    # Two visitors writing at once: the one who sent first can be saved second.
    now = timezone.now()
    TributeFactory(memorial=memorial, message="Sent second", created_at=now)
    TributeFactory(
        memorial=memorial, message="Sent first", created_at=now - dt.timedelta(seconds=1)
    )
    page = client.get(memorial.get_absolute_url()).text
    assert page.index("Sent second") < page.index("Sent first")
