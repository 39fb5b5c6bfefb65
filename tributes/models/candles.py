"""Candle events, the candles lit in them or on memorials, and reminders before an event."""

from __future__ import annotations

import copy
import datetime as dt
import zoneinfo
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from tributes.models.choices import EventState
from tributes.models.memorials import Memorial
from tributes.models.slugs import unique_slug
from tributes.zones import validate_time_zone, wall_time_problem


class CandleEventQuerySet(models.QuerySet):
    def upcoming(self, *, now: dt.datetime | None = None) -> CandleEventQuerySet:
        """Fixed events that have not ended yet, and floating events not yet over everywhere.

        A floating event ends last at UTC-12, so its local date may be up to two days behind UTC.
        """
        now = now or timezone.now()
        floating = Q(is_floating=True, local_date__gte=now.date() - dt.timedelta(days=2))
        return self.filter(floating | Q(ends_at__gt=now))

    def visible_to(self, user, *, share_links=()) -> CandleEventQuerySet:
        visible = Memorial.objects.visible_to(user, share_links=share_links)
        return self.filter(Q(memorial__isnull=True) | Q(memorial__in=visible.values("pk")))


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

    def save(self, **kwargs) -> None:
        if not self.slug:
            self.slug = self.unique_slug()
        self.derive_instants()
        super().save(**kwargs)

    def get_absolute_url(self) -> str:
        return reverse("tributes:event", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if self.local_date and self.local_time and self.duration and not self._end_fits():
            raise ValidationError(
                {"duration": _("Please choose a date and length that end before the year 9999.")}
            )
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

    def _end_fits(self) -> bool:
        # A day either side leaves room for every time zone, as `end_in` is asked in all of them.
        try:
            self.local_start + self.duration + dt.timedelta(days=1)
        except OverflowError:
            return False
        return True

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
        return unique_slug(CandleEvent, base)

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

    def zone_for(self, visitor_zone: zoneinfo.ZoneInfo) -> zoneinfo.ZoneInfo:
        """The zone that decides this event's instant for a visitor: its own unless floating."""
        return self.zone or visitor_zone


def burning_at(now: dt.datetime) -> Q:
    """The condition of a candle still burning at `now`: lit for always, or not yet gone out."""
    return Q(burns_until__isnull=True) | Q(burns_until__gt=now)


class CandleQuerySet(models.QuerySet):
    def burning(self, *, now: dt.datetime | None = None) -> CandleQuerySet:
        return self.filter(burning_at(now or timezone.now()))

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
        CandleEvent,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="candles",
        # candle_event_counted_idx starts with it.
        db_index=False,
    )
    memorial = models.ForeignKey(
        Memorial,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="candles",
        help_text=_("The memorial this candle is lit on or dedicated to."),
        # candle_memorial_newest_idx starts with it: one index fewer to write for every light.
        db_index=False,
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

    # From the form's submission key (security/tokens.py): the same form sent twice, by a double
    # click or a resend, finds the candle it already lit instead of lighting a second one.
    idempotency_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = CandleQuerySet.as_manager()

    class Meta:
        ordering = ["-lit_at"]
        indexes = [
            # A memorial page draws its newest candles: read from the top of this, never sorted.
            models.Index(fields=["memorial", "-lit_at"], name="candle_memorial_newest_idx"),
            # An event's count and its newest candle counted (status.py), from the index alone.
            models.Index(fields=["event", "id"], name="candle_event_counted_idx"),
        ]
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

    def seen_by(self, visitor_key: str | None) -> Candle:
        """This candle as the visitor with `visitor_key` sees it.

        Whoever lit a held candle sees it as they wrote it, so nothing tells them that a
        moderator will read it first; everyone else sees "Someone". Returns a copy when it
        differs: the row and any shared answer are left untouched.
        """
        if not (self.words_held and visitor_key and self.visitor_key == visitor_key):
            return self
        own = copy.copy(self)
        own.words_held = False
        return own

    def is_burning(self, *, at: dt.datetime | None = None) -> bool:
        at = at or timezone.now()
        return self.burns_until is None or self.burns_until > at


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
