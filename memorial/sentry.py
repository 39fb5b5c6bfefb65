"""Optional error tracking with Sentry (or a Sentry-compatible service), started by settings.py.

Reports never carry personal data: send_default_pii stays off (no IP address, cookies or user),
request bodies are not sent, and secret tokens and query strings are cut out of addresses.
"""

from __future__ import annotations

from typing import Any

from memorial.logs import private_path, private_url


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
    return event


def start(dsn: str, *, environment: str, traces_sample_rate: float) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        max_request_body_size="never",
        traces_sample_rate=traces_sample_rate,
        before_send=leave_out_private_parts,
        before_send_transaction=leave_out_private_parts,
    )
