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


def test_the_event_page_draws_a_candle_for_each_lit_up_to_the_walls_size(client, event):
    from tributes.candles.status import WALL_CANDLES

    CandleFactory.create_batch(3, event=event, memorial=event.memorial, lit_at=START)
    url = event.get_absolute_url()
    with time_machine.travel(START + dt.timedelta(minutes=1), tick=False):
        page = client.get(url).text
    wall = page[
        page.index("data-candle-wall") : page.index("</ul>", page.index("data-candle-wall"))
    ]
    assert wall.count('<svg class="candle-art is-lit"') == 3
    assert f'data-wall-size="{WALL_CANDLES}"' in wall
    assert "3 candles lit" in page

    CandleFactory.create_batch(
        WALL_CANDLES, event=event, memorial=event.memorial, lit_at=START + dt.timedelta(seconds=5)
    )
    with time_machine.travel(START + dt.timedelta(minutes=2), tick=False):
        page = client.get(url).text
    wall = page[
        page.index("data-candle-wall") : page.index("</ul>", page.index("data-candle-wall"))
    ]
    assert wall.count('<svg class="candle-art is-lit"') == WALL_CANDLES
    assert f"{WALL_CANDLES + 3} candles lit" in page
