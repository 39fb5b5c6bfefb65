import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from memorial import embedded_postgres


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
        worker = subprocess.Popen([*manage, "db_worker", "--no-startup-delay"])  # noqa: S603
        self.stdout.write(f"Serving Memorial at http://127.0.0.1:{port}/ (Ctrl-C to stop)")
        try:
            subprocess.run([*manage, "runserver", f"127.0.0.1:{port}"], check=False)  # noqa: S603
        except KeyboardInterrupt:
            pass
        finally:
            worker.terminate()
            worker.wait(timeout=10)
            if not os.environ.get("DATABASE_URL"):
                embedded_postgres.stop(settings.BASE_DIR)
                self.stdout.write("Stopped the embedded database.")
