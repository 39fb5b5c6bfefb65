from django.core.management.base import BaseCommand

from tributes.task_leases import requeue_abandoned_tasks


class Command(BaseCommand):
    help = "Make READY again the queued tasks whose worker died while running them."

    def handle(self, *args, **options):
        self.stdout.write(f"{requeue_abandoned_tasks()} task(s) taken back")
