"""Odd or hostile input gets a kind 400 or a form error, never a 500 (issue 13, item 7)."""

import pytest
from django.urls import reverse

from tests.admin.test_candles import ADD_URL, _payload
from tributes.models import CandleEvent

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("next_", ["home", "tributes:home", "", "//evil.example/"])
def test_choosing_a_zone_with_a_next_that_is_not_a_path_goes_home(visitor, next_):
    response = visitor.post(
        reverse("tributes:choose_zone"), {"zone": "Europe/Paris", "next": next_}
    )
    assert response.status_code == 302
    assert response.url == "/"
    assert response.cookies["tz"].value == "Europe/Paris"


def test_choosing_a_zone_returns_to_the_page_it_was_chosen_on(visitor, memorial):
    page = memorial.get_absolute_url()
    response = visitor.post(reverse("tributes:choose_zone"), {"zone": "Europe/Paris", "next": page})
    assert response.url == page


def test_an_admin_login_with_a_very_long_username_is_a_form_error(client):
    url = reverse("admin:login")
    response = client.post(url, {"username": "a" * 300, "password": "guess"})
    assert response.status_code == 200
    assert "Ensure this value has at most 150 characters" in response.content.decode()


@pytest.mark.parametrize("changelist", ["tributes_tribute", "tributes_comment"])
def test_a_nul_in_an_admin_filter_is_a_kind_400(client, moderator, changelist):
    client.force_login(moderator)
    url = reverse(f"admin:{changelist}_changelist")
    response = client.get(url + "?status__exact=%00")
    assert response.status_code == 400
    assert "We could not read what was sent" in response.content.decode()


def test_a_candle_event_ending_past_the_year_9999_is_a_form_error(family_client, memorial):
    data = _payload(memorial, local_date="9999-12-31", local_time="23:00", duration="02:00:00")
    response = family_client.post(ADD_URL, data)
    assert response.status_code == 200
    assert "end before the year 9999" in response.content.decode()
    assert not CandleEvent.objects.exists()
