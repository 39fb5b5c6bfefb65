"""The author's private link: 256 bits in 43 URL-safe characters, nothing a link could lose."""

import hashlib
import re
import uuid

import pytest
from django import forms

from tests.support.factories import TributeFactory
from tests.support.posting import post_tribute, private_token, write_tribute_url
from tributes.models import Tribute
from tributes.security.tokens import SubmissionKeyMixin, is_submission_key

pytestmark = pytest.mark.django_db


def test_the_private_link_is_43_url_safe_characters_and_opens_the_tribute(client, memorial):
    response = post_tribute(client, memorial, message="For Teddy, always.")
    token = private_token(response)
    # No "=" padding: links in emails and messages are cut or re-encoded at an "=".
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token), token
    assert "For Teddy, always." in client.get(response["Location"]).text


# What an earlier release derived from one submission key, under one secret key: a tribute it
# saved, and the private link it gave the author.
SECRET_KEY = "known-answers-of-the-memorial-tests-0123456789"
SUBMISSION_KEY = "hS3v9xQ2mZ7pL0kR4tY8wB1nC6dF5gJ3aE2uI9oP7sT"
IDEMPOTENCY_KEY = uuid.UUID("493cf4aa-a934-2ca4-65df-4db73e37da45")
PRIVATE_TOKEN = "Jd44G7JS5QN9a8Yo9j725sFUi4lHCAaYE93-Jy1-yX8"


def test_a_form_sent_before_an_upgrade_and_again_after_finds_its_tribute_and_link(
    client, memorial, settings
):
    settings.SECRET_KEY = SECRET_KEY
    saved = TributeFactory(
        memorial=memorial,
        author_name="Sam Carter",
        message="Thinking of you all tonight.",
        idempotency_key=IDEMPOTENCY_KEY,
        edit_token_hash=hashlib.sha256(PRIVATE_TOKEN.encode()).hexdigest(),
    )
    response = post_tribute(
        client,
        memorial,
        author_name="Sam Carter",
        message="Thinking of you all tonight.",
        submission_key=SUBMISSION_KEY,
    )
    assert Tribute.objects.get() == saved
    assert private_token(response) == PRIVATE_TOKEN


class WordsForm(SubmissionKeyMixin, forms.Form):
    message = forms.CharField()


@pytest.mark.parametrize("sent", ["", "too-short", "x" * 42 + "!"], ids=["missing", "short", "odd"])
def test_a_missing_or_damaged_submission_key_is_replaced_by_a_fresh_one(sent):
    form = WordsForm({"message": "Rest well", "submission_key": sent})
    assert form.is_valid()
    assert is_submission_key(form.cleaned_data["submission_key"])


def test_a_sound_submission_key_is_kept():
    form = WordsForm({"message": "Rest well", "submission_key": SUBMISSION_KEY})
    assert form.is_valid()
    assert form.cleaned_data["submission_key"] == SUBMISSION_KEY


def test_every_showing_of_a_form_carries_a_fresh_submission_key(client, memorial):
    def key_on_the_page():
        page = client.get(write_tribute_url(memorial)).text
        return re.search(r'name="submission_key" value="([^"]*)"', page).group(1)

    first, second = key_on_the_page(), key_on_the_page()
    assert is_submission_key(first) and is_submission_key(second)
    assert first != second
