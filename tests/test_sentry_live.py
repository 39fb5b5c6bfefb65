"""Sentry, live: a real server process with SENTRY_DSN reports a failing view to a real HTTP
server started here, and what arrives holds no IP address, cookie, token or email address.

sentry-sdk is not mocked: its own transport posts the envelope over http (an http DSN is
supported as it is), compressed as it chooses.
"""

from __future__ import annotations

import gzip
import http.client
import http.server
import json
import queue
import socket
import subprocess
import sys
import threading
import time
import zlib
from pathlib import Path

from tests.test_deployment import production_env

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "PrivateLinkToken" + "q" * 27
CLIENT_ADDRESS = "203.0.113.9"


class Envelopes(http.server.ThreadingHTTPServer):
    """Keeps every envelope posted to it, decompressed, and answers 200 as Sentry does."""

    def __init__(self) -> None:
        self.received: queue.Queue[tuple[str, bytes]] = queue.Queue()
        super().__init__(("127.0.0.1", 0), _EnvelopeHandler)

    @property
    def port(self) -> int:
        return self.server_address[1]


class _EnvelopeHandler(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "br":
            # sentry-sdk compresses with brotli only when it is installed.
            import brotli

            body = brotli.decompress(body)
        elif encoding == "deflate":
            body = zlib.decompress(body)
        self.server.received.put((self.path, body))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, format, *args) -> None:
        pass


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _events(envelopes: Envelopes, timeout: float) -> list[tuple[str, dict, str]]:
    """(path, event, raw envelope text) of each error event that arrives within `timeout`."""
    found = []
    deadline = time.monotonic() + timeout
    while not found and time.monotonic() < deadline:
        try:
            path, body = envelopes.received.get(timeout=max(0.1, deadline - time.monotonic()))
        except queue.Empty:
            break
        lines = body.decode().splitlines()
        for header, payload in zip(lines[1::2], lines[2::2], strict=False):
            if json.loads(header).get("type") == "event":
                found.append((path, json.loads(payload), body.decode()))
    return found


def test_an_error_reaches_sentry_without_addresses_cookies_tokens_or_emails():
    envelopes = Envelopes()
    threading.Thread(target=envelopes.serve_forever, daemon=True).start()
    port = _free_port()
    env = production_env(
        SENTRY_DSN=f"http://publickey@127.0.0.1:{envelopes.port}/42",
        ROOT_URLCONF="tests.support.failing_urls",
        SECURE_SSL_REDIRECT="0",
        TRUSTED_PROXY_COUNT="1",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="1",
        GUNICORN_ACCESS_LOG="",
        REDIS_URL="",
        PYTHONPATH=str(ROOT),
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "memorial.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        status = 0
        deadline = time.monotonic() + 60
        while status == 0 and time.monotonic() < deadline and server.poll() is None:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            try:
                connection.request(
                    "GET",
                    f"/your-tribute/{TOKEN}/?email=claire%40example.org&token={TOKEN}",
                    headers={
                        "Host": "memorial.example.org",
                        "Cookie": "sessionid=secret-session; csrftoken=secret-csrf",
                        "X-Forwarded-For": CLIENT_ADDRESS,
                        "Referer": f"https://memorial.example.org/reminders/unsubscribe/{TOKEN}/",
                        "User-Agent": "a visitor's browser",
                    },
                )
                status = connection.getresponse().status
            except OSError:
                time.sleep(0.3)
            finally:
                connection.close()
        assert status == 500, server.stderr.read() if server.poll() is not None else status
        events = _events(envelopes, timeout=30)
    finally:
        server.terminate()
        server.wait(timeout=30)
        envelopes.shutdown()
    assert events, "no error event reached the Sentry server"
    path, event, raw = events[0]
    assert path == "/api/42/envelope/"
    assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    assert event["request"]["url"] == "http://memorial.example.org/your-tribute/<token>/"
    # The report is still useful: where it failed, with the route and local variables it had.
    assert "/your-tribute/<token>/" in event["exception"]["values"][-1]["value"]
    frames = event["exception"]["values"][-1]["stacktrace"]["frames"]
    assert any(frame["function"] == "failing_private_link" for frame in frames)
    for secret in (TOKEN, "sam.carter@example.org", "claire", CLIENT_ADDRESS, "secret-session"):
        assert secret not in raw, secret
    assert "ip_address" not in raw
    assert "cookies" not in event["request"]
