"""Email reminders: double opt-in, sent once (even with two real workers), easy to stop."""

import datetime as dt
import os
import re
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from tests.support.factories import CandleEventFactory
from tests.support.posting import run_due_tasks
from tributes.candles import reminders
from tributes.models import OutgoingEmail, ReminderSignup

START = dt.datetime(2026, 10, 15, 18, 0, tzinfo=dt.UTC)  # 19:00 in London
BEFORE = START - dt.timedelta(days=2)


def _sign_up(client, event, **overrides):
    data = {"email": "Sam@Example.org", "minutes_before": "60"}
    return client.post(reverse("tributes:event_remind", args=[event.slug]), {**data, **overrides})


def _link(message, name):
    return re.search(rf"http://\S+/reminders/{name}/\S+/", message.body).group(0)


def _path(url):
    return urllib.parse.urlsplit(url).path


@pytest.mark.django_db
def test_signing_up_emails_a_confirmation_and_schedules_nothing_yet(
    client, event, django_capture_on_commit_callbacks
):
    with time_machine.travel(BEFORE, tick=False), django_capture_on_commit_callbacks(execute=True):
        response = _sign_up(client, event)
        page = client.get(response.url).content.decode()
    assert "We have emailed you a link: open it to confirm" in page
    signup = ReminderSignup.objects.get()
    assert signup.email == "sam@example.org"
    assert signup.confirmed_at is None
    run_due_tasks()  # the worker sends what the request queued
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Please confirm your reminder for Candles for Teddy"
    assert "It starts on 15 October 2026 at 19:00 UK time." in message.body
    assert message.alternatives[0].mimetype == "text/html"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"].startswith("<http://")
    # Only the confirmation's delivery was queued; no reminder before the address is confirmed.
    assert not DBTaskResult.objects.filter(task_path__endswith="send_reminder").exists()


@pytest.mark.django_db
def test_a_mistyped_address_is_explained_and_kept(client, event):
    with time_machine.travel(BEFORE, tick=False):
        response = _sign_up(client, event, email="sam@")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a valid email address." in page
    assert 'value="sam@"' in page
    assert not ReminderSignup.objects.exists()


