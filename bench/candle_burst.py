#!/usr/bin/env python3
"""The 7pm rush: 64 visitors light candles on one event at once, for 30 seconds.

Starts the site under gunicorn on PostgreSQL with production settings as they would sit behind
a TLS proxy, measures lights per second and latency, checks that the database holds exactly one
candle per successful answer, and compares with a bare Django view that inserts one row, run on
the same machine in the same run.

    .venv/bin/python bench/candle_burst.py            # embedded PostgreSQL, database memorial_bench
    DATABASE_URL=postgres://... .venv/bin/python bench/candle_burst.py

Options through the environment: BENCH_CLIENTS (64), BENCH_SECONDS (30), BENCH_WORKERS (2),
BENCH_THREADS (8), BENCH_PORT (a free port).
"""

from __future__ import annotations

import http.client
import multiprocessing
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

CLIENTS = int(os.environ.get("BENCH_CLIENTS", "64"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "30"))
WARMUP_SECONDS = 3.0
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
THREADS = int(os.environ.get("BENCH_THREADS", "8"))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


PORT = int(os.environ.get("BENCH_PORT") or _free_port())
CLIENT_PROCESSES = 4
ROUNDS = 3
EVENT_SLUG = "bench-rush"
CSRF_TOKEN = "benchcsrftoken" + "x" * 18  # 32 characters: an unmasked CSRF secret

SETUP = f"""
import datetime as dt
from django.utils import timezone
from tributes.models import Candle, CandleEvent, Memorial
from bench.bench_urls import BENCH_MEMORIAL_SLUG
Memorial.objects.get_or_create(slug=BENCH_MEMORIAL_SLUG, defaults={{"name": "Bench floor"}})
memorial, _ = Memorial.objects.get_or_create(slug="bench-family", defaults={{"name": "Bench family"}})
CandleEvent.objects.filter(slug="{EVENT_SLUG}").delete()
start = (timezone.now() - dt.timedelta(minutes=5)).astimezone(memorial.zone)
CandleEvent.objects.create(memorial=memorial, title="Bench rush", slug="{EVENT_SLUG}",
    local_date=start.date(), local_time=start.time().replace(microsecond=0),
    time_zone=memorial.time_zone, duration=dt.timedelta(hours=3))
Candle.objects.filter(memorial__slug=BENCH_MEMORIAL_SLUG).delete()
"""


