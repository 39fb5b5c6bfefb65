import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core import mail
from django_tasks_db.models import DBTaskResult

from tests.support.factories import CommentFactory, MemorialFactory, TributeFactory, UserFactory
from tests.support.posting import run_due_tasks
from tributes import moderation, tokens
from tributes.models import (
    Decision,
    ModerationDecision,
    ModerationMode,
    RejectionReason,
    Status,
    Tribute,
)
from tributes.roles import FAMILY_MODERATORS_GROUP

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 10, 15, 12, 0, tzinfo=dt.UTC)


def post(memorial, *, email="", message="Thinking of you.", user=None):
    return moderation.post_tribute(
        memorial=memorial,
        author_name="Sam",
        author_email=email,
        message=message,
        submission_key=tokens.new_submission_key(),
        user=user,
    ).item


def test_all_held_keeps_every_tribute_waiting():
    memorial = MemorialFactory(moderation_mode=ModerationMode.ALL_HELD)
    TributeFactory(memorial=memorial, author_email="sam@example.org")
    assert post(memorial, email="sam@example.org").status == Status.PENDING


def test_first_time_held_keeps_a_new_writer_waiting():
    memorial = MemorialFactory(moderation_mode=ModerationMode.FIRST_TIME_HELD)
    assert post(memorial, email="new@example.org").status == Status.PENDING
    assert post(memorial).status == Status.PENDING


def test_first_time_held_publishes_a_writer_already_approved_on_this_memorial():
    memorial = MemorialFactory(moderation_mode=ModerationMode.FIRST_TIME_HELD)
    TributeFactory(memorial=memorial, author_email="Sam@Example.org")
    tribute = post(memorial, email="sam@example.org")
    assert tribute.status == Status.APPROVED
    # Published at once, but a moderator has not read it yet.
    assert tribute.moderated_at is None


def test_first_time_held_counts_approved_comments_too():
    memorial = MemorialFactory(moderation_mode=ModerationMode.FIRST_TIME_HELD)
    CommentFactory(tribute=TributeFactory(memorial=memorial), author_email="jo@example.org")
    assert post(memorial, email="jo@example.org").status == Status.APPROVED


def test_first_time_held_does_not_trust_approval_on_another_memorial():
    memorial = MemorialFactory(moderation_mode=ModerationMode.FIRST_TIME_HELD)
    TributeFactory(author_email="sam@example.org")
    assert post(memorial, email="sam@example.org").status == Status.PENDING


def test_first_time_held_does_not_trust_rejected_posts():
    memorial = MemorialFactory(moderation_mode=ModerationMode.FIRST_TIME_HELD)
    TributeFactory(memorial=memorial, author_email="sam@example.org", status=Status.REJECTED)
    assert post(memorial, email="sam@example.org").status == Status.PENDING


def test_open_mode_publishes_at_once_and_leaves_it_to_be_read():
    memorial = MemorialFactory(moderation_mode=ModerationMode.OPEN)
    tribute = post(memorial)
    assert tribute.status == Status.APPROVED
    assert tribute.moderated_at is None


def test_family_only_refuses_visitors():
    memorial = MemorialFactory(moderation_mode=ModerationMode.FAMILY_ONLY)
    with pytest.raises(moderation.PostingClosed):
        post(memorial)
    assert not Tribute.objects.exists()


def test_an_owner_is_published_at_once_in_every_mode(owner):
    for mode in ModerationMode.values:
        memorial = MemorialFactory(moderation_mode=mode, owners=[owner])
        tribute = post(memorial, user=owner)
        assert tribute.status == Status.APPROVED
        assert tribute.moderated_by == owner


@time_machine.travel(NOON, tick=False)
def test_approving_stamps_who_and_when_and_records_it(moderator):
    tribute = TributeFactory(status=Status.PENDING)
    moderation.approve(tribute, by=moderator)
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
    moderation.reject(tribute, by=moderator, reason=reason)
    tribute.refresh_from_db()
    assert tribute.status == Status.REJECTED
    assert tribute.rejection_reason == reason
    assert tribute.moderated_by == moderator
    assert ModerationDecision.objects.get().reason == reason
    assert not Tribute.objects.published().exists()


