"""Tributes and comments (the moderated words visitors write), and the love sent to tributes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tributes.models.choices import Emblem, RejectionReason, Status
from tributes.models.memorials import Memorial, Photo

# Published at once (open mode, or first-time-held for a known writer) and not yet read.
UNREVIEWED = Q(status=Status.APPROVED, moderated_at__isnull=True)


class ModeratedQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.APPROVED)

    def unreviewed(self):
        """Published without review: visitors see them, a moderator has not read them yet."""
        return self.filter(UNREVIEWED)

    def to_read(self):
        """What a moderator still has to read: waiting for approval, or published unread."""
        return self.filter(Q(status=Status.PENDING) | UNREVIEWED)


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
    # Why it was held for a moderator, as codes (HOLD_REASONS in tributes/moderation/screening.py):
    # shown in the moderation queue, never to the author.
    hold_reasons = models.JSONField(default=list, blank=True, editable=False)

    class Meta:
        abstract = True

    # The field holding the author's words: "message" for a tribute, "body" for a comment.
    text_field: str

    @property
    def is_published(self) -> bool:
        return self.status == Status.APPROVED

    @property
    def kind(self) -> str:
        """ "tribute" or "comment": the name of the kind in URLs, logs and the queue."""
        return self._meta.model_name

    @property
    def text(self) -> str:
        return getattr(self, self.text_field)

    @property
    def label(self) -> str:
        """How the audit trail names it, without its words: "Tribute 12"."""
        return f"{self._meta.verbose_name.capitalize()} {self.pk}"

    @property
    def is_to_read(self) -> bool:
        """The single-row twin of `to_read()`: waiting, or published and not yet read."""
        return self.status == Status.PENDING or (self.is_published and self.moderated_at is None)


class TributeQuerySet(ModeratedQuerySet):
    def for_memorial(self, memorial: Memorial) -> TributeQuerySet:
        return self.filter(memorial=memorial)

    def newest_first(self) -> TributeQuerySet:
        """Newest first, ties (the same instant) broken by id: an order a cursor can resume."""
        return self.order_by("-created_at", "-pk")

    def older_than(self, created_at, pk: int) -> TributeQuerySet:
        """The tributes after (created_at, pk) in `newest_first()` order: a keyset page.

        The plain `created_at <= ...` lets the memorial page's index start at the cursor; within
        it, a tribute of the cursor's own instant comes after only when its id is smaller.
        """
        return self.filter(created_at__lte=created_at).filter(
            Q(created_at__lt=created_at) | Q(pk__lt=pk)
        )


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

    text_field = "message"
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

    text_field = "body"
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
