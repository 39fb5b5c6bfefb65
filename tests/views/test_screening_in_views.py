"""Spam screening in the real tribute and comment views, on a memorial that publishes at once.

On an OPEN memorial a clean message is published at once, so a message held by the screening
really waits: it is pending, with its reasons, and not on the memorial page.
"""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from tests.support.factories import MemorialFactory, TributeFactory
from tests.support.posting import post_comment, post_tribute
from tributes.models import BlockedTerm, Comment, ModerationMode, Status, Tribute
from tributes.moderation import screening

pytestmark = pytest.mark.django_db

TWO_LINKS = "Lovely words. See www.cheap-pills.example.com and http://spam.example.net/offer"


@pytest.fixture
def open_memorial(owner):
    return MemorialFactory(
        name="Open Memorial", slug="open", owners=[owner], moderation_mode=ModerationMode.OPEN
    )


@pytest.fixture
def published_tribute(open_memorial):
    return TributeFactory(memorial=open_memorial, status=Status.APPROVED)


def page(client, memorial) -> str:
    return client.get(memorial.get_absolute_url()).text


def test_a_clean_tribute_on_an_open_memorial_is_published_at_once(client, open_memorial):
    assert post_tribute(client, open_memorial, message="We miss you, Teddy.").status_code == 302
    assert Tribute.objects.get().status == Status.APPROVED
    assert "We miss you, Teddy." in page(client, open_memorial)


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"message": TWO_LINKS}, "links"),
        ({"message": "Buy casino chips now"}, "blocked_word"),
        ({"message": "Thinking of you.", "author_email": "sam@spammy.example"}, "blocked_email"),
    ],
)
def test_a_screened_tribute_waits_even_where_everything_is_published_at_once(
    client, open_memorial, overrides, reason
):
    BlockedTerm.objects.create(kind=BlockedTerm.Kind.WORD, value="casino")
    BlockedTerm.objects.create(kind=BlockedTerm.Kind.EMAIL_DOMAIN, value="spammy.example")
    assert post_tribute(client, open_memorial, **overrides).status_code == 302
    tribute = Tribute.objects.get()
    assert tribute.status == Status.PENDING
    assert tribute.hold_reasons == [reason]
    assert overrides["message"] not in page(client, open_memorial)


def opened_ago(delta: dt.timedelta) -> dict:
    with time_machine.travel(timezone.now() - delta):
        return {screening.STARTED_FIELD: screening.form_started_token()}


@pytest.mark.parametrize(
    ("opened", "reasons"),
    [
        (dt.timedelta(seconds=1), ["sent_quickly"]),
        (dt.timedelta(seconds=5), []),
        (dt.timedelta(hours=47), []),
        (dt.timedelta(hours=49), ["form_old"]),
    ],
    ids=["1s", "5s", "47h", "49h"],
)
def test_a_tribute_sent_within_seconds_or_days_after_opening_the_form_waits(
    client, open_memorial, opened, reasons
):
    response = post_tribute(client, open_memorial, message="Our words", **opened_ago(opened))
    assert response.status_code == 302
    tribute = Tribute.objects.get()
    assert tribute.hold_reasons == reasons
    assert tribute.status == (Status.PENDING if reasons else Status.APPROVED)


def test_a_clean_comment_on_an_open_memorial_is_published_at_once(client, published_tribute):
    assert post_comment(client, published_tribute, body="Sending love.").status_code == 302
    assert Comment.objects.get().status == Status.APPROVED


def test_a_comment_with_links_waits_even_where_everything_is_published_at_once(
    client, published_tribute
):
    assert post_comment(client, published_tribute, body=TWO_LINKS).status_code == 302
    comment = Comment.objects.get()
    assert comment.status == Status.PENDING
    assert comment.hold_reasons == ["links"]
    assert TWO_LINKS not in page(client, published_tribute.memorial)


def test_a_comment_with_a_blocked_word_waits(client, published_tribute):
    BlockedTerm.objects.create(kind=BlockedTerm.Kind.WORD, value="casino")
    assert post_comment(client, published_tribute, body="Casino tonight").status_code == 302
    assert Comment.objects.get().status == Status.PENDING
    assert Comment.objects.get().hold_reasons == ["blocked_word"]


def test_the_honeypot_refuses_a_comment_and_keeps_nothing(client, published_tribute):
    response = post_comment(
        client, published_tribute, **{screening.HONEYPOT_FIELD: "http://bot.example"}
    )
    assert response.status_code == 200
    assert not Comment.objects.exists()
