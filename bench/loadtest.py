"""Reusable parts of the load benches (bench/run, bench/cluster).

- `bench_database(name)`: a new, empty database of that name on the machine's PostgreSQL at
  127.0.0.1:5432 (DATABASE_URL's server when set), or on the embedded one;
- `site_env(url)`: production settings as behind a TLS proxy, with the floor views mounted
  (ROOT_URLCONF=bench.bench_urls), rate limits raised and Redis when it answers;
- `prepare_site(env)`: migrate, load the big demo, collectstatic;
- `gunicorn_server(env)` (bench/production.py): gunicorn with gunicorn.conf.py, yielding a
  `Server` (port, worker pids, their RSS);
- `wrk(...)`: one load by wrk (installed from Debian's packages if missing) through bench/wrk.lua,
  every request answered and counted;
- `queries_per_request(env, requests)`: SQL queries of each request, measured in a process with
  the same settings;
- `print_table(...)`: the figures as a Markdown table.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import socket
import subprocess
import sys
import urllib.parse

from bench.production import BASE_DIR, MANAGE, debian_binary, production_env

LOCAL_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"
LOCAL_REDIS = ("127.0.0.1", 6379)
WRK_SCRIPT = BASE_DIR / "bench" / "wrk.lua"
# An answer slower than this is an error (a visitor on a phone has given up by then). Kept
# below gunicorn's keep-alive (5 s): wrk's wait for the last answers must end before gunicorn
# closes the idle connections, which wrk would count as read errors.
TIMEOUT_SECONDS = 3
# Form fields every bench POST carries: a CSRF secret in the cookie and in the form, as a browser
# sends them (32 characters: an unmasked secret, which Django accepts).
CSRF_TOKEN = "benchcsrftoken" + "x" * 18
POST_HEADERS = {
    "Content-Type": "application/x-www-form-urlencoded",
    "Cookie": f"csrftoken={CSRF_TOKEN}",
    "Origin": "https://127.0.0.1",
    "Referer": "https://127.0.0.1/",
}
# A first-time visitor's candle in an event, as its form sends it (wrk.lua puts a new submission
# key in "{key}" on every request).
LIGHT_FORM = (
    urllib.parse.urlencode(
        {
            "name": "Someone who remembers",
            "show_name": "on",
            "message": "",
            "csrfmiddlewaretoken": CSRF_TOKEN,
        }
    )
    + "&submission_key={key}"
)
# As nginx (deploy/nginx.conf) tells gunicorn: the host asked for, and that it came over https.
PROXY_HEADERS = {
    "Host": "127.0.0.1",
    "X-Forwarded-Proto": "https",
    "X-Forwarded-For": "203.0.113.7",
}


def _connect(url: str):
    import psycopg

    return psycopg.connect(url, autocommit=True)


def _answers(host: str, port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex((host, port)) == 0


def server_url() -> str:
    """The PostgreSQL server the bench uses: DATABASE_URL's, the machine's, or the embedded one."""
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    if _answers("127.0.0.1", 5432):
        try:
            _connect(LOCAL_POSTGRES).close()
            return LOCAL_POSTGRES
        except Exception as error:  # Not trust authentication, or not ours: use the embedded one.
            print(
                f"  the PostgreSQL at 127.0.0.1:5432 refused us ({error}); using the embedded one"
            )
    from memorial import embedded_postgres

    return embedded_postgres.database_url(BASE_DIR)


def bench_database(name: str, *, reuse: bool = False) -> str:
    """A new, empty database `name` (an older one of that name is dropped, unless `reuse`);
    returns its URL."""
    url = server_url()
    with contextlib.closing(_connect(url)) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not (reuse and exists.fetchone()):
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def redis_url() -> str:
    """The machine's Redis (a database number of this bench's own), or "" when none answers."""
    if os.environ.get("REDIS_URL"):
        return os.environ["REDIS_URL"]
    return "redis://127.0.0.1:6379/7" if _answers(*LOCAL_REDIS) else ""


def site_env(database_url: str, **overrides: str) -> dict[str, str]:
    return production_env(
        database_url,
        ROOT_URLCONF="bench.bench_urls",
        RATE_LIMIT_SCALE="1000",
        REDIS_URL=redis_url(),
        # This checkout's own: other benches on the machine collect theirs elsewhere.
        STATIC_ROOT=str(BASE_DIR / "var" / "bench-static"),
        **overrides,
    )


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [*MANAGE, *args], env=env, cwd=BASE_DIR, check=True, capture_output=True, text=True
    )
    return done.stdout.strip()


def prepare_site(env: dict[str, str]) -> str:
    """Migrate, load the big demo, make the floor's memorial, collectstatic. Returns the load's
    own line (its time)."""
    manage(env, "migrate", "--verbosity", "0")
    loaded = manage(env, "load_bulk_demo")
    manage(
        env,
        "shell",
        "--verbosity",
        "0",
        "-c",
        "from tributes.models import Memorial; from bench.bench_urls import BENCH_MEMORIAL_SLUG; "
        "Memorial.objects.get_or_create(slug=BENCH_MEMORIAL_SLUG, "
        "defaults={'name': 'Bench floor', 'is_draft': True})",
    )
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    if env.get("REDIS_URL"):
        # Nothing cached by an earlier run (of another database) may answer this one.
        manage(env, "shell", "-c", "from django.core.cache import cache; cache.clear()")
    return loaded


def wrk_binary() -> str:
    return debian_binary("wrk")


@dataclasses.dataclass
class Load:
    """What one wrk load measured."""

    requests: int
    expected: int
    errors: int
    seconds: float
    p50_ms: float
    p99_ms: float
    # For a load that writes: the rows it stored, counted in the database (bench/run).
    stored: int | None = None

    @property
    def per_second(self) -> float:
        return self.expected / self.seconds


def wrk(
    port: int,
    path: str,
    *,
    connections: int,
    seconds: int,
    method: str = "GET",
    body: str = "",
    headers: dict[str, str] | None = None,
    expect: int = 200,
    revalidate: bool = False,
    threads: int = 2,
) -> Load:
    """Load `path` with wrk for `seconds`; every request sent is answered before it ends.

    In `body`, "{key}" becomes a new submission key and "{n}" a number, on each request.
    Requests answered with another status than `expect` (or 304 when `revalidate`) are errors.
    """
    headers = {**PROXY_HEADERS, **(POST_HEADERS if method == "POST" else {}), **(headers or {})}
    env = {
        **os.environ,
        "BENCH_METHOD": method,
        "BENCH_PATH": path,
        "BENCH_BODY": body,
        "BENCH_HEADERS": "\n".join(f"{name}: {value}" for name, value in headers.items()),
        "BENCH_SECONDS": str(seconds),
        "BENCH_EXPECT": str(expect),
        "BENCH_IF_NONE_MATCH": "1" if revalidate else "0",
    }
    done = subprocess.run(
        [
            wrk_binary(),
            f"--threads={min(threads, connections)}",
            f"--connections={connections}",
            # wrk stops sending at `seconds` (wrk.lua) and waits for the last answers: each is
            # answered or, after TIMEOUT_SECONDS, counted as an error before wrk ends.
            f"--duration={seconds + TIMEOUT_SECONDS + 1}s",
            f"--timeout={TIMEOUT_SECONDS}s",
            f"--script={WRK_SCRIPT}",
            f"http://127.0.0.1:{port}{path}",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    return Load(
        requests=figures["requests"],
        expected=figures["expected"],
        errors=figures["unexpected"] + figures["socket_errors"] + figures["timeouts"],
        seconds=float(seconds),
        p50_ms=figures["p50_us"] / 1000,
        p99_ms=figures["p99_us"] / 1000,
    )


# Run in a process with the site's settings: each GET once to warm what it caches, then once
# counted; each POST once, counted. Prints {label: queries} as JSON.
_COUNT_QUERIES = """
import json, secrets, sys
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment
setup_test_environment()
shared_client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1")
counts = {}
for label, method, path, body, cookies in json.loads(sys.stdin.read()):
    client = shared_client
    if cookies:  # A visitor of their own, with these cookies.
        client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1")
        client.cookies.load(cookies)
    for _ in range(2 if method == "GET" else 1):
        with CaptureQueriesContext(connection) as queries:
            if method == "GET":
                answer = client.get(path, secure=True)
            else:
                form = body.replace("{key}", secrets.token_urlsafe(32)).replace("{n}", "0")
                answer = client.post(
                    path, form, content_type="application/x-www-form-urlencoded", secure=True
                )
        assert answer.status_code < 400, (label, answer.status_code)
    counts[label] = len(queries)
