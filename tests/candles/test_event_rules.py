"""Candle events: how long an event candle burns, an event listed while it is live, POST only."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tributes.models import Candle

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 10, 15, 18, 0, tzinfo=dt.UTC)  # 19:00 in London


@pytest.fixture
def long_event(event):
    # The family's lighting for Teddy at 19:00 in London, made three hours long.
    event.title = "An evening for Teddy"
    event.duration = dt.timedelta(hours=3)
    event.save()
    return event


def light(client, event, at):
    with time_machine.travel(at, tick=False):
        response = client.post(
            reverse("tributes:event_light", args=[event.slug]),
            {"name": "Sam", "show_name": "on", "message": "With love."},
        )
    assert response.status_code == 302
    return Candle.objects.get(event=event)


@pytest.mark.parametrize(
    ("lit_after_start", "burns_until"),
    [
        # Early in the event it burns to the end of the event...
        (dt.timedelta(minutes=10), START + dt.timedelta(hours=3)),
        (dt.timedelta(hours=2), START + dt.timedelta(hours=3)),
        # ...and lit near the end, still a whole hour, like a real candle.
        (dt.timedelta(hours=2, minutes=30), START + dt.timedelta(hours=3, minutes=30)),
        (dt.timedelta(hours=2, minutes=59), START + dt.timedelta(hours=3, minutes=59)),
    ],
)
def test_an_event_candle_burns_to_the_end_and_at_least_an_hour(
    client, long_event, lit_after_start, burns_until
):
    candle = light(client, long_event, START + lit_after_start)
    assert candle.burns_until == burns_until
    with time_machine.travel(burns_until - dt.timedelta(seconds=1), tick=False):
        assert Candle.objects.burning().filter(pk=candle.pk).exists()
    with time_machine.travel(burns_until, tick=False):
        assert not Candle.objects.burning().filter(pk=candle.pk).exists()


def test_a_one_hour_event_candle_lit_in_its_last_minute_burns_an_hour(client, event):
    at = START + dt.timedelta(minutes=59)
    assert light(client, event, at).burns_until == at + dt.timedelta(hours=1)


@pytest.mark.parametrize(
    ("offset", "listed"),
    [
        (dt.timedelta(minutes=-1), True),
        (dt.timedelta(0), True),
        (dt.timedelta(minutes=30), True),
        (dt.timedelta(hours=3) - dt.timedelta(seconds=1), True),
        (dt.timedelta(hours=3), False),
    ],
    ids=["before", "at-start", "live", "last-second", "ended"],
)
def test_a_fixed_event_is_on_its_memorial_page_until_it_ends(
    client, memorial, long_event, offset, listed
):
    with time_machine.travel(START + offset, tick=False):
        page = client.get(memorial.get_absolute_url()).text
        home = client.get(reverse("tributes:home")).text
    assert ("An evening for Teddy" in page) is listed
    assert ("An evening for Teddy" in home) is listed


@pytest.mark.parametrize(
    "url",
    [
        lambda event: reverse("tributes:event_light", args=[event.slug]),
        lambda event: reverse("tributes:memorial_candle_light", args=[event.memorial.slug]),
    ],
    ids=["event", "memorial"],
)
def test_the_lighting_urls_refuse_a_get_and_light_nothing(client, event, url):
    with time_machine.travel(START + dt.timedelta(minutes=5), tick=False):
        response = client.get(url(event))
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert not Candle.objects.exists()
