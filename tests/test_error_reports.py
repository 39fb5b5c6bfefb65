"""Error reports (admin mail, Sentry) and logs leave out addresses, query strings and tokens."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.test import RequestFactory
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse

from memorial.logs import (
    ClientErrorsAsWarnings,
    PrivateExceptionReporterFilter,
    TokenPathsLeftOut,
    private_path,
    private_text,
)
from memorial.sentry import leave_out_private_parts
from tests.test_deployment import production_env
from tributes.posting import services as posting_services

ROOT = Path(__file__).resolve().parent.parent


def test_token_paths_and_query_strings_are_cut():
    assert private_path("/your-tribute/abc123/delete/?x=1") == "/your-tribute/<token>/delete/"
    assert private_path("/reminders/confirm/tok/") == "/reminders/confirm/<token>/"
    assert private_path("/admin/tributes/tribute/?q=claire@example.org") == (
        "/admin/tributes/tribute/"
    )
    assert private_path("/memorials/teddy/") == "/memorials/teddy/"


def test_any_text_loses_tokens_queries_emails_and_ip_addresses():
    line = (
        '"GET /your-tribute/abc123/delete/?q=x HTTP/1.1" 200 from 203.0.113.9:51234 and 2001:db8::1 '
        "for sam.carter@example.org, Python 3.13.1, at 19:00:00"
    )
    assert private_text(line) == (
        '"GET /your-tribute/<token>/delete/ HTTP/1.1" 200 from <address>:51234 and <address> '
        "for <email>, Python 3.13.1, at 19:00:00"
    )


def test_development_server_lines_lose_tokens_and_client_addresses():
    request_line = logging.LogRecord(
        "django.server",
        logging.INFO,
        "",
        0,
        '"%s" %s %s',
        ("GET /reminders/unsubscribe/s3cr3t/?next=/ HTTP/1.1", "200", "512"),
        None,
    )
    broken_pipe = logging.LogRecord(
        "django.server", logging.INFO, "", 0, "- Broken pipe from %s", (("127.0.0.1", 51234),), None
    )
    for record in (request_line, broken_pipe):
        TokenPathsLeftOut().filter(record)
    assert request_line.getMessage() == '"GET /reminders/unsubscribe/<token>/ HTTP/1.1" 200 512'
    assert broken_pipe.getMessage() == "- Broken pipe from ('<address>', 51234)"


def test_a_4xx_record_becomes_a_warning_without_its_traceback():
    try:
        raise ValueError("Invalid HTTP_HOST header")
    except ValueError:
        record = logging.LogRecord(
            "django.security.DisallowedHost", logging.ERROR, "", 0, "refused", (), sys.exc_info()
        )
    record.status_code = 400
    ClientErrorsAsWarnings().filter(record)
    assert (record.levelno, record.levelname, record.exc_info) == (logging.WARNING, "WARNING", None)


def test_error_reports_hide_the_client_address_and_the_query_string():
    request = RequestFactory().get(
        "/your-tribute/abc123/", {"email": "claire@example.org"}, REMOTE_ADDR="203.0.113.9"
    )
    request.META["HTTP_X_FORWARDED_FOR"] = "198.51.100.7"
    meta = PrivateExceptionReporterFilter().get_safe_request_meta(request)
    for key in ("REMOTE_ADDR", "HTTP_X_FORWARDED_FOR", "QUERY_STRING"):
        assert meta[key] == "********************"
    assert meta["PATH_INFO"] == "/your-tribute/<token>/"


def test_sentry_events_lose_addresses_cookies_bodies_and_tokens():
    event = {
        "request": {
            "url": "https://memorial.example.org/your-comment/secret-token/?next=/",
            "query_string": "next=/",
            "cookies": {"sessionid": "x"},
            "data": {"text": "words"},
            "headers": {"Cookie": "x", "X-Forwarded-For": "203.0.113.9", "Accept": "text/html"},
            "env": {"REMOTE_ADDR": "203.0.113.9", "SERVER_NAME": "memorial"},
        },
        "user": {"ip_address": "203.0.113.9"},
        "transaction": "/your-comment/secret-token/",
    }
    cleaned = leave_out_private_parts(event, {})
    assert cleaned["request"] == {
        "url": "https://memorial.example.org/your-comment/<token>/",
        "headers": {"Accept": "text/html"},
        "env": {"SERVER_NAME": "memorial"},
    }
    assert cleaned["user"] == {}
    assert cleaned["transaction"] == "/your-comment/<token>/"


def test_with_a_sentry_dsn_sentry_starts_without_personal_data():
    env = production_env(SENTRY_DSN="http://public@127.0.0.1:9/1")
    show = (
        "import sentry_sdk; o = sentry_sdk.get_client().options; "
        "print(o['dsn'], o['send_default_pii'], o['max_request_body_size'])"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", show],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["http://public@127.0.0.1:9/1", "False", "never"]


def _routes(patterns, prefix=""):
    """(route as a regex source, its named groups) of every URL in the URLconf."""
    for pattern in patterns:
        regex = prefix + pattern.pattern.regex.pattern.lstrip("^")
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, regex)
        else:
            yield regex, pattern.name, pattern.pattern.regex.groupindex


def test_every_route_with_a_secret_in_it_is_cut_from_the_logs():
    secret_names = {"token", "key", "uidb36"}
    checked = []
    for _regex, name, groups in _routes(get_resolver().url_patterns):
        if not secret_names & set(groups) or name is None:
            continue
        kwargs = {group: "s3cr3tVALUE" for group in groups}
        for namespace in ("tributes:", "family:", ""):
            try:
                path = reverse(namespace + name, kwargs=kwargs)
                break
            except NoReverseMatch:
                continue
        else:
            raise AssertionError(f"could not build the address of {name}")
        assert "s3cr3tVALUE" not in private_path(path), path
        checked.append(name)
    assert {"your_tribute", "reminder_unsubscribe", "invitation", "account_confirm_email"} <= set(
        checked
    )


@pytest.mark.django_db
def test_the_error_mail_of_a_failing_secret_link_shows_neither_the_token_nor_the_query(
    client, settings, monkeypatch
):
    settings.ADMINS = ["admins@example.org"]
    settings.DEBUG = False

    def broken(*args, **kwargs):
        raise RuntimeError("the tribute could not be read")

    monkeypatch.setattr(posting_services, "find_by_token", broken)
    token = "Tk" + "x" * 40
    client.raise_request_exception = False
    response = client.get(
        f"/your-tribute/{token}/?email=claire%40example.org&token={token}",
        HTTP_REFERER=f"https://memorial.example.org/reminders/unsubscribe/{token}/",
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 500
    [report] = [m for m in mail.outbox if m.to == ["admins@example.org"]]
    text = report.subject + report.body
    assert "Request URL: http://testserver/your-tribute/<token>/\n" in report.body
    assert "/your-tribute/<token>/" in report.subject
    assert "RuntimeError" in report.body
    for secret in (token, "claire", "203.0.113.9"):
        assert secret not in text, secret