print(json.dumps(counts))
"""


def queries_per_request(
    env: dict[str, str], requests: list[tuple[str, str, str, str, str]]
) -> dict[str, int]:
    """SQL queries of each (label, method, path, form body, cookies) request; GETs on a warm
    cache. Cookies ("name=value; name=value") make the request a visitor of its own.

    In a form body "{key}" becomes a new submission key, as in `wrk()`.
    """
    done = subprocess.run(
        [sys.executable, "-c", _COUNT_QUERIES],
        input=json.dumps(requests),
        env={**env, "DJANGO_SETTINGS_MODULE": "memorial.settings", "ALLOWED_HOSTS": "127.0.0.1"},
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(f"counting queries failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def count_rows(database_url: str, sql: str, params: list) -> int:
    with contextlib.closing(_connect(database_url)) as connection:
        return connection.execute(sql, params).fetchone()[0]


def server_kind(database_url: str) -> str:
    """What the bench runs on, for its header: "PostgreSQL 15.14 at 127.0.0.1:5432"."""
    with contextlib.closing(_connect(database_url)) as connection:
        version = connection.execute("SHOW server_version").fetchone()[0]
    host = urllib.parse.urlsplit(database_url).hostname or "a local socket (embedded)"
    return f"PostgreSQL {version.split()[0]} at {host}"


def print_table(header: list[str], rows: list[list[str]]) -> None:
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")
