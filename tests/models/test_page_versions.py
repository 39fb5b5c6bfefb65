"""The memorial page's version (models.PageVersion): changed in the transaction of every change
the page shows, never by a post that is still held, and never in the way of a deletion."""

import pytest
from django.db import transaction

from tests.support.factories import (
    CandleEventFactory,
    CommentFactory,
    MemorialFactory,
    TributeFactory,
)
from tributes.models import Comment, Memorial, RejectionReason, Status, Tribute
from tributes.moderation import decisions
from tributes.posting import services as posting

pytestmark = pytest.mark.django_db


def version_of(memorial) -> int:
    return Memorial.objects.with_page_version().get(pk=memorial.pk).page_version


def test_a_held_post_leaves_the_version_and_the_moderators_decision_changes_it(memorial, moderator):
    before = version_of(memorial)
    posted = posting.post_tribute(
        memorial=memorial,
        author_name="Sam",
        message="Sending so much love",
        submission_key="a-key-of-sams",
    )
    tribute = Tribute.objects.get(pk=posted.item.pk)
    assert tribute.status == Status.PENDING
    assert version_of(memorial) == before
    decisions.approve(tribute, by=moderator)
    after_approval = version_of(memorial)
    assert after_approval > before
    decisions.reject(tribute, by=moderator, reason=RejectionReason.OTHER)
    assert version_of(memorial) > after_approval


def test_each_change_the_page_shows_changes_the_version(memorial):
    tribute = TributeFactory(memorial=memorial)
    seen = [version_of(memorial)]
    comment = CommentFactory(tribute=tribute)  # Published at once: it shows.
    seen.append(version_of(memorial))
    comment.delete()
    seen.append(version_of(memorial))
    CandleEventFactory(memorial=memorial)
    seen.append(version_of(memorial))
    memorial.story = "He loved the sea."
    memorial.save()
    seen.append(version_of(memorial))
    tribute.delete()
    seen.append(version_of(memorial))
    assert seen == sorted(set(seen)), seen


def test_a_change_is_seen_with_its_version_only_once_committed(memorial):
    tribute = TributeFactory(memorial=memorial)
    before = version_of(memorial)
    with pytest.raises(RuntimeError), transaction.atomic():
        tribute.status = Status.REJECTED
        tribute.save()
        raise RuntimeError("the decision failed")
    assert version_of(memorial) == before


@pytest.mark.django_db(transaction=True)
def test_memorials_deleted_together_take_their_tributes_with_them():
    memorials = MemorialFactory.create_batch(2)
    for memorial in memorials:
        CommentFactory(tribute=TributeFactory(memorial=memorial))
    # A queryset's deletion (the admin's "delete selected"), committed: its tributes'
    # deletions change the versions while the memorials go, and nothing fails at the commit.
    with transaction.atomic():
        Memorial.objects.filter(pk__in=[m.pk for m in memorials]).delete()
    assert not Tribute.objects.exists() and not Comment.objects.exists()
    assert not Memorial.objects.exists()
