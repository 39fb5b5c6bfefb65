"""The moderation audit trail, the moderators' notice schedule and the blocked terms."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tributes.models.choices import Decision, RejectionReason
from tributes.models.memorials import Memorial
from tributes.models.tributes import Comment, Tribute
from tributes.text import normalise_text


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

    def save(self, **kwargs) -> None:
        self.value = self.normalise(self.kind, self.value)
        super().save(**kwargs)

    def clean(self) -> None:
        # Normalised before the uniqueness check, so "Casino" is refused when "casino" exists.
        self.value = self.normalise(self.kind, self.value)

    @staticmethod
    def normalise(kind: str, value: str) -> str:
        value = normalise_text(value)
        if kind == BlockedTerm.Kind.EMAIL_DOMAIN:
            value = value.lstrip("@").strip(".")
        return value
