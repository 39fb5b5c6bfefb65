"""The posting service itself refuses comments and love on a tribute that is not on show.

The views only offer published tributes, but the service must not rely on them: a tribute
refused or held between the page loading and the post stays untouched.
"""

import pytest
from django.urls import reverse

from tests.support.factories import TributeFactory
from tests.support.posting import post_comment
from tributes.models import Comment, Love, ModerationMode, Status, Tribute
from tributes.posting import services as posting
from tributes.security import tokens

pytestmark = pytest.mark.django_db

NOT_ON_SHOW = [Status.PENDING, Status.REJECTED, Status.SPAM]


@pytest.mark.parametrize("status", NOT_ON_SHOW)
def test_the_service_refuses_a_comment_on_a_tribute_not_on_show(status):
    tribute = TributeFactory(status=status, memorial__moderation_mode=ModerationMode.OPEN)
    with pytest.raises(posting.PostingClosed):
        posting.post_comment(
            tribute=tribute,
            author_name="Jo",
            body="Thinking of you.",
            submission_key=tokens.new_submission_key(),
        )
    assert not Comment.objects.exists()


def test_the_service_accepts_a_comment_on_a_published_tribute():
    tribute = TributeFactory(status=Status.APPROVED, memorial__moderation_mode=ModerationMode.OPEN)
    posted = posting.post_comment(
        tribute=tribute,
        author_name="Jo",
        body="Thinking of you.",
        submission_key=tokens.new_submission_key(),
    )
    assert posted.item.tribute == tribute
    assert posted.item.status == Status.APPROVED


@pytest.mark.parametrize("status", NOT_ON_SHOW)
def test_the_service_refuses_love_for_a_tribute_not_on_show(status):
    tribute = TributeFactory(status=status)
    assert posting.send_love(tribute, visitor_key="someone") is False
    assert not Love.objects.exists()
    assert Tribute.objects.get().love_count == 0


def test_love_is_counted_once_per_visitor_on_a_published_tribute():
    tribute = TributeFactory(status=Status.APPROVED)
    assert posting.send_love(tribute, visitor_key="someone") is True
    assert posting.send_love(tribute, visitor_key="someone") is False
    assert posting.send_love(tribute, visitor_key="someone else") is True
    assert Tribute.objects.get().love_count == 2
    assert Love.objects.count() == 2


@pytest.mark.parametrize("status", NOT_ON_SHOW)
def test_the_urls_find_no_tribute_not_on_show_to_comment_on_or_love(client, status):
    tribute = TributeFactory(status=status, memorial__moderation_mode=ModerationMode.OPEN)
    assert post_comment(client, tribute).status_code == 404
    love = reverse("tributes:send_love", kwargs={"slug": tribute.memorial.slug, "pk": tribute.pk})
    assert client.post(love).status_code == 404
    assert not Comment.objects.exists()
    assert not Love.objects.exists()
