#!/usr/bin/env python3
"""Two app servers behind nginx that share only PostgreSQL, Redis and an S3 bucket.

`bench/cluster` runs this from a clean checkout. As on two hosts, each gunicorn (gunicorn.conf.py,
production settings, production rate limits) has its own static files, media folder and temporary
folder; they share only what a deployment shares: one PostgreSQL (the machine's at
127.0.0.1:5432, a database made for the run and dropped after it, or else the embedded one), one
Redis (the machine's at 127.0.0.1:6379, database 11, flushed before and after; or one of the
bench's own), and moto's S3-compatible server with a private bucket. nginx (from Debian's
packages, installed if missing) listens on loopback with deploy/nginx.conf's proxy settings and an
upstream of the two; a header of the bench's own says which server answered each request.

Visitors reach nginx through a pretend CDN, as in the README's topology: each sends its own
address in X-Forwarded-For and the app trusts two proxies (TRUSTED_PROXY_COUNT=2). Checks:

1. the candle burst: many first-time visitors light a candle in one live event at once, one in
   ten with a double click (the same form sent twice at the same moment, most often to both
   servers); every visitor told "lit" has exactly one candle, nobody has two;
2. a visitor who lit on one server sees their candle on both, and lighting again on either
   finds the candle already lit;
3. a visitor lighting memorial candles, alternating servers, is limited as one (5 in 10 minutes);
4. a moderator signed in through one server is signed in on both (sessions in PostgreSQL), and
   a tribute both servers show (each keeps the memorial page in its processes) is gone from both
   on the next page views once that moderator rejects it through one;
5. a photo posted through one server is stored in the bucket, never on either server's disk,
   sent by both as a signed address the bucket answers with the same bytes, and deleted from the
   bucket with its tribute.

It prints a table with the machine line, the CPU each part used during the burst (what to scale
first) and the bare-INSERT floor through the same nginx, and exits 1 if a check fails.

    bench/cluster          # or: .venv/bin/python bench/cluster.py

Options through the environment: BENCH_VISITORS (1500), BENCH_CLIENTS (32: nginx allows 64
connections from one address, and a double click opens a second), BENCH_WORKERS (2 per
server), BENCH_THREADS (4).
"""

from __future__ import annotations

import contextlib
import html.parser
import http.client
import http.cookies
import multiprocessing
import os
import re
import resource
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from urllib3 import encode_multipart_formdata

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench import production  # noqa: E402
from tests.support.s3 import s3_server  # noqa: E402

VISITORS = int(os.environ.get("BENCH_VISITORS", "1500"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "32"))
WORKERS = os.environ.get("BENCH_WORKERS", "2")
THREADS = os.environ.get("BENCH_THREADS", "4")
CLIENT_PROCESSES = 4
ROUNDS = 3
DOUBLE_CLICK_EVERY = 10
REDIS_DB = 11
SERVER_LOG = Path(tempfile.gettempdir()) / "memorial-cluster-server.log"
CSRF_TOKEN = "clustercsrftoken" + "x" * 16  # 32 characters: an unmasked CSRF secret
MEMORIAL, EVENT, MODERATOR = "cluster-family", "cluster-rush", "cluster-moderator"
# A published tribute's words, which a moderator takes down through one server.
TAKEN_DOWN = "Words a moderator takes down during the rush"
UPSTREAM_HEADER = "X-Bench-Upstream"

SETUP = """
import datetime as dt
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from bench.bench_urls import BENCH_MEMORIAL_SLUG
from tributes.models import CandleEvent, Memorial, ModerationMode
Memorial.objects.get_or_create(slug=BENCH_MEMORIAL_SLUG, defaults={{"name": "Bench floor"}})
memorial = Memorial.objects.create(slug="{memorial}", name="Cluster family",
    moderation_mode=ModerationMode.OPEN)
start = (timezone.now() - dt.timedelta(minutes=5)).astimezone(memorial.zone)
CandleEvent.objects.create(memorial=memorial, title="Seven o'clock", slug="{event}",
    local_date=start.date(), local_time=start.time().replace(microsecond=0),
    time_zone=memorial.time_zone, duration=dt.timedelta(hours=3))
moderator = get_user_model().objects.create_user("{moderator}", "moderator@example.org",
    "{password}", is_staff=True)
moderator.groups.add(Group.objects.get(name="Moderators"))
from tributes.models import Status, Tribute
Tribute.objects.create(memorial=memorial, author_name="Cluster visitor", message="{taken_down}",
    status=Status.APPROVED)
"""


# --- The shared services ---------------------------------------------------------------------


