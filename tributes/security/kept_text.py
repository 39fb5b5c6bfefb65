"""Giving a visitor back what they typed when we cannot accept it (429, CSRF failure)."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

# The spam checks' hidden fields (moderation/screening.py): a honeypot and a signed timestamp.
HONEYPOT_FIELD = "website"
STARTED_FIELD = "form_started"
# Form fields that carry no words of the visitor's own, or that must never be echoed.
TECHNICAL_FIELDS = {"csrfmiddlewaretoken", "idempotency_key", "next", HONEYPOT_FIELD, STARTED_FIELD}
SECRET_MARKERS = ("password", "token", "secret")

LABELS = {
    "author_name": _("Your name"),
    "name": _("Your name"),
    "relationship": _("Your relationship"),
    "message": _("Your words"),
    "body": _("Your comment"),
    "email": _("Your email"),
    "author_email": _("Your email"),
    "alt_text": _("Description of the photo"),
}


def is_secret_field(name: str) -> bool:
    return any(marker in name.lower() for marker in SECRET_MARKERS)


@dataclass(frozen=True)
class KeptField:
    name: str
    label: str
    value: str


def kept_text(request: HttpRequest, *, skip: frozenset[str] = frozenset()) -> list[KeptField]:
    """The words a visitor posted, labelled, for a page that shows them back to copy.

    Reads request.POST; returns nothing if the body cannot be read.
    """
    if request.method != "POST":
        return []
    try:
        items = list(request.POST.items())
    except Exception:  # An unreadable body: nothing to give back.
        return []
    hidden = TECHNICAL_FIELDS | set(skip)
    kept = []
    for name, value in items:
        bare = name.rsplit("-", 1)[-1]
        if bare in hidden or is_secret_field(bare):
            continue
        if not value.strip() or value in {"on", "true", "false"}:
            continue
        label = LABELS.get(bare) or bare.replace("_", " ").capitalize()
        kept.append(KeptField(name=name, label=str(label), value=value))
    return kept
