"""What a phone's browser spends on style and layout while our pages load, version against version.

    .venv/bin/python bench/style_cost.py snapshot NAME    # this checkout's pages, kept under var/
    .venv/bin/python bench/style_cost.py measure A B [--runs 9] [--pages memorial]

`snapshot` serves this checkout as bench/lighthouse.py does (gunicorn with production settings
behind nginx, its memorial and live event) and keeps the three pages as served, with the static
files they load, in var/style-cost/NAME/. `measure` serves kept snapshots from one local server
and loads each in Debian's Chromium at Lighthouse's phone size, tracing the load. The snapshots
take turns in every round, so a machine shared with other work slows them alike; medians.

Columns, in ms on the page's main thread: style and layout (wall time), the same in thread time
(what the CPU did: steady on a busy machine, where the wall time is mostly waiting for a CPU),
and inside the style passes the font look-ups (each family, size and weight asked of the browser
process once per page) and the stylesheet's images (a data: SVG is parsed there and then).
Lighthouse does not slow the CPU while it loads a page: it multiplies what it saw by 4, which is
why the CPU runs unslowed here by default (`--cpu-slowdown 4` applies Chromium's throttling).
"""

from __future__ import annotations

import argparse
import collections
import http.server
import json
import os
import shutil
import statistics
import sys
import threading
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench.candle_burst import bench_database_url  # noqa: E402
from bench.lighthouse import chromium, seeded_pages  # noqa: E402
from bench.production import gunicorn, nginx, production_env  # noqa: E402

SNAPSHOTS = BASE_DIR / "var" / "style-cost"
PAGES = ["home", "memorial", "live event"]
CATEGORIES = [
    "devtools.timeline",
    "disabled-by-default-devtools.timeline",
    "blink",
    "blink.resource",
    "fonts",
]
# Work done inside a style pass, counted where it starts (never twice when nested).
INSIDE_STYLE = {
    "FontCache::GetFontPlatformData": "fonts",
    "ResourceFetcher::requestResource": "images",
}
COLUMNS = ["style + layout", "thread time", "style", "layout", "fonts", "images", "tasks over 50"]


def file_name(page: str) -> str:
    return page.replace(" ", "-") + ".html"


def snapshot(name: str) -> None:
    env = production_env(bench_database_url())
    pages = seeded_pages(env)
    folder = SNAPSHOTS / name
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(env["STATIC_ROOT"], folder / "static")
    with gunicorn(env) as app_port, nginx(app_port) as port:
        for page, path in pages.items():
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}") as answer:
                html = answer.read().decode("utf-8")
            # Each snapshot's pages load its own static files.
            html = html.replace('"/static/', f'"/{name}/static/')
            (folder / file_name(page)).write_text(html, encoding="utf-8")
    print(f"kept {', '.join(pages)} in {folder}")


class Snapshots(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=str(SNAPSHOTS), **kwargs)

    def log_message(self, *args) -> None:
        pass


def costs(trace: dict, url: str) -> collections.Counter:
    events = trace["traceEvents"]
    # The trace holds the browser's own pages too: keep the thread that parsed ours.
    parsed = next(
        e
        for e in events
        if e.get("name") == "ParseHTML" and e["args"]["beginData"].get("url") == url
    )
    main = sorted(
        (
            e
            for e in events
            if e.get("pid") == parsed["pid"]
            and e.get("tid") == parsed["tid"]
            and e.get("ph") == "X"
        ),
        key=lambda e: (e["ts"], -e["dur"]),
    )
    found: collections.Counter = collections.Counter()
    stack: list[dict] = []
    for event in main:
        while stack and stack[-1]["ts"] + stack[-1]["dur"] <= event["ts"]:
            stack.pop()
        around = {e["name"] for e in stack}
        name = event["name"]
        if name in ("UpdateLayoutTree", "Layout") and not around & {"UpdateLayoutTree", "Layout"}:
            column = "style" if name == "UpdateLayoutTree" else "layout"
            found[column] += event["dur"] / 1000
            found["style + layout"] += event["dur"] / 1000
            found["thread time"] += event.get("tdur", 0) / 1000
        if name in INSIDE_STYLE and "UpdateLayoutTree" in around and not around & set(INSIDE_STYLE):
            found[INSIDE_STYLE[name]] += event["dur"] / 1000
        if name == "RunTask" and "RunTask" not in around:
            found["tasks over 50"] += max(0.0, event["dur"] / 1000 - 50)
        stack.append(event)
    return found


def measure(names: list[str], runs: int, pages: list[str], slowdown: float) -> None:
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Snapshots)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    results = collections.defaultdict(list)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium(), args=["--no-sandbox", "--disable-gpu", "--disable-quic"]
        )
        for _ in range(runs):
            for page_name in pages:
                for name in names:
                    # Lighthouse's phone: a fresh profile each load, 412 x 823 at 1.75.
                    context = browser.new_context(
                        viewport={"width": 412, "height": 823},
                        device_scale_factor=1.75,
                        is_mobile=True,
                    )
                    page = context.new_page()
                    if slowdown > 1:
                        cdp = context.new_cdp_session(page)
                        cdp.send("Emulation.setCPUThrottlingRate", {"rate": slowdown})
                    browser.start_tracing(page=page, categories=CATEGORIES)
                    url = f"{base}/{name}/{file_name(page_name)}"
                    page.goto(url, wait_until="load")
                    page.wait_for_timeout(1200)
                    trace = json.loads(browser.stop_tracing())
                    results[(page_name, name)].append(costs(trace, url))
                    context.close()
        browser.close()
    server.shutdown()
    load = "{:.1f} {:.1f} {:.1f}".format(*os.getloadavg())
    print(f"\nmedians of {runs} loads, CPU slowed {slowdown:g}x; load average {load}\n")
    print("| page | snapshot | " + " | ".join(f"{c} ms" for c in COLUMNS) + " |")
    print("|---|---|" + "---|" * len(COLUMNS))
    for page_name in pages:
        for name in names:
            loads = results[(page_name, name)]
            figures = [statistics.median(load[column] for load in loads) for column in COLUMNS]
            print(f"| {page_name} | {name} | " + " | ".join(f"{f:.0f}" for f in figures) + " |")


def main() -> None:
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("snapshot").add_argument("name")
    measuring = commands.add_parser("measure")
    measuring.add_argument("names", nargs="+")
    measuring.add_argument("--runs", type=int, default=9)
    measuring.add_argument("--pages", nargs="+", default=PAGES, choices=PAGES)
    measuring.add_argument("--cpu-slowdown", type=float, default=1)
    arguments = parser.parse_args()
    if arguments.command == "snapshot":
        snapshot(arguments.name)
    else:
        measure(arguments.names, arguments.runs, arguments.pages, arguments.cpu_slowdown)


if __name__ == "__main__":
    main()
