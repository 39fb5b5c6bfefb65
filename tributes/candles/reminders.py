"""Email reminders before a candle event: double opt-in, one send per person, easy to leave.

Signing up emails a confirmation link. Confirming enqueues `send_reminder` on the database
queue with `run_after` set to the chosen time before the start (no cron). However many workers
run and however many times the task was enqueued, a conditional UPDATE on the sign-up row lets
one of them at a time claim the send (emails.claim_send); a transient mail failure releases the
claim and tries again later, and a claim whose worker died runs out and is looked at again, so
the reminder goes at least once. `sent_at` is written only after the mail server accepted it.
An unsubscribed or unconfirmed address is never claimed.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import zoneinfo

from django.core import signing
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from tributes import emails
from tributes.models import CandleEvent, ReminderSignup
from tributes.security.tokens import hash_token

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "tributes.reminders.unsubscribe"
# A worker may pick a task up a little before its time; earlier than this, the event was moved.
EARLY_TOLERANCE = dt.timedelta(minutes=2)


def unsubscribe_token(signup: ReminderSignup) -> str:
    return signing.dumps(signup.pk, salt=UNSUBSCRIBE_SALT)


def signup_for_unsubscribe_token(token: str) -> ReminderSignup | None:
    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return ReminderSignup.objects.select_related("event").filter(pk=pk).first()


def signup_for_confirm_token(token: str) -> ReminderSignup | None:
    return (
        ReminderSignup.objects.select_related("event")
        .filter(confirm_token_hash=hash_token(token))
        .first()
    )


def sign_up(
    *, event: CandleEvent, email: str, minutes_before: int, zone: zoneinfo.ZoneInfo
) -> ReminderSignup:
    """Record the wish and queue the email with its confirmation link.

    Signing up again for the same event replaces the earlier choice and asks to confirm again.
    """
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        signup, _ = ReminderSignup.objects.update_or_create(
            event=event,
            email=email,
            defaults={
                "minutes_before": minutes_before,
                "time_zone": zone.key,
                "confirm_token_hash": hash_token(token),
                "confirmed_at": None,
                "unsubscribed_at": None,
            },
        )
        # Into the outbox with the sign-up: the worker sends it, never this request.
        emails.send_reminder_confirmation(
            signup, confirm_token=token, unsubscribe_token=unsubscribe_token(signup)
        )
    return signup


def confirm(token: str, *, now: dt.datetime | None = None) -> ReminderSignup | None:
    """Confirm the sign-up holding `token` and schedule its reminder; None if unknown."""
    now = now or timezone.now()
    with transaction.atomic():
        signup = (
            ReminderSignup.objects.select_for_update()
            .select_related("event")
            .filter(confirm_token_hash=hash_token(token))
            .first()
        )
        if signup is None:
            return None
        if signup.confirmed_at is None and signup.unsubscribed_at is None:
            signup.confirmed_at = now
            signup.save(update_fields=["confirmed_at"])
            if now < signup.starts_at:
                run_after = max(signup.remind_at, now)
                transaction.on_commit(
                    lambda: send_reminder.using(run_after=run_after).enqueue(signup.pk)
                )
    return signup


def unsubscribe(signup: ReminderSignup, *, now: dt.datetime | None = None) -> None:
    ReminderSignup.objects.filter(pk=signup.pk, unsubscribed_at__isnull=True).update(
        unsubscribed_at=now or timezone.now()
    )


@task()
def send_reminder(signup_id: int) -> str:
    """Send one reminder, unless it was sent; another worker's live claim is looked at again."""
    now = timezone.now()
    unsent = ReminderSignup.objects.active().filter(pk=signup_id, sent_at__isnull=True)
    if not emails.claim_send(unsent, now=now):
        signup = unsent.first()
        if signup is None:
            return "not sent: already sent, unconfirmed or unsubscribed"
        # A worker is sending it, or died doing so: look again once its claim runs out.
        send_reminder.using(run_after=signup.sending_since + emails.SEND_CLAIM_TIMEOUT).enqueue(
            signup_id
        )
        return "being sent by another worker: will look again"
    signup = ReminderSignup.objects.select_related("event").get(pk=signup_id)
    if now >= signup.starts_at + signup.event.duration:
        ReminderSignup.objects.filter(pk=signup_id).update(sending_since=None)
        return "not sent: the event is over"
    if now < signup.remind_at - EARLY_TOLERANCE:
        # The family moved the event later: the task queued for the new time sends it.
        ReminderSignup.objects.filter(pk=signup_id).update(sending_since=None)
        return "not sent: the event was moved"
    try:
        emails.send_reminder(signup, unsubscribe_token=unsubscribe_token(signup))
    except emails.TRANSIENT_MAIL_ERRORS as error:
        ReminderSignup.objects.filter(pk=signup_id).update(sending_since=None)
        if signup.attempts >= emails.MAX_ATTEMPTS:
            raise
        delay = emails.retry_delay(signup.attempts)
        send_reminder.using(run_after=now + delay).enqueue(signup_id)
        logger.warning("Reminder %s not sent (%s); trying again in %s", signup_id, error, delay)
        return "will try again"
    ReminderSignup.objects.filter(pk=signup_id).update(sent_at=timezone.now(), sending_since=None)
    return "sent"
