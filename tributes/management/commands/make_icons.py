"""Draw the site's icons again into static/img/icons/ (they are committed; see tributes/sharing/icons.py)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from tributes.sharing.icons import write_icons


class Command(BaseCommand):
    help = "Draw the favicon, touch icon and manifest icons into static/img/icons/."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--folder",
            type=Path,
            default=Path(settings.BASE_DIR) / "static" / "img" / "icons",
            help="Where to write the files (default: static/img/icons/).",
        )

    def handle(self, *args, folder: Path, **options) -> None:
        for path in write_icons(folder):
            self.stdout.write(f"Wrote {path}")
