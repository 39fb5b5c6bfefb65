"""Everything a printed keepsake holds: the story, the photos, published tributes and comments."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

from tributes.models import Comment, Memorial, Photo, Tribute


@dataclass(frozen=True)
class Keepsake:
    memorial: Memorial
    cover_photo: Photo | None
    tributes: list[Tribute]

    @property
    def photos(self) -> list[Photo]:
        """Every photo in the keepsake: the cover first, then the tributes' in their order."""
        photos = [self.cover_photo] if self.cover_photo else []
        return photos + [tribute.photo for tribute in self.tributes if tribute.photo]


def keepsake(memorial: Memorial) -> Keepsake:
    """The memorial's published tributes, oldest first as a book reads, each with its published
    comments (as `published_comments`) and photo. Three queries whatever the number of tributes.
    """
    tributes = (
        Tribute.objects.for_memorial(memorial)
        .published()
        .select_related("photo")
        .prefetch_related(
            Prefetch(
                "comments",
                queryset=Comment.objects.published().order_by("created_at"),
                to_attr="published_comments",
            )
        )
        .order_by("created_at", "pk")
    )
    cover = memorial.cover_photo if memorial.cover_photo_id else None
    return Keepsake(memorial=memorial, cover_photo=cover, tributes=list(tributes))
