"""Reminders: a mail server that keeps failing is tried five times, then given up; a link to
confirm opened after unsubscribing starts nothing."""

import datetime as dt
import re
import smtplib
import urllib.parse

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from tests.support.posting import run_due_tasks
from tributes.candles import reminders
from tributes.models import ReminderSignup
from tributes.security.tokens import hash_token

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 10, 15, 18, 0, tzinfo=dt.UTC)  # 19:00 in London
BEFORE = START - dt.timedelta(days=2)


def _queued_reminders():
    """The reminder sends in the queue (the confirmation email is a task of its own)."""
    return DBTaskResult.objects.filter(task_path=reminders.send_reminder.module_path)


def link(message, name) -> str:
    url = re.search(rf"http://\S+/reminders/{name}/\S+/", message.body).group(0)
    return urllib.parse.urlsplit(url).path


def test_a_mail_server_that_keeps_failing_is_tried_five_times_then_given_up(event, settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.support.failing_mail.EmailBackend"}}
    with time_machine.travel(BEFORE, tick=False):
        signup = reminders.sign_up(
            event=event, email="sam@example.org", minutes_before=60, zone=event.zone
        )
    ReminderSignup.objects.filter(pk=signup.pk).update(confirmed_at=BEFORE)
    at = START - dt.timedelta(hours=1)
    waits = []
    for _ in range(4):
        with time_machine.travel(at, tick=False):
            assert reminders.send_reminder.call(signup.pk) == "will try again"
        retry = _queued_reminders().get()
        waits.append(retry.run_after - at)
        at = retry.run_after
        retry.delete()
    assert waits == [dt.timedelta(minutes=m) for m in (1, 3, 10, 10)]
    with time_machine.travel(at, tick=False), pytest.raises(smtplib.SMTPServerDisconnected):
        reminders.send_reminder.call(signup.pk)
    assert not _queued_reminders().exists()
    signup.refresh_from_db()
    assert signup.attempts == 5
    assert signup.sent_at is None
    assert signup.sending_since is None


def test_confirming_after_unsubscribing_starts_nothing(
    client, event, django_capture_on_commit_callbacks
):
    with time_machine.travel(BEFORE, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                reverse("tributes:event_remind", args=[event.slug]),
                {"email": "sam@example.org", "minutes_before": "60"},
            )
        run_due_tasks()  # the worker sends the confirmation the request queued
        message = mail.outbox[0]
        unsubscribe = urllib.parse.urlsplit(message.extra_headers["List-Unsubscribe"].strip("<>"))
        assert client.post(unsubscribe.path).status_code == 200
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(link(message, "confirm"), follow=True)
    assert response.status_code == 200
    assert "You asked us not to email you about this, so we will not." in response.text
    assert "Your reminder is confirmed" not in response.text
    signup = ReminderSignup.objects.get()
    assert signup.confirmed_at is None
    assert signup.unsubscribed_at is not None
    assert not _queued_reminders().exists()
    with time_machine.travel(START - dt.timedelta(hours=1), tick=False):
        assert reminders.send_reminder.call(signup.pk).startswith("not sent")
    assert len(mail.outbox) == 1


def test_unsubscribing_stops_only_that_address_and_keeps_when_it_was_asked(client, event):
    with time_machine.travel(BEFORE, tick=False):
        leaving, staying = (
            reminders.sign_up(event=event, email=email, minutes_before=60, zone=event.zone)
            for email in ("sam@example.org", "jo@example.org")
        )
    url = reverse("tributes:reminder_unsubscribe", args=[reminders.unsubscribe_token(leaving)])
    with time_machine.travel(BEFORE, tick=False):
        assert client.post(url).status_code == 200
    # Pressing the link again later changes nothing: the record says when they first asked.
    with time_machine.travel(BEFORE + dt.timedelta(days=1), tick=False):
        assert client.post(url).status_code == 200
    leaving.refresh_from_db()
    staying.refresh_from_db()
    assert leaving.unsubscribed_at == BEFORE
    assert staying.unsubscribed_at is None


def test_confirming_once_the_event_has_started_schedules_no_reminder(
    event, django_capture_on_commit_callbacks
):
    with time_machine.travel(BEFORE, tick=False):
        signup = reminders.sign_up(
            event=event, email="sam@example.org", minutes_before=60, zone=event.zone
        )
    token = "late-token"
    ReminderSignup.objects.filter(pk=signup.pk).update(confirm_token_hash=hash_token(token))
    with time_machine.travel(START, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert reminders.confirm(token).confirmed_at == START
    assert not _queued_reminders().exists()


def test_signing_up_again_replaces_the_choice_and_asks_to_confirm_again(
    client, event, django_capture_on_commit_callbacks
):
    remind = reverse("tributes:event_remind", args=[event.slug])
    with time_machine.travel(BEFORE, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(remind, {"email": "sam@example.org", "minutes_before": "60"})
        run_due_tasks()
        first = mail.outbox[-1]
        client.post(link(first, "confirm"))
        unsubscribe = urllib.parse.urlsplit(first.extra_headers["List-Unsubscribe"].strip("<>"))
        client.post(unsubscribe.path)
        # They change their mind: a reminder a quarter of an hour before, please.
        with django_capture_on_commit_callbacks(execute=True):
            client.post(remind, {"email": "sam@example.org", "minutes_before": "15"})
        run_due_tasks()
    signup = ReminderSignup.objects.get()
    assert (signup.minutes_before, signup.confirmed_at, signup.unsubscribed_at) == (15, None, None)
    second = mail.outbox[-1]
    assert second.to == ["sam@example.org"] and second is not first
    # The old link no longer confirms anything; the new one does, for the new time.
    assert client.post(link(first, "confirm")).status_code == 404
    with time_machine.travel(BEFORE, tick=False), django_capture_on_commit_callbacks(execute=True):
        client.post(link(second, "confirm"))
    assert _queued_reminders().get().run_after == START - dt.timedelta(minutes=15)
