"""The notice that tells whoever moderates a memorial what waits to be read, at most every 15 minutes."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django_tasks_db.models import DBTaskResult

from tests.support.factories import CommentFactory, MemorialFactory, TributeFactory, UserFactory
from tests.support.posting import post_directly, run_due_tasks
from tributes.models import ModerationMode, Status
from tributes.moderation import decisions

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 10, 15, 12, 0, tzinfo=dt.UTC)


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
        post_directly(memorial, message="Words not yet approved")
        post_directly(memorial, message="More words not yet approved")
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
        post_directly(memorial)
        run_due_tasks()
    with time_machine.travel(NOON + dt.timedelta(minutes=5), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            post_directly(memorial, message="A second tribute")
            post_directly(memorial, message="A third tribute")
            # Queued for 12:15, fifteen minutes after the first notice: nothing is due now.
            assert not DBTaskResult.objects.ready().exists()
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
        post_directly(MemorialFactory())
        post_directly(MemorialFactory())
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
        post_directly(memorial)
        run_due_tasks()
    assert sorted(m.to[0] for m in notices()) == ["dad@example.org", "mum@example.org"]


def test_no_notice_when_everything_was_already_read(
    site_moderator_with_email, memorial, django_capture_on_commit_callbacks
):
    with (
        time_machine.travel(NOON, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        tribute = post_directly(memorial)
        decisions.approve(tribute, by=site_moderator_with_email)
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
        post_directly(memorial)
        run_due_tasks()
    [notice] = notices()
    assert "1 was published at once and has not been read by a moderator yet" in notice.body


def test_an_owners_own_post_needs_no_notice(owner, django_capture_on_commit_callbacks):
    memorial = MemorialFactory(owners=[owner], family_moderates=True)
    with django_capture_on_commit_callbacks(execute=True):
        post_directly(memorial, user=owner)
    assert not DBTaskResult.objects.exists()


@pytest.mark.parametrize(("later", "queued"), [(59, 0), (61, 1)])
def test_a_notice_lost_for_an_hour_is_queued_again_by_the_next_post(
    site_moderator_with_email, memorial, later, queued
):
    with time_machine.travel(NOON, tick=False):
        post_directly(memorial)
    # The worker never ran it (it died). Within the hour it is taken as on its way; after the
    # hour a new post queues another.
    DBTaskResult.objects.all().delete()
    with time_machine.travel(NOON + dt.timedelta(minutes=later), tick=False):
        post_directly(memorial, message="Written later")
    assert DBTaskResult.objects.count() == queued


@time_machine.travel(NOON, tick=False)
def test_the_notice_counts_what_waits_for_approval_apart_from_what_went_up_unread(
    site_moderator_with_email, memorial, django_capture_on_commit_callbacks
):
    read = TributeFactory(memorial=memorial, moderated_at=NOON)
    TributeFactory(memorial=memorial, status=Status.PENDING)
    CommentFactory(tribute=read, status=Status.PENDING)
    TributeFactory(memorial=memorial, status=Status.APPROVED)  # published at once, unread
    CommentFactory(tribute=read, status=Status.APPROVED)  # published at once, unread
    TributeFactory(memorial=memorial, status=Status.REJECTED)
    CommentFactory(tribute=read, status=Status.SPAM)
    TributeFactory.create_batch(3, status=Status.PENDING)  # on other memorials
    with django_capture_on_commit_callbacks(execute=True):
        post_directly(memorial)
        run_due_tasks()
    [notice] = notices()
    assert "\n3 tributes and comments are waiting for approval.\n" in notice.body
    assert "\n2 were published at once and have not been read by a moderator yet.\n" in notice.body
