"""A real `manage.py run_worker` for tests of the worker: started as a process, read line by line."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
from pathlib import Path

from django.conf import settings

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


def start_worker(database_url: str, **env: str) -> subprocess.Popen:
    """run_worker on `database_url` (polling five times a second), with `env` added."""
    env = {
        **os.environ,
        "TESTING": "1",
        "DATABASE_URL": database_url,
        "PYTHONUNBUFFERED": "1",
        **env,
    }
    command = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "run_worker"]
    return subprocess.Popen(
        [*command, "--interval", "0.2", "--max-wait", "1", "--no-housekeeping"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
