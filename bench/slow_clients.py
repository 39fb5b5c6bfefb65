#!/usr/bin/env python3
"""Slow clients: 50 connections dribbling their headers, and a normal visitor meanwhile.

The production setup (gunicorn.conf.py behind deploy/nginx.conf) on loopback, with the embedded
PostgreSQL: first straight to gunicorn, as without a proxy, then through nginx. During each
attack a visitor asks for the home page twice a second; the bench prints how many of their
requests were served and how long they took, and what became of the slow connections.

    .venv/bin/python bench/slow_clients.py            # installs nginx from Debian if missing

Options through the environment: BENCH_SLOW_CLIENTS (50), BENCH_SECONDS (20).
"""

from __future__ import annotations

import os
import socket
import statistics
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import production  # noqa: E402
from bench.candle_burst import bench_database_url  # noqa: E402

SLOW_CLIENTS = int(os.environ.get("BENCH_SLOW_CLIENTS", "50"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "20"))
# One header byte this often: a client that is slow, not one that has gone.
DRIP_SECONDS = 1.0


@dataclass
class Attack:
    opened: int = 0
    cut_by_server: int = 0
    cut_after: list[float] | None = None


def slow_header_client(port: int, until: float, attack: Attack, lock: threading.Lock) -> None:
    started = time.monotonic()
    try:
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    except OSError:
        return
    with lock:
        attack.opened += 1
    try:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        while time.monotonic() < until:
            sock.sendall(b"X")
            time.sleep(DRIP_SECONDS)
            sock.settimeout(0.01)
            try:
                if sock.recv(1024) == b"":
                    raise ConnectionResetError
            except TimeoutError:
                pass
            finally:
                sock.settimeout(5)
    except OSError:
        with lock:
            attack.cut_by_server += 1
            attack.cut_after.append(time.monotonic() - started)
    finally:
        sock.close()


def visitor(port: int, until: float, latencies: list[float | None]) -> None:
    while time.monotonic() < until:
        started = time.monotonic()
        status = production.get(port, "/", timeout=10)
        latencies.append(time.monotonic() - started if status == 200 else None)
        time.sleep(max(0.0, 0.5 - (time.monotonic() - started)))


def attack(port: int) -> tuple[Attack, list[float | None]]:
    until = time.monotonic() + SECONDS
    result, lock = Attack(cut_after=[]), threading.Lock()
    clients = [
        threading.Thread(target=slow_header_client, args=(port, until, result, lock), daemon=True)
        for _ in range(SLOW_CLIENTS)
    ]
    for client in clients:
        client.start()
    time.sleep(1)  # every slow connection is open before the visitor arrives
    latencies: list[float | None] = []
    visitor(port, until, latencies)
    for client in clients:
        client.join(SECONDS + 15)
    return result, latencies


def report(label: str, result: Attack, latencies: list[float | None]) -> dict:
    served = [t for t in latencies if t is not None]
    figures = {
        "asked": len(latencies),
        "served": len(served),
        "median_ms": statistics.median(served) * 1000 if served else None,
        "max_ms": max(served) * 1000 if served else None,
    }
    cut = result.cut_after or []
    median_ms = f"{figures['median_ms']:.0f} ms" if served else "-"
    max_ms = f"{figures['max_ms']:.0f} ms" if served else "-"
    print(f"  {label}:")
    print(
        f"    visitor: {figures['served']} of {figures['asked']} home pages served "
        f"(median {median_ms}, slowest {max_ms})"
    )
    when = f", after {statistics.median(cut):.0f} s (median)" if cut else ""
    print(
        f"    slow connections: {result.opened} opened, {result.cut_by_server} closed by the "
        f"server{when}, {result.opened - result.cut_by_server} still waiting when the bench "
        f"stopped them after {SECONDS:.0f} s"
    )
    return figures


def main() -> int:
    print("Slow clients: 50 connections sending their headers one byte a second")
    print(f"  machine: {production.machine()}")
    env = production.production_env(bench_database_url())
    production.prepare(env)
    print(
        "  gunicorn.conf.py as shipped (gthread, "
        f"{2 * (os.cpu_count() or 1)} workers x 4 threads); nginx with deploy/nginx.conf"
    )
    with production.gunicorn(env) as app_port:
        direct = report("straight to gunicorn (no proxy)", *attack(app_port))
        with production.nginx(app_port) as proxy_port:
            proxied = report("through nginx", *attack(proxy_port))
    ok = proxied["asked"] > 0 and proxied["served"] == proxied["asked"]
    print(
        "  result: "
        + (
            "the visitor was served every time through nginx"
            if ok
            else "the visitor was NOT always served through nginx"
        )
        + f" ({direct['served']} of {direct['asked']} without it)"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
