"""What a family decides beyond the page itself: who else looks after it, who may read it,
when they want to be told things, and the days they want to be reminded of."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tributes.models.memorials import Memorial

INVITATION_LIFETIME = dt.timedelta(days=7)


class InvitationQuerySet(models.QuerySet):
    def open(self) -> InvitationQuerySet:
        """Invitations that can still be accepted: not used, not cancelled, not expired."""
        return self.filter(
            accepted_at__isnull=True, cancelled_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """An invitation by email to look after a memorial, or to read a private one as a guest.

    Only a SHA-256 of the single-use token is kept; the token itself is in the emailed link. It
    expires after INVITATION_LIFETIME and is accepted only by the account with the invited
    address (tributes/families/sharing.py).
    """

    class Role(models.TextChoices):
        OWNER = "owner", _("Looks after the memorial with you")
        GUEST = "guest", _("Guest: may read and write on a private memorial")

    memorial = models.ForeignKey(Memorial, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("their email address"))
    role = models.CharField(_("invited as"), max_length=10, choices=Role, default=Role.OWNER)
    # Handing the memorial on: once the invitee accepts, whoever invited them steps back.
    hands_over = models.BooleanField(_("I step back once they accept"), default=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=["owner", "guest"]), name="invitation_role_valid"
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="invitation_expires_after_it_is_made",
            ),
            # A guest cannot hand the memorial over.
            models.CheckConstraint(
                condition=Q(hands_over=False) | Q(role="owner"),
                name="invitation_only_owners_take_over",
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation {self.pk} to memorial {self.memorial_id}"

    def is_open(self) -> bool:
        """The single-row twin of `open()`."""
        return (
            self.accepted_at is None
            and self.cancelled_at is None
            and timezone.now() < self.expires_at
        )


class Guest(models.Model):
    """A person the family let read and write on their private memorial."""

    memorial = models.ForeignKey(Memorial, on_delete=models.CASCADE, related_name="guests")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="guest_of"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at"]
        constraints = [
            models.UniqueConstraint(fields=["memorial", "user"], name="one_guest_row_per_person"),
        ]

    def __str__(self) -> str:
        return f"Guest {self.user_id} of memorial {self.memorial_id}"


class ShareLinkQuerySet(models.QuerySet):
    def working(self) -> ShareLinkQuerySet:
        return self.filter(revoked_at__isnull=True)


class ShareLink(models.Model):
    """A link that opens a private memorial to whoever has it, until the family revokes it.

    Only a SHA-256 of its token is kept. Someone who opened it keeps the memorial in their
    session while the link works; revoking it closes the memorial to them at once.
    """

    memorial = models.ForeignKey(Memorial, on_delete=models.CASCADE, related_name="share_links")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Share link {self.pk} of memorial {self.memorial_id}"


class Notify(models.TextChoices):
    EACH = "each", _("An email each time something waits for us to read")
    DIGEST = "digest", _("One email a day, if something waits")
    NOTHING = "nothing", _("No email; we look when we like")


class FamilySettings(models.Model):
    """One owner's choices: how they hear that something waits, and a pause for all of it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="family_settings"
    )
    notify = models.CharField(_("tell me"), max_length=10, choices=Notify, default=Notify.EACH)
    paused = models.BooleanField(
        _("pause every email for now"),
        default=False,
        help_text=_("Nothing is sent to you while this is on, whatever is chosen above."),
    )
    digest_sent_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(notify__in=["each", "digest", "nothing"]),
                name="family_settings_notify_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Settings of {self.user_id}"


class RememberingDay(models.Model):
    """A day an owner asked to be reminded of, a few days before, every year.

    Reminders go to the owners only, never as a greeting to anyone else.
    """

    class Kind(models.TextChoices):
        BIRTHDAY = "birthday", _("Their birthday")
        DEATH = "death", _("The day they died")
        DUE_DATE = "due_date", _("The due date")
        AWARENESS = "awareness", _("Baby Loss Awareness Day, 15 October")

    memorial = models.ForeignKey(
        Memorial, on_delete=models.CASCADE, related_name="remembering_days"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="remembering_days"
    )
    kind = models.CharField(_("day"), max_length=20, choices=Kind)
    days_before = models.PositiveSmallIntegerField(_("days before"), default=3)
    last_sent_for = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["memorial", "user", "kind"], name="one_remembering_day_of_each_kind"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["birthday", "death", "due_date", "awareness"]),
                name="remembering_day_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(days_before__lte=30), name="remembering_day_at_most_a_month_before"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} of memorial {self.memorial_id} for {self.user_id}"


class Service(models.Model):
    """The funeral or service: when and where, shown on the memorial until the family closes it.

    The place is an address written by the family; no map from anyone else is ever shown.
    """

    memorial = models.OneToOneField(Memorial, on_delete=models.CASCADE, related_name="service")
    title = models.CharField(_("what it is"), max_length=120, default=_("The funeral"))
    local_date = models.DateField(_("date"))
    local_time = models.TimeField(_("time"))
    place = models.TextField(_("where"), max_length=500)
    note = models.TextField(
        _("anything people should know (optional)"), max_length=2000, blank=True
    )
    shown = models.BooleanField(_("show it on the memorial"), default=True)

    def __str__(self) -> str:
        return f"Service of memorial {self.memorial_id}"

    @property
    def local_start(self) -> dt.datetime:
        return dt.datetime.combine(self.local_date, self.local_time)
