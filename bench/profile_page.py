"""Where a warm request's time goes: cProfile over a page of the big demo, production settings.

    .venv/bin/python bench/profile_page.py                 # the big memorial's first page
    .venv/bin/python bench/profile_page.py --path /events/<slug>/ --requests 50

Runs against bench/run's database (memorial_loadtest, loaded by `bench/run` once), in one
process with the settings gunicorn has there (Redis as the cache when it answers). Each path is
asked for twice to warm what it caches, then `--requests` times under cProfile; prints the
milliseconds per request and the functions that take the most time, cumulative and own.
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
import cProfile, json, pstats, sys, time
import django
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
from tributes.demo import DEMO_MEMORIAL_SLUG
from tributes.models import Memorial
setup_test_environment()
options = json.loads(sys.argv[1])
path = options["path"] or Memorial.objects.get(slug=DEMO_MEMORIAL_SLUG).get_absolute_url()
client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1")
for _ in range(2):
    assert client.get(path, secure=True).status_code == 200, path
profile = cProfile.Profile()
started = time.perf_counter()
profile.enable()
for _ in range(options["requests"]):
    client.get(path, secure=True)
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
    args = parser.parse_args()
    database_url = loadtest.bench_database("memorial_loadtest", reuse=True)
    env = {**loadtest.site_env(database_url), "DJANGO_SETTINGS_MODULE": "memorial.settings"}
    options = json.dumps({"path": args.path, "requests": args.requests, "lines": args.lines})
    subprocess.run(
        [sys.executable, "-c", _PROFILE, options],
        env={**env, "ALLOWED_HOSTS": "127.0.0.1"},
        cwd=ROOT,
        check=True,
    )


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
