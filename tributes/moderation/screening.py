"""Spam tools for the forms visitors post: nothing is ever silently dropped.

- `SpamCheckedFormMixin` adds a honeypot field and a signed timestamp to a form. A filled or missing
  honeypot (bots replay old forms) or a forged timestamp makes the form invalid with a gentle error
  that keeps the text. A form sent within seconds of opening, or days later, is valid but carries
  `form.hold_reasons`, so the posting function saves it as pending instead of publishing it.
- `reasons_to_hold(text, email)` says why words must wait for a moderator: links, blocked words,
  a blocked email domain (BlockedTerm, managed in the admin).
- `screen_message(...)` combines both and logs the reason codes of anything held.
- `is_repeat_post(...)` refuses the same words from the same visitor on the same memorial within
  SPAM_REPEAT_WINDOW_MINUTES; two different mourners may both write "Sending so much love".

Wiring: the posting forms mix in `SpamCheckedFormMixin`; the posting services
(tributes/posting/services.py, tributes/candles/lighting.py) call `is_repeat_post` and
`screen_message` on every post, whichever view or command sent it.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from collections.abc import Sequence

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tributes import shared_cache
from tributes.models import BlockedTerm
from tributes.security import log as security_log
from tributes.security.kept_text import HONEYPOT_FIELD, STARTED_FIELD
from tributes.text import normalise_text

_STARTED_SALT = "tributes.spam.form_started"

# Codes stored or logged with a held message; the matched words themselves are never logged.
HOLD_REASONS = {
    "links": _("It contains two or more links."),
    "blocked_word": _("It contains a word or phrase on the blocked list."),
    "blocked_email": _("The email address is at a blocked domain."),
    "sent_quickly": _("It was sent within seconds of opening the form."),
    "form_old": _("The form was opened a long time before it was sent."),
    # Not a screening result: noted by posting.services.edit_item on a published item.
    "edited": _("Its author changed the words after it was published."),
}

# Web addresses as people and spammers write them: with a scheme, starting with www., or a bare
# domain with a common top-level domain and an optional path.
_LINK = re.compile(
    r"(?:\b[a-z][a-z0-9+.-]*://|\bwww\.)\S+"
    r"|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|info|biz|ru|cn|xyz|top|io|co|uk|de|online"
    r"|site|shop|club|live|click|link|store|app|me)\b(?:/\S*)?",
    re.IGNORECASE,
)


def describe_hold(code: str) -> str:
    """A moderator's sentence for one hold code."""
    return str(HOLD_REASONS.get(code, code))


def count_links(text: str) -> int:
    return len(_LINK.findall(unicodedata.normalize("NFKC", text)))


# The blocked words and domains, shared by every posting (candles at 7pm included) for this
# long, and kept in each process as long: at the rush, no round trip for them. Saving or deleting
# a BlockedTerm forgets them at once here and in the shared cache (see tributes/signals.py);
# other processes, and a change made without a save, take effect within this time.
BLOCKED_TERMS_CACHE_KEY = "spam:blocked-terms-until"
BLOCKED_TERMS_CACHE_SECONDS = 5


def blocked_terms() -> tuple[list[str], list[str]]:
    """The blocked words and email domains: kept in this process or the shared cache, or one
    query when both are cold."""
    return shared_cache.shared_briefly(
        BLOCKED_TERMS_CACHE_KEY,
        BLOCKED_TERMS_CACHE_SECONDS,
        BlockedTerm.objects.words_and_domains,
    )


def forget_blocked_terms() -> None:
    shared_cache.forget_shared_briefly(BLOCKED_TERMS_CACHE_KEY)


def reasons_to_hold(text: str, email: str = "") -> list[str]:
    """Why `text` (and the author's `email`) must wait for a moderator: a list of HOLD_REASONS codes.

    Reads the blocked terms from the cache (one query when it is cold). An empty list means
    nothing here stands in the way.
    """
    reasons = []
    if count_links(text) > settings.SPAM_MAX_LINKS:
        reasons.append("links")
    words, domains = blocked_terms()
    normalised = normalise_text(text)
    if any(re.search(rf"(?<!\w){re.escape(word)}(?!\w)", normalised) for word in words if word):
        reasons.append("blocked_word")
    domain = normalise_text(email).rpartition("@")[2] if "@" in email else ""
    if domain and any(domain == d or domain.endswith("." + d) for d in domains):
        reasons.append("blocked_email")
    return reasons


