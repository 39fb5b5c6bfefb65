"""A database that is away: the connection points at a port where nothing listens.

Connecting is refused by the operating system, exactly as when PostgreSQL is stopped. Needs a
`transactional_db` test (the outage must not fall inside the test's own open transaction).
"""

from __future__ import annotations

import contextlib
import socket

from django.db import connections


@contextlib.contextmanager
def database_stopped():
    # A port that is bound but not listening answers every connection with a refusal.
    with socket.socket() as placeholder:
        placeholder.bind(("127.0.0.1", 0))
        port = placeholder.getsockname()[1]
        connection = connections["default"]
        saved = dict(connection.settings_dict)
        connection.close()
        # With the connection pool (settings.DATABASE_POOL), connections come from a pool made
        # with the old address: it is closed, and the next one is made with the new address.
        connection.close_pool()
        connection.settings_dict.update(HOST="127.0.0.1", PORT=port)
        try:
            yield
        finally:
            connection.close()
            connection.close_pool()
            connection.settings_dict.clear()
            connection.settings_dict.update(saved)
