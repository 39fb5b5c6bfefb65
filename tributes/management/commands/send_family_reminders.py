"""Run once a day: remembering-day reminders and daily digests for families who asked."""

from django.core.management.base import BaseCommand

from tributes.families.remembering import send_daily


class Command(BaseCommand):
    help = "Email today's remembering-day reminders and daily digests (run once a day)."

    def handle(self, *args, **options) -> None:
        sent = send_daily()
        self.stdout.write(f"{sent} emails sent")
