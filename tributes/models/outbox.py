"""Emails waiting to leave: written in the same transaction as what they are about."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OutgoingEmail(models.Model):
    """One email to one address, sent by a task (tributes/emails.py `deliver`), never in a request.

    The row is saved with the post, decision or sign-up it tells of, so a rolled-back change sends
    nothing and a committed one is never forgotten. `sent_at` is set only once the mail server
    accepted the message; then its address and words (a private link among them) are no longer
    kept, only the subject and when it left.
    """

    to = models.EmailField(_("to"), blank=True)
    subject = models.CharField(_("subject"), max_length=300)
    text = models.TextField(blank=True)
    html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set while a worker sends it (a claim: no other worker sends it meanwhile), cleared after.
    sending_since = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["created_at"]
        indexes = [
            # What is still to send: looked at by the health check and by people in the shell.
            models.Index(
                fields=["created_at"], condition=Q(sent_at__isnull=True), name="email_unsent"
            )
        ]

    def __str__(self) -> str:
        return self.subject
