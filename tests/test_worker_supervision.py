"""The background worker rides out a database outage and carries on (manage.py run_worker)."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django_tasks_db.models import DBTaskResult

from tests.support.outage_proxy import OutageProxy
from tests.support.worker_tasks import answer

pytestmark = pytest.mark.django_db(transaction=True)

WAIT_SECONDS = 60


class WorkerOutput:
    """The worker's log, line by line, so that the test waits for what it said, not for a time."""

    def __init__(self, process: subprocess.Popen) -> None:
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self._reader = threading.Thread(target=self._read, args=(process.stdout,), daemon=True)
        self._reader.start()

    def _read(self, stream) -> None:
        for line in stream:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, text: str) -> str:
        while True:
            try:
                line = self.lines.get(timeout=WAIT_SECONDS)
            except queue.Empty:
                said = "\n".join(self.seen)
                raise AssertionError(f"the worker never said {text!r}:\n{said}") from None
            self.seen.append(line)
            if text in line:
                return line

    def everything(self) -> str:
        """All the worker said, once it has ended."""
        self._reader.join(WAIT_SECONDS)
        while not self.lines.empty():
            self.seen.append(self.lines.get())
        return "\n".join(self.seen)


@pytest.fixture
def proxy():
    doorway = OutageProxy(connection.settings_dict)
    yield doorway
    doorway.close()


def start_worker(database_url: str) -> subprocess.Popen:
    env = {**os.environ, "TESTING": "1", "DATABASE_URL": database_url, "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "run_worker"]
    return subprocess.Popen(
        [*command, "--interval", "0.2", "--max-wait", "1", "--no-housekeeping"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_the_worker_carries_on_after_the_database_comes_back(proxy):
    worker = start_worker(proxy.url())
    output = WorkerOutput(worker)
    try:
        before = answer.enqueue("before the outage")
        output.wait_for(
            f"Task id={before.id} path=tests.support.worker_tasks.answer state=SUCCESSFUL"
        )

        proxy.cut()
        output.wait_for("The database is unavailable")
        assert worker.poll() is None, "the worker stopped with the database"

        proxy.restore()
        after = answer.enqueue("after the outage")
        output.wait_for(
            f"Task id={after.id} path=tests.support.worker_tasks.answer state=SUCCESSFUL"
        )
        assert worker.poll() is None
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=WAIT_SECONDS)
    results = DBTaskResult.objects.filter(id__in=[before.id, after.id])
    assert sorted(results.values_list("return_value", flat=True)) == [
        "after the outage",
        "before the outage",
    ]


def test_a_first_sigterm_stops_the_worker_quietly(proxy):
    worker = start_worker(proxy.url())
    output = WorkerOutput(worker)
    output.wait_for("Starting worker")
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=WAIT_SECONDS) == 0
    assert "Traceback" not in output.everything()
