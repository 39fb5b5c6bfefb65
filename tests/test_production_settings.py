"""Settings that keep a production run honest: a real database, and mail where it is asked for."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.test_deployment import production_env

ROOT = Path(__file__).resolve().parent.parent


def run_manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_database_url():
    env = production_env()
    del env["DATABASE_URL"]
    result = run_manage(env, "check")
    assert result.returncode != 0
    assert "ImproperlyConfigured: Set DATABASE_URL" in result.stderr
    assert "embedded PostgreSQL is for local development only" in result.stderr


def test_an_image_build_without_a_database_url_fails_instead_of_starting_a_private_one():
    env = production_env()
    del env["DATABASE_URL"]
    result = run_manage(env, "collectstatic", "--noinput", "--dry-run")
    assert result.returncode != 0
    assert "Set DATABASE_URL" in result.stderr


def test_the_file_email_backend_writes_each_message_to_the_folder_given(tmp_path):
    env = production_env(
        EMAIL_HOST="",
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(tmp_path / "mail"),
    )
    send = (
        "from django.core.mail import send_mail; "
        "send_mail('A candle for Teddy', 'Lit at 19:00.', None, ['claire@example.org'])"
    )
    result = run_manage(env, "shell", "-c", send)
    assert result.returncode == 0, result.stderr
    [message] = (tmp_path / "mail").iterdir()
    text = message.read_text()
    assert "Subject: A candle for Teddy" in text
    assert "To: claire@example.org" in text


def test_behind_a_transaction_pooler_server_side_cursors_are_off():
    show = (
        "from django.db import connection; "
        "print(connection.settings_dict['DISABLE_SERVER_SIDE_CURSORS'])"
    )
    pooled = run_manage(
        production_env(DATABASE_TRANSACTION_POOLER="1"), "shell", "-v", "0", "-c", show
    )
    direct = run_manage(production_env(), "shell", "-v", "0", "-c", show)
    assert pooled.returncode == 0, pooled.stderr
    assert (pooled.stdout.strip(), direct.stdout.strip()) == ("True", "False")
