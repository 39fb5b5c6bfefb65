"""The "something is waiting" notice to whoever moderates a memorial, at most one per interval.

The notice is a task of Django's tasks framework, queued with `run_after`, so that whoever
moderates a memorial hears at most once per NOTICE_INTERVAL that something waits. It gives
counts and links, never the words waiting to be read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q
from django.tasks import task
from django.utils import timezone

from tributes import emails
from tributes.models import (
    Comment,
    FamilySettings,
    Memorial,
    ModerationNotice,
    Notify,
    Status,
    Tribute,
)
from tributes.models.tributes import UNREVIEWED
from tributes.roles import MODERATORS_GROUP

# At most one "something is waiting" email per memorial in this time.
NOTICE_INTERVAL = dt.timedelta(minutes=15)
# A queued notice that has not run after this long is taken as lost (a worker died), so a new
# post can queue another one instead of waiting forever.
NOTICE_LOST_AFTER = dt.timedelta(hours=1)


@dataclass(frozen=True)
class Waiting:
    pending: int
    unreviewed: int

    @property
    def total(self) -> int:
        return self.pending + self.unreviewed


def waiting_for_moderation(memorial: Memorial) -> Waiting:
    """How many items wait for approval, and how many went up at once and wait to be read."""
    counts = [
        model.objects.for_memorial(memorial)
        .to_read()
        .aggregate(
            pending=Count("pk", filter=Q(status=Status.PENDING)),
            unreviewed=Count("pk", filter=UNREVIEWED),
        )
        for model in (Tribute, Comment)
    ]
    return Waiting(
        pending=sum(c["pending"] for c in counts), unreviewed=sum(c["unreviewed"] for c in counts)
    )


def moderator_emails(memorial: Memorial) -> list[str]:
    """Who is told that something waits: the family when it moderates, else the site's moderators."""
    if memorial.family_moderates:
        # Owners who chose a daily digest or no email, or paused them, are not told each time.
        quiet = FamilySettings.objects.filter(Q(paused=True) | ~Q(notify=Notify.EACH))
        users = memorial.owners.filter(is_active=True).exclude(pk__in=quiet.values("user"))
    else:
        users = get_user_model().objects.filter(
            is_active=True, is_staff=True, groups__name=MODERATORS_GROUP
        )
    return sorted({email for email in users.values_list("email", flat=True) if email})


def schedule_moderation_notice(memorial: Memorial) -> None:
    """Queue the "something is waiting" email unless one is already queued.

    The first notice after a quiet spell goes at once; the next no sooner than NOTICE_INTERVAL
    after the last one. Run inside the posting transaction: the memorial's notice row is locked,
    so two posts at the same moment queue one task between them.
    """
    now = timezone.now()
    ModerationNotice.objects.get_or_create(memorial=memorial)
    notice = ModerationNotice.objects.select_for_update().get(memorial=memorial)
    if notice.scheduled_for is not None and notice.scheduled_for > now - NOTICE_LOST_AFTER:
        return
    run_at = now
    if notice.last_sent_at is not None:
        run_at = max(now, notice.last_sent_at + NOTICE_INTERVAL)
    notice.scheduled_for = run_at
    notice.save(update_fields=["scheduled_for"])
    notify_moderators.using(run_after=run_at).enqueue(memorial.pk)


@task()
def notify_moderators(memorial_id: int) -> int:
    """Tell whoever moderates the memorial how many items wait. Returns the emails sent."""
    with transaction.atomic():
        notice = (
            ModerationNotice.objects.select_for_update()
            .select_related("memorial")
            .filter(memorial_id=memorial_id)
            .first()
        )
        if notice is None:
            return 0
        now = timezone.now()
        if notice.last_sent_at is not None and now < notice.last_sent_at + NOTICE_INTERVAL:
            # Only reachable if a lost notice was replaced: never send two within the interval.
            notice.scheduled_for = notice.last_sent_at + NOTICE_INTERVAL
            notice.save(update_fields=["scheduled_for"])
            notify_moderators.using(run_after=notice.scheduled_for).enqueue(memorial_id)
            return 0
        notice.scheduled_for = None
        memorial = notice.memorial
        waiting = waiting_for_moderation(memorial)
        recipients = moderator_emails(memorial)
        if waiting.total and recipients:
            # Into the outbox in this transaction: recorded as sent only together with the
            # emails that the worker then delivers (and retries) until the server takes them.
            notice.last_sent_at = now
            emails.send_moderation_notice(memorial, waiting, recipients)
        notice.save(update_fields=["scheduled_for", "last_sent_at"])
        return len(recipients) if waiting.total else 0
