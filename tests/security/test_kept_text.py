"""What a visitor typed comes back to copy when a form cannot be accepted, and nothing else does.

Met through the real pages: the refused-form page (a post without a valid security token) gives
the words back, labelled, to copy; the 429 page gives them back in a form that sends them again.
"""

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client

from tests.support.factories import MemorialFactory
from tests.support.posting import post_tribute, tribute_payload, write_tribute_url
from tributes.models import ModerationMode

pytestmark = pytest.mark.django_db

POSTED = {
    "author_name": "Aunt May",
    "relationship": "his godmother",
    "message": "We miss you every single day.",
    "author_email": "may@example.org",
    "comment-body": "Sending love from Leeds.",
    "alt_text": "Teddy on the beach",
    "favourite_song": "Blackbird",
    "show_name": "on",
    "notify_me": "true",
    "hide_email": "false",
    "emblem": "",
    "next": "/memorials/teddy/",
    "idempotency_key": "5b1f4a9e-7a55-4d7e-9a57-0f0f7c1d2e11",
    "website": "http://bot.example",
    "form_started": "1760551205:signed",
    "password": "hunter2-secret",
    "reset_token": "tok-abc-123",
    "client_secret": "s3cr3t-xyz",
}


def kept_on_the_refused_page(data: dict, method: str = "post") -> list[tuple[str, str]]:
    client = Client(enforce_csrf_checks=True)
    response = getattr(client, method)("/memorials/teddy/", data, secure=True)
    assert response.status_code == 403
    return re.findall(
        r'<label class="form-label" for="kept-\d+">([^<]*)</label>\s*<textarea[^>]*>([^<]*)</textarea>',
        response.text,
    )


def test_the_refused_page_gives_back_each_of_the_visitors_words_under_its_own_label():
    assert kept_on_the_refused_page(POSTED) == [
        ("Your name", "Aunt May"),
        ("Your relationship", "his godmother"),
        ("Your words", "We miss you every single day."),
        ("Your email", "may@example.org"),
        ("Your comment", "Sending love from Leeds."),
        ("Description of the photo", "Teddy on the beach"),
        ("Favourite song", "Blackbird"),
    ]


@pytest.mark.parametrize("field", ["name", "body", "email"])
def test_the_candle_comment_and_reminder_fields_are_labelled_too(field):
    [(label, value)] = kept_on_the_refused_page({field: "Words of mine"})
    assert (label, value) == (
        {"name": "Your name", "body": "Your comment", "email": "Your email"}[field],
        "Words of mine",
    )


def test_the_refused_page_never_shows_passwords_tokens_or_the_forms_own_fields():
    client = Client(enforce_csrf_checks=True)
    page = client.post("/memorials/teddy/", POSTED, secure=True).text
    for hidden in [
        "hunter2-secret",
        "tok-abc-123",
        "s3cr3t-xyz",
        "http://bot.example",
        "1760551205:signed",
        "5b1f4a9e-7a55-4d7e-9a57-0f0f7c1d2e11",
        ">/memorials/teddy/<",
    ]:
        assert hidden not in page


def test_a_refused_page_with_nothing_typed_has_nothing_to_copy():
    client = Client(enforce_csrf_checks=True)
    page = client.post("/memorials/teddy/", {"message": "   ", "show_name": "on"}, secure=True).text
    assert "We could not accept this form" in page
    assert "What you wrote" not in page


@pytest.fixture
def open_memorial():
    return MemorialFactory(slug="open", moderation_mode=ModerationMode.OPEN)


@pytest.fixture
def frozen_clock():
    with time_machine.travel(dt.datetime(2026, 10, 15, 18, 0, 5, tzinfo=dt.UTC), tick=False):
        yield


def limited_post(client, memorial, **overrides):
    for n in range(5):
        post_tribute(client, memorial, message=f"Words number {n}")
    response = client.post(write_tribute_url(memorial), tribute_payload(**overrides))
    assert response.status_code == 429
    return response


def test_the_wait_page_sends_the_forms_hidden_values_again_but_no_secret(
    client, open_memorial, frozen_clock
):
    page = limited_post(
        client,
        open_memorial,
        message="Sixth words",
        reset_token="tok-abc-123",
        csrfmiddlewaretoken="the-old-pages-token",
    ).text
    assert "Sixth words</textarea>" in page
    # Each of the form's own fields once: none comes back a second time as a hidden copy.
    assert page.count('name="message"') == page.count('name="author_name"') == 1
    assert 'type="hidden" name="submission_key"' in page
    assert "tok-abc-123" not in page
    # A fresh security token, not the one the refused post carried.
    assert "the-old-pages-token" not in page
    assert page.count('name="csrfmiddlewaretoken"') == 1


def test_the_wait_page_asks_for_a_chosen_photo_again(client, open_memorial, frozen_clock):
    from tests.support.photos import jpeg, upload

    page = limited_post(client, open_memorial, photo_upload=upload(jpeg())).text
    assert "If you chose a photo, please choose it again before sending." in page
    without = limited_post(Client(), MemorialFactory(slug="other")).text
    assert "please choose it again" not in without


def test_the_words_after_a_ticked_box_come_back_too():
    # A browser sends the memorial candle form in its order: name, the "show my name" box, then
    # the message. The ticked box is no words of theirs, and the message after it is.
    posted = {"name": "Grandad Joe", "show_name": "on", "message": "Night night, little one."}
    assert kept_on_the_refused_page(posted) == [
        ("Your name", "Grandad Joe"),
        ("Your words", "Night night, little one."),
    ]
