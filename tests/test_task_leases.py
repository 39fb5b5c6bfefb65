"""A worker killed mid-task loses nothing: its task is taken back after the lease, and sent
at least once with the duplicate suppressed, recorded sent only once the server took it
(issue 13, item 3)."""

import datetime as dt
import signal

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.support.factories import CandleEventFactory
from tests.support.outage_proxy import OutageProxy
from tests.support.posting import post_directly, run_due_tasks
from tests.support.smtp import smtp_server
from tests.support.workers import WAIT_SECONDS, WorkerOutput, start_worker
from tributes import emails, task_leases
from tributes.candles import reminders
from tributes.models import ModerationNotice, OutgoingEmail, ReminderSignup
from tributes.moderation import notices

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 10, 15, 18, 0, tzinfo=dt.UTC)
KILLED_AT = START - dt.timedelta(hours=1)


def _killed_while_running(result, *, at: dt.datetime) -> DBTaskResult:
    """What `kill -9` leaves of a worker that had claimed this task at `at`: a RUNNING row."""
    row = DBTaskResult.objects.get(pk=result.id)
    with time_machine.travel(at, tick=False):
        row.claim("worker-that-died")
    return row


@pytest.fixture
def confirmed_signup(db):
    event = CandleEventFactory(local_date=START.date(), time_zone="Europe/London")
    signup = reminders.sign_up(
        event=event, email="sam@example.org", minutes_before=60, zone=event.zone
    )
    ReminderSignup.objects.filter(pk=signup.pk).update(confirmed_at=START - dt.timedelta(days=1))
    OutgoingEmail.objects.all().delete()  # the confirmation: not what these tests follow
    DBTaskResult.objects.all().delete()
    return signup


def test_a_reminder_whose_worker_died_mid_send_is_sent_after_the_lease(confirmed_signup):
    row = _killed_while_running(reminders.send_reminder.enqueue(confirmed_signup.pk), at=KILLED_AT)
    # It had claimed the send and died before the mail server answered.
    ReminderSignup.objects.filter(pk=confirmed_signup.pk).update(sending_since=KILLED_AT)

    with time_machine.travel(KILLED_AT + dt.timedelta(minutes=1), tick=False):
        assert task_leases.requeue_abandoned_tasks() == 0  # still within its lease
    after_lease = KILLED_AT + task_leases.TASK_LEASE + dt.timedelta(seconds=1)
    with time_machine.travel(after_lease, tick=False):
        assert task_leases.requeue_abandoned_tasks() == 1
        row.refresh_from_db()
        assert row.status == TaskResultStatus.READY
        run_due_tasks()
    assert [m.to for m in mail.outbox] == [["sam@example.org"]]
    signup = ReminderSignup.objects.get()
    assert signup.sent_at == after_lease
    assert signup.attempts == 1  # the dead worker's claim was made by hand above, not counted


def test_a_second_copy_of_a_reminder_being_sent_looks_again_instead_of_giving_up(
    confirmed_signup,
):
    ReminderSignup.objects.filter(pk=confirmed_signup.pk).update(sending_since=KILLED_AT)
    with time_machine.travel(KILLED_AT + dt.timedelta(seconds=30), tick=False):
        result = reminders.send_reminder.call(confirmed_signup.pk)
    assert result == "being sent by another worker: will look again"
    look = DBTaskResult.objects.get()
    assert look.run_after == KILLED_AT + emails.SEND_CLAIM_TIMEOUT
    assert mail.outbox == []
    # The other worker never finished: the look sends it, once.
    with time_machine.travel(look.run_after + dt.timedelta(seconds=1), tick=False):
        run_due_tasks()
    assert len(mail.outbox) == 1
    assert ReminderSignup.objects.get().sent_at is not None


