"""A first-time visitor's double click or resend makes one row: the form's own key decides.

The visitor cookie only arrives with the first answer, so two copies of one form sent before it
carry no cookie. Their visitor is then made from the form's submission key, and a memorial
candle's row keeps that key: a second copy finds what the first made (issue 13, item 5).
"""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tests.support.factories import TributeFactory
from tributes.models import Candle, Love, Tribute
from tributes.security import tokens

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 10, 15, 18, 0, tzinfo=dt.UTC)


def _twice(url, data) -> list:
    """The same form sent twice by a browser that has no visitor cookie yet (both copies leave
    before the first answer)."""
    return [Client().post(url, data) for _ in range(2)]


def test_a_first_time_visitors_double_click_lights_one_event_candle(event):
    url = reverse("tributes:event_light", args=[event.slug])
    data = {
        "name": "Sam",
        "show_name": "on",
        "message": "",
        "submission_key": tokens.new_submission_key(),
    }
    with time_machine.travel(START + dt.timedelta(minutes=1), tick=False):
        first, second = _twice(url, data)
    assert first.status_code == second.status_code == 302
    assert Candle.objects.filter(event=event).count() == 1
    # Both answers give the browser the same visitor, who sees their one candle.
    assert first.cookies["visitor"].value == second.cookies["visitor"].value


def test_two_first_time_visitors_each_light_their_own_event_candle(event):
    url = reverse("tributes:event_light", args=[event.slug])
    with time_machine.travel(START + dt.timedelta(minutes=1), tick=False):
        for name in ("Sam", "Jo"):
            data = {"name": name, "show_name": "on", "submission_key": tokens.new_submission_key()}
            Client().post(url, data)
    assert Candle.objects.filter(event=event).count() == 2


def _memorial_candle(memorial, key: str) -> tuple[str, dict]:
    url = reverse("tributes:memorial_candle_light", kwargs={"slug": memorial.slug})
    return url, {"name": "Sam", "show_name": "on", "burn_time": "day", "submission_key": key}


def test_a_first_time_visitors_memorial_candle_form_sent_twice_lights_one_candle(memorial):
    _twice(*_memorial_candle(memorial, tokens.new_submission_key()))
    assert Candle.objects.filter(memorial=memorial).count() == 1


def test_a_returning_visitors_memorial_candle_form_sent_twice_lights_one_candle(client, memorial):
    client.post(*_memorial_candle(memorial, tokens.new_submission_key()))
    assert "visitor" in client.cookies
    url, data = _memorial_candle(memorial, tokens.new_submission_key())
    assert [client.post(url, data).status_code for _ in range(2)] == [302, 302]
    assert Candle.objects.filter(memorial=memorial).count() == 2


def test_a_new_memorial_candle_form_lights_another_candle(client, memorial):
    for _ in range(2):
        client.post(*_memorial_candle(memorial, tokens.new_submission_key()))
    assert Candle.objects.filter(memorial=memorial).count() == 2


def test_a_first_time_visitors_double_click_sends_love_once(memorial):
    tribute = TributeFactory(memorial=memorial)
    page = Client().get(memorial.get_absolute_url()).content.decode()
    assert 'name="submission_key"' in page
    url = reverse("tributes:send_love", kwargs={"slug": memorial.slug, "pk": tribute.pk})
    _twice(url, {"page": "1", "submission_key": tokens.new_submission_key()})
    assert Love.objects.count() == 1
    tribute = Tribute.objects.get(pk=tribute.pk)
    assert tribute.love_count == 1
