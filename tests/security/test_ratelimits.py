"""Rate limits on posting: per visitor first, then per address, memorial and email address."""

import datetime as dt
import logging
import re
import uuid

import pytest
import redis
import time_machine
from django.core.cache import caches
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.support.posting_urls")]

ADDRESS = "203.0.113.7"
WORDS = {"author_name": "Aunt May", "message": "We miss you every single day."}


@pytest.fixture(autouse=True)
def frozen_clock():
    # Limits count per window: a frozen clock keeps every request of a test in one window.
    with time_machine.travel(
        dt.datetime(2026, 10, 15, 18, 0, 5, tzinfo=dt.UTC), tick=False
    ) as clock:
        yield clock


REDIS_URL = "redis://127.0.0.1:6379/3"


def _redis_cache(prefix):
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": prefix,
    }


@pytest.fixture(autouse=True, params=["process memory", "redis"])
def counting_cache(request, settings):
    """Every test counts once in the tests' own cache and once in a real Redis, where one
    script counts all of a request's scopes (each run under its own key prefix)."""
    if request.param == "process memory":
        yield None
        return
    prefix = f"ratelimit-test-{uuid.uuid4().hex}"
    settings.CACHES = {**settings.CACHES, "counting": _redis_cache(prefix)}
    settings.RATE_LIMIT_CACHE = "counting"
    server = redis.Redis.from_url(REDIS_URL)
    try:
        server.ping()
    except redis.ConnectionError:
        pytest.fail(f"these tests need the machine's Redis at {REDIS_URL}")
    yield server, prefix
    for key in server.scan_iter(f"{prefix}:*"):
        server.delete(key)


@pytest.fixture
def small_limits(settings):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "tribute": {"visitor": "2/m", "client": "4/m", "memorial": "6/m"},
        "reminder": {"visitor": "50/m", "client": "50/m", "email": "2/d"},
    }


def post(client, slug="teddy", address=ADDRESS, **data):
    return client.post(f"/test-post/{slug}/", {**WORDS, **data}, REMOTE_ADDR=address)


def test_a_visitor_is_stopped_after_their_own_limit(small_limits):
    visitor = Client()
    assert [post(visitor).status_code for _ in range(3)] == [200, 200, 429]


def test_the_limited_page_keeps_every_word_in_a_form_that_sends_them_again(small_limits):
    visitor = Client()
    post(visitor)
    post(visitor)
    response = post(visitor, idempotency_key="5b1f4a9e-7a55-4d7e-9a57-0f0f7c1d2e11")
    assert response.status_code == 429
    page = response.text
    assert "Please wait a few minutes" in page
    assert "We miss you every single day.</textarea>" in page
    assert 'value="Aunt May"' in page
    assert 'action="/test-post/teddy/"' in page
    assert 'name="idempotency_key" value="5b1f4a9e-7a55-4d7e-9a57-0f0f7c1d2e11"' in page
    # A one-minute limit: the wait is under a minute, and the page says so.
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "You can send them again in about 1 minute." in page


def test_another_visitor_at_the_same_address_may_still_post(small_limits):
    first, second = Client(), Client()
    for _ in range(5):
        post(first)
    assert post(second).status_code == 200


def test_a_visitor_over_their_limit_does_not_use_up_the_shared_address(small_limits):
    persistent = Client()
    statuses = [post(persistent).status_code for _ in range(10)]
    assert statuses.count(200) == 2
    # The address allows 4 a minute: 2 went to the first visitor, 2 are left for everyone else.
    others = [post(Client()).status_code for _ in range(3)]
    assert others == [200, 200, 429]


def test_cookieless_bots_are_stopped_by_the_address_limit(small_limits):
    statuses = [post(Client()).status_code for _ in range(6)]
    assert statuses == [200, 200, 200, 200, 429, 429]


def test_a_memorial_has_a_ceiling_across_every_address(small_limits):
    statuses = [post(Client(), address=f"198.51.100.{n}").status_code for n in range(8)]
    assert statuses == [200] * 6 + [429, 429]
    assert post(Client(), slug="another-memorial", address="192.0.2.1").status_code == 200


def test_limits_open_again_in_the_next_window(small_limits, frozen_clock):
    visitor = Client()
    post(visitor)
    post(visitor)
    assert post(visitor).status_code == 429
    frozen_clock.shift(dt.timedelta(minutes=1, seconds=1))
    assert post(visitor).status_code == 200


def test_the_scale_multiplies_every_limit(small_limits, settings):
    settings.RATE_LIMIT_SCALE = 3
    visitor = Client()
    assert [post(visitor).status_code for _ in range(7)] == [200] * 6 + [429]


def test_reading_a_page_is_never_limited(small_limits):
    visitor = Client()
    for _ in range(5):
        post(visitor)
    assert visitor.get("/test-post/teddy/", REMOTE_ADDR=ADDRESS).status_code == 200


def test_a_care_home_can_light_candles_together_from_one_address(settings):
    from tributes.security.ratelimits import limits_for

    client_limit = next(limit for limit in limits_for("candle") if limit.scope == "client")
    assert client_limit.count / (client_limit.seconds / 60) >= 200
    visitor_limit = next(limit for limit in limits_for("candle") if limit.scope == "visitor")
    assert visitor_limit.count <= 10


