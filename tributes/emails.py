"""Every email the site sends: one builder, and one small function per message.

`_message` renders templates/emails/<name>_subject.txt, <name>.txt and <name>.html. Mail about
posts is sent from `transaction.on_commit`, so nothing is sent for a change that was rolled back;
reminders are sent by their task (tributes/candles/reminders.py), which retries a mail server
that fails. No email ever carries words a moderator has not approved, except to their own author.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

if TYPE_CHECKING:
    from tributes.models import Invitation, Memorial, RememberingDay, ReminderSignup
    from tributes.models.tributes import Moderated
    from tributes.moderation.notices import Waiting


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def _message(
    name: str, context: dict, *, to: str, headers: dict | None = None
) -> EmailMultiAlternatives:
    """The email `name` to one address, rendered as a subject, a text and an HTML part."""
    context = {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"emails/{name}_subject.txt", context).split())
    text = render_to_string(f"emails/{name}.txt", context)
    html = render_to_string(f"emails/{name}.html", context)
    message = EmailMultiAlternatives(subject, text, to=[to], headers=headers or {})
    message.attach_alternative(html, "text/html")
    return message


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
    _message("private_link", context, to=item.author_email).send()


def send_published(item: Moderated) -> None:
    """To an author who asked: their words are now on the memorial page."""
    context = {
        "item": item,
        "is_tribute": item.kind == "tribute",
        "memorial": item.memorial,
        "item_url": absolute(item.get_absolute_url()),
    }
    _message("published", context, to=item.author_email).send()


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
        _message("moderation_notice", context, to=recipient).send()


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
    _message("reminder_confirm", context, to=signup.email, headers=headers).send()


def send_reminder(signup: ReminderSignup, *, unsubscribe_token: str) -> None:
    """The reminder itself, shortly before the candles are lit. Raises when the server fails."""
    context, headers = _reminder_context(signup, unsubscribe_token)
    _message("reminder", context, to=signup.email, headers=headers).send()


def send_invitation(invitation: Invitation, token: str) -> None:
    """To someone invited to look after a memorial, or to read a private one: the single-use link."""
    inviter = invitation.invited_by
    context = {
        "invitation": invitation,
        "invited_by": (inviter.email if inviter else "") or settings.SITE_NAME,
        "invitation_url": absolute(reverse("family:invitation", kwargs={"token": token})),
    }
    _message("invitation", context, to=invitation.email).send()


def send_event_changed(signup: ReminderSignup, *, cancelled: bool, unsubscribe_token: str) -> None:
    """To everyone who asked for a reminder: the family moved or cancelled the candle time."""
    context, headers = _reminder_context(signup, unsubscribe_token)
    memorial = signup.event.memorial
    context["cancelled"] = cancelled
    context["memorial_url"] = absolute(memorial.get_absolute_url()) if memorial else home_url()
    if cancelled:
        # The sign-up goes with the event: no unsubscribe link to offer.
        headers = {}
    _message("event_changed", context, to=signup.email, headers=headers).send()


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
    _message("remembering_day", context, to=day.user.email).send()


def send_moderation_digest(user, waiting: list[tuple[Memorial, int]]) -> None:
    """To an owner who chose one email a day: what waits on each memorial they read first."""
    context = {
        "waiting": [
            (memorial, count, absolute(reverse("family:queue", kwargs={"slug": memorial.slug})))
            for memorial, count in waiting
        ],
        "settings_url": absolute(reverse("family:settings")),
    }
    _message("moderation_digest", context, to=user.email).send()


def home_url() -> str:
    return absolute(reverse("tributes:home"))