def bench_database_url() -> str:
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    import psycopg

    from memorial import embedded_postgres

    url = embedded_postgres.database_url(BASE_DIR)
    parts = urllib.parse.urlsplit(url)
    connection = psycopg.connect(url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = 'memorial_bench'")
        if cursor.fetchone() is None:
            cursor.execute('CREATE DATABASE "memorial_bench"')
    connection.close()
    return urllib.parse.urlunsplit(parts._replace(path="/memorial_bench"))


def count_rows(database_url: str, sql: str, params: list) -> int:
    import psycopg

    connection = psycopg.connect(database_url)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        (count,) = cursor.fetchone()
    connection.close()
    return count


def client_process(args) -> tuple[int, int, list[float]]:
    """One client process: `threads` keep-alive connections posting until `deadline`."""
    path, threads, deadline, expect, secret = args
    from django.conf import settings

    if not settings.configured:
        settings.configure(SECRET_KEY=secret)
    from django.http import HttpResponse

    from tributes.security.visitors import VISITOR_COOKIE, VISITOR_COOKIE_SALT

    def new_visitor_cookie() -> str:
        # Signed exactly as the site signs its own visitor cookie.
        response = HttpResponse()
        response.set_signed_cookie(
            VISITOR_COOKIE, secrets.token_urlsafe(18), salt=VISITOR_COOKIE_SALT
        )
        return response.cookies[VISITOR_COOKIE].value

    lock = threading.Lock()
    totals = {"ok": 0, "failed": 0, "latencies": []}

    def run() -> None:
        ok = failed = 0
        latencies = []
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        while time.time() < deadline:
            # A new visitor for every candle: each light is someone's first.
            visitor = new_visitor_cookie()
            body = urllib.parse.urlencode(
                {
                    "name": "Someone who remembers",
                    "show_name": "on",
                    "csrfmiddlewaretoken": CSRF_TOKEN,
                }
            )
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={CSRF_TOKEN}; {VISITOR_COOKIE}={visitor}",
            }
            started = time.perf_counter()
            try:
                connection.request("POST", path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                failed += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
                continue
            latencies.append(time.perf_counter() - started)
            location = response.getheader("Location", "")
            if response.status == expect and (expect != 302 or location.endswith("#your-candle")):
                ok += 1
            else:
                failed += 1
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        connection.close()
        with lock:
            totals["ok"] += ok
            totals["failed"] += failed
            totals["latencies"].extend(latencies)

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return totals["ok"], totals["failed"], totals["latencies"]


def load(path: str, seconds: float, expect: int, secret: str) -> dict:
    deadline = time.time() + seconds
    per_process = CLIENTS // CLIENT_PROCESSES
    started = time.time()
    with multiprocessing.get_context("fork").Pool(CLIENT_PROCESSES) as pool:
        results = pool.map(
            client_process, [(path, per_process, deadline, expect, secret)] * CLIENT_PROCESSES
        )
    return {
        "ok": sum(r[0] for r in results),
        "failed": sum(r[1] for r in results),
        "elapsed": time.time() - started,
        "latencies": [lat for _, _, lats in results for lat in lats],
    }


def combine(rounds: list[dict]) -> dict:
    latencies = sorted(lat for result in rounds for lat in result["latencies"])
    ok = sum(result["ok"] for result in rounds)
    return {
        "ok": ok,
        "failed": sum(result["failed"] for result in rounds),
        "per_second": ok / sum(result["elapsed"] for result in rounds),
        "p50_ms": statistics.median(latencies) * 1000 if latencies else float("nan"),
        "p99_ms": statistics.quantiles(latencies, n=100)[98] * 1000
        if len(latencies) > 1
        else float("nan"),
    }


def wait_until_up(process: subprocess.Popen) -> None:
    for _ in range(300):
        if process.poll() is not None:
            raise SystemExit("gunicorn stopped before answering: see its output above.")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            connection.request("GET", f"/candles/{EVENT_SLUG}/status.json")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit("gunicorn did not answer within 30 seconds.")


def main() -> None:
    secret = secrets.token_urlsafe(50)
    database_url = bench_database_url()
    static_root = tempfile.mkdtemp(prefix="memorial-bench-static-")
    env = {
        **os.environ,
        "DEBUG": "0",
        "TESTING": "0",
        "SECRET_KEY": secret,
        "DATABASE_URL": database_url,
        "SECURE_SSL_REDIRECT": "0",
        "RATE_LIMIT_SCALE": "1000",
        "ROOT_URLCONF": "bench.bench_urls",
        "STATIC_ROOT": static_root,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
        # gunicorn.conf.py's access log would print a line per light.
        "GUNICORN_ACCESS_LOG": "",
    }
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "unknown CPU",
    )
    print("Candle burst benchmark")
    print(f"  machine: {os.cpu_count()} CPUs ({cpu}), Python {sys.version.split()[0]}")
    print("  load average at the start: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    print(
        "  settings: production (DEBUG=0, a random SECRET_KEY, secure cookies, HSTS, CSP) as behind "
        "a TLS proxy; SECURE_SSL_REDIRECT=0 because the load runs over loopback HTTP"
    )
    print("  rate limits: RATE_LIMIT_SCALE=1000 set in the environment (limits raised 1000x)")
    print(f"  database: PostgreSQL at {urllib.parse.urlsplit(database_url).path.lstrip('/')}")
    print(
        f"  server: gunicorn, {WORKERS} workers x {THREADS} threads (gthread), keep-alive; "
        f"ROOT_URLCONF=bench.bench_urls adds the bare view for this run only"
    )
    print(
        f"  load: {CLIENTS} concurrent clients, a new visitor cookie per light, {SECONDS:.0f} s "
        f"for each view, the two taking turns in {ROUNDS} rounds"
    )
    manage = [sys.executable, str(BASE_DIR / "manage.py")]
    subprocess.run([*manage, "migrate", "--verbosity", "0"], env=env, check=True, cwd=BASE_DIR)
    subprocess.run(
        [*manage, "collectstatic", "--noinput", "--verbosity", "0"],
        env=env,
        check=True,
        cwd=BASE_DIR,
    )
    subprocess.run(
        [*manage, "shell", "--verbosity", "0", "-c", SETUP], env=env, check=True, cwd=BASE_DIR
    )
    gunicorn = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "memorial.wsgi:application",
            f"--bind=127.0.0.1:{PORT}",
            f"--workers={WORKERS}",
            f"--threads={THREADS}",
            "--worker-class=gthread",
            "--keep-alive=5",
            "--log-level=warning",
        ],
        env=env,
        cwd=BASE_DIR,
    )
    try:
        wait_until_up(gunicorn)
        event_id = count_rows(
            database_url, "SELECT id FROM tributes_candleevent WHERE slug = %s", [EVENT_SLUG]
        )
        runs = {
            "bare view (one INSERT)": (
                "/bench/insert-one-row/",
                204,
                "SELECT count(*) FROM tributes_candle c JOIN tributes_memorial m "
                "ON m.id = c.memorial_id WHERE m.slug = %s",
                ["bench-floor"],
            ),
            "light a candle": (
                f"/candles/{EVENT_SLUG}/light/",
                302,
                "SELECT count(*) FROM tributes_candle WHERE event_id = %s",
                [event_id],
            ),
        }
        for path, expect, _, _ in runs.values():
            load(path, WARMUP_SECONDS, expect, secret)
        # The two loads take turns in short rounds, so that whatever else the machine is doing
        # weighs on both alike.
        rounds: dict[str, list[dict]] = {name: [] for name in runs}
        stored_rows = dict.fromkeys(runs, 0)
        for _ in range(ROUNDS):
            for name, (path, expect, count_sql, params) in runs.items():
                before = count_rows(database_url, count_sql, params)
                rounds[name].append(load(path, SECONDS / ROUNDS, expect, secret))
                stored_rows[name] += count_rows(database_url, count_sql, params) - before
        results = {}
        for name in runs:
            result = combine(rounds[name])
            stored = stored_rows[name]
            results[name] = result
            print(
                f"\n{name}: {result['per_second']:.0f} per second, p50 {result['p50_ms']:.1f} ms, "
                f"p99 {result['p99_ms']:.1f} ms, {result['ok']} succeeded, {result['failed']} failed"
            )
            lost = max(result["ok"] - stored, 0)
            duplicated = max(stored - result["ok"], 0)
            verdict = "OK" if stored == result["ok"] else "MISMATCH"
            print(
                f"  rows in the database: {stored}, successful answers: {result['ok']} -> "
                f"{lost} lost, {duplicated} duplicated ({verdict})"
            )
        floor = results["bare view (one INSERT)"]["per_second"]
        candles = results["light a candle"]["per_second"]
        print(f"\nlighting candles runs at {candles / floor:.0%} of the bare-view floor (aim: 70%)")
        print("load average at the end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)
        shutil.rmtree(static_root, ignore_errors=True)


if __name__ == "__main__":
    main()
