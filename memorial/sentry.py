"""Optional error tracking with Sentry (or a Sentry-compatible service), started by settings.py.

Reports never carry personal data: send_default_pii stays off (no IP address, cookies or user),
request bodies are not sent, secret tokens and query strings are cut out of addresses, and every
text of the event (exception messages, local variables, breadcrumbs) loses tokens, queries, email
and IP addresses. tests/test_sentry_live.py sends a real failure to a real server and reads it.
"""

from __future__ import annotations

from typing import Any

from memorial.logs import private_path, private_text, private_url

# Variable and argument names whose values are secret: URL arguments of private links.
SECRET_NAMES = ["key", "uidb36", "confirm_token", "unsubscribe_token", "token_hash"]


def leave_out_private_parts(event: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any]:
    """Sentry's before_send: cut tokens and query strings, drop addresses it may have gathered."""
    request = event.get("request") or {}
    if isinstance(request.get("url"), str):
        request["url"] = private_url(request["url"])
    request.pop("query_string", None)
    request.pop("cookies", None)
    request.pop("data", None)
    headers = request.get("headers") or {}
    for name in list(headers):
        if name.lower() in {"cookie", "x-forwarded-for", "x-real-ip", "forwarded"}:
            del headers[name]
    (request.get("env") or {}).pop("REMOTE_ADDR", None)
    (event.get("user") or {}).pop("ip_address", None)
    if isinstance(event.get("transaction"), str):
        event["transaction"] = private_path(event["transaction"])
    # Then every text left (exception messages, local variables, log lines as breadcrumbs).
    return _private_everywhere(event)


def _private_everywhere(value: Any) -> Any:
    if isinstance(value, str):
        return private_text(value)
    if isinstance(value, dict):
        return {key: _private_everywhere(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_private_everywhere(item) for item in value]
    return value


def start(dsn: str, *, environment: str, traces_sample_rate: float) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.scrubber import DEFAULT_DENYLIST, DEFAULT_PII_DENYLIST, EventScrubber

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        # Sentry's own scrubber, at every depth (a view's `token` argument sits in a dict of a
        # frame's variables), with the names of our secrets added to its list.
        event_scrubber=EventScrubber(
            recursive=True,
            denylist=[*DEFAULT_DENYLIST, *SECRET_NAMES],
            pii_denylist=[*DEFAULT_PII_DENYLIST, "email", "author_email"],
        ),
        max_request_body_size="never",
        traces_sample_rate=traces_sample_rate,
        before_send=leave_out_private_parts,
        before_send_transaction=leave_out_private_parts,
    )
