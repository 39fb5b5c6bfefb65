"""Spam screening in the real tribute and comment views, on a memorial that publishes at once.

On an OPEN memorial a clean message is published at once, so a message held by the screening
really waits: it is pending, with its reasons, and not on the memorial page.
"""

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.support.broken_cache import BROKEN_CACHES
from tests.support.factories import MemorialFactory, TributeFactory
from tests.support.posting import post_comment, post_tribute, write_tribute_url
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
        # A quoted name may hold an "@" of its own: the domain is what follows the last one.
        (
            {"message": "Thinking of you.", "author_email": '"sam@home"@spammy.example'},
            "blocked_email",
        ),
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


START = dt.datetime(2026, 10, 15, 18, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("opened", "reasons"),
    [
        (dt.timedelta(seconds=3), []),
        (dt.timedelta(hours=48), []),
        (dt.timedelta(hours=48, seconds=1), ["form_old"]),
    ],
    ids=["3s", "48h", "48h-1s"],
)
def test_the_production_limits_of_a_forms_age_hold_only_beyond_them(
    client, open_memorial, opened, reasons
):
    # A still clock: the age is exactly `opened`, at the limits SPAM_FORM_MIN_SECONDS (3) and
    # SPAM_FORM_MAX_AGE_HOURS (48).
    with time_machine.travel(START, tick=False) as clock:
        started = screening.form_started_token()
        clock.shift(opened)
        post_tribute(client, open_memorial, **{screening.STARTED_FIELD: started})
    tribute = Tribute.objects.get()
    assert tribute.hold_reasons == reasons
    assert tribute.status == (Status.PENDING if reasons else Status.APPROVED)


def test_the_forms_timestamp_is_a_hidden_field_not_a_box_to_fill_in(client, open_memorial):
    html = client.get(write_tribute_url(open_memorial)).text
    [started] = re.findall(rf'<input [^>]*name="{screening.STARTED_FIELD}"[^>]*>', html)
    assert 'type="hidden"' in started


def test_the_same_words_again_from_one_visitor_are_kept_once_and_they_are_told_why(
    client, open_memorial
):
    words = "Sending so much love to you all"
    assert post_tribute(client, open_memorial, author_name="Sam", message=words).status_code == 302

    # The same visitor, signing with their full name this time.
    again = post_tribute(client, open_memorial, author_name="Sam Carter", message=words)

    assert again.status_code == 200
    assert "You sent these same words here a moment ago, and they are kept." in again.text
    assert words in again.text
    assert Tribute.objects.count() == 1
    # Another mourner may write the very same words.
    assert post_tribute(Client(), open_memorial, message=words).status_code == 302
    assert Tribute.objects.count() == 2


def test_while_the_cache_is_down_tributes_are_still_taken_and_screened(
    client, open_memorial, settings
):
    BlockedTerm.objects.create(kind=BlockedTerm.Kind.WORD, value="casino")
    settings.CACHES = BROKEN_CACHES

    # Nothing can say whether these words were sent a moment ago: they are taken, not refused.
    assert post_tribute(client, open_memorial, message="We miss you.").status_code == 302
    assert post_tribute(Client(), open_memorial, message="Casino tonight").status_code == 302

    clean, held = Tribute.objects.order_by("created_at")
    assert (clean.status, held.status) == (Status.APPROVED, Status.PENDING)
    assert held.hold_reasons == ["blocked_word"]


def test_a_word_blocked_in_the_admin_holds_the_very_next_post(client, open_memorial, moderator):
    # A first tribute: the blocked list (empty) is read and kept in the cache.
    assert (
        post_tribute(client, open_memorial, message="Casino nights with Teddy").status_code == 302
    )
    admin = Client()
    admin.force_login(moderator)
    added = admin.post(
        reverse("admin:tributes_blockedterm_add"), {"kind": "word", "value": "casino"}
    )
    assert added.status_code == 302

    post_tribute(Client(), open_memorial, message="Casino bonus, click now")

    first, second = Tribute.objects.order_by("created_at")
    assert (first.status, second.status) == (Status.APPROVED, Status.PENDING)
    assert second.hold_reasons == ["blocked_word"]


def test_the_memorial_pages_tribute_form_is_timed_from_when_each_visitor_opens_it(open_memorial):
    with time_machine.travel(START, tick=False) as clock:
        # The first visitor's page is drawn, and its tribute form kept for the next visitors.
        assert Client().get(open_memorial.get_absolute_url()).status_code == 200
        clock.shift(dt.timedelta(hours=49))
        visitor = Client()
        html = visitor.get(open_memorial.get_absolute_url()).text
        [started] = re.findall(rf'name="{screening.STARTED_FIELD}" value="([^"]+)"', html)
        clock.shift(dt.timedelta(minutes=1))
        post_tribute(visitor, open_memorial, **{screening.STARTED_FIELD: started})
    tribute = Tribute.objects.get()
    assert (tribute.status, tribute.hold_reasons) == (Status.APPROVED, [])


def test_a_visitor_who_corrects_a_refused_form_quickly_is_not_held_as_too_fast(
    client, open_memorial
):
    with time_machine.travel(START, tick=False) as clock:
        started = screening.form_started_token()
        clock.shift(dt.timedelta(minutes=2))
        refused = post_tribute(
            client, open_memorial, author_name="", **{screening.STARTED_FIELD: started}
        )
        assert "Please tell the family your name." in refused.text
        # The page shown again still carries the time the form was first opened.
        [kept] = re.findall(rf'name="{screening.STARTED_FIELD}" value="([^"]+)"', refused.text)
        clock.shift(dt.timedelta(seconds=2))
        post_tribute(client, open_memorial, author_name="Sam", **{screening.STARTED_FIELD: kept})
    tribute = Tribute.objects.get()
    assert (tribute.status, tribute.hold_reasons) == (Status.APPROVED, [])


def test_a_word_blocked_by_another_web_process_holds_posts_here_within_seconds(open_memorial):
    with time_machine.travel(START, tick=False) as clock:
        assert post_tribute(Client(), open_memorial, message="Casino nights").status_code == 302
        # Saved by another process: this one's signal never ran, its cached list is unchanged.
        BlockedTerm.objects.bulk_create([BlockedTerm(kind=BlockedTerm.Kind.WORD, value="casino")])
        clock.shift(dt.timedelta(seconds=6))
        post_tribute(Client(), open_memorial, message="Casino bonus, click now")
    first, second = Tribute.objects.order_by("created_at")
    assert (first.status, second.status) == (Status.APPROVED, Status.PENDING)
    assert second.hold_reasons == ["blocked_word"]