def test_rejecting_without_a_known_reason_is_refused(moderator):
    tribute = TributeFactory(status=Status.PENDING)
    with pytest.raises(ValueError):
        moderation.reject(tribute, by=moderator, reason="because")
    tribute.refresh_from_db()
    assert tribute.status == Status.PENDING


def test_spam_is_kept_and_can_be_restored_to_the_queue(moderator):
    comment = CommentFactory(status=Status.PENDING)
    moderation.mark_spam(comment, by=moderator)
    comment.refresh_from_db()
    assert comment.status == Status.SPAM
    moderation.restore(comment, by=moderator)
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
    moderation.approve(tribute, by=moderator)
    label = f"Tribute {tribute.pk}"
    moderation.delete_item(tribute)
    decision = ModerationDecision.objects.get()
    assert decision.tribute is None
    assert decision.item_label == label


def test_editing_a_published_tribute_sends_it_back_to_the_queue_in_held_modes(moderator):
    for mode in [ModerationMode.ALL_HELD, ModerationMode.FIRST_TIME_HELD]:
        tribute = TributeFactory(memorial=MemorialFactory(moderation_mode=mode))
        moderation.approve(tribute, by=moderator)
        assert moderation.edit_item(tribute, message="Changed words after approval")
        tribute.refresh_from_db()
        assert tribute.status == Status.PENDING
        assert tribute.moderated_by is None
        assert not Tribute.objects.published().filter(message__contains="Changed").exists()


def test_editing_in_open_mode_stays_published_but_is_to_be_read_again(moderator):
    tribute = TributeFactory(memorial=MemorialFactory(moderation_mode=ModerationMode.OPEN))
    moderation.approve(tribute, by=moderator)
    moderation.edit_item(tribute, message="New words")
    tribute.refresh_from_db()
    assert tribute.status == Status.APPROVED
    assert tribute.moderated_at is None


def test_an_edit_that_changes_nothing_keeps_the_tribute_published(moderator):
    tribute = TributeFactory()
    moderation.approve(tribute, by=moderator)
    assert not moderation.edit_item(tribute, message=tribute.message)
    tribute.refresh_from_db()
    assert tribute.status == Status.APPROVED


def test_editing_a_rejected_tribute_keeps_it_hidden(moderator):
    tribute = TributeFactory(status=Status.PENDING)
    moderation.reject(tribute, by=moderator, reason=RejectionReason.ABUSIVE)
    moderation.edit_item(tribute, message="Try again")
    tribute.refresh_from_db()
    assert tribute.status == Status.REJECTED


# Notifications to whoever moderates


@pytest.fixture
def site_moderator_with_email(moderator):
    moderator.email = "moderators@example.org"
    moderator.save()
    return moderator


def notices():
    return [m for m in mail.outbox if "to read on the memorial" in m.subject]


