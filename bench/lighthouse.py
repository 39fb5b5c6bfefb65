"""Lighthouse on the pages visitors land on, as a phone sees them in production.

    .venv/bin/python bench/lighthouse.py

gunicorn with production settings behind nginx with deploy/nginx.conf (bench/production.py),
with a public memorial and a live candle lighting (75 candles lit) made for the run; Lighthouse from npm
(installed by this script into var/lighthouse/, not committed) on Debian's Chromium, headless,
mobile form factor. Prints accessibility, performance, best practices and SEO for the home page,
the memorial and the live event. Targets: accessibility 100, the others at least 95.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench.candle_burst import bench_database_url  # noqa: E402
from bench.production import MANAGE, gunicorn, machine, nginx, prepare, production_env  # noqa: E402

LIGHTHOUSE_VERSION = "12.8.2"
TOOLS = BASE_DIR / "var" / "lighthouse"
CATEGORIES = ["accessibility", "performance", "best-practices", "seo"]
TARGETS = {"accessibility": 100, "performance": 95, "best-practices": 95, "seo": 95}

SEED = """
import datetime as dt, zoneinfo
from django.utils import timezone
from tributes.models import Candle, CandleEvent, Memorial, Tribute, Visibility, Status, Emblem
# The family let search engines list the page (memorials keep the family's choice).
memorial, _ = Memorial.objects.update_or_create(
    slug="lighthouse-teddy",
    defaults=dict(name="Teddy Ashby", born_on=dt.date(2026, 3, 9), died_on=dt.date(2026, 3, 9),
                  story="Our little boy, loved every day. " * 8, visibility=Visibility.PUBLIC,
                  allow_search_indexing=True),
)
if not memorial.tributes.exists():
    for n in range(8):
        Tribute.objects.create(memorial=memorial, author_name=f"Friend {n}", relationship="friend",
                               message="Thinking of you all tonight. " * 3, emblem=Emblem.CANDLE,
                               status=Status.APPROVED)
london = zoneinfo.ZoneInfo("Europe/London")
start = (timezone.now() - dt.timedelta(minutes=10)).astimezone(london)
CandleEvent.objects.filter(slug="lighthouse-candles").delete()
event = CandleEvent(memorial=memorial, title="Candles for Teddy", slug="lighthouse-candles",
                    local_date=start.date(), local_time=start.time().replace(microsecond=0, second=0),
                    time_zone="Europe/London", duration=dt.timedelta(hours=2))
event.save()
# A full wall: more candles lit than it draws, as on a well-attended night.
Candle.objects.bulk_create([
    Candle(event=event, memorial=memorial, name=f"Friend {n}", message="With love" if n % 3 else "",
           visitor_key=f"lighthouse-{n}", time_zone="Europe/London")
    for n in range(75)
])
print(memorial.get_absolute_url(), event.get_absolute_url())
"""


def install_lighthouse() -> Path:
    binary = TOOLS / "node_modules" / ".bin" / "lighthouse"
    if binary.exists():
        return binary
    if not shutil.which("npm"):
        raise SystemExit("npm is needed for Lighthouse: apt-get install npm, then run again.")
    TOOLS.mkdir(parents=True, exist_ok=True)
    # Lighthouse 12.8's lock file asks for a third-party-web that needs a newer Node than 20.
    (TOOLS / "package.json").write_text(
        json.dumps(
            {
                "private": True,
                "dependencies": {"lighthouse": LIGHTHOUSE_VERSION},
                "overrides": {"third-party-web": "0.27.0"},
            }
        )
    )
    print("  installing Lighthouse from npm into var/lighthouse/ ...", flush=True)
    subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent"], cwd=TOOLS, check=True)
    return binary


def chromium() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        raise SystemExit("Chromium is needed: apt-get install chromium, then run again.")
    return path


def audit(lighthouse: Path, url: str, report: Path) -> dict:
    profile = tempfile.mkdtemp(prefix="memorial-lighthouse-")
    flags = f"--headless --no-sandbox --disable-gpu --no-first-run --user-data-dir={profile}"
    subprocess.run(
        [
            str(lighthouse),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            f"--chrome-flags={flags}",
            f"--only-categories={','.join(CATEGORIES)}",
            "--form-factor=mobile",
        ],
        env={**os.environ, "CHROME_PATH": chromium()},
        check=True,
    )
    shutil.rmtree(profile, ignore_errors=True)
    return json.loads(report.read_text())


def failing_audits(result: dict, category: str) -> list[str]:
    refs = result["categories"][category]["auditRefs"]
    found = []
    for ref in refs:
        item = result["audits"][ref["id"]]
        if ref.get("weight", 0) and item.get("score") is not None and item["score"] < 0.9:
            found.append(f"{ref['id']} ({item['score']:.2f})")
    return found


def seeded_pages(env: dict[str, str]) -> dict[str, str]:
    """Migrate, collect static files and make the run's memorial and live event: the pages' paths."""
    prepare(env)
    seeded = subprocess.run(
        [*MANAGE, "shell", "-c", SEED],
        env=env,
        cwd=BASE_DIR,
        check=True,
        capture_output=True,
        text=True,
    )
    memorial_path, event_path = seeded.stdout.split()[-2:]
    return {"home": "/", "memorial": memorial_path, "live event": event_path}


def main() -> None:
    lighthouse = install_lighthouse()
    env = production_env(bench_database_url())
    pages = seeded_pages(env)
    reports = Path(tempfile.mkdtemp(prefix="memorial-lighthouse-reports-"))
    rows = {}
    with gunicorn(env) as app_port, nginx(app_port) as port:
        for name, path in pages.items():
            result = audit(lighthouse, f"http://127.0.0.1:{port}{path}", reports / f"{name}.json")
            rows[name] = (
                {key: round(result["categories"][key]["score"] * 100) for key in CATEGORIES},
                {key: failing_audits(result, key) for key in CATEGORIES},
            )
    print(f"\nLighthouse {LIGHTHOUSE_VERSION}, mobile, gunicorn behind nginx; {machine()}\n")
    print("| page | accessibility | performance | best practices | SEO |")
    print("|---|---|---|---|---|")
    for name, (scores, _) in rows.items():
        print(f"| {name} | " + " | ".join(str(scores[key]) for key in CATEGORIES) + " |")
    missed = False
    for name, (scores, failing) in rows.items():
        for key in CATEGORIES:
            if scores[key] < TARGETS[key]:
                missed = True
                print(f"  {name}, {key} {scores[key]} < {TARGETS[key]}: {', '.join(failing[key])}")
    print(f"\nReports: {reports}")
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()
