"""A TCP doorway to the test database that a test can shut, as an outage would, and open again.

Processes started by a test connect through it; `cut()` drops every open connection and refuses
new ones (what a PostgreSQL restart looks like from the application), `restore()` lets them in
again. The database itself keeps running, so the test's own connection is never disturbed.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import urllib.parse
from pathlib import Path


def upstream_address(settings_dict: dict) -> tuple[int, str | tuple[str, int]]:
    """Where the test database listens: a Unix socket folder (the embedded server) or host:port."""
    host = settings_dict.get("HOST") or settings_dict["OPTIONS"].get("host") or "127.0.0.1"
    port = int(settings_dict.get("PORT") or 5432)
    if host.startswith("/"):
        return socket.AF_UNIX, str(Path(host) / f".s.PGSQL.{port}")
    return socket.AF_INET, (host, port)


class OutageProxy:
    def __init__(self, settings_dict: dict) -> None:
        self._family, self._upstream = upstream_address(settings_dict)
        self._settings = settings_dict
        self._open: list[socket.socket] = []
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self.port = 0
        self.restore()

    def url(self) -> str:
        user = urllib.parse.quote(self._settings.get("USER") or "postgres")
        password = self._settings.get("PASSWORD") or ""
        auth = f"{user}:{urllib.parse.quote(password)}" if password else user
        return f"postgres://{auth}@127.0.0.1:{self.port}/{self._settings['NAME']}"

    def restore(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        with self._lock:
            for sock in self._open:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self._open.clear()

    def close(self) -> None:
        self.cut()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            server = socket.socket(self._family, socket.SOCK_STREAM)
            try:
                server.connect(self._upstream)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._open += [client, server]
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
