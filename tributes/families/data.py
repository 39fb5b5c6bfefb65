"""What a family can take away and what they can erase: everything of their memorial.

`export_memorial` writes a ZIP with the texts as JSON and the photos; `erase_memorial` deletes
the memorial with every tribute, comment, candle, event and photo, including the photo files.
Both are admin actions for owners now, and will be buttons on the family's own pages later.
"""

from __future__ import annotations

import json
import logging
import tempfile
import zipfile
from pathlib import PurePosixPath

from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Prefetch, Q

from tributes.models import Candle, Comment, Memorial, Photo, Status, Tribute
from tributes.security import log as security_log

log = logging.getLogger(__name__)


def _exported_photos(memorial: Memorial):
    """The memorial's photos, except those of tributes that are not published."""
    return (
        memorial.photos.filter(Q(tribute__isnull=True) | Q(tribute__status=Status.APPROVED))
        .order_by("created_at", "pk")
        .select_related("tribute")
    )


def memorial_texts(memorial: Memorial, *, photo_paths: dict[int, str]) -> dict:
    """Everything written on the memorial, as JSON-ready data.

    Only published tributes and comments are included: rejected and spam entries are never passed
    on to the family, and pending ones have not been read yet. Visitors' email addresses and
    visitor keys stay out; a candle lit anonymously stays anonymous.
    """
    tributes = (
        Tribute.objects.for_memorial(memorial)
        .published()
        .order_by("created_at", "pk")
        .prefetch_related(
            Prefetch(
                "comments",
                queryset=Comment.objects.published().order_by("created_at", "pk"),
                to_attr="published_comments",
            )
        )
    )
    candles = Candle.objects.filter(
        Q(memorial=memorial) | Q(event__memorial=memorial)
    ).select_related("event")
    return {
        "memorial": {
            "name": memorial.name,
            "web_address": memorial.get_absolute_url(),
            "born_on": memorial.born_on,
            "died_on": memorial.died_on,
            "note_on_dates": memorial.age_note,
            "story": memorial.story,
            "visibility": memorial.visibility,
            "time_zone": memorial.time_zone,
            "created_at": memorial.created_at,
            "cover_photo": photo_paths.get(memorial.cover_photo_id),
        },
        "tributes": [
            {
                "id": tribute.pk,
                "author_name": tribute.author_name,
                "relationship": tribute.relationship,
                "message": tribute.message,
                "emblem": tribute.emblem,
                "written_at": tribute.created_at,
                "photo": photo_paths.get(tribute.photo_id),
                "comments": [
                    {
                        "author_name": comment.author_name,
                        "comment": comment.body,
                        "written_at": comment.created_at,
                    }
                    for comment in tribute.published_comments
                ],
            }
            for tribute in tributes
        ],
        "candle_events": [
            {
                "title": event.title,
                "message": event.message,
                "date": event.local_date,
                "time": event.local_time,
                "time_zone": event.time_zone,
                "wherever_you_are": event.is_floating,
                "lasts_minutes": int(event.duration.total_seconds() // 60),
            }
            for event in memorial.candle_events.order_by("local_date", "local_time")
        ],
        "candles": [
            {
                "lit_by": candle.display_name,
                "message": candle.shown_message,
                "lit_at": candle.lit_at,
                "burns_until": candle.burns_until,
                "event": candle.event.title if candle.event else None,
            }
            for candle in candles.order_by("lit_at", "pk")
        ],
        "photos": [
            {"file": photo_paths[photo.pk], "description": photo.alt_text}
            for photo in _exported_photos(memorial)
            if photo.pk in photo_paths
        ],
    }


def export_memorial(memorial: Memorial, *, by=None):
    """A ZIP (an open temporary file, at position 0) with memorial.json and photos/.

    Reads each photo's largest rendition through default_storage; a file missing from storage is
    left out (and logged) rather than failing the whole download.
    """
    archive_file = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)  # noqa: SIM115
    photo_paths: dict[int, str] = {}
    with zipfile.ZipFile(archive_file, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for photo in _exported_photos(memorial):
            rendition = photo.largest_rendition
            if rendition is None:
                continue
            suffix = PurePosixPath(rendition["name"]).suffix or ".webp"
            path = f"photos/{photo.pk}{suffix}"
            try:
                with default_storage.open(rendition["name"], "rb") as source:
                    archive.writestr(path, source.read())
            except OSError:
                log.warning("photo file missing from storage photo=%s", photo.pk)
                continue
            photo_paths[photo.pk] = path
        texts = memorial_texts(memorial, photo_paths=photo_paths)
        archive.writestr(
            "memorial.json",
            json.dumps(texts, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        )
    security_log.memorial_exported(memorial_id=memorial.pk, by=by)
    archive_file.seek(0)
    return archive_file


def erasure_summary(memorials) -> list[dict]:
    """What erasing each memorial would remove, for the confirmation page."""
    return [
        {
            "memorial": memorial,
            "tributes": Tribute.objects.for_memorial(memorial).count(),
            "comments": Comment.objects.for_memorial(memorial).count(),
            "candles": Candle.objects.filter(Q(memorial=memorial) | Q(event__memorial=memorial))
            .distinct()
            .count(),
            "photos": memorial.photos.count(),
        }
        for memorial in memorials
    ]


def photo_files(memorials) -> list[str]:
    """Every storage name listed in the renditions of the photos of `memorials`."""
    return Photo.objects.filter(memorial__in=memorials).file_names()


def erase_memorials(memorials, *, by=None) -> int:
    """Delete `memorials` with every tribute, comment, love, candle, event and photo file.

    The rows go in one transaction (the database cascades from the memorial); each cascaded
    Photo's files are deleted after it commits by the Photo post_delete signal (tributes/signals.py), so a
    failure never leaves rows pointing at missing files. Returns the number of photo files
    scheduled for deletion.
    """
    ids = [memorial.pk for memorial in memorials]
    with transaction.atomic():
        files = {memorial_id: photo_files([memorial_id]) for memorial_id in ids}
        names = [name for per_memorial in files.values() for name in per_memorial]
        # Covers point at photos: clear them so the cascade order never matters.
        Memorial.objects.filter(pk__in=ids).update(cover_photo=None)
        Memorial.objects.filter(pk__in=ids).delete()
    for memorial_id, per_memorial in files.items():
        security_log.memorial_erased(memorial_id=memorial_id, files=len(per_memorial), by=by)
    return len(names)
