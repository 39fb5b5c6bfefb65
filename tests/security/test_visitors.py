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


def _send_love(client, tribute):
    url = reverse("tributes:send_love", kwargs={"slug": tribute.memorial.slug, "pk": tribute.pk})
    return client.post(url, {"submission_key": tokens.new_submission_key()})


def test_the_visitor_cookie_is_kept_for_a_year_out_of_reach_of_scripts(memorial, settings):
    settings.SESSION_COOKIE_SECURE = True
    cookie = _send_love(Client(), TributeFactory(memorial=memorial)).cookies["visitor"]
    assert cookie["max-age"] == 365 * 24 * 60 * 60
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["secure"] is True


def test_a_visitor_is_recognised_for_a_year_and_then_is_someone_new(memorial):
    tribute = TributeFactory(memorial=memorial)
    visitor = Client()
    with time_machine.travel(START, tick=False) as clock:
        _send_love(visitor, tribute)
        first_cookie = visitor.cookies["visitor"].value
        clock.shift(dt.timedelta(days=364))
        response = _send_love(visitor, tribute)
        # Still the same visitor: no new cookie, and one love.
        assert "visitor" not in response.cookies
        assert Love.objects.count() == 1
        clock.shift(dt.timedelta(days=2))
        # A browser that kept the cookie past its year: its signature is too old to be taken.
        visitor.cookies["visitor"] = first_cookie
        response = _send_love(visitor, tribute)
        assert "visitor" in response.cookies
        assert Love.objects.count() == 2
