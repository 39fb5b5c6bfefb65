"""Memorials and their photos."""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.validators import MinValueValidator
from django.db import connections, models
from django.db.models import Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from tributes.models.choices import ModerationMode, Visibility
from tributes.models.slugs import unique_slug
from tributes.zones import validate_time_zone


class MemorialQuerySet(models.QuerySet):
    def listed(self) -> MemorialQuerySet:
        """Memorials that may appear in lists, search results and the sitemap."""
        return self.filter(visibility=Visibility.PUBLIC, is_draft=False)

    def indexable(self) -> MemorialQuerySet:
        """Public memorials whose family let search engines list them (the sitemap)."""
        return self.listed().filter(allow_search_indexing=True)

    def visible_to(self, user, *, share_links=()) -> MemorialQuerySet:
        """Memorials a person may open.

        Public and unlisted ones; private ones to their guests and to whoever holds one of their
        working share links (`share_links`: ids from the visitor's session); none of these while
        the memorial is still a preview. Its owners always.
        """
        opened = Q(visibility__in=[Visibility.PUBLIC, Visibility.UNLISTED])
        if share_links:
            opened |= Q(share_links__pk__in=list(share_links), share_links__revoked_at__isnull=True)
        if user is not None and user.is_authenticated:
            opened |= Q(guests__user=user)
            return self.filter((opened & Q(is_draft=False)) | Q(owners=user)).distinct()
        visible = self.filter(opened, is_draft=False)
        # Only the share links' join can repeat a memorial: the rush's visitors have none.
        return visible.distinct() if share_links else visible

    def with_ownership_of(self, user) -> MemorialQuerySet:
        """Each memorial with whether `user` owns it, which `is_owned_by(user)` (that user
        only) then answers without a query."""
        if user is None or not user.is_authenticated:
            return self
        owns = Memorial.owners.through.objects.filter(memorial=OuterRef("pk"), user=user)
        return self.annotate(ownership_read_for=Value(user.pk), owned_by_reader=Exists(owns))

    def with_page_version(self) -> MemorialQuerySet:
        """Each memorial with the number of what its page shows, as `page_version` (PageVersion;
        0 before its first change)."""
        number = PageVersion.objects.filter(memorial=OuterRef("pk")).values("number")
        return self.annotate(page_version=Coalesce(Subquery(number), 0))

    def owned_by(self, user) -> MemorialQuerySet:
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(owners=user)


