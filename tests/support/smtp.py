"""A real SMTP server for tests that read their mail: aiosmtpd on a free loopback port.

    with smtp_server() as server:
        settings.MAILERS = server.mailers()
        ...
        message = server.wait_for(to="mum@example.org", subject="Please confirm")

Django's own SMTP mailer talks to it over a socket, as it would to a real mail server; the
server keeps every message it accepted, parsed.
"""

from __future__ import annotations

import asyncio
import contextlib
import email
import re
import socket
import threading
import time
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import default

from aiosmtpd.controller import Controller


class Collector:
    """Keeps every message it accepted. With `delay`, it holds its answer to each message that
    long before accepting it (a slow server); a client that hangs up meanwhile gets nothing kept
    (aiosmtpd cancels the handler), as with a server that never said it took the message."""

    def __init__(self, delay: float = 0.0) -> None:
        self.messages: list[EmailMessage] = []
        self.arrived = threading.Condition()
        self.delay = delay
        # Set when a client has sent a whole message and waits for the answer.
        self.receiving = threading.Event()

    async def handle_DATA(self, server, session, envelope) -> str:
        message = email.message_from_bytes(envelope.content, policy=default)
        self.receiving.set()
        if self.delay:
            await asyncio.sleep(self.delay)
        with self.arrived:
            self.messages.append(message)
            self.arrived.notify_all()
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self, controller: Controller, collector: Collector) -> None:
        self.controller = controller
        self.collector = collector

    @property
    def port(self) -> int:
        return self.controller.port

    def mailers(self) -> dict:
        """settings.MAILERS pointing Django's SMTP mailer at this server."""
        return {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {
                    "host": "127.0.0.1",
                    "port": self.port,
                    "use_tls": False,
                    "timeout": 10,
                },
            }
        }

    def wait_for(self, *, to: str, subject: str = "", timeout: float = 10) -> EmailMessage:
        """The newest message to `to` whose subject contains `subject`; fails after `timeout`."""
        deadline = time.monotonic() + timeout
        with self.collector.arrived:
            while True:
                for message in reversed(self.collector.messages):
                    if to in message["To"] and subject in message["Subject"]:
                        return message
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"No email to {to} about {subject!r} arrived.")
                self.collector.arrived.wait(left)


def text_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def first_link(message: EmailMessage) -> str:
    return re.search(r"https?://\S+", text_of(message)).group(0)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def smtp_server(delay: float = 0.0) -> Iterator[SmtpServer]:
    collector = Collector(delay)
    controller = Controller(collector, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield SmtpServer(controller, collector)
    finally:
        controller.stop()