def _driver():
    # psycopg 3 where the project has moved to it, psycopg2 before: both take a libpq URL.
    try:
        import psycopg
    except ImportError:
        import psycopg2 as psycopg
    return psycopg


# The bench's own connections, left out when it counts the servers' connections.
BENCH_APPLICATION = "memorial-cluster-bench"


def sql(url: str, query: str, params: list | tuple = ()) -> list[tuple]:
    connection = _driver().connect(url, application_name=BENCH_APPLICATION)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(query, params)
            return cursor.fetchall() if cursor.description else []
    finally:
        connection.close()


@contextlib.contextmanager
def fresh_database() -> Iterator[tuple[str, str]]:
    """A database made for this run (dropped after it); yields its URL and where it is."""
    admin = "postgres://postgres@127.0.0.1:5432/postgres"
    where = "the machine's PostgreSQL at 127.0.0.1:5432"
    try:
        sql(admin, "SELECT 1")
    except Exception:
        from memorial import embedded_postgres

        admin = embedded_postgres.database_url(BASE_DIR)
        where = "the embedded PostgreSQL"
    version = sql(admin, "SHOW server_version")[0][0].split()[0]
    name = f"memorial_cluster_{secrets.token_hex(4)}"
    sql(admin, f'CREATE DATABASE "{name}"')
    url = urllib.parse.urlunsplit(urllib.parse.urlsplit(admin)._replace(path=f"/{name}"))
    try:
        yield url, f"{where} (PostgreSQL {version}), database {name}"
    finally:
        sql(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _install(package: str, binary: str) -> str:
    found = shutil.which(binary) or ""
    if found:
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise SystemExit(
            f"{binary} is needed: apt-get install {package} (as root), then run again."
        )
    print(f"  installing {package} from Debian's packages ...", flush=True)
    quiet = {"stdout": subprocess.DEVNULL, "check": True}
    subprocess.run(["apt-get", "update", "-qq"], **quiet)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", package],
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        **quiet,
    )
    return shutil.which(binary) or f"/usr/bin/{binary}"


@contextlib.contextmanager
def redis_database() -> Iterator[tuple[str, str]]:
    """Database 11 of the machine's Redis (flushed before and after), or a Redis of our own."""
    import redis

    machine = redis.Redis(host="127.0.0.1", port=6379, db=REDIS_DB, socket_timeout=2)
    try:
        machine.ping()
    except redis.RedisError:
        port = production.free_port()
        server = subprocess.Popen(
            [_install("redis-server", "redis-server"), "--port", str(port), "--save", ""],
            stdout=subprocess.DEVNULL,
        )
        try:
            own = redis.Redis(host="127.0.0.1", port=port, socket_timeout=2)
            for _ in range(100):
                with contextlib.suppress(redis.RedisError):
                    own.ping()
                    break
                time.sleep(0.1)
            yield f"redis://127.0.0.1:{port}/0", f"a Redis of the bench's own on port {port}"
        finally:
            server.terminate()
            server.wait(timeout=10)
        return
    machine.flushdb()
    try:
        yield (
            f"redis://127.0.0.1:6379/{REDIS_DB}",
            f"the machine's Redis at 127.0.0.1:6379, database {REDIS_DB}",
        )
    finally:
        machine.flushdb()


@contextlib.contextmanager
def app_server(env: dict[str, str], name: str, release: Path) -> Iterator[tuple[int, Path]]:
    """One gunicorn as on a host of its own: its own static, media and temporary folders.

    Its static files are a copy of `release`, collected once, as every host of a deployment
    gets the same built release.
    """
    host = Path(tempfile.mkdtemp(prefix=f"memorial-cluster-{name}-"))
    folders = {key: host / key.lower() for key in ("STATIC_ROOT", "MEDIA_ROOT", "TMPDIR")}
    shutil.copytree(release, folders["STATIC_ROOT"])
    folders["MEDIA_ROOT"].mkdir()
    folders["TMPDIR"].mkdir()
    own = {**env, **{key: str(folder) for key, folder in folders.items()}}
    try:
        with production.gunicorn(
            own, log=SERVER_LOG, GUNICORN_WORKERS=WORKERS, GUNICORN_THREADS=THREADS
        ) as port:
            yield port, folders["MEDIA_ROOT"]
    finally:
        shutil.rmtree(host, ignore_errors=True)


