"""The production rate limits, pinned by behaviour at their boundary with the real settings.

No test here swaps in small limits: the numbers are those a grieving visitor and a spammer meet
(memorial/settings.py RATE_LIMITS), reached through the real posting URLs. And when the cache
that counts is down, people may still post: the limit fails open.
"""

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tests.support.factories import MemorialFactory, TributeFactory
from tests.support.posting import post_comment, post_tribute
from tributes.models import Comment, ModerationMode, Status, Tribute

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.9"


@pytest.fixture(autouse=True)
def one_window():
    # Limits count per window: a frozen clock keeps every request of a test in one window.
    with time_machine.travel(dt.datetime(2026, 10, 15, 18, 0, 5, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def open_memorial():
    return MemorialFactory(slug="open", moderation_mode=ModerationMode.OPEN)


def tributes_from(client, memorial, count):
    return [
        post_tribute(client, memorial, message=f"Words number {n}", REMOTE_ADDR=ADDRESS).status_code
        for n in range(count)
    ]


def test_a_visitor_may_write_five_tributes_in_ten_minutes_and_not_a_sixth(open_memorial):
    visitor = Client()
    assert tributes_from(visitor, open_memorial, 6) == [302] * 5 + [429]
    assert Tribute.objects.count() == 5


def test_the_visitors_limit_is_counted_over_ten_minutes(open_memorial):
    visitor = Client()
    assert tributes_from(visitor, open_memorial, 5) == [302] * 5
    with time_machine.travel(dt.timedelta(minutes=11)):
        assert tributes_from(visitor, open_memorial, 1) == [302]


def test_the_wait_page_counts_down_the_real_wait_in_whole_minutes_rounded_up(open_memorial):
    visitor = Client()
    with time_machine.travel(
        dt.datetime(2026, 10, 15, 18, 0, 5, tzinfo=dt.UTC), tick=False
    ) as clock:

        def refused():
            response = post_tribute(visitor, open_memorial, message="Sixth", REMOTE_ADDR=ADDRESS)
            assert response.status_code == 429
            return int(response["Retry-After"]), response.text

        tributes_from(visitor, open_memorial, 5)
        # Wait out the first window (it opened before the first tribute), then fill a fresh one.
        first_wait, _ = refused()
        clock.shift(dt.timedelta(seconds=first_wait))
        assert tributes_from(visitor, open_memorial, 5) == [302] * 5
        seconds, page = refused()
        assert seconds == 600
        assert "You can send them again in about 10 minutes." in page
        clock.shift(dt.timedelta(seconds=600 - 61))
        seconds, page = refused()
        assert seconds == 61
        assert "You can send them again in about 2 minutes." in page
        clock.shift(dt.timedelta(seconds=60))
        seconds, page = refused()
        assert seconds == 1
        assert "You can send them again in about 1 minute." in page
        # Told one second, and one second later it is so.
        clock.shift(dt.timedelta(seconds=1))
        assert tributes_from(visitor, open_memorial, 1) == [302]


def test_one_address_may_send_thirty_tributes_an_hour_from_different_visitors(open_memorial):
    # A church or care home shares one address: thirty tributes an hour, then a wait.
    statuses = [tributes_from(Client(), open_memorial, 1)[0] for _ in range(31)]
    assert statuses == [302] * 30 + [429]


def test_a_visitor_may_write_ten_comments_in_ten_minutes_and_not_an_eleventh(open_memorial):
    tribute = TributeFactory(memorial=open_memorial, status=Status.APPROVED)
    visitor = Client()
    statuses = [
        post_comment(visitor, tribute, body=f"Comment {n}", REMOTE_ADDR=ADDRESS).status_code
        for n in range(11)
    ]
    assert statuses == [302] * 10 + [429]
    assert Comment.objects.count() == 10


def test_a_visitor_may_send_love_to_sixty_tributes_in_ten_minutes(open_memorial):
    visitor = Client()
    tributes = TributeFactory.create_batch(61, memorial=open_memorial, status=Status.APPROVED)
    statuses = [
        visitor.post(
            reverse("tributes:send_love", kwargs={"slug": "open", "pk": tribute.pk}),
            REMOTE_ADDR=ADDRESS,
        ).status_code
        for tribute in tributes
    ]
    assert statuses == [302] * 60 + [429]


@pytest.fixture
def counting_cache_down(settings):
    # The rate limits count in a real Redis cache whose server is not there (nothing listens on
    # port 9 of this machine); everything else keeps the working cache.
    settings.CACHES = {
        **settings.CACHES,
        "counting": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        },
    }
    settings.RATE_LIMIT_CACHE = "counting"


def test_when_the_counting_cache_is_down_a_tribute_is_still_accepted_and_logged(
    open_memorial, counting_cache_down, caplog
):
    assert tributes_from(Client(), open_memorial, 1) == [302]
    assert Tribute.objects.get().message == "Words number 0"
    [record] = [r for r in caplog.records if "rate limit cache unavailable" in r.getMessage()]
    assert re.fullmatch(
        r"rate limit cache unavailable action=tribute, letting it through \(\w+Error: .*refused.*\)",
        record.getMessage(),
    )
    # Handled and expected while Redis is away: a warning line, without a traceback.
    assert (record.levelname, record.exc_info) == ("WARNING", None)


def test_when_the_counting_cache_is_down_no_limit_stops_anyone(open_memorial, counting_cache_down):
    # Fail open: the sixth tribute that the working cache would refuse goes through.
    assert tributes_from(Client(), open_memorial, 6) == [302] * 6


def test_a_visitors_five_tributes_do_not_use_up_their_five_candles(open_memorial):
    # Tributes and candles share a visitor's rate (5 in 10 minutes), each with its own count.
    visitor = Client()
    assert tributes_from(visitor, open_memorial, 5) == [302] * 5
    url = reverse("tributes:memorial_candle_light", args=[open_memorial.slug])
    lit = [
        visitor.post(
            url,
            {"name": f"Sam {n}", "show_name": "on", "message": "", "burn_time": "week"},
            REMOTE_ADDR=ADDRESS,
        ).status_code
        for n in range(6)
    ]
    assert lit == [302] * 5 + [429]
