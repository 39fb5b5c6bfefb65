#!/usr/bin/env python3
"""`make run` under a burst: 400 page views, 32 at a time, on the development server.

Starts `make run` exactly as a developer would (on a free port, with its embedded PostgreSQL and
its worker), sends the burst to the demo pages, then checks that the site still serves, how many
database connections are left open, that no log line is printed twice, that links follow the
port, and that Ctrl-C ends it without a traceback.

    .venv/bin/python bench/make_run_burst.py

Options through the environment: BENCH_REQUESTS (400), BENCH_CLIENTS (32).
"""

from __future__ import annotations

import collections
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "400"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "32"))
# A made-up secret link among them: its token must never reach the log.
SECRET = "BenchSecretToken0123456789"  # noqa: S105 (made up)
PAGES = [
    "/",
    "/memorials/teddy-ashby/",
    "/robots.txt",
    "/sitemap.xml",
    f"/your-tribute/{SECRET}/?email=sam%40example.org",
]
# An IP address in a log line, other than in the address the server says it listens on.
CLIENT_ADDRESS = re.compile(r"(?<![/\w.])\d{1,3}(?:\.\d{1,3}){3}(?![\w.:]\d)")
START_TIMEOUT = 180


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


class Output:
    """Collects the server's output lines as they come, so the bench can wait for one."""

    def __init__(self, stream) -> None:
        self.lines: list[str] = []
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream) -> None:
        for line in stream:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, text: str, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(text in line for line in self.lines):
                return True
            time.sleep(0.2)
        return False

    def join(self, timeout: float) -> None:
        self._thread.join(timeout)


def open_connections(port: int) -> int | None:
    """Connections the site's processes hold to the embedded database (this one excluded)."""
    query = (
        "from django.db import connection; c = connection.cursor(); "
        'c.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() '
        'AND pid <> pg_backend_pid()"); print(c.fetchone()[0])'
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", query],
        cwd=BASE_DIR,
        env={**os.environ, "DEBUG": "1", "PORT": str(port)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    try:
        return int(result.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return None


def main() -> int:
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key not in {"SITE_URL", "TESTING"}}
    env.update(PORT=str(port), PYTHONUNBUFFERED="1")
    server = subprocess.Popen(
        ["make", "--no-print-directory", "run"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    output = Output(server.stdout)
    base = f"http://127.0.0.1:{port}"
    try:
        if not output.wait_for(f"127.0.0.1:{port}", START_TIMEOUT):
            print("make run did not start:\n" + "\n".join(output.lines[-30:]))
            return 1
        deadline = time.monotonic() + START_TIMEOUT
        while fetch(base + "/") != 200 and time.monotonic() < deadline:
            time.sleep(0.3)
        before = open_connections(port)
        urls = [base + PAGES[i % len(PAGES)] for i in range(REQUESTS)]
        started = time.monotonic()
        with ThreadPoolExecutor(CLIENTS) as pool:
            statuses = list(pool.map(fetch, urls))
        elapsed = time.monotonic() - started
        time.sleep(1)
        after = open_connections(port)
        still_serving = fetch(base + "/") == 200
        robots = urllib.request.urlopen(base + "/robots.txt", timeout=30).read().decode()
        counts = collections.Counter(statuses)
        # The made-up secret link is answered with the kind "link not found" page.
        expected = [404 if SECRET in url else 200 for url in urls]
        errors = sum(status != want for status, want in zip(statuses, expected, strict=True))
        print(f"make run on port {port}: {REQUESTS} requests, {CLIENTS} at a time")
        print(f"  answers: {dict(sorted(counts.items()))} in {elapsed:.1f} s")
        print(f"  errors: {errors}")
        print(f"  site still serving afterwards: {'yes' if still_serving else 'NO'}")
        print(f"  database connections open: {before} before, {after} after the burst")
        print(f"  robots.txt sitemap follows the port: {'yes' if f':{port}/' in robots else 'NO'}")
    finally:
        os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        output.join(5)
    # Request lines name their time and so never repeat; any other line twice is a double log.
    repeated = [
        line
        for line, n in collections.Counter(output.lines).items()
        if n > 1 and line.strip() and '"GET ' not in line
    ]
    traceback = any("Traceback" in line or "Exception ignored" in line for line in output.lines)
    secrets_logged = [line for line in output.lines if SECRET in line or "sam@" in line]
    addresses_logged = [
        line for line in output.lines if CLIENT_ADDRESS.search(line.replace(base, ""))
    ]
    print(
        f"  lines with the secret link's token or an email address: {len(secrets_logged)}"
        + (f" (e.g. {secrets_logged[0]!r})" if secrets_logged else "")
    )
    print(
        f"  lines with a client's IP address: {len(addresses_logged)}"
        + (f" (e.g. {addresses_logged[0]!r})" if addresses_logged else "")
    )
    print(
        f"  log lines printed twice: {len(repeated)}"
        + (f" (e.g. {repeated[0]!r})" if repeated else "")
    )
    print(
        f"  Ctrl-C: exit status {server.returncode}, traceback printed: {'YES' if traceback else 'no'}"
    )
    if os.environ.get("BENCH_SHOW_LOG"):
        print("\n".join(output.lines))
    print(f"  last line: {output.lines[-1] if output.lines else ''}")
    ok = (
        errors == 0
        and still_serving
        and not repeated
        and not traceback
        and not secrets_logged
        and not addresses_logged
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
