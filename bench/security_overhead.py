"""How much the rate limits and client hashing add to one posting request.

Run: TESTING=1 .venv/bin/python bench/security_overhead.py
Prints microseconds per call on the configured cache (process memory unless REDIS_URL is set).
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "memorial.settings")
os.environ.setdefault("RATE_LIMIT_SCALE", "1000")

import django  # noqa: E402

django.setup()

from django.test import RequestFactory  # noqa: E402

from tributes.moderation.screening import count_links  # noqa: E402
from tributes.security.clients import client_key, pseudonymous_address  # noqa: E402
from tributes.security.ratelimits import limit_reached  # noqa: E402

ROUNDS = 5000
factory = RequestFactory()


def per_call(function) -> float:
    start = time.perf_counter()
    for n in range(ROUNDS):
        function(n)
    return (time.perf_counter() - start) / ROUNDS * 1e6


def fresh_request(n):
    return factory.post(
        "/candles/wave-of-light/", {"name": "Aunt May"}, REMOTE_ADDR=f"10.0.{n % 250}.1"
    )


print(
    f"client_key (HMAC of the address):      {per_call(lambda n: client_key(fresh_request(n))):7.1f} us"
)
print(
    f"pseudonymous_address (for axes):       {per_call(lambda n: pseudonymous_address(fresh_request(n))):7.1f} us"
)
print(
    "limit_reached('candle', 3 scopes):      "
    f"{per_call(lambda n: limit_reached(fresh_request(n), 'candle', target='candle:wave')):7.1f} us"
)
print(f"building the request alone:             {per_call(fresh_request):7.1f} us")
text = "Thinking of you all tonight, see https://example.org/page " * 4
print(f"count_links on a 240-character message: {per_call(lambda n: count_links(text)):7.1f} us")
