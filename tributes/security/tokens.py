"""The author's private link and the form's submission key.

Each tribute or comment form carries a random submission key (256 bits) in a hidden field. From
it the server derives, with its secret key:
- the row's idempotency key (a UUID), so a resent form finds the row it already created;
- the author's private edit token, so the resend can show the same link again.

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


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
