"""Lighting candles in an event: one per visitor, before/during/after, private memorials hidden."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from tests.support.factories import CandleEventFactory, CandleFactory, MemorialFactory
from tributes.models import Candle

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 10, 15, 18, 0, tzinfo=dt.UTC)  # 19:00 in London


def _light(client, event, **overrides):
    data = {"name": "Sam", "show_name": "on", "message": "For Teddy, with love."}
    return client.post(reverse("tributes:event_light", args=[event.slug]), {**data, **overrides})


def test_before_the_start_the_page_counts_down_and_the_family_candle_waits(client, event):
    with time_machine.travel(START - dt.timedelta(seconds=1), tick=False):
        response = client.get(event.get_absolute_url())
    page = response.content.decode()
    assert 'data-state="before"' in page
    assert "It will be lit at 19:00 UK time, and then you can light yours." in page
    assert "15 October 2026, 19:00" in page
    assert "UK time." in page


def test_the_page_shows_the_start_in_the_visitors_own_zone(client, event):
    client.cookies["tz"] = "America/New_York"
    with time_machine.travel(START - dt.timedelta(hours=2), tick=False):
        page = client.get(event.get_absolute_url()).content.decode()
    assert "15 October 2026, 14:00" in page
    assert "New York time" in page


def test_an_unknown_zone_cookie_falls_back_to_the_sites_zone(client, event):
    client.cookies["tz"] = "Mars/Olympus"
    with time_machine.travel(START - dt.timedelta(hours=2), tick=False):
        response = client.get(event.get_absolute_url())
    assert response.status_code == 200
    assert "Europe/London" in response.content.decode()


def test_a_candle_cannot_be_lit_one_second_before_the_start(client, event):
    with time_machine.travel(START - dt.timedelta(seconds=1), tick=False):
        response = _light(client, event)
    assert response.status_code == 302
    assert not Candle.objects.exists()
    with time_machine.travel(START - dt.timedelta(seconds=1), tick=False):
        page = client.get(response.url).content.decode()
    assert (
        '<p class="alert alert-info">Candles can be lit from the start time. Please come back '
        "then.</p>" in page
    )


def test_at_the_start_the_family_candle_is_lit_and_a_visitor_lights_theirs(client, event):
    with time_machine.travel(START, tick=False):
        page = client.get(event.get_absolute_url()).content.decode()
        assert 'data-state="live"' in page
        assert "It was lit at 19:00 UK time." in page
        response = _light(client, event)
        assert response.status_code == 302
        page = client.get(response.url).content.decode()
    candle = Candle.objects.get()
    assert candle.event == event and candle.memorial == event.memorial
    assert candle.lit_at == START
    assert candle.time_zone == "Europe/London"
    assert "Thank you. Your candle is lit, and everyone on this page can see it." in page
    assert "You lit it at 19:00 your time." in page
    assert "1 candle lit" in page


def test_a_second_try_says_the_candle_is_already_lit(client, event):
    with time_machine.travel(START + dt.timedelta(minutes=5), tick=False):
        _light(client, event)
        response = _light(client, event, name="Sam again")
        page = client.get(response.url).content.decode()
    assert Candle.objects.count() == 1
    assert "Your candle is already lit." in page


def test_two_visitors_each_light_one_candle(client, event):
    from django.test import Client

    with time_machine.travel(START + dt.timedelta(minutes=5), tick=False):
        _light(client, event)
        _light(Client(), event, name="Jo")
    assert sorted(Candle.objects.values_list("name", flat=True)) == ["Jo", "Sam"]


def test_after_the_end_no_candle_is_lit_and_the_record_stays(client, event):
    CandleFactory(event=event, memorial=event.memorial, name="Nana Jo", lit_at=START)
    CandleFactory(
        event=event, memorial=event.memorial, name="Hidden", show_name=False, lit_at=START
    )
    with time_machine.travel(START + dt.timedelta(hours=1), tick=False):
        _light(client, event)
        page = client.get(event.get_absolute_url()).content.decode()
    assert Candle.objects.count() == 2
    assert (
        '<p class="alert alert-info">This candle lighting has ended. Thank you for '
        "remembering.</p>" in page
    )
    assert "2 candles lit" in page
    assert "Nana Jo" in page
    assert "Hidden" not in page


def test_a_missing_name_is_explained_and_the_message_is_kept(client, event):
    with time_machine.travel(START + dt.timedelta(minutes=5), tick=False):
        response = _light(client, event, name="", message="Thinking of you all")
    assert response.status_code == 400
    page = response.content.decode()
    assert "This field is required." in page
    assert "Thinking of you all" in page
    assert not Candle.objects.exists()


def test_a_candle_can_be_dedicated_to_a_memorial_and_appears_there(client, memorial, wave_of_light):
    with time_machine.travel(START + dt.timedelta(minutes=5), tick=False):
        _light(client, wave_of_light, for_memorial=memorial.slug)
        page = client.get(memorial.get_absolute_url()).content.decode()
    assert Candle.objects.get().memorial == memorial
    assert "Lit by Sam on 15 October 2026" in page
    assert "during Wave of Light" in page


def test_a_link_to_the_wave_for_a_memorial_fills_in_the_dedication(client, memorial, wave_of_light):
    url = f"{wave_of_light.get_absolute_url()}?for={memorial.slug}"
    with time_machine.travel(START + dt.timedelta(minutes=5), tick=False):
        page = client.get(url).content.decode()
    [field] = re.findall(r'<input[^>]*name="for_memorial"[^>]*>', page)
    assert f'value="{memorial.slug}"' in field


def test_a_dedication_to_an_unknown_memorial_is_explained(client, wave_of_light):
    with time_machine.travel(START + dt.timedelta(minutes=5), tick=False):
        response = _light(client, wave_of_light, for_memorial="nobody-here")
    assert response.status_code == 400
    assert "We could not find a memorial at that address." in response.content.decode()


def test_a_floating_event_is_lit_in_the_visitors_zone(client, wave_of_light):
    # 10:30 UTC: 19:30 in Tokyo (lit), 11:30 in London (not yet).
    at = dt.datetime(2026, 10, 15, 10, 30, tzinfo=dt.UTC)
    client.cookies["tz"] = "Europe/London"
    with time_machine.travel(at, tick=False):
        _light(client, wave_of_light)
    assert not Candle.objects.exists()
    client.cookies["tz"] = "Asia/Tokyo"
    with time_machine.travel(at, tick=False):
        _light(client, wave_of_light)
    assert Candle.objects.get().time_zone == "Asia/Tokyo"


@pytest.mark.parametrize(
    "name", ["event", "event_status", "event_ics", "event_wave", "event_light", "event_remind"]
)
def test_everything_of_a_private_memorials_event_is_hidden_from_strangers(
    client, stranger, private_memorial, name
):
    event = CandleEventFactory(memorial=private_memorial)
    url = reverse(f"tributes:{name}", args=[event.slug])
    client.force_login(stranger)
    response = client.post(url, {}) if name in {"event_light", "event_remind"} else client.get(url)
    assert response.status_code == 404


def test_the_family_sees_their_private_memorials_event(client, owner, private_memorial):
    event = CandleEventFactory(memorial=private_memorial)
    client.force_login(owner)
    assert client.get(event.get_absolute_url()).status_code == 200


def test_a_dedication_cannot_reach_a_private_memorial_of_someone_else(client, wave_of_light):
    from tributes.models import Visibility

    hidden = MemorialFactory(slug="hidden", visibility=Visibility.PRIVATE)
    with time_machine.travel(START + dt.timedelta(minutes=5), tick=False):
        response = _light(client, wave_of_light, for_memorial=hidden.slug)
    assert response.status_code == 400
    assert not Candle.objects.exists()


def test_the_zone_chooser_remembers_the_zone_in_a_cookie(client, event):
    response = client.post(
        reverse("tributes:choose_zone"),
        {"zone": "Asia/Tokyo", "next": event.get_absolute_url()},
    )
    assert response.status_code == 302
    assert response.url == event.get_absolute_url()
    assert response.cookies["tz"].value == "Asia/Tokyo"
    assert response.cookies["tz_chosen"].value == "1"


def test_the_zone_chooser_never_redirects_elsewhere(client):
    response = client.post(
        reverse("tributes:choose_zone"), {"zone": "Asia/Tokyo", "next": "https://evil.example/"}
    )
    assert response.url == "/"


def test_the_benchmarks_bare_view_is_not_a_route_of_the_site(client):
    assert client.post("/bench/insert-one-row/").status_code == 404


@pytest.mark.parametrize("name", ["event", "event_status", "event_ics", "event_light"])
def test_a_private_memorials_event_is_hidden_from_anonymous_visitors(
    client, private_memorial, name
):
    event = CandleEventFactory(memorial=private_memorial)
    url = reverse(f"tributes:{name}", args=[event.slug])
    response = client.post(url, {}) if name == "event_light" else client.get(url)
    assert response.status_code == 404


def test_a_dedication_may_be_the_memorials_whole_address(client, memorial, wave_of_light):
    address = f"https://memorial.example.org{memorial.get_absolute_url()}"
    with time_machine.travel(START + dt.timedelta(minutes=5), tick=False):
        _light(client, wave_of_light, for_memorial=address)
    assert Candle.objects.get().memorial == memorial


def test_a_first_candle_is_not_called_already_lit(client, event):
    with time_machine.travel(START + dt.timedelta(minutes=5), tick=False):
        response = _light(client, event)
        page = client.get(response.url).content.decode()
    assert "Thank you. Your candle is lit" in page
    assert "already lit" not in page


def test_the_family_may_dedicate_a_candle_to_their_own_private_memorial(
    client, owner, private_memorial, wave_of_light
):
    client.force_login(owner)
    with time_machine.travel(START + dt.timedelta(minutes=5), tick=False):
        response = _light(client, wave_of_light, for_memorial=private_memorial.slug)
    assert response.status_code == 302
    assert Candle.objects.get().memorial == private_memorial


def test_a_dedication_that_finds_nothing_says_how_to_fix_it(client, wave_of_light):
    with time_machine.travel(START + dt.timedelta(minutes=5), tick=False):
        response = _light(client, wave_of_light, for_memorial="https://example.org/m/nobody/")
    assert response.context["form"].errors["for_memorial"] == [
        "We could not find a memorial at that address. Please check it, or leave it empty."
    ]


def test_lighting_again_returns_the_candle_already_lit(event):
    from tributes.candles.lighting import light_event_candle

    def light(name):
        return light_event_candle(
            event=event,
            visitor_key="same-visitor",
            visitor_zone=event.zone,
            name=name,
            submission_key="",
            message="",
            show_name=True,
            dedicated_to=None,
        )

    with time_machine.travel(START + dt.timedelta(minutes=5), tick=False):
        first = light("Sam")
        again = light("Sam again")
    assert (first.already_lit, again.already_lit) == (False, True)
    assert first.candle == again.candle == Candle.objects.get()
    assert again.candle.name == "Sam"


def test_a_place_we_do_not_know_is_explained(client, event):
    response = client.post(
        reverse("tributes:choose_zone"),
        {"zone": "Atlantis", "next": event.get_absolute_url()},
        follow=True,
    )
    assert (
        '<p class="alert alert-info">We do not know that place. Please choose one of the places '
        "suggested.</p>" in response.content.decode()
    )


def test_a_visitor_who_hides_their_name_is_someone_to_everyone_else(client, event):
    from django.test import Client

    with time_machine.travel(START + dt.timedelta(minutes=5), tick=False):
        _light(client, event, name="Private Sam", show_name="")
        status = Client().get(reverse("tributes:event_status", args=[event.slug])).json()
    assert [candle["name"] for candle in status["candles"]] == ["Someone"]
    assert "Private Sam" not in str(status)


def test_a_candle_lit_in_one_event_does_not_stand_for_another(client, event, wave_of_light):
    with time_machine.travel(START + dt.timedelta(minutes=5), tick=False):
        _light(client, event)
        page = client.get(wave_of_light.get_absolute_url()).content.decode()
    assert "Your candle is lit" not in page
    assert f'action="{reverse("tributes:event_light", args=[wave_of_light.slug])}"' in page
