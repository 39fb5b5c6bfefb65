"""Remembering days reach the owners who asked, a few days before, once; nobody else."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from tests.support.factories import MemorialFactory, TributeFactory, UserFactory
from tests.support.posting import run_due_tasks
from tributes.families.remembering import send_daily
from tributes.models import FamilySettings, Notify, RememberingDay, Status

# These tests commit, as the site does; the worker (run_due_tasks) sends what was queued.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def memorial(owner):
    return MemorialFactory(
        name="Teddy Ashby",
        owners=[owner],
        born_on=dt.date(2024, 3, 9),
        died_on=dt.date(2024, 3, 11),
        due_on=dt.date(2024, 5, 1),
    )


def test_an_owner_chooses_days_on_the_family_page(client, owner, memorial):
    client.force_login(owner)
    client.post(
        reverse("family:remembering", kwargs={"slug": memorial.slug}),
        {"birthday": "on", "awareness": "on", "days_before": "3"},
    )
    kinds = set(RememberingDay.objects.filter(user=owner).values_list("kind", flat=True))
    assert kinds == {"birthday", "awareness"}


@pytest.mark.parametrize(
    ("kind", "today", "day"),
    [
        ("birthday", dt.date(2027, 3, 6), "9 March"),
        ("death", dt.date(2027, 3, 8), "11 March"),
        ("due_date", dt.date(2027, 4, 28), "1 May"),
        ("awareness", dt.date(2027, 10, 12), "15 October"),
    ],
)
def test_each_day_is_reminded_three_days_before_and_once(owner, memorial, kind, today, day):
    RememberingDay.objects.create(memorial=memorial, user=owner, kind=kind, days_before=3)
    with time_machine.travel(dt.datetime.combine(today - dt.timedelta(days=1), dt.time(8), dt.UTC)):
        assert send_daily() == 0
    with time_machine.travel(dt.datetime.combine(today, dt.time(8), dt.UTC)):
        assert send_daily() == 1
        assert send_daily() == 0
    run_due_tasks()
    [message] = mail.outbox
    assert message.to == [owner.email]
    assert day in message.body


def test_a_birthday_on_29_february_is_remembered_on_the_28th(owner):
    memorial = MemorialFactory(owners=[owner], born_on=dt.date(2024, 2, 29), died_on=None)
    RememberingDay.objects.create(memorial=memorial, user=owner, kind="birthday", days_before=1)
    with time_machine.travel(dt.datetime(2027, 2, 27, 8, tzinfo=dt.UTC)):
        assert send_daily() == 1


def test_reminders_go_to_owners_only_and_not_while_paused(owner, memorial):
    former = UserFactory(username="former")
    RememberingDay.objects.create(memorial=memorial, user=former, kind="birthday")
    RememberingDay.objects.create(memorial=memorial, user=owner, kind="birthday")
    FamilySettings.objects.create(user=owner, paused=True)
    with time_machine.travel(dt.datetime(2027, 3, 6, 8, tzinfo=dt.UTC)):
        assert send_daily() == 0
    run_due_tasks()
    assert mail.outbox == []


def test_a_daily_digest_replaces_each_notice_for_who_chose_it(owner, memorial):
    from tributes.moderation.notices import moderator_emails

    memorial.family_moderates = True
    memorial.save()
    FamilySettings.objects.create(user=owner, notify=Notify.DIGEST)
    assert moderator_emails(memorial) == []
    TributeFactory(memorial=memorial, status=Status.PENDING)
    with time_machine.travel(dt.datetime(2027, 1, 5, 8, tzinfo=dt.UTC)):
        assert send_daily() == 1
        assert send_daily() == 0
    run_due_tasks()
    [message] = mail.outbox
    assert "1 item for Teddy Ashby" in message.body


def test_the_workers_housekeeping_sends_each_days_reminder_once_however_often_it_runs(
    owner, memorial
):
    from tributes.management import housekeeping

    RememberingDay.objects.create(memorial=memorial, user=owner, kind="birthday", days_before=3)
    memorial.family_moderates = True
    memorial.save()
    FamilySettings.objects.create(user=owner, notify=Notify.DIGEST)
    TributeFactory(memorial=memorial, status=Status.PENDING)
    # The birthday is 9 March: its reminder is due from 6 March. Housekeeping runs every few
    # hours, and on two machines at once.
    for hour in (0, 0, 6, 12, 18):
        with time_machine.travel(dt.datetime(2027, 3, 6, hour, 5, tzinfo=dt.UTC), tick=False):
            housekeeping.tidy()
            run_due_tasks()
    subjects = sorted(message.subject for message in mail.outbox)
    assert len(subjects) == 2, subjects
    assert all(message.to == [owner.email] for message in mail.outbox)
    # The next day the birthday reminder is not sent again; the digest is, once, as something
    # still waits.
    mail.outbox.clear()
    for hour in (0, 6):
        with time_machine.travel(dt.datetime(2027, 3, 7, hour, 5, tzinfo=dt.UTC), tick=False):
            housekeeping.tidy()
            run_due_tasks()
    [digest] = mail.outbox
    assert "1 item for Teddy Ashby" in digest.body
