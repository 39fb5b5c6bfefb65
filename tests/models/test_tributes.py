"""Tributes and love: what is published, and what the database refuses."""

import pytest
from django.db import IntegrityError

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
