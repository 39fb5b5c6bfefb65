"""Production settings, security headers and cookies, and kind refusals of bad requests."""

import importlib
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import clear_url_caches, reverse

from tests.support.factories import UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


def production_env(**overrides) -> dict[str, str]:
    # A clean environment, as on a server: nothing of the test run (TESTING, DEBUG, the browser
    # tests' DJANGO_ALLOW_ASYNC_UNSAFE) leaks into it.
    env = {key: os.environ[key] for key in ["PATH", "HOME", "LANG", "TMPDIR"] if key in os.environ}
    env.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="memorial.example.org",
        SITE_URL="https://memorial.example.org",
        # Never connected to: the checks below do not touch the database.
        DATABASE_URL="postgres://memorial@127.0.0.1:1/memorial",
        REDIS_URL="redis://127.0.0.1:6379/0",
        EMAIL_HOST="smtp.example.org",
    )
    env.update(overrides)
    return env


def run_deploy_check(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_deploy_check_is_clean_with_production_settings():
    result = run_deploy_check(production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_deploy_check_warns_when_production_forgets_the_shared_cache():
    env = production_env()
    del env["REDIS_URL"]
    result = run_deploy_check(env)
    assert result.returncode != 0
    assert "tributes.W001" in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = production_env(SECRET_KEY="")
    result = run_deploy_check(env)
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_plain_http_is_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_every_page_carries_the_security_headers(client):
    response = client.get("/", secure=True)
    assert response.status_code == 200
    hsts = response["Strict-Transport-Security"]
    max_age = int(hsts.split("max-age=")[1].split(";")[0])
    assert max_age >= 365 * 24 * 60 * 60
    assert "includeSubDomains" in hsts
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_the_content_security_policy_allows_nothing_from_elsewhere(client):
    policy = client.get("/", secure=True)["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    # Besides our files, only our own stylesheet in each page's head, by its hash.
    [own, style_hash] = directives["style-src"]
    assert own == "'self'" and style_hash.startswith("'sha256-")
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy
    assert "*" not in policy.replace("'", "")
    assert all(
        source.startswith("'nonce-") or source == "'self'" for source in directives["script-src"]
    )


def test_cookies_are_secure_http_only_and_same_site(client):
    UserFactory(username="claire", is_staff=True)
    login_page = client.get(reverse("admin:login"), secure=True)
    csrf = login_page.cookies["csrftoken"]
    assert csrf["secure"] and csrf["httponly"] and csrf["samesite"] == "Lax"
    response = client.post(
        reverse("admin:login"),
        {"username": "claire", "password": "correct horse battery staple"},
        secure=True,
    )
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"


def test_the_admin_login_refuses_a_post_without_a_csrf_token():
    UserFactory(username="claire", is_staff=True)
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("admin:login"),
        {"username": "claire", "password": "correct horse battery staple"},
        secure=True,
    )
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_a_refused_form_shows_a_kind_page_with_the_words_to_copy():
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/memorials/anyone/",
        {
            "author_name": "Aunt May",
            "message": "We miss you every single day.",
            "password": "hunter2-secret",
        },
        secure=True,
    )
    assert response.status_code == 403
    page = response.text
    assert "hunter2-secret" not in page
    assert "We could not accept this form" in page
    assert "We miss you every single day." in page
    assert "Aunt May" in page
    # A forged post must not become one click from being accepted: nothing to resend here.
    assert 'type="submit"' not in page


def test_a_form_posted_from_another_site_is_refused_without_showing_its_text():
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/memorials/anyone/",
        {"message": "Words an attacker wants shown on our site"},
        secure=True,
        headers={"Origin": "https://attacker.example"},
    )
    assert response.status_code == 403
    assert "We could not accept this form" in response.text
    assert "Words an attacker wants shown" not in response.text


def test_a_form_post_too_large_to_read_gets_a_kind_400(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = client.post(
        reverse("admin:login"), {"username": "x" * 20_000, "password": "y"}, secure=True
    )
    assert response.status_code == 400
    assert "We could not read what was sent" in response.text


def test_a_body_over_the_request_limit_is_refused_with_a_kind_413_before_it_is_read(
    client, settings
):
    settings.MAX_REQUEST_BODY_BYTES = 1024 * 1024
    response = client.generic(
        "POST",
        reverse("admin:login"),
        data=b"x" * (1024 * 1024 + 1),
        content_type="application/octet-stream",
        secure=True,
    )
    assert response.status_code == 413
    assert "This was too large to send" in response.text
    assert "1 MB" in response.text


def test_a_body_of_exactly_the_request_limit_is_not_refused_for_its_size(client, settings):
    settings.MAX_REQUEST_BODY_BYTES = 1024 * 1024
    response = client.generic(
        "POST",
        reverse("admin:login"),
        data=b"x" * (1024 * 1024),
        content_type="application/octet-stream",
        secure=True,
    )
    assert response.status_code == 200


def post_declaring(client, length: str):
    return client.generic(
        "POST",
        reverse("admin:login"),
        data=b"x",
        content_type="application/octet-stream",
        secure=True,
        CONTENT_LENGTH=length,
    )


@pytest.mark.parametrize(
    ("declared", "status"),
    [(25 * 1024 * 1024, 200), (25 * 1024 * 1024 + 1, 413)],
    ids=["25MB", "over"],
)
def test_the_production_request_limit_is_twenty_five_megabytes(client, declared, status):
    # Refused on the length the request declares, before a byte of the body is read.
    response = post_declaring(client, str(declared))
    assert response.status_code == status
    if status == 413:
        assert "25 MB" in response.text


def test_a_request_with_a_garbled_length_is_not_refused_for_its_size(client):
    assert post_declaring(client, "a lot").status_code == 200


@pytest.fixture
def admin_moved(settings):
    import memorial.urls

    settings.ADMIN_URL = "quiet-room/"
    clear_url_caches()
    importlib.reload(memorial.urls)
    yield
    settings.ADMIN_URL = "admin/"
    clear_url_caches()
    importlib.reload(memorial.urls)


def test_the_admin_lives_at_the_configured_address(client, admin_moved):
    assert reverse("admin:index") == "/quiet-room/"
    assert client.get("/quiet-room/login/", secure=True).status_code == 200
    assert client.get("/admin/login/", secure=True).status_code == 404


def test_security_txt_says_where_to_report_a_problem(client, settings):
    settings.SECURITY_CONTACT = "security@memorial.example.org"
    response = client.get("/.well-known/security.txt", secure=True)
    assert response.status_code == 200
    assert "Contact: mailto:security@memorial.example.org" in response.text
    assert "Expires: " in response.text


def test_a_forbidden_page_is_kind(client):
    client.force_login(UserFactory(username="helper", is_staff=True))
    response = client.get(reverse("admin:tributes_memorial_changelist"), secure=True)
    assert response.status_code == 403
    assert "This is not available to you" in response.text
