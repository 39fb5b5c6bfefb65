"""During a database outage a visitor gets a kind 503 with Retry-After, and their words back."""

import logging

import pytest
from django.urls import reverse

from tests.support.database import database_stopped
from tests.support.factories import MemorialFactory
from tests.support.posting import tribute_payload, write_tribute_url
from tributes.models import Tribute

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_tribute_posted_while_the_database_is_stopped_comes_back_to_send_again(client):
    memorial = MemorialFactory(slug="teddy")
    payload = tribute_payload(message="We will always remember his laugh.")
    with database_stopped():
        response = client.post(write_tribute_url(memorial), payload)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "Nothing has been saved yet, and nothing you wrote is lost." in page
    assert "We will always remember his laugh." in page
    # The same submission key travels with it, so sending it again cannot save it twice.
    assert payload["submission_key"] in page
    assert f'action="{write_tribute_url(memorial)}"' in page
    # Once the database is back, the button sends it.
    response = client.post(write_tribute_url(memorial), payload)
    assert response.status_code == 302
    assert Tribute.objects.get().message == "We will always remember his laugh."


def test_an_answer_during_an_outage_is_logged_once_with_its_reason(client, caplog):
    memorial = MemorialFactory(slug="teddy")
    with database_stopped():
        response = client.get(memorial.get_absolute_url())
    assert response.status_code == 503
    said = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.name for r in said] == ["tributes.security.middleware"]
    assert said[0].getMessage().startswith("database unavailable, answered 503: ")
    assert said[0].exc_info is None


def test_a_page_asked_for_while_the_database_is_stopped_is_a_kind_503(client):
    memorial = MemorialFactory(slug="teddy")
    with database_stopped():
        response = client.get(memorial.get_absolute_url())
        home = client.get(reverse("tributes:home"))
    assert response.status_code == 503
    assert home.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Please try again in a minute" in response.content.decode()


def test_a_signed_in_family_member_gets_the_same_kind_503(client, owner):
    # Their session and stored messages live in the database: the page must not ask for them.
    memorial = MemorialFactory(slug="teddy", owners=[owner])
    client.force_login(owner)
    with database_stopped():
        response = client.get(memorial.get_absolute_url())
    assert response.status_code == 503
    assert "Please try again in a minute" in response.text


def test_a_page_asked_for_during_an_outage_says_nothing_about_words_to_send_again(client):
    memorial = MemorialFactory(slug="teddy")
    with database_stopped():
        page = client.get(memorial.get_absolute_url()).text
    assert "This page cannot be shown at this moment" in page
    assert "Nothing has been saved yet" not in page
    assert "Send again" not in page


def test_a_tribute_sent_during_an_outage_comes_back_in_the_tribute_form_itself(client):
    memorial = MemorialFactory(slug="teddy")
    payload = tribute_payload(relationship="his godmother")
    with database_stopped():
        page = client.post(write_tribute_url(memorial), payload).text
    # The tribute form's own fields, filled in, not a list of text boxes.
    assert 'name="relationship"' in page
    assert 'value="his godmother"' in page
    assert 'name="photo_upload"' in page


def test_a_note_waiting_for_the_visitor_is_kept_for_after_an_outage(client):
    # The thank-you after lighting a candle waits for the next page. The 503 page shows no
    # stored note (reading them may ask the database): the note is shown once it is back.
    memorial = MemorialFactory(slug="teddy")
    light = reverse("tributes:memorial_candle_light", args=[memorial.slug])
    lit = client.post(light, {"name": "Sam", "show_name": "on", "message": "", "burn_time": "week"})
    assert lit.status_code == 302
    thanks = "Thank you. Your candle is lit on this page."
    with database_stopped():
        outage = client.get(memorial.get_absolute_url())
    assert outage.status_code == 503
    assert thanks not in outage.text
    assert thanks in client.get(memorial.get_absolute_url()).text
