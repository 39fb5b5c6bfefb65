"""Candles lit on a memorial at any time: they burn for a chosen time and stay as dated records."""

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tests.support.factories import CandleFactory
from tributes.models import Candle
from tributes.security import tokens

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


def test_the_same_form_sent_twice_lights_one_candle(client, memorial):
    page = client.get(memorial.get_absolute_url()).content.decode()
    form = page[page.index('id="light-a-candle"') :]
    key = re.search(r'name="submission_key" value="([^"]+)"', form).group(1)
    with time_machine.travel(LIT, tick=False):
        # A double click, or the browser resending after a dropped connection.
        first = _light(client, memorial, submission_key=key)
        second = _light(client, memorial, submission_key=key)
    assert first.status_code == second.status_code == 302
    assert Candle.objects.count() == 1
    # A new form from the same visitor is a new candle: on a memorial there may be many.
    with time_machine.travel(LIT, tick=False):
        _light(client, memorial, submission_key=tokens.new_submission_key())
    assert Candle.objects.count() == 2


def test_the_candle_form_and_the_tribute_form_on_one_page_keep_their_labels_apart(client, memorial):
    page = client.get(memorial.get_absolute_url()).content.decode()
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    form = page[page.index('id="light-a-candle"') :].split("</form>")[0]
    for label in ("Name on your candle", "A few words with your candle (optional)"):
        target = re.search(rf'<label\s+for="([^"]+)"[^>]*>\s*{re.escape(label)}', form).group(1)
        assert f'id="{target}"' in form


def test_a_candle_keeps_its_words_and_may_hide_its_name(client, memorial):
    with time_machine.travel(LIT, tick=False):
        _light(client, memorial, name="Aunt May", message="Sleep tight, little one.")
        _light(client, memorial, name="Quiet Friend", show_name="", message="Always with you.")
        page = Client().get(memorial.get_absolute_url()).content.decode()
    assert "Lit by Aunt May on 15 October 2026" in page
    assert "Sleep tight, little one." in page
    assert "Quiet Friend" not in page
    assert "Lit by Someone on 15 October 2026" in page and "Always with you." in page
