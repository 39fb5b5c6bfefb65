"""The site's Redis cache (memorial/redis_cache.py) on the machine's real Redis: what it keeps
reads back, its clients are reused, and the memorial page kept in it stays right."""

import uuid

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.support.factories import TributeFactory
from tributes.models import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def site_redis(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "memorial.redis_cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/3",
            # Each test its own keys: other test runs share this Redis.
            "KEY_PREFIX": f"site-cache-test-{uuid.uuid4().hex}",
        }
    }
    cache = caches["default"]
    yield cache
    client = cache._cache.get_client(write=True)
    for key in client.scan_iter(f"{settings.CACHES['default']['KEY_PREFIX']}:*"):
        client.delete(key)


def test_what_is_kept_reads_back_through_one_reused_client(site_redis):
    site_redis.set("answer", {"count": 3}, 30)
    site_redis.set_many({"a": 1, "b": "two"}, 30)
    assert site_redis.get("answer") == {"count": 3}
    assert site_redis.get_many(["a", "b", "missing"]) == {"a": 1, "b": "two"}
    assert site_redis.incr("a") == 2
    assert site_redis._cache.get_client(write=True) is site_redis._cache.get_client(write=True)


def test_the_memorial_page_kept_in_redis_shows_a_moderators_decision_at_once(site_redis, memorial):
    shown = TributeFactory(memorial=memorial, message="We miss his laugh")
    visitor = Client()
    assert "We miss his laugh" in visitor.get(memorial.get_absolute_url()).text
    with CaptureQueriesContext(connection) as queries:
        assert "We miss his laugh" in visitor.get(memorial.get_absolute_url()).text
    assert len(queries) == 1  # The memorial with its page's rows: the HTML came from Redis.
    shown.status = Status.REJECTED
    shown.save()
    assert "We miss his laugh" not in visitor.get(memorial.get_absolute_url()).text
