"""Tasks queued before the layout of issue 9 moved their functions still run after it."""

import datetime as dt
import importlib

import pytest
import time_machine
from django.apps import apps
from django.core import mail
from django_tasks_db.models import DBTaskResult

from tests.support.factories import CandleEventFactory, TributeFactory
from tributes.candles import reminders
from tributes.models import ModerationNotice, ReminderSignup, Status
from tributes.moderation import notices

pytestmark = pytest.mark.django_db

task_paths = importlib.import_module("tributes.migrations.0009_task_paths_after_layout")
START = dt.datetime(2026, 10, 15, 18, 0, tzinfo=dt.UTC)


def _queued_under(old_path: str, task, *args) -> DBTaskResult:
    """A row as the code before the move queued it: the same task, the old dotted path."""
    result = task.enqueue(*args)
    DBTaskResult.objects.filter(pk=result.id).update(task_path=old_path)
    return DBTaskResult.objects.get(pk=result.id)


def _run(row: DBTaskResult):
    """What the worker does with a row: resolve its stored path, then call the task."""
    row.refresh_from_db()
    return row.task.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])


def test_every_moved_task_path_names_a_task_that_exists():
    for new_path in task_paths.MOVED_TASKS.values():
        module, name = new_path.rsplit(".", 1)
        assert getattr(importlib.import_module(module), name).module_path == new_path


def test_a_reminder_queued_under_its_old_path_is_sent_after_the_migration():
    event = CandleEventFactory(local_date=START.date(), time_zone="Europe/London")
    with time_machine.travel(START - dt.timedelta(days=1), tick=False):
        signup = reminders.sign_up(
            event=event, email="sam@example.org", minutes_before=60, zone=event.zone
        )
    ReminderSignup.objects.filter(pk=signup.pk).update(confirmed_at=START - dt.timedelta(days=1))
    row = _queued_under("tributes.reminders.send_reminder", reminders.send_reminder, signup.pk)
    with pytest.raises(ImportError):
        row.task  # noqa: B018 (resolving the old path is what would fail without the migration)

    task_paths.rename_task_paths(apps, None)
    mail.outbox.clear()
    with time_machine.travel(START - dt.timedelta(minutes=30), tick=False):
        assert _run(row) == "sent"

    assert [message.to for message in mail.outbox] == [["sam@example.org"]]
    assert ReminderSignup.objects.get().sent_at is not None


def test_a_moderation_notice_queued_under_its_old_path_still_runs(memorial, moderator):
    TributeFactory(memorial=memorial, status=Status.PENDING)
    ModerationNotice.objects.create(memorial=memorial, scheduled_for=dt.datetime.now(dt.UTC))
    row = _queued_under(
        "tributes.moderation.notify_moderators", notices.notify_moderators, memorial.pk
    )

    task_paths.rename_task_paths(apps, None)
    assert _run(row) == 1

    assert ModerationNotice.objects.get().last_sent_at is not None
    assert row.task_path == notices.notify_moderators.module_path


def test_the_migration_can_be_reversed(memorial):
    row = _queued_under(
        "tributes.moderation.notify_moderators", notices.notify_moderators, memorial.pk
    )
    task_paths.rename_task_paths(apps, None)
    task_paths.restore_task_paths(apps, None)
    row.refresh_from_db()
    assert row.task_path == "tributes.moderation.notify_moderators"
