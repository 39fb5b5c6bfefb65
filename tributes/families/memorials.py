"""A family makes and changes its own memorial: the page, its cover photo, who reads first.

"Who reads what visitors write first" is one choice for the family, kept in two fields of the
memorial (`family_moderates` and `moderation_mode`): the family, the site's moderators, or
nobody (published at once and read afterwards by the site's moderators).
"""

from __future__ import annotations

from django.db import models, transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tributes.models import Memorial, ModerationMode, Tribute
from tributes.photos.pipeline import PreparedPhoto
from tributes.photos.storage import save_photo


class FirstReader(models.TextChoices):
    FAMILY = "family", _("We do: nothing appears before one of us has read it")
    SITE = "site", _("The site's moderators read everything before it appears")
    NOBODY = "nobody", _("Nobody: it appears at once, and the site's moderators read it afterwards")


def first_reader(memorial: Memorial) -> str:
    if memorial.moderation_mode == ModerationMode.OPEN:
        return FirstReader.NOBODY
    return FirstReader.FAMILY if memorial.family_moderates else FirstReader.SITE


def apply_first_reader(memorial: Memorial, choice: str) -> None:
    """Set the two moderation fields from the family's choice (the memorial is not saved).

    A mode the family cannot choose here (only first-time writers held, only the family may
    post), set by a site moderator, is kept while the family keeps choosing a reader.
    """
    memorial.family_moderates = choice == FirstReader.FAMILY
    if choice == FirstReader.NOBODY:
        memorial.moderation_mode = ModerationMode.OPEN
    elif memorial.moderation_mode == ModerationMode.OPEN:
        memorial.moderation_mode = ModerationMode.ALL_HELD


def set_cover(memorial: Memorial, upload: PreparedPhoto, *, alt_text: str = "") -> None:
    """Make `upload` the memorial's cover; a replaced cover on no tribute is deleted with its files."""
    previous = memorial.cover_photo
    alt_text = alt_text or gettext("Photo of %(name)s") % {"name": memorial.name}
    memorial.cover_photo = save_photo(upload, memorial=memorial, alt_text=alt_text)
    memorial.save(update_fields=["cover_photo", "updated_at"])
    if previous is not None and not Tribute.objects.filter(photo=previous).exists():
        previous.delete()


@transaction.atomic
def create_memorial(
    memorial: Memorial,
    *,
    by,
    first_reader_choice: str,
    cover: PreparedPhoto | None = None,
    cover_description: str = "",
) -> Memorial:
    """Save a new memorial made by `by`, who becomes its first owner.

    It starts as a preview that only its owners can open, until they publish it.
    """
    memorial.is_draft = True
    apply_first_reader(memorial, first_reader_choice)
    memorial.full_clean(exclude=["slug"])
    memorial.save()
    memorial.owners.add(by)
    if cover is not None:
        set_cover(memorial, cover, alt_text=cover_description)
    return memorial


def publish(memorial: Memorial) -> None:
    """End the preview: visitors may open the page (as its privacy allows)."""
    Memorial.objects.filter(pk=memorial.pk).update(is_draft=False)
    memorial.is_draft = False


@transaction.atomic
def update_memorial(
    memorial: Memorial,
    *,
    first_reader_choice: str,
    cover: PreparedPhoto | None = None,
    cover_description: str = "",
    remove_cover: bool = False,
) -> Memorial:
    """Save the family's changes to `memorial` (already applied to it by the form)."""
    apply_first_reader(memorial, first_reader_choice)
    memorial.full_clean(exclude=["slug"])
    memorial.save()
    if cover is not None:
        set_cover(memorial, cover, alt_text=cover_description)
    elif remove_cover and memorial.cover_photo is not None:
        previous = memorial.cover_photo
        memorial.cover_photo = None
        memorial.save(update_fields=["cover_photo", "updated_at"])
        if not Tribute.objects.filter(photo=previous).exists():
            previous.delete()
    return memorial
