"""Every email the site sends: one builder, and one small function per message.

`_render` renders templates/emails/<name>_subject.txt, <name>.txt and <name>.html. No email is
ever sent inside a web request: each message is written to the outbox (OutgoingEmail) in the
same transaction as what it tells of, and the `deliver` task sends it from the worker, trying
again when the mail server fails, and records it sent only once the server accepted it.
Reminders are sent by their own task (tributes/candles/reminders.py) with the same claim and
retries. No email ever carries words a moderator has not approved, except to their own author.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import urllib.parse
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from tributes.models import OutgoingEmail

if TYPE_CHECKING:
    from tributes.models import Invitation, Memorial, RememberingDay, ReminderSignup
    from tributes.models.tributes import Moderated
    from tributes.moderation.notices import Waiting

logger = logging.getLogger(__name__)

# Errors worth another try: the mail server was busy, unreachable or dropped the connection.
TRANSIENT_MAIL_ERRORS = (
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    smtplib.SMTPHeloError,
    smtplib.SMTPDataError,
    ConnectionError,
    TimeoutError,
)
MAX_ATTEMPTS = 5
# 1, 3, then 10 minutes unless EMAIL_RETRY_DELAYS says otherwise (the fault bench's are short).
RETRY_DELAYS = [dt.timedelta(seconds=seconds) for seconds in settings.EMAIL_RETRY_DELAYS]
# A worker that claimed a send and has not finished after this long is taken to be gone (the
# mail server's timeout is 20 seconds), so another may send it. Shorter than the task queue's
# lease (tributes/task_leases.py), so a task taken back from a dead worker can claim it.
SEND_CLAIM_TIMEOUT = dt.timedelta(seconds=settings.EMAIL_SEND_CLAIM_SECONDS)


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def _render(name: str, context: dict) -> tuple[str, str, str]:
    """The subject, text and HTML of the email `name`."""
    context = {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"emails/{name}_subject.txt", context).split())
    text = render_to_string(f"emails/{name}.txt", context)
    html = render_to_string(f"emails/{name}.html", context)
    return subject, text, html


def message_id(kind: str, pk: int, at: dt.datetime) -> str:
    """The Message-ID of one email, the same on every attempt to send it.

    A copy sent twice (a worker that died between the server's answer and recording it) is then
    recognisably the same message, and mail systems that keep one copy per Message-ID show it once.
    """
    host = urllib.parse.urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<{kind}.{pk}.{int(at.timestamp())}@{host}>"


def _message(
    subject: str, text: str, html: str, *, to: str, headers: dict | None = None
) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(subject, text, to=[to], headers=headers or {})
    message.attach_alternative(html, "text/html")
    return message


@transaction.atomic
def _queue(name: str, context: dict, *, to: str, headers: dict | None = None) -> OutgoingEmail:
    """Write the email `name` to the outbox and queue its delivery, in the caller's transaction."""
    subject, text, html = _render(name, context)
    email = OutgoingEmail.objects.create(
        to=to, subject=subject, text=text, html=html, headers=headers or {}
    )
    # The database queue's row joins the same transaction: both are kept, or neither.
    deliver.enqueue(email.pk)
    return email


def claim_send(unsent: QuerySet, *, now: dt.datetime) -> bool:
    """Claim the one row of `unsent` (not yet sent) for this worker: False if another worker
    holds a live claim. Counts the attempt. A conditional UPDATE, so two workers never both win."""
    stale = now - SEND_CLAIM_TIMEOUT
    return bool(
        unsent.filter(Q(sending_since__isnull=True) | Q(sending_since__lt=stale)).update(
            sending_since=now, attempts=F("attempts") + 1
        )
    )


def retry_delay(attempts: int) -> dt.timedelta:
    return RETRY_DELAYS[min(attempts, len(RETRY_DELAYS)) - 1]


@task()
def deliver(email_id: int) -> str:
    """Send one email of the outbox, at least once, and record it sent once the server took it.

    Another worker's live claim is looked at again when it runs out, so an email whose worker
    died in the middle of sending is sent by the next look (perhaps twice, never never).
    """
    now = timezone.now()
    unsent = OutgoingEmail.objects.filter(pk=email_id, sent_at__isnull=True)
    if not claim_send(unsent, now=now):
        email = unsent.first()
        if email is None:
            return "already sent"
        deliver.using(run_after=email.sending_since + SEND_CLAIM_TIMEOUT).enqueue(email_id)
        return "being sent by another worker: will look again"
    email = OutgoingEmail.objects.get(pk=email_id)
    headers = {**email.headers, "Message-ID": message_id("outbox", email.pk, email.created_at)}
    message = _message(email.subject, email.text, email.html, to=email.to, headers=headers)
    try:
        message.send()
    except TRANSIENT_MAIL_ERRORS as error:
        OutgoingEmail.objects.filter(pk=email_id).update(sending_since=None)
        if email.attempts >= MAX_ATTEMPTS:
            raise
        delay = retry_delay(email.attempts)
        deliver.using(run_after=now + delay).enqueue(email_id)
        logger.warning("Email %s not sent (%s); trying again in %s", email_id, error, delay)
        return "will try again"
    # Accepted by the mail server: only now is it recorded as sent, and its address and words
    # (a private link among them) are let go.
    OutgoingEmail.objects.filter(pk=email_id).update(
        sent_at=timezone.now(), sending_since=None, to="", text="", html="", headers={}
    )
    return "sent"


def private_link_path(item: Moderated, token: str) -> str:
    return reverse(f"tributes:your_{item.kind}", kwargs={"token": token})


def send_private_link(item: Moderated, token: str) -> None:
    """To the author: the private link to edit or delete what they wrote, and what happens next."""
    context = {
        "item": item,
        "is_tribute": item.kind == "tribute",
        "memorial": item.memorial,
        "private_url": absolute(private_link_path(item, token)),
        "memorial_url": absolute(item.memorial.get_absolute_url()),
    }
    _queue("private_link", context, to=item.author_email)


def send_published(item: Moderated) -> None:
    """To an author who asked: their words are now on the memorial page."""
    context = {
        "item": item,
        "is_tribute": item.kind == "tribute",
        "memorial": item.memorial,
        "item_url": absolute(item.get_absolute_url()),
    }
    _queue("published", context, to=item.author_email)


def send_moderation_notice(memorial: Memorial, waiting: Waiting, recipients: list[str]) -> None:
    """To whoever moderates: how many items wait and where, never the words themselves.

    One message per person, so that moderators do not see each other's addresses.
    """
    tribute_queue = reverse("admin:tributes_tribute_changelist")
    comment_queue = reverse("admin:tributes_comment_changelist")
    context = {
        "memorial": memorial,
        "waiting": waiting,
        "tribute_queue_url": absolute(f"{tribute_queue}?memorial__id__exact={memorial.pk}"),
        "comment_queue_url": absolute(
            f"{comment_queue}?tribute__memorial__id__exact={memorial.pk}"
        ),
        # Tributes and comments together, oldest first (tributes/admin/queue.py).
        "queue_url": absolute(
            f"{reverse('admin:tributes_moderation_queue')}?memorial={memorial.pk}"
        ),
    }
    if memorial.family_moderates:
        # Families read on the site, not in the admin: their own queue for this memorial.
        context["family"] = True
        context["queue_url"] = absolute(reverse("family:queue", kwargs={"slug": memorial.slug}))
    for recipient in recipients:
        _queue("moderation_notice", context, to=recipient)


def _reminder_context(signup: ReminderSignup, unsubscribe_token: str) -> tuple[dict, dict]:
    """What both reminder emails show (the times, in the event's zone and the reader's), and
    their one-click unsubscribe headers."""
    event = signup.event
    starts_at = signup.starts_at
    unsubscribe_url = absolute(reverse("tributes:reminder_unsubscribe", args=[unsubscribe_token]))
    context = {
        "signup": signup,
        "event": event,
        "event_url": absolute(event.get_absolute_url()),
        "starts_event_zone": starts_at.astimezone(event.zone_for(signup.zone)),
        "starts_your_zone": starts_at.astimezone(signup.zone),
        "your_zone": signup.time_zone,
        "unsubscribe_url": unsubscribe_url,
    }
    # RFC 8058: mail clients offer a one-click unsubscribe that POSTs to this address.
    headers = {
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    return context, headers


def send_reminder_confirmation(
    signup: ReminderSignup, *, confirm_token: str, unsubscribe_token: str
) -> None:
    """To a visitor who asked for a reminder: the link that confirms it (double opt-in)."""
    context, headers = _reminder_context(signup, unsubscribe_token)
    context["confirm_url"] = absolute(reverse("tributes:reminder_confirm", args=[confirm_token]))
    _queue("reminder_confirm", context, to=signup.email, headers=headers)


def send_reminder(signup: ReminderSignup, *, unsubscribe_token: str) -> None:
    """The reminder itself, sent now by its task. Raises when the server fails."""
    context, headers = _reminder_context(signup, unsubscribe_token)
    headers["Message-ID"] = message_id("reminder", signup.pk, signup.remind_at)
    _message(*_render("reminder", context), to=signup.email, headers=headers).send()


def send_invitation(invitation: Invitation, token: str) -> None:
    """To someone invited to look after a memorial, or to read a private one: the single-use link."""
    inviter = invitation.invited_by
    context = {
        "invitation": invitation,
        "invited_by": (inviter.email if inviter else "") or settings.SITE_NAME,
        "invitation_url": absolute(reverse("family:invitation", kwargs={"token": token})),
    }
    _message(*_render("invitation", context), to=invitation.email).send()


def send_event_changed(signup: ReminderSignup, *, cancelled: bool, unsubscribe_token: str) -> None:
    """To everyone who asked for a reminder: the family moved or cancelled the candle time."""
    context, headers = _reminder_context(signup, unsubscribe_token)
    memorial = signup.event.memorial
    context["cancelled"] = cancelled
    context["memorial_url"] = absolute(memorial.get_absolute_url()) if memorial else home_url()
    if cancelled:
        # The sign-up goes with the event: no unsubscribe link to offer.
        headers = {}
    _message(*_render("event_changed", context), to=signup.email, headers=headers).send()


def send_remembering_day(day: RememberingDay, *, on) -> None:
    """To one owner who asked: a remembering day is coming. Never to anyone else."""
    slug = day.memorial.slug
    context = {
        "memorial": day.memorial,
        "day_label": day.get_kind_display(),
        "on": on,
        "candle_times_url": absolute(reverse("family:candle_times", kwargs={"slug": slug})),
        "remembering_url": absolute(reverse("family:remembering", kwargs={"slug": slug})),
    }
    _message(*_render("remembering_day", context), to=day.user.email).send()


def send_moderation_digest(user, waiting: list[tuple[Memorial, int]]) -> None:
    """To an owner who chose one email a day: what waits on each memorial they read first."""
    context = {
        "waiting": [
            (memorial, count, absolute(reverse("family:queue", kwargs={"slug": memorial.slug})))
            for memorial, count in waiting
        ],
        "settings_url": absolute(reverse("family:settings")),
    }
    _message(*_render("moderation_digest", context), to=user.email).send()


def home_url() -> str:
    return absolute(reverse("tributes:home"))