def nginx_config(app_ports: list[int], port: int, folder: Path) -> str:
    """deploy/nginx.conf's site (production.site_config) with an upstream of every app server."""
    text = production.site_config(app_ports[0], port, folder)
    servers = "".join(f"    server 127.0.0.1:{app};\n" for app in app_ports)
    text = re.sub(r"(upstream memorial_app \{\n)\s*server [^;]*;\n", rf"\1{servers}", text)
    # Which server answered: for this bench only, so that it can count each one's share.
    return text.replace(
        "        proxy_pass http://memorial_app;",
        f"        proxy_pass http://memorial_app;\n"
        f"        add_header {UPSTREAM_HEADER} $upstream_addr always;",
    )


# --- A visitor's browser ---------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    location: str = ""
    body: str = ""
    server: str = ""
    headers: dict = field(default_factory=dict)


class Browser:
    """One visitor behind the pretend CDN: an address of their own, cookies kept between requests."""

    servers: dict[str, str] = {}

    def __init__(self, port: int, address: str) -> None:
        self.port, self.address = port, address
        self.cookies = {"csrftoken": CSRF_TOKEN}

    def _headers(self, extra: dict | None = None) -> dict:
        return {
            "Host": "127.0.0.1",
            "X-Forwarded-For": self.address,
            # The site is https behind the proxies: Django checks a form's origin, as browsers
            # send it with every post.
            "Origin": "https://127.0.0.1",
            "Cookie": "; ".join(f"{key}={value}" for key, value in self.cookies.items()),
            **(extra or {}),
        }

    def send(self, connection: http.client.HTTPConnection, method: str, path: str, **kwargs):
        """Send a request on `connection` without waiting for the answer (see `receive`)."""
        body, extra = kwargs.get("body"), kwargs.get("headers")
        if kwargs.get("fields") is not None:
            fields = {**kwargs["fields"], "csrfmiddlewaretoken": CSRF_TOKEN}
            body = urllib.parse.urlencode(fields)
            extra = {"Content-Type": "application/x-www-form-urlencoded"}
        connection.request(method, path, body=body, headers=self._headers(extra))

    def receive(self, connection: http.client.HTTPConnection) -> Answer:
        response = connection.getresponse()
        body = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            for morsel in http.cookies.SimpleCookie(header).values():
                # The CSRF secret the visitor was given first stays valid (Django accepts it
                # with its form token): keep it, so that every form can send CSRF_TOKEN.
                if morsel.key == "csrftoken":
                    continue
                if morsel.value:
                    self.cookies[morsel.key] = morsel.coded_value
                else:
                    self.cookies.pop(morsel.key, None)
        upstream = response.getheader(UPSTREAM_HEADER, "")
        return Answer(
            status=response.status,
            location=response.getheader("Location", ""),
            body=body,
            server=self.servers.get(upstream, upstream or "nginx"),
            headers=dict(response.headers.items()),
        )

    def request(self, method: str, path: str, **kwargs) -> Answer:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            self.send(connection, method, path, **kwargs)
            return self.receive(connection)
        except (OSError, http.client.HTTPException):
            return Answer(status=0)
        finally:
            connection.close()


def candle_form(key: str | None = None, name: str = "Someone who remembers") -> dict:
    return {"name": name, "show_name": "on", "submission_key": key or secrets.token_urlsafe(32)}


def visitor_address(number: int) -> str:
    return f"10.{number >> 16 & 255}.{number >> 8 & 255}.{number & 255}"


# --- 1. The candle burst ---------------------------------------------------------------------


def light_as_visitor(port: int, path: str, number: int, double: bool, tag: str) -> dict:
    """A first-time visitor lights one candle: one request, or a double click (two at once)."""
    browser = Browser(port, visitor_address(number))
    name = f"{tag} visitor {number}"
    form = candle_form(name=name)
    connections = [http.client.HTTPConnection("127.0.0.1", port, timeout=30) for _ in range(2)]
    started = time.perf_counter()
    answers = []
    try:
        for connection in connections[: 2 if double else 1]:
            browser.send(connection, "POST", path, fields=form)
        for connection in connections[: 2 if double else 1]:
            answers.append(browser.receive(connection))
    except (OSError, http.client.HTTPException):
        answers += [Answer(status=0)] * ((2 if double else 1) - len(answers))
    finally:
        for connection in connections:
            connection.close()
    return {
        "name": name,
        "double": double,
        "statuses": [answer.status for answer in answers],
        "lit": [
            a.status == 204 or (a.status == 302 and a.location.endswith("#your-candle"))
            for a in answers
        ],
        "servers": [answer.server for answer in answers],
        "seconds": time.perf_counter() - started,
    }


