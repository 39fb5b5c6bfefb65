"""Tidying up that nobody should have to remember: run by the worker every few hours.

`manage.py run_worker` calls `tidy()` when it starts and then every HOUSEKEEPING_INTERVAL_HOURS,
so neither `make run` nor a production server needs cron for it. Both steps are safe to repeat and
to run on several machines at once.
"""

from __future__ import annotations

import io
import logging

from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError

from tributes import task_leases

logger = logging.getLogger(__name__)


def prune_task_results() -> None:
    """Delete finished task results older than TASK_RESULTS_KEEP_DAYS (logs how many)."""
    call_command(
        "prune_db_task_results", min_age_days=settings.TASK_RESULTS_KEEP_DAYS, queue_name="*"
    )


def sweep_photo_files() -> None:
    """Delete photo files that no photo refers to (reads every photo's renditions)."""
    output = io.StringIO()
    try:
        call_command("delete_unused_photo_files", stdout=output)
    except FileNotFoundError:
        # No photo has been stored yet, so there is no folder to sweep.
        return
    logger.info(output.getvalue().strip())


def tidy() -> None:
    """Run every housekeeping step; a step that fails is logged and the others still run."""
    for step in (prune_task_results, sweep_photo_files):
        try:
            step()
        except (DatabaseError, OSError):
            logger.exception("Housekeeping step %s failed; it runs again next time", step.__name__)


def take_back_abandoned_tasks() -> None:
    """Make READY again the tasks a dead worker left RUNNING; an outage is logged, not raised."""
    try:
        task_leases.requeue_abandoned_tasks()
    except DatabaseError as error:
        logger.warning("Could not look for abandoned tasks (%s); looking again soon", error)