def screen_message(
    *, kind: str, text: str, email: str = "", form_reasons: Sequence[str] = ()
) -> list[str]:
    """Every reason to hold this message: the form's own (too fast, too old) and `reasons_to_hold`.

    Logs the reason codes (never the words) when there are any. `kind` names what is posted
    ("tribute", "comment", ...) for the log. An empty list means it may follow the memorial's
    normal moderation rule.
    """
    reasons = [*form_reasons, *reasons_to_hold(text, email)]
    if reasons:
        security_log.message_held(kind=kind, reasons=reasons)
    return reasons


def is_repeat_post(*, visitor_key: str, memorial_id: int, text: str) -> bool:
    """True if this visitor sent these same words to this memorial within the repeat window.

    Otherwise remembers them (in the shared cache, as a keyed hash) and returns False. Call it
    once the form is valid, just before saving; after an idempotency-key lookup, so that a resent
    form finds its first row rather than this refusal.
    """
    fingerprint = f"{visitor_key}:{memorial_id}:{normalise_text(text)}".encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), fingerprint, hashlib.sha256).hexdigest()
    window = settings.SPAM_REPEAT_WINDOW_MINUTES * 60
    # Without the cache a repeat cannot be recognised: the post goes through, and is screened.
    return not shared_cache.add(f"spam:repeat:{digest}", 1, window, when_unavailable=True)


def form_started_token() -> str:
    return signing.dumps(timezone.now().timestamp(), salt=_STARTED_SALT)


def form_age_seconds(token: str) -> float | None:
    """Seconds since the form carrying `token` was rendered, or None if the token is not ours."""
    try:
        started = float(signing.loads(token, salt=_STARTED_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None
    return timezone.now().timestamp() - started


class HoneypotInput(forms.TextInput):
    """A text box people never see (hidden by site.css), which form-filling bots fill in."""

    def __init__(self):
        super().__init__(attrs={"class": "hp-field", "autocomplete": "off", "tabindex": "-1"})


class SpamCheckedFormMixin:
    """Put first in the bases: `class TributeForm(SpamCheckedFormMixin, forms.ModelForm)`.

    After `is_valid()`, `form.hold_reasons` lists codes (see HOLD_REASONS) for which the message
    must be held for moderation; the posting function adds `reasons_to_hold(...)` to them.
    """

    honeypot_error = _(
        "We could not send this. Your words are kept below: please press the button again."
    )
    stale_form_error = _(
        "This page was open for a long time or was changed on the way. Your words are kept "
        "below: please press the button again."
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.hold_reasons: list[str] = []
        self.fields[HONEYPOT_FIELD] = forms.CharField(
            label=_("Leave this box empty"), required=False, widget=HoneypotInput()
        )
        self.fields[STARTED_FIELD] = forms.CharField(
            required=False, widget=forms.HiddenInput, initial=form_started_token
        )
        if self.is_bound:
            # Keep what was sent for clean(), but give a refused form a fresh timestamp, so the
            # page shown again with the error can be sent straight away.
            name = self.add_prefix(STARTED_FIELD)
            self._sent_started = self.data.get(name, "")
            if form_age_seconds(self._sent_started) is None:
                self.data = self.data.copy()
                self.data[name] = form_started_token()

    def clean(self):
        cleaned_data = super().clean()
        honeypot = self.data.get(self.add_prefix(HONEYPOT_FIELD))
        if honeypot is None or honeypot.strip():
            raise ValidationError(self.honeypot_error, code="honeypot")
        age = form_age_seconds(self._sent_started)
        if age is None:
            raise ValidationError(self.stale_form_error, code="form_started")
        if age < settings.SPAM_FORM_MIN_SECONDS:
            self.hold_reasons.append("sent_quickly")
        elif age > settings.SPAM_FORM_MAX_AGE_HOURS * 3600:
            self.hold_reasons.append("form_old")
        # Checked: what the posting function receives is the visitor's words only.
        cleaned_data.pop(HONEYPOT_FIELD, None)
        cleaned_data.pop(STARTED_FIELD, None)
        return cleaned_data