def _client_process(args) -> list[dict]:
    port, path, numbers, tag, servers = args
    Browser.servers = servers
    results: list[dict] = []
    lock = threading.Lock()
    queue = list(numbers)

    def run() -> None:
        while True:
            with lock:
                if not queue:
                    return
                number = queue.pop()
            result = light_as_visitor(port, path, number, number % DOUBLE_CLICK_EVERY == 0, tag)
            with lock:
                results.append(result)

    threads = [threading.Thread(target=run) for _ in range(CLIENTS // CLIENT_PROCESSES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def burst(port: int, path: str, tag: str, numbers: list[int]) -> tuple[list[dict], float]:
    chunks = [numbers[i::CLIENT_PROCESSES] for i in range(CLIENT_PROCESSES)]
    started = time.perf_counter()
    # The client processes end as the pool stops them, without the bench's own SIGTERM handler.
    reset = (signal.signal, (signal.SIGTERM, signal.SIG_DFL))
    with multiprocessing.get_context("fork").Pool(CLIENT_PROCESSES, *reset) as pool:
        parts = pool.map(_client_process, [(port, path, c, tag, Browser.servers) for c in chunks])
    return [result for part in parts for result in part], time.perf_counter() - started


# --- What each part of the cluster spent ------------------------------------------------------


def _listening_inodes(port: int) -> set[str]:
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                    inodes.add(fields[9])
    return inodes


def pids_listening(port: int) -> set[int]:
    """Every process holding the listening socket of `port` (gunicorn's master and workers)."""
    wanted = {f"socket:[{inode}]" for inode in _listening_inodes(port)}
    pids = set()
    for proc in Path("/proc").glob("[0-9]*"):
        with contextlib.suppress(OSError):
            if any(os.readlink(fd) in wanted for fd in (proc / "fd").iterdir()):
                pids.add(int(proc.name))
    return pids


def cpu_seconds(pids: set[int]) -> dict[int, float]:
    ticks = os.sysconf("SC_CLK_TCK")
    seconds = {}
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            seconds[pid] = (int(fields[11]) + int(fields[12])) / ticks
    return seconds


class CpuMeter:
    """CPU seconds each part spends between `start()` and `stop()`, read from /proc."""

    def __init__(self, parts) -> None:
        # parts: name -> a function giving that part's process ids now.
        self.parts = parts

    def start(self) -> None:
        self.before = {name: cpu_seconds(find()) for name, find in self.parts.items()}
        self.children_before = resource.getrusage(resource.RUSAGE_CHILDREN)

    def stop(self) -> dict[str, float]:
        spent = {}
        for name, find in self.parts.items():
            now = cpu_seconds(find() | set(self.before[name]))
            spent[name] = sum(s - self.before[name].get(pid, 0.0) for pid, s in now.items())
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        spent["load generator (the visitors)"] = (after.ru_utime + after.ru_stime) - (
            self.children_before.ru_utime + self.children_before.ru_stime
        )
        return spent


# --- The table -------------------------------------------------------------------------------


@dataclass
class Row:
    scenario: str
    requests: int = 0
    successes: int = 0
    rows: int | str = "-"
    duplicates: int | str = "-"
    server_errors: int = 0
    share: Counter = field(default_factory=Counter)
    rate_limited: int = 0
    photo_checks: str = "-"
    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def count(self, answer: Answer, success: bool) -> None:
        self.requests += 1
        self.successes += bool(success)
        self.server_errors += answer.status >= 500 or answer.status == 0
        self.rate_limited += answer.status == 429
        self.share[answer.server] += 1

    def check(self, passed: bool, what: str) -> bool:
        if not passed:
            self.failures.append(what)
        return passed

    def cells(self) -> list[str]:
        total = sum(self.share.values()) or 1
        share = " / ".join(f"{n} {self.share[n] * 100 / total:.0f}%" for n in sorted(self.share))
        return [
            self.scenario,
            str(self.requests),
            str(self.successes),
            str(self.rows),
            str(self.duplicates),
            str(self.server_errors),
            share,
            str(self.rate_limited),
            self.photo_checks,
        ]


def print_table(rows: list[Row]) -> None:
    header = [
        "scenario",
        "requests",
        "successes",
        "rows",
        "duplicates",
        "5xx",
        "per-server share",
        "rate-limit hits",
        "photo checks",
    ]
    print("\n| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row.cells()) + " |")


# --- The scenarios ---------------------------------------------------------------------------


def candle_burst(port: int, database_url: str, meter: CpuMeter) -> tuple[Row, dict]:
    """The burst's row, and its figures: visitors a second and the CPU each part spent."""
    row = Row(f"candle burst: {VISITORS} visitors, 1 in {DOUBLE_CLICK_EVERY} double-clicks")
    # The lights and the bare view's one INSERT (bench/bench_urls.py), its floor through the
    # same nginx, take turns in short rounds, so that the machine's other work weighs on both.
    results, seconds, floor_seconds, floor_requests = [], 0.0, 0.0, 0
    cpu: Counter = Counter()
    before = sql(database_url, "SELECT count(*) FROM tributes_candle WHERE name = 'Floor'")[0][0]
    for round_ in range(ROUNDS):
        meter.start()
        lights, took = burst(
            port, f"/candles/{EVENT}/light/", "burst", list(range(VISITORS))[round_::ROUNDS]
        )
        cpu.update(meter.stop())
        results, seconds = results + lights, seconds + took
        floor, took = burst(
            port,
            "/bench/insert-one-row/",
            "floor",
            list(range(VISITORS, 2 * VISITORS))[round_::ROUNDS],
        )
        floor_seconds += took
        floor_requests += sum(len(r["statuses"]) for r in floor)
    floor_rows = (
        sql(database_url, "SELECT count(*) FROM tributes_candle WHERE name = 'Floor'")[0][0]
        - before
    )
    per_second, floor_per_second = len(results) / seconds, VISITORS / floor_seconds
    stored = dict(
        sql(
            database_url,
            "SELECT c.name, count(*) FROM tributes_candle c JOIN tributes_candleevent e "
            "ON e.id = c.event_id WHERE e.slug = %s AND c.name LIKE 'burst visitor %%' "
            "GROUP BY c.name",
            [EVENT],
        )
    )
    latencies = sorted(result["seconds"] for result in results)
    lit = {r["name"] for r in results if any(r["lit"])}
    for result in results:
        for status, server, ok in zip(
            result["statuses"], result["servers"], result["lit"], strict=True
        ):
            row.count(Answer(status=status, server=server), ok)
    row.rows = sum(stored.values())
    row.duplicates = sum(count - 1 for count in stored.values())
    lost = lit - set(stored)
    unasked = set(stored) - lit
    doubles = [r for r in results if r["double"]]
    split = sum(1 for r in doubles if len(set(r["servers"])) == 2)
    row.notes = [
        f"{per_second:.0f} visitors a second through nginx, p50 "
        f"{statistics.median(latencies) * 1000:.0f} ms, p99 "
        f"{statistics.quantiles(latencies, n=100)[98] * 1000:.0f} ms (a double click counts as "
        "one visitor: both answers in)",
        f"{len(lit)} visitors told their candle is lit, {len(stored)} with a candle; "
        f"{len(lost)} lost, {len(unasked)} never told; {len(doubles)} double clicks, "
        f"{split} of them answered by both servers",
    ]
    row.check(not lost and not unasked, "every visitor told 'lit' has exactly their candle")
    row.check(row.duplicates == 0, "no visitor has two candles")
    row.check(row.server_errors == 0, "no 5xx")
    row.check(len(lit) == VISITORS, "every visitor's candle lit")
    row.check(split > 0, "some double clicks reached both servers")
    row.check(len(row.share) == 2, "both servers answered")
    row.check(floor_rows == floor_requests, "the floor stored a row for each of its requests")
    return row, {"per_second": per_second, "floor": floor_per_second, "cpu": cpu}


def already_lit_on_both(port: int, database_url: str) -> Row:
    row = Row("already lit: 20 visitors, light then look and light again via both")
    # nginx takes turns, and each visitor makes 7 requests: the next starts on the other server.
    seen_on, told_on = Counter(), Counter()
    for number in range(20):
        browser = Browser(port, visitor_address(50_000 + number))
        name = f"returning visitor {number}"
        answer = browser.request("POST", f"/candles/{EVENT}/light/", fields=candle_form(name=name))
        row.count(answer, answer.status == 302)
        for _ in range(2):
            page = browser.request("GET", f"/candles/{EVENT}/")
            shows = page.status == 200 and 'id="your-candle"' in page.body
            row.count(page, shows)
            seen_on[page.server] += shows
            row.check(shows, f"{name} sees their candle")
        for _ in range(2):
            again = browser.request("POST", f"/candles/{EVENT}/light/", fields=candle_form())
            told = browser.request("GET", f"/candles/{EVENT}/")
            already = again.status == 302 and "Your candle is already lit" in told.body
            row.count(again, already)
            row.count(told, already)
            told_on[again.server] += already
            row.check(already, f"{name} lighting again is told it is already lit")
    stored = dict(
        sql(
            database_url,
            "SELECT name, count(*) FROM tributes_candle WHERE name LIKE 'returning visitor %%' "
            "GROUP BY name",
        )
    )
    row.rows = sum(stored.values())
    row.duplicates = sum(count - 1 for count in stored.values())
    row.notes = [
        f"candle seen on the page: {dict(sorted(seen_on.items()))}; 'already lit' said by "
        f"{dict(sorted(told_on.items()))}"
    ]
    row.check(all(seen_on[s] and told_on[s] for s in "AB"), "both servers show and say it")
    row.check(row.rows == 20 and row.duplicates == 0, "one candle per returning visitor")
    return row


def rate_limit_across_servers(port: int, database_url: str) -> Row:
    row = Row("rate limit: 1 visitor, 8 memorial candles alternating servers (limit 5 in 10 min)")
    browser = Browser(port, visitor_address(60_000))
    servers = []
    for number in range(8):
        form = {**candle_form(name=f"limited visitor {number}"), "burn_time": "day"}
        answer = browser.request("POST", f"/memorials/{MEMORIAL}/candles/light/", fields=form)
        row.count(answer, answer.status == 302)
        servers.append((answer.server, answer.status))
    row.rows = sql(
        database_url, "SELECT count(*) FROM tributes_candle WHERE name LIKE 'limited visitor %%'"
    )[0][0]
    row.duplicates = 0
    row.notes = ["answers in turn: " + ", ".join(f"{s} {status}" for s, status in servers)]
    row.check([s for _, s in servers] == [302] * 5 + [429] * 3, "5 lit, then 429 from both")
    row.check(len({s for s, _ in servers[5:]}) == 2, "both servers refuse the sixth and later")
    row.check(row.rows == 5, "five candles kept")
    return row


def moderator_session(port: int, password: str) -> Row:
    row = Row("session: a moderator signs in on one server, opens the admin on both")
    browser = Browser(port, visitor_address(61_000))
    answer = browser.request(
        "POST",
        "/admin/login/?next=/admin/",
        fields={"username": MODERATOR, "password": password, "next": "/admin/"},
    )
    row.count(answer, answer.status == 302 and "sessionid" in browser.cookies)
    signed_in_on = set()
    for _ in range(4):
        page = browser.request("GET", "/admin/")
        ok = page.status == 200 and "/admin/login/" not in page.location
        row.count(page, ok)
        if ok:
            signed_in_on.add(page.server)
    row.check(len(signed_in_on) == 2, "the admin opens on both servers with one sign-in")
    return row


def moderation_on_both(port: int, password: str, database_url: str) -> Row:
    """Each server keeps the memorial page in its processes: a decision made through one is
    still shown by neither on the next request (the page version is read with the memorial)."""
    row = Row("moderation: a tribute shown by both, rejected through one, gone from both")
    visitor = Browser(port, visitor_address(63_000))
    page_path = f"/memorials/{MEMORIAL}/"

    def servers_showing(expected: bool) -> set[str]:
        servers = set()
        for _ in range(4):
            page = visitor.request("GET", page_path)
            right = page.status == 200 and (TAKEN_DOWN in page.body) == expected
            row.count(page, right)
            row.check(right, "shown before the decision" if expected else "gone after it")
            if right:
                servers.add(page.server)
        return servers

    shown_on = servers_showing(True)
    row.check(shown_on == {"A", "B"}, "both servers show the published tribute")
    [(pk,)] = sql(database_url, "SELECT id FROM tributes_tribute WHERE message = %s", [TAKEN_DOWN])
    moderator = Browser(port, visitor_address(63_001))
    signed_in = moderator.request(
        "POST",
        "/admin/login/?next=/admin/",
        fields={"username": MODERATOR, "password": password, "next": "/admin/"},
    )
    row.count(signed_in, signed_in.status == 302)
    decided = moderator.request(
        "POST",
        "/admin/tributes/tribute/queue/",
        fields={"item": f"tribute-{pk}", "decision": "reject", "reason": "other"},
    )
    row.count(decided, decided.status == 302)
    row.check(decided.status == 302, "the moderator rejects it")
    gone_on = servers_showing(False)
    row.check(gone_on == {"A", "B"}, "both servers stop showing it at once")
    row.rows = sql(
        database_url,
        "SELECT count(*) FROM tributes_tribute WHERE id = %s AND status = %s",
        [pk, "rejected"],
    )[0][0]
    row.notes = [
        f"shown by {', '.join(sorted(shown_on))}; rejected through {decided.server}; "
        "the next page views, by "
        f"{', '.join(sorted(gone_on)) or 'none'}, without it"
    ]
    return row


class FormFields(html.parser.HTMLParser):
    """The fields of the form whose action is `action`, with their values as a browser sends them."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action, self.inside, self.fields = action, False, {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("action") == self.action
        elif self.inside and tag == "input" and attrs.get("name"):
            # As a browser sends it: ticked boxes only, and no file unless one is chosen.
            sent = attrs.get("type") not in ("checkbox", "radio", "file") or "checked" in attrs
            if sent:
                self.fields[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def garden_photo() -> bytes:
    """A 1800 x 1200 JPEG, large enough for the three widths the site keeps."""
    import io

    from PIL import Image

    image = Image.linear_gradient("L").resize((1800, 1200)).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def open_tribute_form(port: int) -> tuple[Browser, dict]:
    """A visitor opens the tribute form (the spam check wants it open a few seconds first)."""
    browser = Browser(port, visitor_address(62_000))
    action = f"/memorials/{MEMORIAL}/tributes/new/"
    page = browser.request("GET", action)
    parser = FormFields(action)
    parser.feed(page.body)
    return browser, parser.fields


def photo_on_both(
    port: int, browser: Browser, fields: dict, bucket, media_roots: list[Path]
) -> Row:
    row = Row("photo: posted through one server, served by both, deleted with its tribute")
    checks: list[bool] = []

    def check(passed: bool, what: str) -> bool:
        checks.append(row.check(passed, what))
        return passed

    form = {
        **fields,
        "author_name": "Sam Carter",
        "message": "Her garden in May, the year she planted the roses.",
        "emblem": "candle",
        "csrfmiddlewaretoken": CSRF_TOKEN,
    }
    photo_file = ("garden.jpg", garden_photo(), "image/jpeg")
    body, content_type = encode_multipart_formdata({**form, "photo_upload": photo_file})
    action = f"/memorials/{MEMORIAL}/tributes/new/"
    posted = browser.request("POST", action, body=body, headers={"Content-Type": content_type})
    row.count(posted, posted.status == 302)
    token = re.search(r"/your-tribute/([^/]+)/", posted.location)
    check(posted.status == 302 and token is not None, "the tribute with its photo is posted")
    stored = bucket.names("photos/")
    check(len(stored) == 3, "three renditions stored in the bucket")
    check(
        not any(p.is_file() for root in media_roots for p in root.rglob("*")),
        "no photo file on either server's disk",
    )
    photo = None
    pages_with_photo = set()
    for _ in range(2):
        page = browser.request("GET", f"/memorials/{MEMORIAL}/")
        found = re.search(r"/photos/\d+/\d+\.webp", page.body)
        row.count(page, found is not None)
        if found:
            photo = found.group(0)
            pages_with_photo.add(page.server)
    check(len(pages_with_photo) == 2, "both servers' memorial page shows the photo")
    signed_by = set()
    for _ in range(2 if photo else 0):
        answer = browser.request("GET", photo)
        row.count(answer, answer.status == 302)
        if answer.status == 302 and answer.location.startswith(f"{bucket.endpoint}/"):
            name = urllib.parse.urlsplit(answer.location).path.split("/", 2)[2]
            with urllib.request.urlopen(answer.location, timeout=10) as image:
                same = image.status == 200 and image.read() == bucket.read(name)
                if same and image.headers["Content-Type"] == "image/webp":
                    signed_by.add(answer.server)
    check(len(signed_by) == 2, "both servers redirect to a signed address the bucket answers")
    if token:
        delete = f"/your-tribute/{token.group(1)}/delete/"
        deleted = browser.request("POST", delete, fields={})
        row.count(deleted, deleted.status == 302)
        check(deleted.status == 302, "the author deletes the tribute through the private link")
    check(not bucket.names("photos/"), "its files are gone from the bucket")
    gone_on = set()
    for _ in range(2 if photo else 0):
        answer = browser.request("GET", photo)
        row.count(answer, answer.status == 404)
        if answer.status == 404:
            gone_on.add(answer.server)
    check(len(gone_on) == 2, "both servers answer 404 for the deleted photo")
    row.photo_checks = f"{sum(checks)} of {len(checks)}"
    return row


# --- The run ---------------------------------------------------------------------------------


def main() -> int:
    # Stopped from outside (timeout, Ctrl-C): still stop the servers and drop the database.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    print("Two app servers behind nginx (bench/cluster)")
    print(f"  machine: {production.machine()}")
    password = secrets.token_urlsafe(16)
    SERVER_LOG.write_text("")
    with contextlib.ExitStack() as stack:
        database_url, database = stack.enter_context(fresh_database())
        redis_url, redis_where = stack.enter_context(redis_database())
        bucket = stack.enter_context(s3_server(bucket="memorial-cluster"))
        env = production.production_env(
            database_url,
            REDIS_URL=redis_url,
            ROOT_URLCONF="bench.bench_urls",
            TRUSTED_PROXY_COUNT="2",
            **bucket.environment(),
        )
        env.pop("RATE_LIMIT_SCALE", None)
        print(f"  database: {database}")
        print(f"  cache and rate limits: {redis_where}; sessions in PostgreSQL")
        print(f"  photos: moto's S3 server at {bucket.endpoint}, private bucket {bucket.bucket}")
        print(
            f"  servers: 2 x gunicorn (gunicorn.conf.py, {WORKERS} workers x {THREADS} threads), "
            "production settings and rate limits, each with its own static, media and tmp folder"
        )
        subprocess.run([*production.MANAGE, "migrate", "--verbosity", "0"], env=env, check=True)
        setup = SETUP.format(
            memorial=MEMORIAL,
            event=EVENT,
            moderator=MODERATOR,
            password=password,
            taken_down=TAKEN_DOWN,
        )
        subprocess.run([*production.MANAGE, "shell", "-v", "0", "-c", setup], env=env, check=True)
        release = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="memorial-static-")))
        collect = [*production.MANAGE, "collectstatic", "--noinput", "-v", "0"]
        subprocess.run(collect, env={**env, "STATIC_ROOT": str(release)}, check=True)
        servers = [stack.enter_context(app_server(env, name, release)) for name in ("a", "b")]
        app_ports = [port for port, _ in servers]
        port = stack.enter_context(
            production.nginx(
                app_ports[0], config=lambda _, port, folder: nginx_config(app_ports, port, folder)
            )
        )
        Browser.servers = {f"127.0.0.1:{p}": name for p, name in zip(app_ports, "AB", strict=True)}
        print(
            f"  nginx on 127.0.0.1:{port}, upstream A 127.0.0.1:{app_ports[0]} and "
            f"B 127.0.0.1:{app_ports[1]}; visitors behind a pretend CDN (TRUSTED_PROXY_COUNT=2)"
        )
        print(f"  load: {CLIENTS} visitors at a time, {CLIENT_PROCESSES} client processes")

        tribute_browser, tribute_fields = open_tribute_form(port)

        def pg_pids() -> set[int]:
            query = (
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND application_name <> %s"
            )
            return {pid for (pid,) in sql(database_url, query, [BENCH_APPLICATION])}

        peak = {"connections": 0}
        sampling = threading.Event()

        def sample() -> None:
            while not sampling.wait(0.5):
                peak["connections"] = max(peak["connections"], len(pg_pids()))

        meter = CpuMeter(
            {
                "app server A (gunicorn)": lambda: pids_listening(app_ports[0]),
                "app server B (gunicorn)": lambda: pids_listening(app_ports[1]),
                "nginx": lambda: pids_listening(port),
                "PostgreSQL (this database's backends)": pg_pids,
                "Redis": lambda: pids_listening(int(urllib.parse.urlsplit(redis_url).port)),
            }
        )
        # Warm both servers (imports, connections) before anything is measured.
        for _ in range(8):
            Browser(port, "10.255.0.1").request("GET", f"/candles/{EVENT}/status.json")
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        burst_row, figures = candle_burst(port, database_url, meter)
        sampling.set()
        rows = [burst_row]
        rows.append(already_lit_on_both(port, database_url))
        rows.append(rate_limit_across_servers(port, database_url))
        rows.append(moderator_session(port, password))
        rows.append(moderation_on_both(port, password, database_url))
        media_roots = [media for _, media in servers]
        rows.append(photo_on_both(port, tribute_browser, tribute_fields, bucket, media_roots))

    print_table(rows)
    print()
    for row in rows:
        for note in row.notes:
            print(f"  {row.scenario.split(':')[0]}: {note}")
    floor = figures["floor"]
    print(
        f"  lighting through nginx runs at {figures['per_second'] / floor:.0%} of the "
        f"bare-INSERT floor measured through the same nginx ({floor:.0f} visitors a second), "
        f"the two taking turns in {ROUNDS} rounds"
    )
    total = sum(figures["cpu"].values()) or 1
    print(
        f"  CPU during the burst (seconds, share); peak {peak['connections']} PostgreSQL "
        "connections from the two servers:"
    )
    for name, seconds in sorted(figures["cpu"].items(), key=lambda item: -item[1]):
        print(f"    {name}: {seconds:.1f} s ({seconds / total:.0%})")
    print(f"  load average at the end: {'{:.1f} {:.1f} {:.1f}'.format(*os.getloadavg())}")
    failures = [f"{row.scenario.split(':')[0]}: {what}" for row in rows for what in row.failures]
    for failure in failures:
        print(f"  FAILED {failure}")
    if failures:
        print(f"  what the servers said: {SERVER_LOG}")
    else:
        print("  every check passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
