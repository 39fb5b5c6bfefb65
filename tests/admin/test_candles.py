"""Families schedule candle events in the admin, on their own memorials only."""

import pytest
from django.urls import reverse

from tests.support.factories import MemorialFactory, UserFactory
from tributes.models import CandleEvent

pytestmark = pytest.mark.django_db


def _payload(memorial, **overrides):
    data = {
        "memorial": memorial.pk if memorial else "",
        "title": "Candles for Teddy",
        "slug": "",
        "message": "Tonight at 7pm we will light a candle.",
        "local_date": "2026-10-15",
        "local_time": "19:00",
        "time_zone": "",
        "duration": "01:00:00",
    }
    return {**data, **overrides}


ADD_URL = reverse("admin:tributes_candleevent_add")


def test_a_family_schedules_an_event_in_their_memorials_zone(family_client, memorial):
    memorial.time_zone = "America/New_York"
    memorial.save()
    response = family_client.post(ADD_URL, _payload(memorial))
    assert response.status_code == 302, response.context_data["adminform"].form.errors
    event = CandleEvent.objects.get()
    assert event.time_zone == "America/New_York"
    assert event.created_by.username == "claire"
    assert event.starts_at.isoformat() == "2026-10-15T23:00:00+00:00"


def test_a_time_skipped_by_the_clocks_is_refused_with_a_clear_message(family_client, memorial):
    response = family_client.post(
        ADD_URL, _payload(memorial, local_date="2026-03-29", local_time="01:30")
    )
    assert response.status_code == 200
    assert "does not exist in UK time that day: the clocks go forward" in (
        response.content.decode()
    )
    assert not CandleEvent.objects.exists()


def test_a_family_cannot_add_an_event_to_someone_elses_memorial(family_client):
    other = MemorialFactory(owners=[UserFactory(username="someone-else")])
    response = family_client.post(ADD_URL, _payload(other))
    assert response.status_code == 200
    assert not CandleEvent.objects.exists()


def test_a_family_cannot_add_a_site_wide_or_floating_event(family_client):
    response = family_client.post(ADD_URL, _payload(None, is_floating="on"))
    assert response.status_code == 200
    assert not CandleEvent.objects.exists()


def test_a_moderator_adds_a_floating_site_wide_event(client, moderator):
    client.force_login(moderator)
    response = client.post(ADD_URL, _payload(None, title="Wave of Light", is_floating="on"))
    assert response.status_code == 302, response.context_data["adminform"].form.errors
    event = CandleEvent.objects.get()
    assert event.is_floating and event.memorial is None and event.starts_at is None
