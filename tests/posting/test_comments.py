import pytest
from django.urls import reverse

from tests.support.caches import start_cold
from tests.support.factories import CommentFactory, MemorialFactory, TributeFactory
from tests.support.posting import comment_payload, post_comment, private_token, write_comment_url
from tributes.models import Comment, Love, ModerationMode, Status, Tribute
from tributes.moderation import decisions

pytestmark = pytest.mark.django_db


def love_url(tribute) -> str:
    return reverse("tributes:send_love", kwargs={"slug": tribute.memorial.slug, "pk": tribute.pk})


def test_each_published_tribute_links_to_its_comment_page_without_a_form_of_its_own(
    client, memorial
):
    tribute = TributeFactory(memorial=memorial, author_name="Sam Carter")
    page = client.get(memorial.get_absolute_url()).text
    assert f'href="{write_comment_url(tribute)}"' in page
    assert "Write a comment" in page and "to Sam Carter" in page
    # The memorial page holds one writing form (the tribute's), not one per tribute.
    assert f'action="{write_comment_url(tribute)}"' not in page
    assert f'id="comment-{tribute.pk}-author_name"' not in page


def test_the_comment_page_has_a_labelled_form(client, memorial):
    tribute = TributeFactory(memorial=memorial)
    page = client.get(write_comment_url(tribute)).text
    assert f'action="{write_comment_url(tribute)}"' in page
    assert 'for="id_body"' in page and 'for="id_author_name"' in page


def test_a_comment_waits_for_approval_and_is_hidden(client, memorial):
    tribute = TributeFactory(memorial=memorial)
    response = post_comment(client, tribute, body="A comment still waiting")
    comment = Comment.objects.get()
    assert comment.status == Status.PENDING
    assert comment.tribute == tribute
    assert "A comment still waiting" not in client.get(memorial.get_absolute_url()).text
    thanks = client.get(response["Location"]).text
    assert "Thank you for your comment" in thanks
    assert private_token(response) in thanks


def test_an_approved_comment_appears_under_its_tribute(client, moderator, memorial):
    tribute = TributeFactory(memorial=memorial)
    post_comment(client, tribute, body="Thinking of you")
    decisions.approve(Comment.objects.get(), by=moderator)
    assert "Thinking of you" in client.get(memorial.get_absolute_url()).text


@pytest.mark.parametrize("status", [Status.PENDING, Status.REJECTED, Status.SPAM])
def test_nobody_can_comment_on_an_unpublished_tribute(client, memorial, status):
    tribute = TributeFactory(memorial=memorial, status=status)
    assert post_comment(client, tribute).status_code == 404
    assert not Comment.objects.exists()


def test_a_comment_cannot_reach_a_tribute_through_another_memorial(client, memorial):
    other_tribute = TributeFactory()
    url = reverse("tributes:write_comment", kwargs={"slug": memorial.slug, "pk": other_tribute.pk})
    assert client.post(url, comment_payload()).status_code == 404


def test_a_missing_comment_is_explained_and_the_name_kept(client, memorial):
    tribute = TributeFactory(memorial=memorial)
    response = post_comment(client, tribute, body="", author_name="Aunt Bea")
    assert response.status_code == 200
    assert "Please add a few words to your comment." in response.text
    assert 'value="Aunt Bea"' in response.text


def test_a_double_submitted_comment_is_saved_once(client, memorial):
    tribute = TributeFactory(memorial=memorial)
    payload = comment_payload()
    first = client.post(write_comment_url(tribute), payload)
    second = client.post(write_comment_url(tribute), payload)
    assert Comment.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_comments_follow_the_open_mode(client):
    tribute = TributeFactory(memorial=MemorialFactory(moderation_mode=ModerationMode.OPEN))
    post_comment(client, tribute, body="Published straight away")
    assert Comment.objects.get().status == Status.APPROVED


def test_visitors_cannot_comment_on_a_family_only_memorial(client):
    tribute = TributeFactory(memorial=MemorialFactory(moderation_mode=ModerationMode.FAMILY_ONLY))
    assert post_comment(client, tribute).status_code == 403
    assert not Comment.objects.exists()


def test_comment_html_is_shown_as_text(client, moderator, memorial):
    tribute = TributeFactory(memorial=memorial)
    post_comment(client, tribute, body="<b>bold</b><script>x()</script>")
    decisions.approve(Comment.objects.get(), by=moderator)
    page = client.get(memorial.get_absolute_url()).text
    assert "<script>x()" not in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page


def test_sending_love_counts_once_per_visitor(client, memorial):
    tribute = TributeFactory(memorial=memorial)
    first = client.post(love_url(tribute))
    client.post(love_url(tribute))
    assert first.status_code == 302
    assert first["Location"].endswith(f"#tribute-{tribute.pk}")
    tribute.refresh_from_db()
    assert tribute.love_count == 1
    assert Love.objects.count() == 1


def test_two_visitors_send_love_and_both_are_counted(client, memorial):
    from django.test import Client

    tribute = TributeFactory(memorial=memorial)
    client.post(love_url(tribute))
    Client().post(love_url(tribute))
    tribute.refresh_from_db()
    assert tribute.love_count == 2
    assert "2 people sent love" in client.get(memorial.get_absolute_url()).text


def test_after_sending_love_the_page_says_so_instead_of_the_button(client, memorial):
    tribute = TributeFactory(memorial=memorial)
    response = client.post(love_url(tribute), follow=True)
    assert "Your love has been sent to the family." in response.text
    assert "You sent your love." in response.text


def test_love_is_only_sent_with_a_post(client, memorial):
    tribute = TributeFactory(memorial=memorial)
    assert client.get(love_url(tribute)).status_code == 405
    assert Tribute.objects.get().love_count == 0


def test_love_cannot_be_sent_to_a_pending_tribute(client, memorial):
    tribute = TributeFactory(memorial=memorial, status=Status.PENDING)
    assert client.post(love_url(tribute)).status_code == 404


def test_love_is_never_stored_with_the_visitors_cookie_value(client, memorial):
    tribute = TributeFactory(memorial=memorial)
    response = client.post(love_url(tribute))
    cookie = response.cookies["visitor"].value
    assert Love.objects.get().visitor_key not in cookie


def test_published_comments_stay_flat_in_queries(
    client, memorial, django_assert_num_queries, django_assert_max_num_queries
):
    tribute = TributeFactory(memorial=memorial)
    CommentFactory.create_batch(2, tribute=tribute)
    with django_assert_max_num_queries(8) as few:
        client.get(memorial.get_absolute_url())
    for extra in TributeFactory.create_batch(4, memorial=memorial):
        CommentFactory.create_batch(3, tribute=extra)
    # Both requests find the page's shared parts (lists, candle counts) not yet cached.
    start_cold()
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(memorial.get_absolute_url())
