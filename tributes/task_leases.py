"""Taking back queued tasks whose worker died: a lease on every running task.

django_tasks_db marks a task RUNNING when a worker claims it and never looks at it again, so a
worker killed mid-task (`kill -9`, a lost machine) would leave it RUNNING for ever. A running
task older than TASK_LEASE is taken to be abandoned and made READY again, and a worker runs it
once more. Our tasks are built for that: each claims its send with a conditional UPDATE and
records "sent" only once the mail server accepted it (tributes/emails.py), so a task run twice
sends at least once and, outside the moment between the server's answer and that UPDATE, once.

Who looks: every `manage.py run_worker`, in its housekeeping thread, every LOOK_EVERY_SECONDS
(or half a lease when the lease is shorter), so a task of a dead worker is run again with no cron;
every worker whenever it starts a task (at most once a minute per process, `look_now_and_then`);
and `manage.py requeue_abandoned_tasks` on demand.
"""

from __future__ import annotations

import datetime as dt
import logging
import time

from django.conf import settings
from django.db import DatabaseError
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

log = logging.getLogger(__name__)

# Longer than any of our tasks can take: one email, with the mail server's 20-second timeout.
# Five minutes unless TASK_LEASE_SECONDS says otherwise (the fault bench makes it short).
TASK_LEASE = dt.timedelta(seconds=settings.TASK_LEASE_SECONDS)
LOOK_EVERY_SECONDS = min(60.0, settings.TASK_LEASE_SECONDS / 2)
_last_look = 0.0


def requeue_abandoned_tasks(*, now: dt.datetime | None = None) -> int:
    """Make READY again every task RUNNING for longer than TASK_LEASE. Returns how many."""
    now = now or timezone.now()
    count = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=now - TASK_LEASE
    ).update(status=TaskResultStatus.READY, run_after=now)
    if count:
        log.warning("took back %s task(s) whose worker stopped answering", count)
    return count


def look_now_and_then(**kwargs) -> None:
    """A task_started receiver: look for abandoned tasks at most once a minute per process."""
    global _last_look
    if time.monotonic() - _last_look < LOOK_EVERY_SECONDS:
        return
    _last_look = time.monotonic()
    try:
        requeue_abandoned_tasks()
    except DatabaseError as error:  # Never let the look stop the task itself.
        log.warning("could not look for abandoned tasks: %s", error)
