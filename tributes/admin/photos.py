"""Photos in the admin: thumbnails for lists and change pages."""

from __future__ import annotations

from django.utils.html import format_html

from tributes.models import Photo


def admin_thumbnail(photo: Photo | None, *, width: int = 80):
    """An <img> of the smallest rendition for admin lists, or a dash when there is no photo."""
    if photo is None or not photo.renditions:
        return "—"
    smallest = photo.renditions[0]
    height = max(1, round(smallest["height"] * width / smallest["width"]))
    return format_html(
        '<img src="{}" width="{}" height="{}" alt="{}" loading="lazy" class="photo-thumbnail">',
        photo.rendition_url(smallest["width"]),
        width,
        height,
        photo.alt_text,
    )
