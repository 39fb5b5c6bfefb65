"""Whose CPU a light costs: each process's CPU time per request, the bare INSERT beside a light.

    .venv/bin/python bench/cpu_split.py                    # 2 rounds, 64 connections, 10 s each
    .venv/bin/python bench/cpu_split.py --rounds 3 --connections 16

Runs on bench/run's database (memorial_loadtest: run `bench/run` once first), with the same
gunicorn, settings and wrk load as bench/run. During each load it reads the CPU time of every
process on the machine from /proc over 6 s in the middle of the load, sorts it by kind
(gunicorn, postgres, redis, wrk, the rest) and divides by the requests answered in those
seconds: on a machine that the load keeps busy, the ratio of two scenarios' requests a second is
the inverse ratio of these totals, so this shows where a difference comes from.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SAMPLE_AFTER_SECONDS = 2
SAMPLE_SECONDS = 6
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _kind(command_line: str, name: str) -> str:
    if "gunicorn" in command_line:
        return "gunicorn"
    if name.startswith("postgres"):
        return "postgres"
    if name.startswith("redis"):
        return "redis"
    return "wrk" if name == "wrk" else "other"


def cpu_seconds_by_process() -> dict[str, tuple[str, float]]:
    """Every process's kind and user + system CPU seconds so far."""
    found = {}
    for folder in Path("/proc").iterdir():
        if not folder.name.isdigit():
            continue
        try:
            stat = (folder / "stat").read_text()
            command_line = (folder / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:  # Ended since the folder was listed.
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        found[folder.name] = (
            _kind(command_line, name),
            (int(fields[11]) + int(fields[12])) / CLOCK_TICKS,
        )
    return found


def spent_by_kind(before: dict, after: dict) -> dict[str, float]:
    spent: dict[str, float] = {}
    for pid, (kind, seconds) in after.items():
        spent[kind] = spent.get(kind, 0.0) + seconds - before.get(pid, (kind, 0.0))[1]
    return spent


def main() -> None:
    from bench import loadtest
    from bench.production import gunicorn_server, machine

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--seconds", type=int, default=10, help="seconds of each load (10)")
    args = parser.parse_args()
    if args.seconds < SAMPLE_AFTER_SECONDS + SAMPLE_SECONDS:
        parser.error(f"--seconds must be at least {SAMPLE_AFTER_SECONDS + SAMPLE_SECONDS}")

    env = loadtest.site_env(loadtest.bench_database("memorial_loadtest", reuse=True))
    event_path = loadtest.manage(
        env,
        "shell",
        "--verbosity",
        "0",
        "-c",
        "from tributes import bulk_demo; from tributes.models import CandleEvent; "
        "print(CandleEvent.objects.get(slug=bulk_demo.LIVE_EVENT_SLUG).get_absolute_url())",
    ).strip()
    loads = {
        "one INSERT": {
            "path": "/bench/insert-one-row/",
            "body": f"csrfmiddlewaretoken={loadtest.CSRF_TOKEN}",
            "expect": 204,
        },
        "light a candle": {
            "path": f"{event_path}light/",
            "body": loadtest.LIGHT_FORM,
            "expect": 302,
        },
    }
    print("bench/cpu_split: CPU per request, by process kind")
    print(f"  machine: {machine()}")
    log = ROOT / "var" / "bench-cpu-split.log"
    log.parent.mkdir(exist_ok=True)
    rows = []
    with gunicorn_server(env, log=log, GUNICORN_CMD_ARGS="--max-requests=0") as server:
        for load in loads.values():
            loadtest.wrk(server.port, connections=4, seconds=1, method="POST", **load)
        for round_number in range(1, args.rounds + 1):
            for name, load in loads.items():
                sampled = {}

                def sample(sampled=sampled):
                    time.sleep(SAMPLE_AFTER_SECONDS)
                    before = cpu_seconds_by_process()
                    time.sleep(SAMPLE_SECONDS)
                    sampled.update(spent_by_kind(before, cpu_seconds_by_process()))

                sampler = threading.Thread(target=sample)
                sampler.start()
                done = loadtest.wrk(
                    server.port,
                    connections=args.connections,
                    seconds=args.seconds,
                    method="POST",
                    **load,
                )
                sampler.join()
                answered = done.per_second * SAMPLE_SECONDS
                per_request = {kind: seconds / answered * 1000 for kind, seconds in sampled.items()}
                kinds = ["gunicorn", "postgres", "redis", "wrk", "other"]
                rows.append(
                    [
                        str(round_number),
                        name,
                        f"{done.per_second:,.0f}",
                        *(f"{per_request.get(kind, 0.0):.2f}" for kind in kinds),
                        f"{sum(per_request.values()):.2f}",
                    ]
                )
                print(f"  round {round_number}, {name}: {done.per_second:,.0f} req/s", flush=True)
    print()
    loadtest.print_table(
        [
            "round",
            "load",
            "req/s",
            "gunicorn ms",
            "postgres ms",
            "redis ms",
            "wrk ms",
            "other ms",
            "all ms",
        ],
        rows,
    )
    print(
        f"\n  {args.connections} connections; CPU ms per answered request over {SAMPLE_SECONDS} s"
    )


if __name__ == "__main__":
    main()
