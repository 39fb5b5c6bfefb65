"""Telling clients apart by their network address without ever keeping the address.

Rate limits and the admin's login throttling need to know that two requests came from the same
place. They get a keyed hash of the address instead of the address itself. The key is derived
from SECRET_KEY and today's date (UTC), so the same address gets a new key every day and a key
kept anywhere (a cache entry, an axes row, a log line) cannot be linked to another day's, nor
turned back into an address by someone who does not hold SECRET_KEY.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import ipaddress

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

# A phone or a household usually gets a whole IPv6 /64: treat it as one address.
IPV6_PREFIX = 64


def client_address(request: HttpRequest) -> str:
    """The client's address as seen through `settings.TRUSTED_PROXY_COUNT` proxies.

    With no proxy it is REMOTE_ADDR. Behind N trusted proxies it is the Nth address from the right
    of X-Forwarded-For (the one our own proxy added), never a value the client chose. IPv6 addresses
    are reduced to their /64 network.
    """
    address = request.META.get("REMOTE_ADDR", "") or ""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6 and ip.ipv4_mapped:
        return str(ip.ipv4_mapped)
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/{IPV6_PREFIX}", strict=False).network_address)
    return str(ip)


def daily_secret(day: dt.date | None = None) -> bytes:
    """The hashing key for `day` (today, UTC, by default), derived from SECRET_KEY."""
    day = day or timezone.now().astimezone(dt.UTC).date()
    return _daily_secret(settings.SECRET_KEY, day)


# Every post hashes its address with today's key: derived once a day per process, not per post.
@functools.lru_cache(maxsize=4)
def _daily_secret(secret_key: str, day: dt.date) -> bytes:
    message = f"tributes.clients:{day.isoformat()}".encode()
    return hmac.new(secret_key.encode(), message, hashlib.sha256).digest()


def client_key(request: HttpRequest) -> str:
    """A keyed hash (64 hex characters) of the client's address, stable for one UTC day."""
    if not hasattr(request, "_client_key"):
        address = client_address(request).encode()
        request._client_key = hmac.new(daily_secret(), address, hashlib.sha256).hexdigest()
    return request._client_key


def pseudonymous_address(request: HttpRequest) -> str:
    """The client key written as an IPv6 address in the private range fd00::/8.

    django-axes keeps addresses in a GenericIPAddressField (an `inet` column on PostgreSQL), so it
    cannot store a hex digest. This looks like an address but is 120 bits of the keyed hash: it
    never is, and never reveals, the real one. Used as AXES_CLIENT_IP_CALLABLE.
    """
    digest = bytes.fromhex(client_key(request))
    return str(ipaddress.IPv6Address(b"\xfd" + digest[:15]))


def axes_client_str(username, ip_address, user_agent, path_info, request) -> str:
    """What django-axes writes in its log lines: a short client tag, never a name or address.

    The username is left out on purpose: people sometimes type their password into it.
    """
    tag = (ip_address or "").replace(":", "")[-12:]
    return f"client={tag or 'unknown'}"
