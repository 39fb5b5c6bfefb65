"""`manage.py check --deploy` tells whoever deploys when rate limits would not be shared.

The deploy check is also run for real in a subprocess (tests/test_deployment.py); here it runs in
this process, so the cache backend can be chosen per case.
"""

import pytest
from django.core import checks


def deploy_warnings(settings, backend: str) -> list[checks.CheckMessage]:
    settings.CACHES = {"default": {"BACKEND": backend}}
    found = checks.run_checks(include_deployment_checks=True, tags=[checks.Tags.security])
    return [message for message in found if message.id == "tributes.W001"]


@pytest.mark.parametrize(
    "backend",
    [
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.dummy.DummyCache",
    ],
    ids=["one-process-memory", "no-cache"],
)
def test_the_deploy_check_warns_when_limits_are_not_counted_in_a_shared_cache(settings, backend):
    [warning] = deploy_warnings(settings, backend)
    assert warning.level == checks.WARNING
    assert warning.msg == "Rate limits and login throttling are kept in one process's memory."
    assert "Set REDIS_URL" in warning.hint


def test_the_deploy_check_is_quiet_with_redis(settings):
    assert deploy_warnings(settings, "django.core.cache.backends.redis.RedisCache") == []


def test_the_everyday_check_does_not_warn_about_the_development_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    found = checks.run_checks(tags=[checks.Tags.security])
    assert "tributes.W001" not in [message.id for message in found]
