"""The background worker that outlives a database outage, with housekeeping beside it.

django_tasks_db's `db_worker` stops with OperationalError when PostgreSQL restarts or goes away,
and then nothing sends the emails and reminders. This command runs the same worker, and when the
database is unreachable it waits (1 s, 2 s, 4 s ... up to --max-wait) and carries on, logging one
warning per attempt. A systemd unit (README) restarts it if it stops for any other reason.
Beside it, a housekeeping thread takes back tasks left RUNNING by a worker that died
(tributes/task_leases.py) and, every few hours, prunes old results and sweeps unused photos.
"""

from __future__ import annotations

import logging
import random
import threading
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import InterfaceError, OperationalError, connections
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from tributes import task_leases
from tributes.management import housekeeping

logger = logging.getLogger("tributes.worker")

# After this long without an outage, the next one starts again from the shortest wait.
CALM_SECONDS = 60


def _close_connections() -> None:
    # A connection broken by the outage cannot even be closed cleanly; it is dropped either way.
    for connection in connections.all(initialized_only=True):
        try:
            connection.close()
        except (OperationalError, InterfaceError):
            connection.connection = None


def _housekeeping_loop(stop: threading.Event, *, tidy_every: float | None) -> None:
    """Take back abandoned tasks every LOOK_EVERY_SECONDS; tidy up every `tidy_every` seconds
    (never when None). Runs in its own thread, with its own database connection."""
    next_tidy = time.monotonic()
    while not stop.is_set():
        if tidy_every is not None and time.monotonic() >= next_tidy:
            housekeeping.tidy()
            next_tidy = time.monotonic() + tidy_every
        housekeeping.take_back_abandoned_tasks()
        _close_connections()
        stop.wait(task_leases.LOOK_EVERY_SECONDS)


class Command(BaseCommand):
    help = (
        "Run the task worker (emails, reminders), riding out database outages with growing "
        "waits, and tidy up old task results and unused photo files every few hours."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls.")
        parser.add_argument(
            "--max-wait", type=float, default=30.0, help="Longest wait between retries (s)."
        )
        parser.add_argument("--worker-id", default="", help="Unique id (default: random).")
        parser.add_argument(
            "--no-housekeeping",
            action="store_false",
            dest="housekeeping",
            help="Leave pruning and sweeping to another worker.",
        )

    def handle(self, *args, interval, max_wait, worker_id, housekeeping, **options):
        worker = Worker(
            queue_names=["*"],
            interval=interval,
            batch=False,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id or get_random_string(32),
            excluded_queue_names=[],
        )
        # The library's handlers: a first Ctrl-C or SIGTERM lets the current task finish.
        worker.configure_signals()
        # Every worker takes back the tasks of dead workers (safe to do from several at once);
        # only those without --no-housekeeping prune and sweep.
        threading.Thread(
            target=_housekeeping_loop,
            args=(threading.Event(),),
            kwargs={
                "tidy_every": settings.HOUSEKEEPING_INTERVAL_HOURS * 3600 if housekeeping else None
            },
            name="housekeeping",
            daemon=True,
        ).start()
        wait = 1.0
        while worker.running:
            started = time.monotonic()
            try:
                worker.run()
            except (OperationalError, InterfaceError) as error:
                if not worker.running:
                    break
                if time.monotonic() - started > CALM_SECONDS:
                    wait = 1.0
                logger.warning(
                    "The database is unavailable (%s); the worker tries again in %.0f s.",
                    type(error).__name__,
                    wait,
                )
                _close_connections()
                # A little randomness, so that several workers do not knock at the same moment.
                time.sleep(wait * random.uniform(0.8, 1.2))
                wait = min(wait * 2, max_wait)
            else:
                break