@time_machine.travel(NOON, tick=False)
def test_a_new_tribute_tells_the_site_moderators_once_with_a_count_and_a_link(
    site_moderator_with_email, memorial, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://memorial.example"
    with django_capture_on_commit_callbacks(execute=True):
        post(memorial, message="Words not yet approved")
        post(memorial, message="More words not yet approved")
        assert DBTaskResult.objects.count() == 1
        run_due_tasks()
    [notice] = notices()
    assert notice.to == ["moderators@example.org"]
    assert "2 tributes and comments are waiting for approval" in notice.body
    assert (
        f"https://memorial.example/admin/tributes/tribute/?memorial__id__exact={memorial.pk}"
        in notice.body
    )
    html = notice.alternatives[0].content
    assert "not yet approved" not in notice.body + html + notice.subject
    assert notice.alternatives[0].mimetype == "text/html"


def test_at_most_one_notice_per_memorial_per_fifteen_minutes(
    site_moderator_with_email, memorial, django_capture_on_commit_callbacks
):
    with (
        time_machine.travel(NOON, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        post(memorial)
        run_due_tasks()
    with time_machine.travel(NOON + dt.timedelta(minutes=5), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            post(memorial)
            post(memorial)
            run_due_tasks()
        assert len(notices()) == 1
        assert not DBTaskResult.objects.ready().exists()
        assert DBTaskResult.objects.filter(run_after=NOON + dt.timedelta(minutes=15)).exists()
    with (
        time_machine.travel(NOON + dt.timedelta(minutes=15), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        run_due_tasks()
    assert len(notices()) == 2
    assert "3 tributes and comments are waiting" in notices()[1].body


def test_notices_for_two_memorials_do_not_hold_each_other_back(
    site_moderator_with_email, django_capture_on_commit_callbacks
):
    with (
        time_machine.travel(NOON, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        post(MemorialFactory())
        post(MemorialFactory())
        run_due_tasks()
    assert len(notices()) == 2


def test_a_family_that_moderates_is_told_and_the_site_moderators_are_not(
    site_moderator_with_email, django_capture_on_commit_callbacks
):
    mum = UserFactory(email="mum@example.org")
    dad = UserFactory(email="dad@example.org")
    memorial = MemorialFactory(family_moderates=True, owners=[mum, dad])
    with (
        time_machine.travel(NOON, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        post(memorial)
        run_due_tasks()
    assert sorted(m.to[0] for m in notices()) == ["dad@example.org", "mum@example.org"]


def test_no_notice_when_everything_was_already_read(
    site_moderator_with_email, memorial, django_capture_on_commit_callbacks
):
    with (
        time_machine.travel(NOON, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        tribute = post(memorial)
        moderation.approve(tribute, by=site_moderator_with_email)
        run_due_tasks()
    assert notices() == []


def test_an_open_memorial_tells_moderators_what_was_published_unread(
    site_moderator_with_email, django_capture_on_commit_callbacks
):
    memorial = MemorialFactory(moderation_mode=ModerationMode.OPEN)
    with (
        time_machine.travel(NOON, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        post(memorial)
        run_due_tasks()
    [notice] = notices()
    assert "1 was published at once and has not been read by a moderator yet" in notice.body


def test_an_owners_own_post_needs_no_notice(owner, django_capture_on_commit_callbacks):
    memorial = MemorialFactory(owners=[owner], family_moderates=True)
    with django_capture_on_commit_callbacks(execute=True):
        post(memorial, user=owner)
    assert not DBTaskResult.objects.exists()


def test_a_lost_notice_is_queued_again_by_the_next_post(site_moderator_with_email, memorial):
    with time_machine.travel(NOON, tick=False):
        post(memorial)
    # The worker never ran it (it died): an hour later a new post queues another.
    DBTaskResult.objects.all().delete()
    with time_machine.travel(NOON + dt.timedelta(hours=2), tick=False):
        post(memorial)
    assert DBTaskResult.objects.count() == 1


# Family moderator access


def test_owners_of_a_family_moderated_memorial_get_scoped_staff_access(owner):
    memorial = MemorialFactory(owners=[owner], family_moderates=True)
    moderation.refresh_family_moderator_access([owner])
    owner.refresh_from_db()
    assert owner.is_staff
    assert owner.groups.filter(name=FAMILY_MODERATORS_GROUP).exists()
    memorial.family_moderates = False
    memorial.save()
    moderation.refresh_family_moderator_access([owner])
    owner.refresh_from_db()
    assert not owner.is_staff
    assert not owner.groups.exists()


def test_taking_family_access_away_keeps_a_site_moderator_staff(moderator):
    moderator.groups.add(Group.objects.get(name=FAMILY_MODERATORS_GROUP))
    moderation.refresh_family_moderator_access([moderator])
    moderator.refresh_from_db()
    assert moderator.is_staff
    assert list(moderator.groups.values_list("name", flat=True)) == ["Moderators"]


def test_a_decision_on_an_item_its_author_just_deleted_is_refused(moderator):
    tribute = TributeFactory(status=Status.PENDING)
    stale = Tribute.objects.get(pk=tribute.pk)
    moderation.delete_item(tribute)
    with pytest.raises(Tribute.DoesNotExist):
        moderation.approve(stale, by=moderator)
    assert not ModerationDecision.objects.exists()


def test_approving_from_a_stale_list_tells_the_author_only_once(
    moderator, django_capture_on_commit_callbacks
):
    tribute = TributeFactory(
        status=Status.PENDING, author_email="sam@example.org", notify_on_publish=True
    )
    seen_by_another_moderator = Tribute.objects.get(pk=tribute.pk)
    with django_capture_on_commit_callbacks(execute=True):
        moderation.approve(tribute, by=moderator)
        moderation.approve(seen_by_another_moderator, by=moderator)
    assert len(mail.outbox) == 1
