"""Moderation decisions: the one road by which a tribute or comment changes status.

Each decision locks the item's row, stamps who decided and when, writes an audit row
(ModerationDecision) and logs it, in one transaction; the author is told of a publication only
after it commits. Nothing else in the code changes an item's status after it was posted.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from tributes import emails
from tributes.models import Decision, ModerationDecision, RejectionReason, Status
from tributes.models.tributes import Moderated
from tributes.security import log as security_log

# The status each decision leaves the item in.
RESULTING_STATUS = {
    Decision.APPROVED: Status.APPROVED,
    Decision.REJECTED: Status.REJECTED,
    Decision.SPAM: Status.SPAM,
    Decision.RESTORED: Status.PENDING,
}


def _lock(item: Moderated) -> None:
    """Lock the item's row and read its current status, so that two moderators deciding at
    the same moment are applied one after the other (and an author is told only once)."""
    item.status = (
        type(item).objects.select_for_update().values_list("status", flat=True).get(pk=item.pk)
    )


def _decide(item: Moderated, decision: str, *, by, reason: str = "") -> None:
    """Apply `decision` to the locked item: its status and stamp, the audit row and the log."""
    status = RESULTING_STATUS[decision]
    item.status = status
    item.moderated_by = by
    item.moderated_at = timezone.now()
    item.rejection_reason = reason
    item.save(
        update_fields=["status", "moderated_by", "moderated_at", "rejection_reason", "updated_at"]
    )
    ModerationDecision.objects.create(
        memorial=item.memorial,
        tribute=item if item.kind == "tribute" else None,
        comment=item if item.kind == "comment" else None,
        item_label=item.label,
        decision=decision,
        reason=reason,
        decided_by=by,
    )
    security_log.moderation_decided(item, status=status, by=by, reason=reason)


@transaction.atomic
def approve(item: Moderated, *, by) -> None:
    """Publish the item (or mark a published one as read); tell an author who asked."""
    _lock(item)
    was_published = item.is_published
    _decide(item, Decision.APPROVED, by=by)
    if not was_published and item.notify_on_publish and item.author_email:
        emails.send_published(item)


@transaction.atomic
def reject(item: Moderated, *, by, reason: str) -> None:
    """Hide the item for good unless restored. Nobody is ever told about a rejection."""
    if reason not in RejectionReason.values:
        raise ValueError(f"Unknown rejection reason {reason!r}")
    _lock(item)
    _decide(item, Decision.REJECTED, by=by, reason=reason)


@transaction.atomic
def mark_spam(item: Moderated, *, by) -> None:
    _lock(item)
    _decide(item, Decision.SPAM, by=by, reason=RejectionReason.SPAM)


@transaction.atomic
def restore(item: Moderated, *, by) -> None:
    """Put a rejected or spam item back in the queue, to be decided again."""
    _lock(item)
    _decide(item, Decision.RESTORED, by=by)
