from django.core.management.base import BaseCommand

from tributes import demo


class Command(BaseCommand):
    help = (
        "Load the fictional demo memorial (safe to run again: it changes nothing the second time)."
    )

    def handle(self, *args, **options):
        memorial = demo.load_demo()
        self.stdout.write(f"Demo memorial: {memorial.get_absolute_url()}")
        self.stdout.write(
            f"Demo moderator: username {demo.MODERATOR_USERNAME!r}, "
            f"password {demo.MODERATOR_PASSWORD!r}"
        )
