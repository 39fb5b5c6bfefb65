"""With the cache server down, every page and post answers from the database (issue 13)."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tests.support.broken_cache import BROKEN_CACHES
from tests.support.factories import TributeFactory
from tests.support.posting import (
    comment_payload,
    tribute_payload,
    write_comment_url,
    write_tribute_url,
)
from tributes.models import BlockedTerm, Candle, Comment, Love, Tribute

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 10, 15, 18, 0, tzinfo=dt.UTC)


@pytest.fixture
def cache_down(settings):
    settings.CACHES = BROKEN_CACHES


def test_posting_a_tribute_a_comment_and_love_works_without_the_cache(
    cache_down, visitor, memorial
):
    BlockedTerm.objects.create(value="casino")
    response = visitor.post(write_tribute_url(memorial), tribute_payload())
    assert response.status_code == 302
    assert Tribute.objects.count() == 1
    tribute = TributeFactory(memorial=memorial)
    response = visitor.post(write_comment_url(tribute), comment_payload())
    assert response.status_code == 302
    assert Comment.objects.count() == 1
    love = reverse("tributes:send_love", kwargs={"slug": memorial.slug, "pk": tribute.pk})
    assert visitor.post(love).status_code == 302
    assert Love.objects.count() == 1
    # The blocked terms still come from the database: this one is held.
    visitor.post(write_tribute_url(memorial), tribute_payload(message="Best casino here"))
    assert Tribute.objects.get(message="Best casino here").hold_reasons == ["blocked_word"]


def test_a_memorial_page_and_its_candles_work_without_the_cache(cache_down, visitor, memorial):
    TributeFactory(memorial=memorial)
    assert visitor.get(memorial.get_absolute_url()).status_code == 200
    url = reverse("tributes:memorial_candle_light", kwargs={"slug": memorial.slug})
    data = {"name": "Sam", "show_name": "on", "message": "", "burn_time": "day"}
    assert visitor.post(url, data).status_code == 302
    assert Candle.objects.count() == 1


def test_an_event_page_its_poll_calendar_reminder_and_candles_work_without_the_cache(
    cache_down, visitor, event
):
    with time_machine.travel(START - dt.timedelta(hours=2), tick=False):
        assert visitor.get(event.get_absolute_url()).status_code == 200
        remind = reverse("tributes:event_remind", args=[event.slug])
        response = visitor.post(remind, {"email": "sam@example.org", "minutes_before": 60})
        assert response.status_code == 302
        assert visitor.get(reverse("tributes:event_ics", args=[event.slug])).status_code == 200
    with time_machine.travel(START + dt.timedelta(minutes=5), tick=False):
        light = reverse("tributes:event_light", args=[event.slug])
        response = visitor.post(light, {"name": "Sam", "show_name": "on", "message": "Love"})
        assert response.status_code == 302
        poll = visitor.get(reverse("tributes:event_status", args=[event.slug]))
        assert poll.json()["count"] == Candle.objects.count()
