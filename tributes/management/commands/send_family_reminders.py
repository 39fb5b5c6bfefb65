"""Remembering-day reminders and daily digests for families who asked.

`run_worker`'s housekeeping runs this every few hours; each is queued once per day whatever
the number of runs (tributes/families/remembering.py), so it also may be run by hand.
"""

from django.core.management.base import BaseCommand

from tributes.families.remembering import send_daily


class Command(BaseCommand):
    help = (
        "Queue today's remembering-day reminders and daily digests not yet sent "
        "(run_worker's housekeeping runs it; safe to repeat)."
    )

    def handle(self, *args, **options) -> None:
        sent = send_daily()
        self.stdout.write(f"{sent} emails queued")
