import datetime as dt
import logging

import pytest
import time_machine
from django.core import mail

from tests.support.factories import CommentFactory, TributeFactory
from tests.support.posting import run_due_tasks
from tributes.models import (
    Decision,
    ModerationDecision,
    RejectionReason,
    Status,
    Tribute,
)
from tributes.moderation import decisions
from tributes.posting import services as posting

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 10, 15, 12, 0, tzinfo=dt.UTC)


@time_machine.travel(NOON, tick=False)
def test_approving_stamps_who_and_when_and_records_it(moderator):
    tribute = TributeFactory(status=Status.PENDING)
    decisions.approve(tribute, by=moderator)
    tribute.refresh_from_db()
    assert tribute.status == Status.APPROVED
    assert (tribute.moderated_by, tribute.moderated_at) == (moderator, NOON)
    decision = ModerationDecision.objects.get()
    assert (decision.decision, decision.decided_by, decision.decided_at) == (
        Decision.APPROVED,
        moderator,
        NOON,
    )
    assert decision.tribute == tribute
    assert decision.memorial == tribute.memorial


@pytest.mark.parametrize("reason", RejectionReason.values)
def test_rejecting_keeps_the_item_hidden_with_its_reason(moderator, reason):
    tribute = TributeFactory(status=Status.PENDING)
    decisions.reject(tribute, by=moderator, reason=reason)
    tribute.refresh_from_db()
    assert tribute.status == Status.REJECTED
    assert tribute.rejection_reason == reason
    assert tribute.moderated_by == moderator
    assert ModerationDecision.objects.get().reason == reason
    assert not Tribute.objects.published().exists()


def test_rejecting_without_a_known_reason_is_refused(moderator):
    tribute = TributeFactory(status=Status.PENDING)
    with pytest.raises(ValueError):
        decisions.reject(tribute, by=moderator, reason="because")
    tribute.refresh_from_db()
    assert tribute.status == Status.PENDING


def test_spam_is_kept_and_can_be_restored_to_the_queue(moderator):
    comment = CommentFactory(status=Status.PENDING)
    decisions.mark_spam(comment, by=moderator)
    comment.refresh_from_db()
    assert comment.status == Status.SPAM
    decisions.restore(comment, by=moderator)
    comment.refresh_from_db()
    assert comment.status == Status.PENDING
    assert list(
        comment.decisions.order_by("decided_at", "pk").values_list("decision", flat=True)
    ) == [
        Decision.SPAM,
        Decision.RESTORED,
    ]


def test_the_audit_trail_outlives_an_item_its_author_deleted(moderator):
    tribute = TributeFactory(status=Status.PENDING)
    decisions.approve(tribute, by=moderator)
    label = f"Tribute {tribute.pk}"
    posting.delete_item(tribute)
    decision = ModerationDecision.objects.get()
    assert decision.tribute is None
    assert decision.item_label == label


def test_a_restored_then_approved_item_keeps_no_rejection_reason(moderator):
    tribute = TributeFactory(status=Status.PENDING)
    decisions.reject(tribute, by=moderator, reason=RejectionReason.ABUSIVE)
    decisions.restore(tribute, by=moderator)
    decisions.approve(tribute, by=moderator)
    tribute.refresh_from_db()
    assert (tribute.status, tribute.rejection_reason) == (Status.APPROVED, "")
    assert list(tribute.decisions.order_by("pk").values_list("decision", "reason")) == [
        (Decision.REJECTED, RejectionReason.ABUSIVE),
        (Decision.RESTORED, ""),
        (Decision.APPROVED, ""),
    ]


def test_approving_from_a_page_opened_before_the_author_edited_keeps_the_new_words(moderator):
    tribute = TributeFactory(status=Status.PENDING, message="First words")
    on_the_moderators_screen = Tribute.objects.get(pk=tribute.pk)
    posting.edit_item(tribute, message="The words the author chose in the end")
    decisions.approve(on_the_moderators_screen, by=moderator)
    tribute.refresh_from_db()
    assert tribute.message == "The words the author chose in the end"
    assert tribute.status == Status.APPROVED


def test_each_decision_is_logged_with_who_and_what_but_never_the_words(moderator, caplog):
    caplog.set_level(logging.INFO, logger="tributes.security")
    tribute = TributeFactory(status=Status.PENDING, message="Private words")
    comment = CommentFactory(status=Status.PENDING, body="Private words")
    decisions.approve(tribute, by=moderator)
    decisions.reject(comment, by=moderator, reason=RejectionReason.OFF_TOPIC)
    decisions.mark_spam(tribute, by=moderator)
    lines = [r.getMessage() for r in caplog.records if r.name == "tributes.security"]
    assert lines == [
        f"moderation tribute={tribute.pk} status=approved by_user={moderator.pk} reason=-",
        f"moderation comment={comment.pk} status=rejected by_user={moderator.pk} reason=off_topic",
        f"moderation tribute={tribute.pk} status=spam by_user={moderator.pk} reason=spam",
    ]


def test_a_decision_on_an_item_its_author_just_deleted_is_refused(moderator):
    tribute = TributeFactory(status=Status.PENDING)
    stale = Tribute.objects.get(pk=tribute.pk)
    posting.delete_item(tribute)
    with pytest.raises(Tribute.DoesNotExist):
        decisions.approve(stale, by=moderator)
    assert not ModerationDecision.objects.exists()


def test_approving_from_a_stale_list_tells_the_author_only_once(
    moderator, django_capture_on_commit_callbacks
):
    tribute = TributeFactory(
        status=Status.PENDING, author_email="sam@example.org", notify_on_publish=True
    )
    seen_by_another_moderator = Tribute.objects.get(pk=tribute.pk)
    with django_capture_on_commit_callbacks(execute=True):
        decisions.approve(tribute, by=moderator)
        decisions.approve(seen_by_another_moderator, by=moderator)
    run_due_tasks()  # the worker sends what the request queued
    assert len(mail.outbox) == 1
