from __future__ import annotations

import datetime as dt
import functools
import unicodedata
import zoneinfo
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from tributes import security_log
from tributes.zones import is_place_zone


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("%(value)s is not a time zone we know. Try a name like Europe/London."),
            params={"value": value},
        )


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public: anyone can find it")
    UNLISTED = "unlisted", _("Unlisted: only people with the link")
    PRIVATE = "private", _("Private: only the family")


class ModerationMode(models.TextChoices):
    ALL_HELD = "all_held", _("Every tribute and comment waits for approval")
    FIRST_TIME_HELD = "first_time_held", _("Only first-time writers wait for approval")
    OPEN = "open", _("Published at once, moderated afterwards")
    FAMILY_ONLY = "family_only", _("Only the family may post")


class Status(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Published")
    REJECTED = "rejected", _("Rejected")
    SPAM = "spam", _("Spam")


class RejectionReason(models.TextChoices):
    ABUSIVE = "abusive", _("Abusive or hurtful")
    SPAM = "spam", _("Spam or advertising")
    COPYRIGHT = "copyright", _("Copyright (for example song lyrics)")
    OFF_TOPIC = "off_topic", _("Not about this person")
    OTHER = "other", _("Other")


class Emblem(models.TextChoices):
    NONE = "", _("No emblem")
    CANDLE = "candle", _("Candle")
    ANGEL_WINGS = "angel_wings", _("Angel wings")
    YELLOW_ROSE = "yellow_rose", _("Yellow rose")
    HEART = "heart", _("Heart")
    RIBBON = "ribbon", _("Ribbon")
    STAR = "star", _("Star")


class MemorialQuerySet(models.QuerySet):
    def listed(self) -> MemorialQuerySet:
        """Memorials that may appear in lists, search results and the sitemap."""
        return self.filter(visibility=Visibility.PUBLIC)

    def indexable(self) -> MemorialQuerySet:
        """Public memorials whose family let search engines list them (the sitemap)."""
        return self.listed().filter(allow_search_indexing=True)

    def visible_to(self, user) -> MemorialQuerySet:
        """Memorials a person may open: public and unlisted ones, and private ones they own."""
        shared = Q(visibility__in=[Visibility.PUBLIC, Visibility.UNLISTED])
        if user is not None and user.is_authenticated:
            return self.filter(shared | Q(owners=user)).distinct()
        return self.filter(shared)

    def owned_by(self, user) -> MemorialQuerySet:
        return self.filter(owners=user)


class Memorial(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("web address"), max_length=220, unique=True, allow_unicode=False)
    born_on = models.DateField(_("born on"), null=True, blank=True)
    died_on = models.DateField(_("died on"), null=True, blank=True)
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
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MemorialQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            # A baby may be born and die on the same day, so equal dates are allowed.
            models.CheckConstraint(
                condition=Q(born_on__isnull=True)
                | Q(died_on__isnull=True)
                | Q(died_on__gte=models.F("born_on")),
                name="memorial_died_on_or_after_birth",
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

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = self.unique_slug(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("tributes:memorial", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if self.born_on and self.died_on and self.died_on < self.born_on:
            raise ValidationError({"died_on": _("The date of death cannot be before the birth.")})

    @classmethod
    def unique_slug(cls, name: str) -> str:
        base = slugify(name)[:200] or "memorial"
        slug, n = base, 1
        while cls.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        return slug

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
        return self.owners.filter(pk=user.pk).exists()


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

    def delete_files(self) -> None:
        """Delete every rendition from storage (the row itself is left alone)."""
        for rendition in self.renditions:
            default_storage.delete(rendition["name"])


class ModeratedQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.APPROVED)

    def pending(self):
        return self.filter(status=Status.PENDING)


class Moderated(models.Model):
    """What tributes and comments share: an author, a status and the moderation stamp."""

    author_name = models.CharField(_("your name"), max_length=120)
    author_email = models.EmailField(_("your email (optional)"), blank=True)
    notify_on_publish = models.BooleanField(_("email me when it is published"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.PENDING, db_index=True
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Who made the last moderation decision."),
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.CharField(
        max_length=20,
        choices=RejectionReason,
        blank=True,
        help_text=_("Never shown to the author."),
    )
    # Only a SHA-256 of the author's private edit token is kept; the token itself is in their link.
    edit_token_hash = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )
    # The form's idempotency key: a resent form finds the row it already created.
    idempotency_key = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Why it was held for a moderator, as codes (tributes/spam.py HOLD_REASONS, or "edited"):
    # shown in the moderation queue, never to the author.
    hold_reasons = models.JSONField(default=list, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.status == Status.APPROVED

    def _decide(self, status: str, *, by, reason: str = "") -> None:
        self.status = status
        self.moderated_by = by
        self.moderated_at = timezone.now()
        self.rejection_reason = reason
        self.save(
            update_fields=[
                "status",
                "moderated_by",
                "moderated_at",
                "rejection_reason",
                "updated_at",
            ]
        )
        security_log.moderation_decided(self, status=status, by=by, reason=reason)

    def approve(self, *, by) -> None:
        self._decide(Status.APPROVED, by=by)

    def reject(self, *, by, reason: str) -> None:
        self._decide(Status.REJECTED, by=by, reason=reason)

    def mark_spam(self, *, by) -> None:
        self._decide(Status.SPAM, by=by, reason=RejectionReason.SPAM)

    def restore(self, *, by) -> None:
        """Put a rejected or spam item back in the queue."""
        self._decide(Status.PENDING, by=by)


class TributeQuerySet(ModeratedQuerySet):
    def for_memorial(self, memorial: Memorial) -> TributeQuerySet:
        return self.filter(memorial=memorial)


class Tribute(Moderated):
    memorial = models.ForeignKey(Memorial, on_delete=models.CASCADE, related_name="tributes")
    relationship = models.CharField(
        _("your relationship"),
        max_length=80,
        blank=True,
        help_text=_('For example "Mum", "friend" or "a stranger who read the story".'),
    )
    message = models.TextField(_("your tribute"), max_length=10_000)
    emblem = models.CharField(
        _("emblem"), max_length=20, choices=Emblem, default=Emblem.NONE, blank=True
    )
    photo = models.OneToOneField(
        Photo, null=True, blank=True, on_delete=models.SET_NULL, related_name="tribute"
    )
    love_count = models.PositiveIntegerField(default=0, editable=False)

    objects = TributeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The memorial page lists one memorial's published tributes, newest first.
            models.Index(fields=["memorial", "status", "-created_at"], name="tribute_page_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="tribute_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(emblem__in=Emblem.values), name="tribute_emblem_valid"
            ),
        ]

    def __str__(self) -> str:
        return _("Tribute from %(name)s") % {"name": self.author_name}

    def get_absolute_url(self) -> str:
        return f"{self.memorial.get_absolute_url()}#tribute-{self.pk}"


class CommentQuerySet(ModeratedQuerySet):
    def for_memorial(self, memorial: Memorial) -> CommentQuerySet:
        return self.filter(tribute__memorial=memorial)


class Comment(Moderated):
    tribute = models.ForeignKey(Tribute, on_delete=models.CASCADE, related_name="comments")
    body = models.TextField(_("your comment"), max_length=2_000)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        indexes = [
            models.Index(fields=["tribute", "status", "created_at"], name="comment_thread_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="comment_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return _("Comment from %(name)s") % {"name": self.author_name}

    def get_absolute_url(self) -> str:
        return f"{self.tribute.memorial.get_absolute_url()}#comment-{self.pk}"

    @property
    def memorial(self) -> Memorial:
        return self.tribute.memorial


class Love(models.Model):
    """A text-free "sending love" on a tribute: one per visitor, counted on the tribute."""

    tribute = models.ForeignKey(Tribute, on_delete=models.CASCADE, related_name="loves")
    visitor_key = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tribute", "visitor_key"], name="one_love_per_visitor"),
        ]

    def __str__(self) -> str:
        return f"Love on {self.tribute_id}"


class CandleEventQuerySet(models.QuerySet):
    def site_wide(self) -> CandleEventQuerySet:
        return self.filter(memorial__isnull=True)

    def upcoming(self, *, now: dt.datetime | None = None) -> CandleEventQuerySet:
        """Fixed events that have not ended yet, and floating events not yet over everywhere.

        A floating event ends last at UTC-12, so its local date may be up to two days behind UTC.
        """
        now = now or timezone.now()
        floating = Q(is_floating=True, local_date__gte=now.date() - dt.timedelta(days=2))
        return self.filter(floating | Q(ends_at__gt=now))

    def visible_to(self, user) -> CandleEventQuerySet:
        return self.filter(
            Q(memorial__isnull=True) | Q(memorial__in=Memorial.objects.visible_to(user))
        )


class CandleEvent(models.Model):
    """A time to light candles together.

    A fixed event happens once at `local_date` `local_time` in `time_zone`; its UTC instant is
    derived on save into `starts_at` and `ends_at`. A floating event ("19:00 wherever you are")
    has no single instant: it is resolved in each visitor's zone, and both instants are null.
    """

    memorial = models.ForeignKey(
        Memorial,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="candle_events",
        help_text=_("Leave empty for a site-wide event such as the Wave of Light."),
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    message = models.TextField(_("message"), blank=True)
    local_date = models.DateField(_("date"))
    local_time = models.TimeField(_("time"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text=_("Empty for a floating event."),
    )
    is_floating = models.BooleanField(
        _("at this time wherever you are"),
        default=False,
        help_text=_(
            'A floating event happens at the same local time in every zone ("19:00 wherever you are").'
        ),
    )
    duration = models.DurationField(_("how long it lasts"), default=dt.timedelta(hours=1))
    starts_at = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)
    ends_at = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CandleEventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "local_date", "local_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration__gt=dt.timedelta(0)), name="candle_event_lasts_some_time"
            ),
            # A fixed event has a zone and a derived instant; a floating one has neither.
            models.CheckConstraint(
                condition=(
                    Q(is_floating=True, time_zone="", starts_at__isnull=True, ends_at__isnull=True)
                    | Q(is_floating=False, starts_at__isnull=False, ends_at__isnull=False)
                    & ~Q(time_zone="")
                ),
                name="candle_event_fixed_or_floating",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="candle_event_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = self.unique_slug()
        self.derive_instants()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("tributes:event", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if self.is_floating:
            self.derive_instants()
            return
        if not self.time_zone:
            self.time_zone = self.memorial.time_zone if self.memorial_id else settings.TIME_ZONE
        try:
            validate_time_zone(self.time_zone)
        except ValidationError as error:
            raise ValidationError({"time_zone": error.messages}) from error
        if self.local_date is None or self.local_time is None or self.duration is None:
            return
        # Constraint validation (after clean) checks the derived instants, so derive them now.
        self.derive_instants()
        problem = wall_time_problem(self.local_start, zoneinfo.ZoneInfo(self.time_zone))
        if problem:
            raise ValidationError({"local_time": problem})

    def derive_instants(self) -> None:
        """Set starts_at and ends_at (UTC) from the wall time and zone; none when floating."""
        if self.is_floating:
            self.time_zone = ""
            self.starts_at = self.ends_at = None
        else:
            self.__dict__.pop("zone", None)
            self.starts_at = self.start_in(self.zone)
            self.ends_at = self.starts_at + self.duration

    @property
    def local_start(self) -> dt.datetime:
        """The naive wall-clock start, as the family wrote it."""
        return dt.datetime.combine(self.local_date, self.local_time)

    @cached_property
    def zone(self) -> zoneinfo.ZoneInfo | None:
        return zoneinfo.ZoneInfo(self.time_zone) if self.time_zone else None

    def unique_slug(self) -> str:
        base = f"{slugify(self.title)[:180] or 'candles'}-{self.local_date:%Y-%m-%d}"
        slug, n = base, 1
        while CandleEvent.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        return slug

    def start_in(self, zone: zoneinfo.ZoneInfo) -> dt.datetime:
        """The aware start instant in `zone` (for a fixed event, always its own zone)."""
        return self.local_start.replace(tzinfo=self.zone or zone)

    def end_in(self, zone: zoneinfo.ZoneInfo) -> dt.datetime:
        return self.start_in(zone) + self.duration

    def state(self, *, at: dt.datetime | None = None, zone: zoneinfo.ZoneInfo | None = None) -> str:
        """Before, live or ended at the instant `at`, for a visitor in `zone`.

        Decided from the clock alone, so the family's candle is lit at exactly the start time
        whether or not any background job has run. Instants are compared in UTC.
        """
        at = at or timezone.now()
        zone = zone or zoneinfo.ZoneInfo(settings.TIME_ZONE)
        if at < self.start_in(zone):
            return EventState.BEFORE
        if at < self.end_in(zone):
            return EventState.LIVE
        return EventState.ENDED

    def is_live(
        self, *, at: dt.datetime | None = None, zone: zoneinfo.ZoneInfo | None = None
    ) -> bool:
        return self.state(at=at, zone=zone) == EventState.LIVE

    def family_candle_is_lit(
        self, *, at: dt.datetime | None = None, zone: zoneinfo.ZoneInfo | None = None
    ) -> bool:
        return self.state(at=at, zone=zone) != EventState.BEFORE

    def zone_for(self, visitor_zone: zoneinfo.ZoneInfo) -> zoneinfo.ZoneInfo:
        """The zone that decides this event's instant for a visitor: its own unless floating."""
        return self.zone or visitor_zone

    def wave(self, *, at: dt.datetime | None = None) -> list[WaveZone]:
        """For a floating event: every UTC offset in use that day, east to west, with its state.

        Each entry lists the zone names sharing that offset at the event's local start.
        """
        at = at or timezone.now()
        by_offset = zones_by_offset(self.local_start)
        wave = []
        for offset in sorted(by_offset, reverse=True):
            names = list(by_offset[offset])
            state = self.state(at=at, zone=zoneinfo.ZoneInfo(names[0]))
            wave.append(WaveZone(offset=offset, zone_names=names, state=state))
        return wave


@functools.lru_cache(maxsize=16)
def zones_by_offset(wall: dt.datetime) -> dict[dt.timedelta, tuple[str, ...]]:
    """Region/City zone names grouped by their UTC offset at the wall time `wall`.

    Cached: it looks at every zone (about 30 ms) and a floating event asks with the same time.
    """
    by_offset: dict[dt.timedelta, list[str]] = {}
    for name in sorted(zoneinfo.available_timezones()):
        if not is_place_zone(name):
            continue
        offset = wall.replace(tzinfo=zoneinfo.ZoneInfo(name)).utcoffset()
        by_offset.setdefault(offset, []).append(name)
    return {offset: tuple(names) for offset, names in by_offset.items()}


class EventState(models.TextChoices):
    BEFORE = "before", _("Not started yet")
    LIVE = "live", _("Candles are being lit now")
    ENDED = "ended", _("Ended")


@dataclass(frozen=True)
class WaveZone:
    offset: dt.timedelta
    zone_names: list[str]
    state: str

    @property
    def offset_label(self) -> str:
        minutes = int(self.offset.total_seconds()) // 60
        sign = "+" if minutes >= 0 else "-"
        hours, minutes = divmod(abs(minutes), 60)
        return f"UTC{sign}{hours:02d}:{minutes:02d}"

    @property
    def is_lit(self) -> bool:
        return self.state == EventState.LIVE

    def places(self, *, first: str = "", count: int = 6) -> list[str]:
        """A few of the zone names, with `first` (the visitor's zone) leading when it is here."""
        others = [name for name in self.zone_names if name != first]
        leading = [first] if first in self.zone_names else []
        return [name.replace("_", " ") for name in (leading + others)[:count]]


def wall_time_problem(wall: dt.datetime, zone: zoneinfo.ZoneInfo) -> str:
    """Explain why a local wall time cannot name one instant in `zone`, or return ''.

    On the day clocks go forward a wall time may not exist; on the day they go back it may
    happen twice. Round-tripping through UTC and comparing both folds detects both.
    """
    early = wall.replace(tzinfo=zone, fold=0)
    late = wall.replace(tzinfo=zone, fold=1)
    round_trip = early.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None)
    if round_trip != wall:
        return str(
            _(
                "%(time)s does not exist in %(zone)s that day: the clocks go forward. Please choose another time."
            )
            % {"time": wall.strftime("%H:%M"), "zone": zone.key}
        )
    if early.utcoffset() != late.utcoffset():
        return str(
            _(
                "%(time)s happens twice in %(zone)s that day: the clocks go back. Please choose another time."
            )
            % {"time": wall.strftime("%H:%M"), "zone": zone.key}
        )
    return ""


class CandleQuerySet(models.QuerySet):
    def burning(self, *, now: dt.datetime | None = None) -> CandleQuerySet:
        now = now or timezone.now()
        return self.filter(Q(burns_until__isnull=True) | Q(burns_until__gt=now))

    def gone_out(self, *, now: dt.datetime | None = None) -> CandleQuerySet:
        now = now or timezone.now()
        return self.filter(burns_until__lte=now)

    def for_memorial(self, memorial: Memorial) -> CandleQuerySet:
        return self.filter(memorial=memorial)

    def held(self) -> CandleQuerySet:
        """Candles whose name and message wait for a moderator (shown as "Someone" meanwhile)."""
        return self.filter(words_held=True)

    def show_words(self) -> int:
        """A moderator's approval: these candles show their name and message. Returns how many."""
        return self.held().update(words_held=False)


class Candle(models.Model):
    """A candle lit by a visitor: during an event, on a memorial, or both (a dedication)."""

    event = models.ForeignKey(
        CandleEvent, null=True, blank=True, on_delete=models.CASCADE, related_name="candles"
    )
    memorial = models.ForeignKey(
        Memorial,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="candles",
        help_text=_("The memorial this candle is lit on or dedicated to."),
    )
    name = models.CharField(_("your name"), max_length=120)
    show_name = models.BooleanField(_("show my name"), default=True)
    message = models.CharField(_("a few words (optional)"), max_length=500, blank=True)
    visitor_key = models.CharField(max_length=64, editable=False)
    # The zone the visitor lit it in: counts candles per zone for floating events.
    time_zone = models.CharField(max_length=64, blank=True)
    lit_at = models.DateTimeField(default=timezone.now, db_index=True)
    burns_until = models.DateTimeField(_("burns until"), null=True, blank=True)
    # Lit and counted at once, but its words (links, blocked words) wait for a moderator.
    words_held = models.BooleanField(
        _("words held for a moderator"),
        default=False,
        help_text=_(
            'Its name and message are shown as "Someone", with no message, until a moderator '
            "shows them. The candle itself is lit and counted."
        ),
    )

    objects = CandleQuerySet.as_manager()

    class Meta:
        ordering = ["-lit_at"]
        constraints = [
            # One candle per visitor per event; memorial candles outside events are not limited here.
            models.UniqueConstraint(
                fields=["event", "visitor_key"],
                condition=Q(event__isnull=False),
                name="one_candle_per_visitor_per_event",
            ),
            models.CheckConstraint(
                condition=Q(event__isnull=False) | Q(memorial__isnull=False),
                name="candle_belongs_somewhere",
            ),
            models.CheckConstraint(
                condition=Q(burns_until__isnull=True) | Q(burns_until__gt=models.F("lit_at")),
                name="candle_burns_after_lighting",
            ),
        ]

    def __str__(self) -> str:
        return _("Candle lit by %(name)s") % {"name": self.display_name}

    @property
    def display_name(self) -> str:
        return self.name if self.show_name and not self.words_held else str(_("Someone"))

    @property
    def shown_message(self) -> str:
        """The message as visitors see it: none while a moderator has not read it."""
        return "" if self.words_held else self.message

    def is_burning(self, *, at: dt.datetime | None = None) -> bool:
        at = at or timezone.now()
        return self.burns_until is None or self.burns_until > at


class Decision(models.TextChoices):
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    SPAM = "spam", _("Marked as spam")
    RESTORED = "restored", _("Put back in the queue")


class ModerationDecisionQuerySet(models.QuerySet):
    def for_memorial(self, memorial: Memorial) -> ModerationDecisionQuerySet:
        return self.filter(memorial=memorial)


class ModerationDecision(models.Model):
    """The audit trail: one row per moderation decision, kept when the item itself is deleted.

    An author may delete their own words for good; the decision then keeps who decided what and
    when, and a label such as "Tribute 12", but never the text.
    """

    memorial = models.ForeignKey(
        Memorial, on_delete=models.CASCADE, related_name="moderation_decisions"
    )
    tribute = models.ForeignKey(
        Tribute, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    item_label = models.CharField(_("item"), max_length=40)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision)
    reason = models.CharField(_("reason"), max_length=20, choices=RejectionReason, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now, db_index=True)

    objects = ModerationDecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision__in=Decision.values), name="moderation_decision_valid"
            ),
            # A rejection always says why; no other decision carries a reason but spam.
            models.CheckConstraint(
                condition=~Q(decision=Decision.REJECTED) | ~Q(reason=""),
                name="rejection_has_a_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_label}: {self.get_decision_display()}"


class ModerationNotice(models.Model):
    """When the people who moderate a memorial were last told that something waits.

    At most one notice per memorial per NOTICE_INTERVAL: `scheduled_for` is set while a notice task
    is queued, so later posts join it instead of queueing another.
    """

    memorial = models.OneToOneField(
        Memorial, primary_key=True, on_delete=models.CASCADE, related_name="moderation_notice"
    )
    scheduled_for = models.DateTimeField(null=True, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Moderation notice for {self.memorial_id}"


class BlockedTermQuerySet(models.QuerySet):
    def words_and_domains(self) -> tuple[list[str], list[str]]:
        """The blocked words and the blocked email domains, in one query."""
        words, domains = [], []
        for kind, value in self.values_list("kind", "value"):
            (domains if kind == BlockedTerm.Kind.EMAIL_DOMAIN else words).append(value)
        return words, domains


class BlockedTerm(models.Model):
    """A word, phrase or email domain that makes a message wait for a moderator.

    Messages containing one are held for moderation, never silently dropped.
    """

    class Kind(models.TextChoices):
        WORD = "word", _("Word or phrase in the text")
        EMAIL_DOMAIN = "email_domain", _("Email domain")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.WORD)
    value = models.CharField(
        _("word, phrase or domain"),
        max_length=200,
        help_text=_(
            'Matched as whole words, ignoring case. For a domain write "example.com": its '
            "subdomains are blocked too."
        ),
    )
    note = models.CharField(
        _("why it is blocked"), max_length=300, blank=True, help_text=_("For other moderators.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BlockedTermQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "value"]
        constraints = [
            # Values are stored normalised (see save), so uniqueness is case-insensitive.
            models.UniqueConstraint(fields=["kind", "value"], name="blocked_term_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=["word", "email_domain"]),
                name="blocked_term_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.value

    def save(self, *args, **kwargs) -> None:
        self.value = self.normalise(self.kind, self.value)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        # Normalised before the uniqueness check, so "Casino" is refused when "casino" exists.
        self.value = self.normalise(self.kind, self.value)

    @staticmethod
    def normalise(kind: str, value: str) -> str:
        value = " ".join(unicodedata.normalize("NFKC", value).casefold().split())
        if kind == BlockedTerm.Kind.EMAIL_DOMAIN:
            value = value.lstrip("@").strip(".")
        return value


# Photo files go with their row however it is deleted: one by one, in a queryset, or by the
# cascade from a deleted memorial, which never calls Photo.delete(); hence signals, not methods.
# The files are deleted only once the deletion is committed; a storage error is logged, and
# never turns the deletion the person asked for into an error page.
@receiver(post_delete, sender=Photo, dispatch_uid="delete_photo_files")
def _delete_photo_files(sender, instance: Photo, **kwargs) -> None:
    transaction.on_commit(instance.delete_files, using=kwargs.get("using"), robust=True)


# A tribute's photo is part of it: deleting the tribute deletes the photo (and so its files).
@receiver(post_delete, sender=Tribute, dispatch_uid="delete_tribute_photo")
def _delete_tribute_photo(sender, instance: Tribute, **kwargs) -> None:
    if instance.photo_id:
        Photo.objects.filter(pk=instance.photo_id).delete()


class BurnTime(models.TextChoices):
    """How long a candle lit on a memorial page burns."""

    HOUR = "hour", _("An hour")
    DAY = "day", _("A day")
    WEEK = "week", _("A week")
    YEAR = "year", _("A year")
    ALWAYS = "always", _("Always")

    def burns_until(self, lit_at: dt.datetime) -> dt.datetime | None:
        lengths = {
            "hour": dt.timedelta(hours=1),
            "day": dt.timedelta(days=1),
            "week": dt.timedelta(weeks=1),
            "year": dt.timedelta(days=365),
        }
        return lit_at + lengths[self.value] if self.value in lengths else None


class ReminderQuerySet(models.QuerySet):
    def active(self) -> ReminderQuerySet:
        """Confirmed and not unsubscribed: the only reminders that may ever be sent."""
        return self.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)


class ReminderSignup(models.Model):
    """A visitor's wish to be emailed before an event starts (double opt-in).

    Only a SHA-256 of the confirmation token is kept; unsubscribe links are signed instead, so
    that the worker can put one in every reminder without storing a usable secret.
    """

    class Before(models.IntegerChoices):
        FIFTEEN_MINUTES = 15, _("15 minutes before")
        ONE_HOUR = 60, _("an hour before")
        ONE_DAY = 1440, _("a day before")

    event = models.ForeignKey(CandleEvent, on_delete=models.CASCADE, related_name="reminders")
    email = models.EmailField(_("your email"))
    minutes_before = models.PositiveIntegerField(
        _("remind me"), choices=Before, default=Before.ONE_HOUR
    )
    # The visitor's zone: it decides the instant of a floating event for them.
    time_zone = models.CharField(max_length=64, validators=[validate_time_zone])
    confirm_token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    # Set by the one worker that claims the send; cleared again if sending fails.
    sending_since = models.DateTimeField(null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(default=0, editable=False)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # Signing up twice for one event updates the one reminder instead of sending two.
            models.UniqueConstraint(fields=["event", "email"], name="one_reminder_per_address"),
        ]

    def __str__(self) -> str:
        return f"{self.email} for {self.event}"

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def starts_at(self) -> dt.datetime:
        return self.event.start_in(self.event.zone_for(self.zone))

    @property
    def remind_at(self) -> dt.datetime:
        return self.starts_at - dt.timedelta(minutes=self.minutes_before)


# Posting checks read the blocked terms through the shared cache (tributes.spam.blocked_terms):
# a change made in the admin is seen at once, and again once it is committed.
@receiver([post_save, post_delete], sender=BlockedTerm, dispatch_uid="forget_blocked_terms")
def _forget_blocked_terms(sender, **kwargs) -> None:
    from tributes.spam import forget_blocked_terms

    forget_blocked_terms()
    transaction.on_commit(forget_blocked_terms, using=kwargs.get("using"), robust=True)
