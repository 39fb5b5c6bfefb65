"""/healthz: one word for anyone, the details for staff."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.support.factories import UserFactory
from tests.support.worker_tasks import answer

pytestmark = pytest.mark.django_db

# Nothing listens on port 1: every Redis call fails to connect, as with a Redis that is down.
DEAD_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.5},
    }
}


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(username="on-call", is_staff=True))
    return client


def test_a_healthy_site_says_ok_and_nothing_more(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


def test_staff_see_each_check(staff_client):
    body = staff_client.get(reverse("healthz")).json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "tasks"}
    assert all(check["ok"] for check in body["checks"].values())
    assert body["checks"]["tasks"]["detail"] == {"waiting": 0, "oldest_waited_seconds": 0.0}


def test_a_cache_that_is_down_makes_the_site_unavailable_without_saying_why(client, settings):
    settings.CACHES = DEAD_REDIS
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.content == b"unavailable\n"


def test_staff_are_told_which_part_is_down(staff_client, settings):
    # Sessions live in the database, so staff stay signed in while the cache is down.
    settings.CACHES = DEAD_REDIS
    response = staff_client.get(reverse("healthz"))
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"]["ok"] is True
    assert checks["cache"] == {
        "ok": False,
        "milliseconds": checks["cache"]["milliseconds"],
        "detail": {"error": "ConnectionError"},
    }


def test_a_task_left_waiting_too_long_shows_that_the_worker_has_stopped(staff_client, settings):
    settings.HEALTH_MAX_TASK_WAIT_SECONDS = 600
    waiting = answer.enqueue("a reminder nobody sent")
    DBTaskResult.objects.filter(id=waiting.id).update(
        enqueued_at=timezone.now() - dt.timedelta(minutes=15)
    )
    response = staff_client.get(reverse("healthz"))
    assert response.status_code == 503
    tasks = response.json()["checks"]["tasks"]
    assert tasks["ok"] is False
    assert tasks["detail"]["waiting"] == 1
    assert tasks["detail"]["oldest_waited_seconds"] >= 15 * 60


def test_a_task_due_later_is_not_late(client):
    answer.using(run_after=timezone.now() + dt.timedelta(hours=1)).enqueue("tomorrow's reminder")
    assert client.get(reverse("healthz")).status_code == 200


def test_monitors_may_ask_over_plain_http(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(reverse("healthz")).status_code == 200
