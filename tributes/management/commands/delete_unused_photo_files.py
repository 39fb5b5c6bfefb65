"""Delete photo files that no Photo refers to (left by a transaction that was rolled back)."""

from __future__ import annotations

import datetime as dt

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.utils import timezone

from tributes.models import Photo

PHOTO_FOLDER = "photos"


class Command(BaseCommand):
    help = (
        "Delete files in the photo folder that belong to no photo. Files younger than an hour "
        "are kept: their upload may still be finishing."
    )

    def handle(self, *args, **options) -> None:
        _folders, files = default_storage.listdir(PHOTO_FOLDER)
        in_use = set(Photo.objects.file_names())
        cutoff = timezone.now() - dt.timedelta(hours=1)
        deleted = 0
        for file in files:
            name = f"{PHOTO_FOLDER}/{file}"
            if name in in_use or default_storage.get_modified_time(name) > cutoff:
                continue
            default_storage.delete(name)
            deleted += 1
        self.stdout.write(f"Deleted {deleted} unused photo files.")
