"""What the logs may say: no secret links, and a client's mistake is a warning, not an error.

Used by the LOGGING setting, by gunicorn.conf.py's access log and by the Sentry setup, so that
every place that records a request leaves out the same things.
"""

from __future__ import annotations

import ipaddress
import logging
import re

from django.utils.html import escape
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

# Addresses with a secret part: whoever holds the link may edit a tribute or a comment, confirm
# or cancel a reminder, take up an invitation, read a private memorial, confirm an account's
# email or set its password. Logs show the route, never the token. tests/test_error_reports.py
# checks that every route with a token or key in the URLconf is listed here.
_TOKEN_ROUTES = (
    "your-tribute",
    "your-comment",
    "reminders/confirm",
    "reminders/unsubscribe",
    "family/invitation",
    "family/shared",
    "accounts/confirm-email",
    "accounts/password/reset/key",
)
_TOKEN_PATH = re.compile(rf"^(?P<route>/(?:{'|'.join(_TOKEN_ROUTES)})/)[^/?#]+")


def private_path(path: str) -> str:
    """The path with any secret token replaced by `<token>` and the query string left out.

    Query strings are dropped whole: the admin's search box puts names and email addresses there.
    """
    path = path.split("?", 1)[0].split("#", 1)[0]
    return _TOKEN_PATH.sub(r"\g<route><token>", path)


# The same routes anywhere in a text (a log line, an exception's message, a variable's repr).
_TOKEN_PATH_ANYWHERE = re.compile(rf"(?P<route>/(?:{'|'.join(_TOKEN_ROUTES)})/)[^/?#\s\"'<>]+")
_QUERY_ANYWHERE = re.compile(r"(?P<path>/[^\s\"'<>?#]*)\?[^\s\"'<>#]*")
_EMAIL_ANYWHERE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_ADDRESS_LIKE = re.compile(r"(?<![\w.:])[0-9A-Fa-f:.]{7,45}(?![\w.:])")


def _no_address(match: re.Match) -> str:
    # An IPv4 address may come with its port ("203.0.113.9:51234").
    address, colon, port = match.group(0).rpartition(":")
    if not (colon and "." in address and port.isdigit()):
        address, port = match.group(0), ""
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return match.group(0)
    return "<address>" + (f":{port}" if port else "")


def private_text(text: str) -> str:
    """Any text with secret tokens, query strings, email and IP addresses taken out."""
    text = _TOKEN_PATH_ANYWHERE.sub(r"\g<route><token>", text)
    text = _QUERY_ANYWHERE.sub(r"\g<path>", text)
    text = _EMAIL_ANYWHERE.sub("<email>", text)
    return _ADDRESS_LIKE.sub(_no_address, text)


def private_url(url: str) -> str:
    """An absolute address (or a path) with `private_path` applied to its path."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return private_path(url)
    host, slash, path = rest.partition("/")
    return f"{scheme}://{host}{private_path(slash + path)}"


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
    """Take secret tokens, query strings, email and IP addresses out of what a record says.

    The path a message names ("Not Found: /your-tribute/..."), the development server's request
    line ('"GET /reminders/unsubscribe/... HTTP/1.1" 200') and the address in its "Broken pipe
    from ('127.0.0.1', 51234)" all come as arguments; a message may also carry them itself.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = private_text(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_private_argument(arg) for arg in record.args)
        return True


def _private_argument(value):
    if isinstance(value, str):
        return private_text(value)
    if isinstance(value, tuple):
        return tuple(_private_argument(item) for item in value)
    return value


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
        for key in ("PATH_INFO", "REQUEST_URI", "RAW_URI", "HTTP_REFERER"):
            if isinstance(meta.get(key), str):
                meta[key] = private_url(meta[key])
        return meta


class PrivateExceptionReporter(ExceptionReporter):
    """Error reports (admin mail, the debug page) that never show a secret link or a query.

    The "Request URL", the title and every other place that prints the request's path show it
    with its token replaced by `<token>` and without its query string, and GET values (a token,
    the admin's search for a name or an email address) are hidden; their names stay.
    """

    def get_traceback_data(self) -> dict:
        data = super().get_traceback_data()
        if self.request is not None:
            data["request_insecure_uri"] = private_url(data["request_insecure_uri"])
            data["request_GET_items"] = [
                (name, self.filter.cleansed_substitute) for name, _ in self.request.GET.items()
            ]
        return data

    def _without_secret_paths(self, report: str, *, html: bool) -> str:
        if self.request is None:
            return report
        raw = {self.request.get_full_path(), self.request.path, self.request.path_info}
        # Longest first, so that a path with its query goes before the path alone.
        for path in sorted(raw, key=len, reverse=True):
            private = private_path(path)
            if path != private:
                report = report.replace(escape(path) if html else path, private)
        return report

    def get_traceback_text(self) -> str:
        return self._without_secret_paths(super().get_traceback_text(), html=False)

    def get_traceback_html(self) -> str:
        return self._without_secret_paths(super().get_traceback_html(), html=True)
