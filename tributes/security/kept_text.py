"""Giving a visitor back what they typed when we cannot accept it (429, 503, CSRF failure)."""

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


def words_to_send_again(request: HttpRequest, *, form: type | None = None) -> dict:
    """What the 429 and 503 pages need to give a post back in a form that sends it again.

    With `form` (a form class), its widgets are rendered filled with what was posted; otherwise
    every text field posted comes back as a labelled text box (`kept`). Other posted values
    travel as hidden inputs, so an idempotency key or a form timestamp survives the wait.
    Passwords and tokens are never written back into a page.
    """
    kept = kept_text(request)
    shown = {field.name for field in kept}
    rendered_form = None
    if form is not None:
        rendered_form = form(initial=request.POST.dict())
        shown = set(rendered_form.fields) | {
            f"{rendered_form.prefix}-{name}" for name in rendered_form.fields
        }
    hidden = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in shown and name != "csrfmiddlewaretoken" and not is_secret_field(name)
        for value in values
    ]
    return {
        "kept": kept,
        "form": rendered_form,
        "hidden": hidden,
        "had_files": bool(request.FILES),
    }