class Memorial(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("web address"), max_length=220, unique=True, allow_unicode=False)
    born_on = models.DateField(_("born on"), null=True, blank=True)
    died_on = models.DateField(_("died on"), null=True, blank=True)
    # When only the year is known (or only the year is to be shown), the date fields stay empty.
    born_year = models.PositiveSmallIntegerField(
        _("year of birth"), null=True, blank=True, validators=[MinValueValidator(1000)]
    )
    died_year = models.PositiveSmallIntegerField(
        _("year of death"), null=True, blank=True, validators=[MinValueValidator(1000)]
    )
    due_on = models.DateField(
        _("due date"),
        null=True,
        blank=True,
        help_text=_("Only used to remind the family, if they ask; never shown."),
    )
    age_note = models.CharField(
        _("note on dates"),
        max_length=200,
        blank=True,
        help_text=_('Shown under the dates, for example "born at 21 weeks and 5 days".'),
    )
    story = models.TextField(_("their story"), blank=True)
    cover_photo = models.ForeignKey(
        "Photo",
        verbose_name=_("cover photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    visibility = models.CharField(
        _("who can see it"), max_length=10, choices=Visibility, default=Visibility.PUBLIC
    )
    allow_search_indexing = models.BooleanField(
        _("let search engines list this page"),
        default=False,
        help_text=_("Only for public memorials, and only when the family asks for it."),
    )
    moderation_mode = models.CharField(
        _("moderation"), max_length=20, choices=ModerationMode, default=ModerationMode.ALL_HELD
    )
    family_moderates = models.BooleanField(
        _("the family moderates"),
        default=False,
        help_text=_(
            "When on, the family reads and approves what visitors write instead of the site's "
            "moderators."
        ),
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/London", validators=[validate_time_zone]
    )
    owners = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("family owners"),
        related_name="memorials",
        blank=True,
    )
    # A memorial the family made starts as a preview: only its owners see it until they publish.
    is_draft = models.BooleanField(
        _("preview, not yet open to visitors"),
        default=False,
        help_text=_("While on, only the family can open the page."),
    )
    charity_name = models.CharField(_("a charity in their name"), max_length=200, blank=True)
    charity_url = models.URLField(
        _("the charity's donation page"),
        blank=True,
        help_text=_("The charity's own page: no money ever passes through this site."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MemorialQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        indexes = [
            # Find a memorial by name: full-text search of names, tributes/sharing/search.py.
            GinIndex(SearchVector("name", config="simple"), name="memorial_name_search"),
        ]
        constraints = [
            # A baby may be born and die on the same day, so equal dates are allowed.
            models.CheckConstraint(
                condition=Q(born_on__isnull=True)
                | Q(died_on__isnull=True)
                | Q(died_on__gte=models.F("born_on")),
                name="memorial_died_on_or_after_birth",
            ),
            models.CheckConstraint(
                condition=Q(born_year__isnull=True)
                | Q(died_year__isnull=True)
                | Q(died_year__gte=models.F("born_year")),
                name="memorial_died_in_or_after_the_year_of_birth",
            ),
            # The family's charity link is always to an https page.
            models.CheckConstraint(
                condition=Q(charity_url="") | Q(charity_url__startswith="https://"),
                name="memorial_charity_link_is_https",
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=Visibility.values), name="memorial_visibility_valid"
            ),
            models.CheckConstraint(
                condition=Q(moderation_mode__in=ModerationMode.values),
                name="memorial_moderation_mode_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, **kwargs) -> None:
        if not self.slug:
            self.slug = self.unique_slug(self.name)
        super().save(**kwargs)

    def get_absolute_url(self) -> str:
        return reverse("tributes:memorial", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if self.born_on and self.died_on and self.died_on < self.born_on:
            raise ValidationError({"died_on": _("The date of death cannot be before the birth.")})

    @classmethod
    def unique_slug(cls, name: str) -> str:
        return unique_slug(cls, slugify(name)[:200] or "memorial")

    @property
    def is_private(self) -> bool:
        return self.visibility == Visibility.PRIVATE

    @property
    def is_indexable(self) -> bool:
        return self.visibility == Visibility.PUBLIC and self.allow_search_indexing

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def is_owned_by(self, user) -> bool:
        if user is None or not user.is_authenticated:
            return False
        # Read with the memorial by MemorialQuerySet.with_ownership_of: no query of its own.
        if getattr(self, "ownership_read_for", None) == user.pk:
            return self.owned_by_reader
        return self.owners.filter(pk=user.pk).exists()


class PageVersionQuerySet(models.QuerySet):
    def bump(self, memorial_id: int) -> None:
        """Change the number of the memorial's page (1 when it had none), in the caller's
        transaction: from its commit on, nothing kept under the old number is shown."""
        with connections[self.db].cursor() as cursor:
            cursor.execute(
                "INSERT INTO tributes_pageversion (memorial_id, number) VALUES (%s, 1) "
                "ON CONFLICT (memorial_id) DO UPDATE SET number = tributes_pageversion.number + 1",
                [memorial_id],
            )


class PageVersion(models.Model):
    """The number of what a memorial's page shows, changed with every saved or deleted
    tribute, comment, photo, candle time and the memorial itself (tributes/signals.py).

    The page and its tributes' HTML are kept under it, in each process and in the shared cache
    (views/memorials.py, views/tribute_list.py). It is read in the page's own query and changed
    in the transaction of the change, so the next request shows the change on every server,
    whatever the shared cache went through. A row of its own rather than a column of Memorial,
    so that saving a memorial read earlier never writes an older number back; without a
    foreign-key constraint, so that a change counted while its memorial is being deleted never
    fails the deletion (the row is deleted with the memorial).
    """

    memorial = models.OneToOneField(
        Memorial,
        on_delete=models.CASCADE,
        primary_key=True,
        db_constraint=False,
        related_name="+",
    )
    number = models.BigIntegerField(default=0)

    objects = PageVersionQuerySet.as_manager()

    class Meta:
        db_table = "tributes_pageversion"  # Named in PageVersionQuerySet.bump's SQL.

    def __str__(self) -> str:
        return f"{self.memorial_id}: {self.number}"


def rendition_names(renditions) -> list[str]:
    """The storage names listed in a Photo's `renditions` value, skipping malformed entries."""
    return [r["name"] for r in renditions or [] if isinstance(r, dict) and r.get("name")]


class PhotoQuerySet(models.QuerySet):
    def file_names(self) -> list[str]:
        """Every storage name these photos' renditions use (one query, rows not built)."""
        return [
            name
            for renditions in self.values_list("renditions", flat=True)
            for name in rendition_names(renditions)
        ]


class Photo(models.Model):
    """A processed image: re-encoded WebP renditions, never the uploaded bytes.

    `renditions` is a list of {"width", "height", "name"} sorted by width, `name` being the
    storage name of that rendition.
    """

    memorial = models.ForeignKey(Memorial, on_delete=models.CASCADE, related_name="photos")
    renditions = models.JSONField(default=list)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    alt_text = models.CharField(_("description of the photo"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PhotoQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.alt_text or f"Photo {self.pk}"

    def rendition_url(self, width: int) -> str:
        return reverse("tributes:photo", kwargs={"pk": self.pk, "width": width})

    def rendition_name(self, width: int) -> str | None:
        """The storage name of the rendition `width` pixels wide, or None."""
        for rendition in self.renditions:
            if rendition["width"] == width:
                return rendition["name"]
        return None

    @property
    def default_url(self) -> str:
        """The `src` for browsers that ignore `srcset`: the first rendition 800 px wide or more."""
        widths = [rendition["width"] for rendition in self.renditions]
        return self.rendition_url(next((w for w in widths if w >= 800), widths[-1]))

    @property
    def srcset(self) -> str:
        return ", ".join(
            f"{self.rendition_url(rendition['width'])} {rendition['width']}w"
            for rendition in self.renditions
        )

    def is_on_show(self) -> bool:
        """Whether visitors may see it: the memorial's cover, or on a published tribute.

        Reads `memorial` and the reverse `tribute`: select_related both to avoid two queries.
        """
        if self.memorial.cover_photo_id == self.pk:
            return True
        tribute = getattr(self, "tribute", None)
        return tribute is not None and tribute.is_published

    @property
    def largest_rendition(self) -> dict | None:
        usable = [r for r in self.renditions or [] if isinstance(r, dict) and r.get("name")]
        return max(usable, key=lambda r: r.get("width") or 0) if usable else None

    def delete_files(self) -> None:
        """Delete every rendition from storage (the row itself is left alone)."""
        for name in rendition_names(self.renditions):
            default_storage.delete(name)
