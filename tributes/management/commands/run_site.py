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
            # runserver starts a thread, and so a database connection, per request: with
            # persistent connections a burst of visitors used up every connection the database
            # allows, so under the development server each request closes its own.
            subprocess.run(  # noqa: S603
                [*manage, "runserver", f"127.0.0.1:{port}"],
                env={**env, "CONN_MAX_AGE": "0"},
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
