"""What an event page and its status poll show, and what they cost in queries."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tests.support.factories import CandleFactory

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 10, 15, 18, 0, tzinfo=dt.UTC)  # 19:00 in London


def test_the_status_poll_gives_the_count_and_newest_candles(client, event):
    CandleFactory(event=event, memorial=event.memorial, name="Nana Jo", lit_at=START)
    CandleFactory(
        event=event, memorial=event.memorial, name="Secret", show_name=False, lit_at=START
    )
    with time_machine.travel(START + dt.timedelta(minutes=1), tick=False):
        response = client.get(reverse("tributes:event_status", args=[event.slug]))
    data = response.json()
    assert data["count"] == 2
    assert data["count_text"] == "2 candles lit"
    assert data["state"] == "live"
    assert sorted(candle["name"] for candle in data["candles"]) == ["Nana Jo", "Someone"]


def test_the_status_poll_is_cheap(client, event, django_assert_num_queries):
    url = reverse("tributes:event_status", args=[event.slug])
    with time_machine.travel(START + dt.timedelta(minutes=1), tick=False):
        with django_assert_num_queries(3):
            client.get(url)
        # Within the next two seconds every visitor's poll shares one answer: no query at all.
        with django_assert_num_queries(0):
            client.get(url)
    later = START + dt.timedelta(minutes=1, seconds=3)
    with time_machine.travel(later, tick=False), django_assert_num_queries(3):
        client.get(url)


def test_the_event_page_query_count_is_pinned(client, event, django_assert_max_num_queries):
    CandleFactory.create_batch(30, event=event, memorial=event.memorial, lit_at=START)
    later = START + dt.timedelta(minutes=1)
    with time_machine.travel(later, tick=False), django_assert_max_num_queries(5):
        client.get(event.get_absolute_url())
