"""The production server as configured by gunicorn.conf.py: private logs, honest health."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.support.outage_proxy import OutageProxy

pytestmark = pytest.mark.django_db(transaction=True)

SECRET = "s3cr3t-author-token-0123456789"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port: int, path: str, host: str = "127.0.0.1") -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(
            "GET", path, headers={"Host": host, "Referer": f"http://x/your-tribute/{SECRET}/"}
        )
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


@pytest.fixture
def proxy():
    doorway = OutageProxy(connection.settings_dict)
    yield doorway
    doorway.close()


@pytest.fixture
def gunicorn(proxy, tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "TESTING": "1",
        "DATABASE_URL": proxy.url(),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_THREADS": "2",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    access, errors = tmp_path / "access.log", tmp_path / "error.log"
    with access.open("w") as out, errors.open("w") as err:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "memorial.wsgi"],
            cwd=Path(settings.BASE_DIR),
            env=env,
            stdout=out,
            stderr=err,
        )
    deadline = time.monotonic() + 60
    while True:
        try:
            get(port, "/robots.txt")
            break
        except OSError:
            assert server.poll() is None and time.monotonic() < deadline, errors.read_text()
            time.sleep(0.1)

    def stopped_logs() -> dict[str, str]:
        # gunicorn writes its logs in full as it stops, so nothing has to wait for a flush.
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        return {"access": access.read_text(), "errors": errors.read_text()}

    yield port, stopped_logs
    stopped_logs()


def test_the_access_log_names_no_client_and_no_secret(gunicorn):
    port, logs = gunicorn
    status, _ = get(port, f"/your-tribute/{SECRET}/?email=claire@example.org")
    assert status == 404
    get(port, f"/reminders/unsubscribe/{SECRET}/")
    logs = logs()
    access = logs["access"]
    assert '"GET /your-tribute/<token>/ HTTP/1.1" 404' in access
    assert '"GET /reminders/unsubscribe/<token>/ HTTP/1.1"' in access
    for private in (SECRET, "claire", "127.0.0.1", "email="):
        assert private not in access
    assert SECRET not in logs["errors"]


def test_a_refused_request_is_a_warning_without_a_traceback(gunicorn):
    port, logs = gunicorn
    status, _ = get(port, "/", host="attacker.example")
    assert status == 400
    errors = logs()["errors"]
    assert "WARNING django.security.DisallowedHost" in errors
    assert "Traceback" not in errors
    assert " ERROR " not in errors


def test_healthz_says_unavailable_while_the_database_is_away(gunicorn, proxy):
    port, _ = gunicorn
    assert get(port, "/healthz") == (200, b"ok\n")
    proxy.cut()
    assert get(port, "/healthz") == (503, b"unavailable\n")
    proxy.restore()
    # The connection pool refills in the background, backing off while the database was away:
    # the site is healthy again within seconds, as a monitor polling it sees.
    deadline = time.monotonic() + 15
    while (answer := get(port, "/healthz")) != (200, b"ok\n") and time.monotonic() < deadline:
        time.sleep(0.5)
    assert answer == (200, b"ok\n")