@pytest.mark.django_db
def test_opening_the_link_does_not_confirm_until_the_button_is_pressed(
    client, event, django_capture_on_commit_callbacks
):
    with time_machine.travel(BEFORE, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            _sign_up(client, event)
        run_due_tasks()  # the worker sends what the request queued
        confirm_url = _path(_link(mail.outbox[0], "confirm"))
        client.get(confirm_url)
        assert ReminderSignup.objects.get().confirmed_at is None
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(confirm_url)
    assert response.status_code == 302
    signup = ReminderSignup.objects.get()
    assert signup.confirmed_at == BEFORE
    task = DBTaskResult.objects.get(task_path__endswith="send_reminder")
    assert task.run_after == START - dt.timedelta(hours=1)
    assert task.args_kwargs["args"] == [signup.pk]


@pytest.mark.django_db
def test_a_wrong_confirmation_link_is_explained(client):
    response = client.post(reverse("tributes:reminder_confirm", args=["not-a-token"]))
    assert response.status_code == 404
    assert "We could not find this reminder." in response.content.decode()


def _confirmed(event, email="sam@example.org", minutes_before=60):
    with time_machine.travel(BEFORE, tick=False):
        signup = reminders.sign_up(
            event=event, email=email, minutes_before=minutes_before, zone=event.zone
        )
        ReminderSignup.objects.filter(pk=signup.pk).update(confirmed_at=BEFORE)
    return signup


@pytest.mark.django_db
def test_a_reminder_is_sent_once_with_both_parts_and_one_click_unsubscribe(event):
    signup = _confirmed(event)
    mail.outbox.clear()
    with time_machine.travel(START - dt.timedelta(hours=1), tick=False):
        assert reminders.send_reminder.call(signup.pk) == "sent"
        assert reminders.send_reminder.call(signup.pk).startswith("not sent")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["sam@example.org"]
    assert message.subject == "Candles for Teddy starts at 19:00"
    assert "which is 19:00 your time (UK time)" in message.body
    assert message.alternatives[0].mimetype == "text/html"
    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert _link(message, "unsubscribe") == unsubscribe
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert ReminderSignup.objects.get().sent_at == START - dt.timedelta(hours=1)


@pytest.mark.django_db
def test_an_unconfirmed_address_is_never_reminded(event):
    with time_machine.travel(BEFORE, tick=False):
        signup = reminders.sign_up(
            event=event, email="sam@example.org", minutes_before=60, zone=event.zone
        )
    mail.outbox.clear()
    with time_machine.travel(START - dt.timedelta(hours=1), tick=False):
        reminders.send_reminder.call(signup.pk)
    assert mail.outbox == []


@pytest.mark.django_db
def test_one_click_unsubscribe_works_without_a_form_token_and_stops_the_reminder(event):
    signup = _confirmed(event)
    url = _path(
        reverse("tributes:reminder_unsubscribe", args=[reminders.unsubscribe_token(signup)])
    )
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert "We will not email you about Candles for Teddy again." in response.content.decode()
    assert ReminderSignup.objects.get().unsubscribed_at is not None
    mail.outbox.clear()
    with time_machine.travel(START - dt.timedelta(hours=1), tick=False):
        reminders.send_reminder.call(signup.pk)
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_unsubscribe_page_asks_before_stopping(client, event):
    signup = _confirmed(event)
    url = _path(
        reverse("tributes:reminder_unsubscribe", args=[reminders.unsubscribe_token(signup)])
    )
    response = client.get(url)
    assert "Press the button and we will not email you" in response.content.decode()
    assert ReminderSignup.objects.get().unsubscribed_at is None


@pytest.mark.django_db
def test_a_forged_unsubscribe_link_finds_nothing(client):
    response = client.post(reverse("tributes:reminder_unsubscribe", args=["1:forged"]))
    assert response.status_code == 404


@pytest.mark.django_db
def test_a_transient_mail_failure_is_retried_later(event, settings):
    from tests.support.mail_backends import FirstAttemptFails

    FirstAttemptFails.attempts = 0
    settings.MAILERS = {"default": {"BACKEND": "tests.support.mail_backends.FirstAttemptFails"}}
    signup = _confirmed(event)
    mail.outbox.clear()
    at = START - dt.timedelta(hours=1)
    with time_machine.travel(at, tick=False):
        assert reminders.send_reminder.call(signup.pk) == "will try again"
    retry = DBTaskResult.objects.get(task_path__endswith="send_reminder")
    assert retry.run_after == at + dt.timedelta(minutes=1)
    assert mail.outbox == []
    with time_machine.travel(retry.run_after, tick=False):
        assert reminders.send_reminder.call(signup.pk) == "sent"
    assert len(mail.outbox) == 1
    assert ReminderSignup.objects.get().attempts == 2


@pytest.mark.django_db
def test_no_reminder_after_the_event_is_over(event):
    signup = _confirmed(event)
    mail.outbox.clear()
    with time_machine.travel(START + dt.timedelta(hours=2), tick=False):
        reminders.send_reminder.call(signup.pk)
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_floating_event_is_reminded_in_the_visitors_zone(memorial, wave_of_light):
    import zoneinfo

    with time_machine.travel(BEFORE, tick=False):
        signup = reminders.sign_up(
            event=wave_of_light,
            email="kenji@example.org",
            minutes_before=15,
            zone=zoneinfo.ZoneInfo("Asia/Tokyo"),
        )
    assert signup.remind_at == dt.datetime(2026, 10, 15, 9, 45, tzinfo=dt.UTC)


def _database_url() -> str:
    """The test database, for processes started by a test."""
    parts = urllib.parse.urlsplit(settings.DATABASE_URL)
    return urllib.parse.urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


@pytest.mark.django_db(transaction=True)
def test_two_real_workers_send_each_reminder_exactly_once():
    # Real time here: the workers are separate processes that time-machine cannot reach.
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=30)
    local = soon.astimezone(dt.UTC)
    event = CandleEventFactory(
        memorial=None,
        title="Candles together",
        local_date=local.date(),
        local_time=local.time().replace(microsecond=0),
        time_zone="UTC",
    )
    now = dt.datetime.now(dt.UTC)
    addresses = [f"person{n}@example.org" for n in range(6)]
    for address in addresses:
        signup = reminders.sign_up(event=event, email=address, minutes_before=60, zone=event.zone)
        ReminderSignup.objects.filter(pk=signup.pk).update(confirmed_at=now)
        # The same reminder queued several times (a double click, a re-confirmation): the
        # sign-up row, not the queue, decides that it is sent once.
        for _ in range(4):
            reminders.send_reminder.enqueue(signup.pk)
    ReminderSignup.objects.create(
        event=event,
        email="gone@example.org",
        time_zone="UTC",
        confirm_token_hash="x" * 64,
        confirmed_at=now,
        unsubscribed_at=now,
    )
    reminders.send_reminder.enqueue(ReminderSignup.objects.get(email="gone@example.org").pk)

    env = {
        **os.environ,
        "TESTING": "1",
        "DATABASE_URL": _database_url(),
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
    }
    manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "db_worker"]
    options = ["--batch", "--no-startup-delay", "--interval", "0", "--no-reload"]
    workers = [
        subprocess.Popen(
            [*manage, *options, "--worker-id", f"test-worker-{n}"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for n in range(2)
    ]
    outputs = [worker.communicate(timeout=120)[0] for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0], outputs
    sent = re.findall(r"^To: (\S+)$", "\n".join(outputs), flags=re.MULTILINE)
    # Each address: its confirmation (from the outbox) and its reminder, once each.
    assert sorted(sent) == sorted(addresses * 2)
    assert not OutgoingEmail.objects.filter(sent_at__isnull=True).exists()
    assert ReminderSignup.objects.filter(sent_at__isnull=False).count() == len(addresses)
    reminded = ReminderSignup.objects.exclude(email="gone@example.org")
    assert set(reminded.values_list("attempts", flat=True)) == {1}
    assert ReminderSignup.objects.get(email="gone@example.org").sent_at is None


@pytest.mark.django_db
def test_no_reminder_can_be_asked_for_once_the_event_has_started(client, event):
    with time_machine.travel(START, tick=False):
        response = _sign_up(client, event)
        page = client.get(response.url).content.decode()
    assert "This candle lighting has already started" in page
    assert not ReminderSignup.objects.exists()
    assert mail.outbox == []
