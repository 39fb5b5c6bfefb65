"""Storing a prepared photo's renditions and creating its Photo row."""

from __future__ import annotations

import logging
import secrets

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from tributes.models import Memorial, Photo
from tributes.photos.pipeline import PreparedPhoto, prepare_photo

logger = logging.getLogger(__name__)


def save_photo(
    photo: PreparedPhoto | UploadedFile, *, memorial: Memorial, alt_text: str = ""
) -> Photo:
    """Store the renditions of `photo` under random names and create its Photo row.

    Accepts a PreparedPhoto (what PhotoField gives a form) or an upload, which is checked first
    (and may raise ValidationError). Writes the files through `default_storage` before the row:
    if the row cannot be created they are deleted again. Files are only ever served through a
    Photo row, so files left by a transaction rolled back later are never shown.
    """
    prepared = photo if isinstance(photo, PreparedPhoto) else prepare_photo(photo)
    key = secrets.token_urlsafe(18)
    stored = []
    try:
        for rendition in prepared.renditions:
            name = default_storage.save(
                f"photos/{key}-{rendition.width}.webp", ContentFile(rendition.data)
            )
            stored.append({"width": rendition.width, "height": rendition.height, "name": name})
        saved = Photo.objects.create(
            memorial=memorial,
            renditions=stored,
            width=prepared.width,
            height=prepared.height,
            alt_text=alt_text[: Photo._meta.get_field("alt_text").max_length],
        )
    except BaseException:
        _delete_files([item["name"] for item in stored])
        raise
    return saved


def shared_by_alt_text(author_name: str) -> str:
    """The description of a tribute's photo when its author wrote none."""
    return str(_("Photo shared by %(name)s") % {"name": author_name})


def _delete_files(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError as error:
            logger.warning("Could not delete photo file %s: %r", name, error)
