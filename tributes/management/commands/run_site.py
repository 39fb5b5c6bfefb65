import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from memorial import embedded_postgres

# How long the worker may take to finish the email it is sending when the site stops.
WORKER_STOP_SECONDS = 30
# Connections the development server may hold at once: the 32 visitors at once a family sharing
# the page can bring, inside the embedded PostgreSQL's max_connections = 100.
DEVELOPMENT_POOL_SIZE = 32


class Command(BaseCommand):
    help = (
        "Migrate, load the demo data and serve the site with a background worker beside it. "
        "Ctrl-C stops everything it started, the embedded database included."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))

    def handle(self, *args, port, **options):
        call_command("migrate", verbosity=0)
        call_command("load_demo")
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        # Links in emails and robots.txt follow the port (settings.SITE_URL reads PORT).
        env = {**os.environ, "PORT": str(port)}
        # The worker runs in a session of its own, so that Ctrl-C in the terminal does not reach
        # it: this command then asks it, once, to finish what it is sending and stop. (Two
        # signals, the terminal's and ours, made it stop in the middle of its exit, noisily.)
        worker = subprocess.Popen(  # noqa: S603
            [*manage, "run_worker"], env=env, start_new_session=True
        )
        self.stdout.write(f"Serving Memorial at http://127.0.0.1:{port}/ (Ctrl-C to stop)")
        try:
            # runserver starts a thread per request, with no limit: with persistent connections
            # a burst of visitors used up every connection the database allows, so each request
            # closes its own (with the pool off) or hands it back to a pool sized for a burst of
            # visitors, not for gunicorn's 4 threads, so that 32 at once wait their turn instead
            # of getting the 503 page after the pool's 3 s.
            subprocess.run(  # noqa: S603
                [*manage, "runserver", f"127.0.0.1:{port}"],
                env={
                    **env,
                    "CONN_MAX_AGE": "0",
                    "DATABASE_POOL_SIZE": os.environ.get(
                        "DATABASE_POOL_SIZE", str(DEVELOPMENT_POOL_SIZE)
                    ),
                },
                check=False,
            )
        except KeyboardInterrupt:
            pass
        finally:
            self._stop(worker)
            if not os.environ.get("DATABASE_URL"):
                embedded_postgres.stop(settings.BASE_DIR)
                self.stdout.write("Stopped the embedded database.")

    def _stop(self, worker: subprocess.Popen) -> None:
        worker.send_signal(signal.SIGINT)
        try:
            worker.wait(timeout=WORKER_STOP_SECONDS)
        except (subprocess.TimeoutExpired, KeyboardInterrupt):
            # Still busy, or Ctrl-C pressed again: stop it now.
            worker.kill()
            worker.wait()
