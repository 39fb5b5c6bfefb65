"""A production-like run for the benches: gunicorn with gunicorn.conf.py, nginx with deploy/nginx.conf.

Used by bench/slow_clients.py and bench/faults.py. Everything listens on loopback ports chosen
at random and stops when the bench ends; nginx is installed from Debian's packages if missing.
"""

from __future__ import annotations

import contextlib
import dataclasses
import http.client
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
MANAGE = [sys.executable, str(BASE_DIR / "manage.py")]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "unknown CPU",
    )
    load = "{:.1f} {:.1f} {:.1f}".format(*os.getloadavg())
    return f"{os.cpu_count()} CPUs ({cpu}), load average {load}, Python {sys.version.split()[0]}"


def production_env(database_url: str, **overrides: str) -> dict[str, str]:
    """Production settings as behind a TLS proxy on this machine (no DEBUG, a random key)."""
    env = {
        **{key: value for key, value in os.environ.items() if key not in {"DEBUG", "TESTING"}},
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": database_url,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "STATIC_ROOT": str(Path(tempfile.gettempdir()) / "memorial-bench-static"),
        "TRUSTED_PROXY_COUNT": "1",
        # The benches speak plain http on loopback; nginx tells the app it was https.
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
        "GUNICORN_ACCESS_LOG": "",
        "GUNICORN_LOG_LEVEL": "warning",
        "PYTHONUNBUFFERED": "1",
    }
    env.update(overrides)
    return env


def prepare(env: dict[str, str]) -> None:
    """Migrate and collect static files, as a deployment does before starting gunicorn."""
    for command in (["migrate", "--verbosity", "0"], ["collectstatic", "--noinput", "-v", "0"]):
        subprocess.run([*MANAGE, *command], env=env, check=True, cwd=BASE_DIR)


def request(
    port: int,
    method: str,
    path: str,
    *,
    body: str | None = None,
    headers: dict | None = None,
    timeout: float = 10.0,
) -> int:
    """Status of one request (0 when the connection failed or timed out)."""
    return answer(port, method, path, body=body, headers=headers, timeout=timeout)[0]


def answer(
    port: int,
    method: str,
    path: str,
    *,
    body: str | None = None,
    headers: dict | None = None,
    timeout: float = 10.0,
) -> tuple[int, dict[str, str]]:
    """Status and headers of one request (0 and none when the connection failed or timed out)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(
            method, path, body=body, headers={"Host": "127.0.0.1", **(headers or {})}
        )
        response = connection.getresponse()
        response.read()
        return response.status, {name.lower(): value for name, value in response.getheaders()}
    except OSError:
        return 0, {}
    finally:
        connection.close()


def get(port: int, path: str, timeout: float = 10.0) -> int:
    return request(port, "GET", path, timeout=timeout)


def wait_until_serving(port: int, process: subprocess.Popen, path: str = "/robots.txt") -> None:
    # Generous: on a machine shared with test runs, starting 4 workers can take a minute or more.
    deadline = time.monotonic() + float(os.environ.get("BENCH_START_SECONDS", "180"))
    while get(port, path, timeout=2) != 200:
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            problem = process.communicate()[1] if process.stderr else ""
            raise SystemExit(f"the server on port {port} did not start {problem or ''}")
        time.sleep(0.2)


@dataclasses.dataclass
class Server:
    """A running gunicorn: its port and master process."""

    port: int
    process: subprocess.Popen

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def worker_rss_mb(self) -> list[float]:
        """Each worker's resident memory, in MB."""
        sizes = []
        for pid in self.worker_pids():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
        return sizes


@contextlib.contextmanager
def gunicorn_server(
    env: dict[str, str], log: Path | None = None, **settings: str
) -> Iterator[Server]:
    """gunicorn with gunicorn.conf.py (GUNICORN_* overrides in settings), serving.

    Its output goes to `log` when given (appended), else to the bench's own.
    """
    port = free_port()
    output = log.open("a") if log else None
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "memorial.wsgi"],
        cwd=BASE_DIR,
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", **settings},
        stdout=output,
        stderr=output,
    )
    try:
        wait_until_serving(port, process)
        yield Server(port=port, process=process)
    finally:
        process.terminate()
        process.wait(timeout=30)
        if output:
            output.close()


@contextlib.contextmanager
def gunicorn(env: dict[str, str], log: Path | None = None, **settings: str) -> Iterator[int]:
    """gunicorn_server(), yielding only its port."""
    with gunicorn_server(env, log, **settings) as server:
        yield server.port


def debian_binary(name: str, package: str | None = None) -> str:
    """The path of the program `name`, installed from Debian's `package` first if missing."""
    sbin = Path("/usr/sbin") / name
    found = shutil.which(name) or (str(sbin) if sbin.exists() else "")
    if found:
        return found
    package = package or name
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise SystemExit(f"{name} is needed: apt-get install {package} (as root), then run again.")
    print(f"  installing {package} from Debian's packages ...", flush=True)
    quiet = {"stdout": subprocess.DEVNULL, "check": True}
    subprocess.run(["apt-get", "update", "-qq"], **quiet)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", package],
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        **quiet,
    )
    return shutil.which(name) or str(sbin)


def nginx_binary() -> str:
    return debian_binary("nginx")


def site_config(app_port: int, port: int, folder: Path) -> str:
    """deploy/nginx.conf as shipped, with only TLS and the addresses changed for loopback."""
    text = (BASE_DIR / "deploy" / "nginx.conf").read_text()
    text = re.sub(r"# begin: plain http.*?# end: plain http\n", "", text, flags=re.DOTALL)
    text = text.replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};")
    text = text.replace("listen 443 ssl;", f"listen 127.0.0.1:{port};")
    text = re.sub(r"^\s*(listen \[::\]:443 ssl|http2 on|ssl_\w+ [^;]*);\n", "", text, flags=re.M)
    text = text.replace("/var/log/nginx/", f"{folder}/")
    # The bench speaks plain http on loopback; the app is told, as behind TLS, that it was https.
    return text.replace("X-Forwarded-Proto $scheme", "X-Forwarded-Proto https")


@contextlib.contextmanager
def nginx(app_port: int, config=site_config) -> Iterator[int]:
    """nginx in front of the app on app_port; yields nginx's port.

    `config(app_port, port, folder)` writes the site (bench/cluster.py passes one with two servers).
    """
    binary = nginx_binary()
    port = free_port()
    folder = Path(tempfile.mkdtemp(prefix="memorial-nginx-"))
    # As root, nginx's workers run as nobody and must be able to write their temporary files.
    folder.chmod(0o777)
    (folder / "memorial.conf").write_text(config(app_port, port, folder))
    temp_paths = (
        "\n".join(
            f"    {kind}_temp_path {folder}/{kind};" for kind in ("client_body", "proxy", "fastcgi")
        )
        + f"\n    uwsgi_temp_path {folder}/uwsgi;\n    scgi_temp_path {folder}/scgi;"
    )
    (folder / "nginx.conf").write_text(
        f"""worker_processes 1;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 2048; }}
http {{
    access_log {folder}/access.log;
{temp_paths}
    include {folder}/memorial.conf;
}}
"""
    )
    process = subprocess.Popen(
        [binary, "-p", str(folder), "-c", str(folder / "nginx.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until_serving(port, process)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)
