import time

from django.core.management.base import BaseCommand

from tributes import bulk_demo


class Command(BaseCommand):
    help = (
        "Load the big demo for speed measurements: the demo memorial with 100,000 tributes, "
        "200,000 comments, 50,000 candles and a live candle time, and 100 ordinary memorials."
    )

    def handle(self, *args, **options):
        if bulk_demo.already_loaded():
            self.stdout.write("The big demo is already loaded: nothing changed.")
            return
        started = time.perf_counter()
        made = bulk_demo.load_bulk_demo()
        seconds = time.perf_counter() - started
        self.stdout.write(
            "Loaded {memorials} memorials, {tributes:,} tributes, {comments:,} comments and "
            "{candles:,} candles in {seconds:.1f} s.".format(**made, seconds=seconds)
        )