def test_a_moderation_notice_whose_worker_died_mid_send_is_not_lost(moderator, memorial):
    moderator.email = "moderators@example.org"
    moderator.save()
    with time_machine.travel(KILLED_AT, tick=False):
        post_directly(memorial, message="Waiting to be read")
        notices.notify_moderators.call(memorial.pk)
    # Recorded as sent together with its email in the outbox, which is not sent yet.
    assert ModerationNotice.objects.get().last_sent_at == KILLED_AT
    email = OutgoingEmail.objects.get(to="moderators@example.org")
    assert email.sent_at is None
    deliver = DBTaskResult.objects.get(
        task_path__endswith="emails.deliver", args_kwargs__args=[email.pk]
    )
    _killed_while_running(deliver, at=KILLED_AT)
    OutgoingEmail.objects.filter(pk=email.pk).update(sending_since=KILLED_AT)

    with time_machine.travel(KILLED_AT + task_leases.TASK_LEASE + dt.timedelta(minutes=1)):
        task_leases.requeue_abandoned_tasks()
        run_due_tasks()
    [notice] = [m for m in mail.outbox if m.to == ["moderators@example.org"]]
    assert "waiting" in notice.subject.lower() or "to read" in notice.subject
    email.refresh_from_db()
    assert email.sent_at is not None
    assert email.to == email.text == email.html == ""


def test_an_email_is_recorded_sent_only_once_the_server_accepted_it(settings, memorial):
    settings.MAILERS = {"default": {"BACKEND": "tests.support.failing_mail.EmailBackend"}}
    post_directly(memorial, email="sam@example.org")
    email = OutgoingEmail.objects.get()
    assert emails.deliver.call(email.pk) == "will try again"
    email.refresh_from_db()
    assert email.sent_at is None
    assert email.sending_since is None
    assert "/your-tribute/" in email.text  # kept until it leaves


def test_an_email_already_sent_is_not_sent_again(memorial):
    post_directly(memorial, email="sam@example.org")
    email = OutgoingEmail.objects.get()
    assert emails.deliver.call(email.pk) == "sent"
    assert emails.deliver.call(email.pk) == "already sent"
    assert len(mail.outbox) == 1


def test_any_worker_starting_a_task_takes_back_abandoned_ones(confirmed_signup, monkeypatch):
    monkeypatch.setattr(task_leases, "_last_look", 0.0)
    row = _killed_while_running(reminders.send_reminder.enqueue(confirmed_signup.pk), at=KILLED_AT)
    with time_machine.travel(KILLED_AT + dt.timedelta(minutes=10), tick=False):
        notices.notify_moderators.enqueue(0)  # any task at all
        run_due_tasks()
    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_send_is_taken_back_by_the_next_worker_and_sent_once(memorial):
    """No cron and no other task to start: the second worker's housekeeping thread takes the
    task back once its lease has run out, and the email reaches the server once."""
    post_directly(memorial, email="sam@example.org")
    email = OutgoingEmail.objects.get(to="sam@example.org")
    doorway = OutageProxy(connection.settings_dict)
    # The server holds each answer a second; the first worker is killed while it waits.
    with smtp_server(delay=1.0) as server:
        short_leases = {
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(server.port),
            "EMAIL_USE_TLS": "0",
            "TASK_LEASE_SECONDS": "3",
            "EMAIL_SEND_CLAIM_SECONDS": "2",
        }
        first = start_worker(doorway.url(), **short_leases)
        try:
            assert server.collector.receiving.wait(WAIT_SECONDS), "the first worker sent nothing"
        finally:
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=WAIT_SECONDS)
        email.refresh_from_db()
        assert (email.sent_at, email.attempts) == (None, 1)
        left = DBTaskResult.objects.get(status=TaskResultStatus.RUNNING)
        assert left.task_path == "tributes.emails.deliver"

        second = start_worker(doorway.url(), **short_leases)
        output = WorkerOutput(second)
        try:
            output.wait_for("took back 1 task(s)")
            output.wait_for(f"Task id={left.id} path=tributes.emails.deliver state=SUCCESSFUL")
        finally:
            second.send_signal(signal.SIGTERM)
            second.wait(timeout=WAIT_SECONDS)
    doorway.close()
    assert [m["To"] for m in server.collector.messages] == ["sam@example.org"]
    email.refresh_from_db()
    assert email.sent_at is not None
    assert email.attempts == 2
    left.refresh_from_db()
    assert left.status == TaskResultStatus.SUCCESSFUL
    assert left.return_value == "sent"
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).exists()