def test_confirmation_emails_to_one_address_are_limited_whoever_asks(small_limits):
    statuses = [
        Client().post("/test-sign-up/", {"email": email}, REMOTE_ADDR=f"198.51.100.{n}").status_code
        for n, email in enumerate(["grief@example.org", "Grief@Example.org ", "grief@example.org"])
    ]
    assert statuses == [200, 200, 429]
    other = Client().post("/test-sign-up/", {"email": "other@example.org"}, REMOTE_ADDR=ADDRESS)
    assert other.status_code == 200


def test_a_limited_post_from_a_page_without_its_own_form_comes_back_under_the_same_names(
    small_limits,
):
    for n in range(2):
        Client().post("/test-sign-up/", {"email": "grief@example.org"}, REMOTE_ADDR=f"192.0.2.{n}")
    page = Client().post("/test-sign-up/", {"email": "grief@example.org"}, REMOTE_ADDR=ADDRESS)
    assert page.status_code == 429
    # A labelled text box that sends the address again as the same field.
    assert re.search(
        r'<label class="form-label" for="kept-1">Your email</label>\s*'
        r'<textarea [^>]*name="email"[^>]*>grief@example.org</textarea>',
        page.text,
    )


def test_a_sign_up_with_the_email_left_empty_is_counted_without_the_email_scope(small_limits):
    assert Client().post("/test-sign-up/", {"email": ""}, REMOTE_ADDR=ADDRESS).status_code == 200


def test_a_limit_is_logged_without_personal_data(small_limits, caplog):
    caplog.set_level(logging.INFO, logger="tributes.security")
    visitor = Client()
    for _ in range(3):
        post(visitor)
    lines = [r.getMessage() for r in caplog.records if r.name == "tributes.security"]
    assert lines == ["rate limit reached action=tribute scope=visitor view=test_post"]


def test_limits_can_be_switched_off(small_limits, settings):
    settings.RATE_LIMIT_ENABLED = False
    visitor = Client()
    assert {post(visitor).status_code for _ in range(5)} == {200}


def test_a_misspelt_action_fails_at_import_time():
    from django.core.exceptions import ImproperlyConfigured

    from tributes.security.ratelimits import rate_limited

    # Whoever misspelt it is told which name has no limits.
    with pytest.raises(ImproperlyConfigured, match="^No RATE_LIMITS entry for 'tributes'.$"):
        rate_limited("tributes")


def test_rates_are_parsed_and_scaled():
    from tributes.security.ratelimits import parse_rate

    assert parse_rate("5/10m") == (5, 600)
    assert parse_rate("3/d", scale=1000) == (3000, 86400)
    assert parse_rate("1/h", scale=0.1) == (1, 3600)
    with pytest.raises(ValueError, match="^'five a minute' is not a rate like '5/10m'$"):
        parse_rate("five a minute")


@pytest.mark.parametrize("counting_cache", ["redis"], indirect=True)
def test_every_server_counts_on_the_same_redis(small_limits, settings, counting_cache):
    _, prefix = counting_cache
    visitor = Client()
    assert [post(visitor).status_code for _ in range(2)] == [200, 200]
    # Another app server: its own connection to the same Redis.
    settings.CACHES = {**settings.CACHES, "another-server": _redis_cache(prefix)}
    settings.RATE_LIMIT_CACHE = "another-server"
    assert post(visitor).status_code == 429


@pytest.mark.parametrize("counting_cache", ["redis"], indirect=True)
def test_counters_in_redis_run_out_after_their_window(small_limits, counting_cache):
    server, prefix = counting_cache
    post(Client())
    counters = list(server.scan_iter(f"{prefix}:*"))
    # One per scope counted (visitor, address, memorial), each one ending after its minute.
    assert len(counters) == 3
    assert all(0 < server.ttl(key) <= 60 + 60 for key in counters)
    assert sorted(int(server.get(key)) for key in counters) == [1, 1, 1]
    assert caches["counting"].get(counters[0].decode().split(":", 2)[2]) == 1


@pytest.mark.parametrize("counting_cache", ["redis"], indirect=True)
def test_a_redis_that_forgot_the_counting_script_still_counts(small_limits, counting_cache):
    # After a Redis restart (or SCRIPT FLUSH) the script must be sent again, not fail open.
    server, prefix = counting_cache
    visitor = Client()
    assert [post(visitor).status_code for _ in range(2)] == [200, 200]
    server.script_flush()
    assert post(visitor).status_code == 429
    visitor_counters = list(server.scan_iter(f"{prefix}:*rl:tribute.visitor:*"))
    assert [int(server.get(key)) for key in visitor_counters] == [3]


@pytest.mark.parametrize("counting_cache", ["redis"], indirect=True)
def test_with_a_read_replica_listed_the_counting_is_done_on_the_primary(
    small_limits, settings, counting_cache
):
    # Django's Redis cache reads from the servers after the first and writes to the first. The
    # replica here is away: a count sent to it would fail open and let everything through.
    _, prefix = counting_cache
    settings.CACHES = {
        **settings.CACHES,
        "with-replica": {
            **_redis_cache(prefix),
            "LOCATION": [REDIS_URL, "redis://127.0.0.1:9/3"],
            "OPTIONS": {"socket_connect_timeout": 1},
        },
    }
    settings.RATE_LIMIT_CACHE = "with-replica"
    visitor = Client()
    assert [post(visitor).status_code for _ in range(3)] == [200, 200, 429]
