"""A small SMTP server for the fault benches: it keeps what it is sent, and can be slow or down.

It speaks enough SMTP for Django's backend (EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT, no TLS).
`delay` holds the answer to each message's final dot for that many seconds (a slow server); a
client that hangs up meanwhile (a worker killed mid-send) gets nothing kept, as with a server
that never said it took the message. `down()` closes the port (connections refused) and `up()`
opens it again. Each kept message is counted with its Message-ID, so that a copy of one email
sent twice shows as a duplicate (tributes/emails.py gives every attempt the same Message-ID).
"""

from __future__ import annotations

import contextlib
import select
import socket
import threading
import time
from collections import Counter


class SmtpSink:
    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.recipients: Counter[str] = Counter()
        self.message_ids: Counter[str] = Counter()
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
        return sum(self.message_ids.values())

    @property
    def duplicates(self) -> int:
        """Copies beyond the first of each Message-ID."""
        return sum(count - 1 for count in self.message_ids.values())

    def clear(self) -> None:
        with self._lock:
            self.recipients.clear()
            self.message_ids.clear()
        self.receiving.clear()

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
                    message_id, in_headers = "", True
                    while (data := stream.readline()) not in (b".\r\n", b".\n", b""):
                        if in_headers and data.lower().startswith(b"message-id:"):
                            message_id = data.split(b":", 1)[1].strip().decode()
                        in_headers = in_headers and data not in (b"\r\n", b"\n")
                    time.sleep(self.delay)
                    if _hung_up(client):
                        return
                    with self._lock:
                        self.recipients.update(recipients)
                        self.message_ids[message_id] += 1
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


def _hung_up(client: socket.socket) -> bool:
    """Whether the client closed its end (after the final dot it sends nothing until answered)."""
    readable, _, _ = select.select([client], [], [], 0)
    if not readable:
        return False
    try:
        return client.recv(1, socket.MSG_PEEK) == b""
    except OSError:
        return True
