"""Candles lit on a memorial at any time: they burn for a chosen time and stay as dated records."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tests.support.factories import CandleFactory
from tributes.models import Candle

pytestmark = pytest.mark.django_db

LIT = dt.datetime(2026, 10, 15, 18, 0, tzinfo=dt.UTC)


def _light(client, memorial, **overrides):
    data = {"name": "Sam", "show_name": "on", "message": "", "burn_time": "week"}
    url = reverse("tributes:memorial_candle_light", args=[memorial.slug])
    return client.post(url, {**data, **overrides})


@pytest.mark.parametrize(
    ("burn_time", "burns_for"),
    [
        ("hour", dt.timedelta(hours=1)),
        ("day", dt.timedelta(days=1)),
        ("week", dt.timedelta(weeks=1)),
        ("year", dt.timedelta(days=365)),
    ],
)
def test_a_candle_burns_for_the_chosen_time(client, memorial, burn_time, burns_for):
    with time_machine.travel(LIT, tick=False):
        response = _light(client, memorial, burn_time=burn_time)
    assert response.status_code == 302
    assert Candle.objects.get().burns_until == LIT + burns_for


def test_a_candle_lit_always_never_goes_out(client, memorial):
    with time_machine.travel(LIT, tick=False):
        _light(client, memorial, burn_time="always")
    candle = Candle.objects.get()
    assert candle.burns_until is None
    assert candle.is_burning(at=LIT + dt.timedelta(days=3650))


def test_a_candle_burns_until_its_time_and_then_stays_as_a_dated_record(client, memorial):
    with time_machine.travel(LIT, tick=False):
        _light(client, memorial, burn_time="week")
        page = client.get(memorial.get_absolute_url()).content.decode()
    assert "Thank you. Your candle is lit on this page." in page
    assert "1 candle is burning for Teddy Ashby." in page
    assert "Lit by Sam on 15 October 2026, burning until 22 October 2026" in page
    with time_machine.travel(LIT + dt.timedelta(weeks=1) - dt.timedelta(seconds=1), tick=False):
        assert Candle.objects.burning().count() == 1
    with time_machine.travel(LIT + dt.timedelta(weeks=1), tick=False):
        assert Candle.objects.burning().count() == 0
        assert Candle.objects.gone_out().count() == 1
        page = client.get(memorial.get_absolute_url()).content.decode()
    assert "0 candles are burning for Teddy Ashby." in page
    assert "Lit by Sam on 15 October 2026, went out on 22 October 2026" in page


def test_a_hidden_name_shows_as_someone(client, memorial):
    CandleFactory(memorial=memorial, name="Private Person", show_name=False)
    page = client.get(memorial.get_absolute_url()).content.decode()
    assert "Lit by Someone" in page
    assert "Private Person" not in page


def test_a_missing_name_is_explained_and_the_message_is_kept(client, memorial):
    response = _light(client, memorial, name=" ", message="Always in our hearts")
    assert response.status_code == 400
    page = response.content.decode()
    assert "This field is required." in page
    assert "Always in our hearts" in page


def test_strangers_cannot_light_a_candle_on_a_private_memorial(client, stranger, private_memorial):
    client.force_login(stranger)
    assert _light(client, private_memorial).status_code == 404
    assert not Candle.objects.exists()
