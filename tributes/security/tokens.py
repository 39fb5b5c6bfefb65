"""The author's private link and the form's submission key.

Every posting form (tribute, comment, candle, love) carries a random submission key (256 bits)
in a hidden field, made when the page is shown. From it the server derives, with its secret key:
- the row's idempotency key (a UUID), so a resent form finds the row it already created;
- the author's private edit token, so the resend can show the same link again;
- a first-time visitor's identifier (security/visitors.py), so that a double click before the
  visitor cookie exists is still one visitor, caught by "one candle (or love) per visitor".

The database keeps only the idempotency UUID and a SHA-256 of the edit token. Neither gives the
token back, and the submission key itself is never stored.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import uuid

from django import forms
from django.conf import settings

SUBMISSION_KEY_BYTES = 32
_SUBMISSION_KEY = re.compile(r"^[A-Za-z0-9_-]{43}$")


def new_submission_key() -> str:
    return secrets.token_urlsafe(SUBMISSION_KEY_BYTES)


def is_submission_key(value: str) -> bool:
    return bool(_SUBMISSION_KEY.match(value or ""))


def _derive(purpose: str, submission_key: str) -> bytes:
    message = f"tributes.{purpose}:{submission_key}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).digest()


def idempotency_key(submission_key: str) -> uuid.UUID:
    return uuid.UUID(bytes=_derive("idempotency", submission_key)[:16])


def edit_token(submission_key: str) -> str:
    """The author's private token: 256 bits, URL-safe, never stored."""
    return base64.urlsafe_b64encode(_derive("edit", submission_key)).decode().rstrip("=")


def visitor_identifier(submission_key: str) -> str:
    """The visitor cookie's value for a first-time visitor who sent the form with this key."""
    return base64.urlsafe_b64encode(_derive("visitor", submission_key)[:18]).decode()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class SubmissionKeyMixin(forms.Form):
    """A form's hidden submission key (see above), new on every rendered page."""

    submission_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_key", new_submission_key())

    def clean_submission_key(self) -> str:
        # A missing or damaged key gets a fresh one: the words are kept, only the duplicate
        # protection is lost for this one send.
        key = self.cleaned_data.get("submission_key", "")
        return key if is_submission_key(key) else new_submission_key()
