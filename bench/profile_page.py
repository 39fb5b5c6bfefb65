"""Where a warm request's time goes: cProfile over a page of the big demo, production settings.

    .venv/bin/python bench/profile_page.py                 # the big memorial's first page
    .venv/bin/python bench/profile_page.py --path /events/<slug>/ --requests 50

Runs against bench/run's database (memorial_loadtest, loaded by `bench/run` once), in one
process with the settings gunicorn has there (Redis as the cache when it answers). Each path is
asked for twice to warm what it caches, then `--requests` times under cProfile; prints the
milliseconds per request and the functions that take the most time, cumulative and own.
Before the profile it prints, without the profiler, the median time of a warm request and the
round trips each request makes: SQL queries and Redis commands (a script or pipeline is one).
`--method POST --data "a=1&b=2"` profiles a post instead (`{key}` in the data becomes a new
submission key for each request).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

_PROFILE = """
import cProfile, json, pstats, statistics, sys, time
import django
django.setup()
import redis
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment
from tributes.demo import DEMO_MEMORIAL_SLUG
from tributes.models import Memorial
from tributes.security import tokens
setup_test_environment()
options = json.loads(sys.argv[1])
path = options["path"] or Memorial.objects.get(slug=DEMO_MEMORIAL_SLUG).get_absolute_url()
client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1", **options["headers"])

def ask():
    # As wrk asks: the same cookies every time, none of those the answers set.
    client.cookies.clear()
    client.cookies.load(options["cookies"])
    if options["method"] == "POST":
        data = options["data"].replace("{key}", tokens.new_submission_key())
        return client.post(path, data, content_type="application/x-www-form-urlencoded", secure=True)
    return client.get(path, secure=True)

redis_commands = [0]
# A pipeline only sends its commands on execute(): one round trip.
for kind, method in ((redis.Redis, "execute_command"), (redis.client.Pipeline, "execute")):
    def counted(self, *args, _original=getattr(kind, method), **kwargs):
        redis_commands[0] += 1
        return _original(self, *args, **kwargs)
    setattr(kind, method, counted)
for _ in range(2):
    status = ask().status_code
    assert status in (200, 204, 302, 304), (path, status)
with CaptureQueriesContext(connection) as queries:
    redis_commands[0] = 0
    ask()
print(f"{path}: {len(queries)} SQL queries, {redis_commands[0]} Redis round trips a request")
timings = []
cpu_started = time.process_time()
for _ in range(options["requests"]):
    started = time.perf_counter()
    ask()
    timings.append(time.perf_counter() - started)
cpu = (time.process_time() - cpu_started) / options["requests"]
print(
    f"{path}: {statistics.median(timings) * 1000:.1f} ms a warm request (median, no profiler),"
    f" {cpu * 1000:.2f} ms of this process's CPU"
)
profile = cProfile.Profile()
started = time.perf_counter()
profile.enable()
for _ in range(options["requests"]):
    ask()
profile.disable()
took = (time.perf_counter() - started) / options["requests"]
print(f"{path}: {took * 1000:.1f} ms a warm request (under cProfile), {options['requests']} requests")
stats = pstats.Stats(profile)
stats.sort_stats("cumulative").print_stats(options["lines"])
stats.sort_stats("tottime").print_stats(options["lines"])
"""


def main() -> None:
    from bench import loadtest

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--path", default="", help="the page (the big memorial's first page)")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--lines", type=int, default=40, help="functions listed (40)")
    parser.add_argument("--method", default="GET", choices=["GET", "POST"])
    parser.add_argument("--data", default="", help="the posted form, urlencoded")
    parser.add_argument("--cookies", default="", help='cookies sent, "name=value; name=value"')
    args = parser.parse_args()
    database_url = loadtest.bench_database("memorial_loadtest", reuse=True)
    env = {**loadtest.site_env(database_url), "DJANGO_SETTINGS_MODULE": "memorial.settings"}
    options = json.dumps(
        {
            "path": args.path,
            "requests": args.requests,
            "lines": args.lines,
            "method": args.method,
            "data": args.data,
            "cookies": args.cookies,
            "headers": {"HTTP_ORIGIN": "https://127.0.0.1", "HTTP_REFERER": "https://127.0.0.1/"},
        }
    )
    subprocess.run(
        [sys.executable, "-c", _PROFILE, options],
        env={**env, "ALLOWED_HOSTS": "127.0.0.1"},
        cwd=ROOT,
        check=True,
    )


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
