"""Every email the site sends: one small function per message.

Each renders templates/emails/<name>_subject.txt, <name>.txt and <name>.html, and is called from
`transaction.on_commit`, so nothing is sent for a change that was rolled back. No email ever
carries words a moderator has not approved, except to their own author.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

if TYPE_CHECKING:
    from tributes.models import Comment, Memorial, Tribute
    from tributes.moderation import Waiting


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def _send(name: str, context: dict, to: list[str]) -> None:
    context = {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"emails/{name}_subject.txt", context).split())
    text = render_to_string(f"emails/{name}.txt", context)
    html = render_to_string(f"emails/{name}.html", context)
    message = EmailMultiAlternatives(subject, text, to=to)
    message.attach_alternative(html, "text/html")
    message.send()


def private_link_path(item: Tribute | Comment, token: str) -> str:
    name = (
        "tributes:your_tribute" if item._meta.model_name == "tribute" else "tributes:your_comment"
    )
    return reverse(name, kwargs={"token": token})


def send_private_link(item: Tribute | Comment, token: str) -> None:
    """To the author: the private link to edit or delete what they wrote, and what happens next."""
    _send(
        "private_link",
        {
            "item": item,
            "is_tribute": item._meta.model_name == "tribute",
            "memorial": item.memorial,
            "private_url": absolute(private_link_path(item, token)),
            "memorial_url": absolute(item.memorial.get_absolute_url()),
        },
        [item.author_email],
    )


def send_published(item: Tribute | Comment) -> None:
    """To an author who asked: their words are now on the memorial page."""
    _send(
        "published",
        {
            "item": item,
            "is_tribute": item._meta.model_name == "tribute",
            "memorial": item.memorial,
            "item_url": absolute(item.get_absolute_url()),
        },
        [item.author_email],
    )


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
        # Tributes and comments together, oldest first (tributes/admin_queue.py).
        "queue_url": absolute(
            f"{reverse('admin:tributes_moderation_queue')}?memorial={memorial.pk}"
        ),
    }
    for recipient in recipients:
        _send("moderation_notice", context, [recipient])
