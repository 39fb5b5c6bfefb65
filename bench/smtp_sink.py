"""A small SMTP server for the fault benches: it keeps what it is sent, and can be slow or down.

It speaks enough SMTP for Django's backend (EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT, no TLS).
`delay` holds the answer to each message's final dot for that many seconds (a slow server);
`down()` closes the port (connections refused) and `up()` opens it again.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections import Counter


class SmtpSink:
    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.recipients: Counter[str] = Counter()
        self.receiving = threading.Event()
        self._listener: socket.socket | None = None
        self._lock = threading.Lock()
        self.port = 0
        self.up()

    def up(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(32)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def down(self) -> None:
        if self._listener is not None:
            with contextlib.suppress(OSError):
                self._listener.shutdown(socket.SHUT_RDWR)
            self._listener.close()
            self._listener = None

    @property
    def messages(self) -> int:
        return sum(self.recipients.values())

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=self._session, args=(client,), daemon=True).start()

    def _session(self, client: socket.socket) -> None:
        stream = client.makefile("rb")

        def say(line: str) -> None:
            client.sendall(line.encode() + b"\r\n")

        try:
            say("220 sink ESMTP")
            recipients: list[str] = []
            while line := stream.readline():
                command = line.decode(errors="replace").strip()
                verb = command[:4].upper()
                if verb in {"EHLO", "HELO"}:
                    say("250 sink")
                elif verb == "MAIL":
                    recipients = []
                    say("250 OK")
                elif verb == "RCPT":
                    recipients.append(command.split(":", 1)[1].strip(" <>").lower())
                    say("250 OK")
                elif verb == "DATA":
                    say("354 go on")
                    self.receiving.set()
                    while stream.readline() not in (b".\r\n", b".\n", b""):
                        pass
                    time.sleep(self.delay)
                    with self._lock:
                        self.recipients.update(recipients)
                    say("250 kept")
                elif verb == "QUIT":
                    say("221 bye")
                    return
                else:
                    say("250 OK")
        except OSError:
            return
        finally:
            client.close()
