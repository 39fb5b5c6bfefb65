"""What the logs may say: no secret links, and a client's mistake is a warning, not an error.

Used by the LOGGING setting, by gunicorn.conf.py's access log and by the Sentry setup, so that
every place that records a request leaves out the same things.
"""

from __future__ import annotations

import logging
import re

from django.views.debug import SafeExceptionReporterFilter

# Addresses whose last part is a secret: whoever holds the link may edit a tribute or a comment,
# or confirm or cancel a reminder. Logs show the route, never the token.
_TOKEN_PATH = re.compile(
    r"^(?P<route>/(?:your-tribute|your-comment|reminders/confirm|reminders/unsubscribe)/)[^/?#]+"
)


def private_path(path: str) -> str:
    """The path with any secret token replaced by `<token>` and the query string left out.

    Query strings are dropped whole: the admin's search box puts names and email addresses there.
    """
    path = path.split("?", 1)[0].split("#", 1)[0]
    return _TOKEN_PATH.sub(r"\g<route><token>", path)


class ClientErrorsAsWarnings(logging.Filter):
    """Log a request answered 4xx as a one-line warning, without its traceback.

    Django logs refused requests (a bad Host header, an unreadable or oversized form) at ERROR with
    the traceback, which buries real failures and would mail the admins for every scanner. The
    visitor has already had a kind 400 page; a warning with the reason is all the log needs.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500:
            record.levelno = logging.WARNING
            record.levelname = logging.getLevelName(logging.WARNING)
            record.exc_info = None
            record.exc_text = None
        return True


class TokenPathsLeftOut(logging.Filter):
    """Replace secret tokens in paths a message names ("Not Found: /your-tribute/...")."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                private_path(arg) if isinstance(arg, str) and arg.startswith("/") else arg
                for arg in record.args
            )
        return True


class ErrorsOnly(logging.Filter):
    """Pass errors only: the admin mail handler's level, checked after ClientErrorsAsWarnings."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.ERROR


class PrivateExceptionReporterFilter(SafeExceptionReporterFilter):
    """Error reports (admin mail, the debug page) without client addresses or the query string.

    Django already hides cookies and settings that look secret; a visitor's address and the query
    string (the admin's search box) are personal data, and reports are kept in mailboxes.
    """

    hidden_settings = re.compile(
        "API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|REMOTE_ADDR|REMOTE_HOST|FORWARDED|"
        "REAL_IP|CLIENT_IP|QUERY_STRING",
        flags=re.IGNORECASE,
    )

    def get_safe_request_meta(self, request) -> dict:
        meta = super().get_safe_request_meta(request)
        for key in ("PATH_INFO", "REQUEST_URI", "RAW_URI"):
            if isinstance(meta.get(key), str):
                meta[key] = private_path(meta[key])
        return meta
