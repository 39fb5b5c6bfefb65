import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from tests.support.factories import CommentFactory, MemorialFactory, TributeFactory
from tests.support.posting import post_comment, post_tribute, private_token, run_due_tasks
from tributes.models import Comment, ModerationMode, Photo, Status, Tribute
from tributes.moderation import decisions

pytestmark = pytest.mark.django_db


def your_tribute(token) -> str:
    return reverse("tributes:your_tribute", kwargs={"token": token})


def delete_tribute(token) -> str:
    return reverse("tributes:delete_your_tribute", kwargs={"token": token})


def assert_private(response):
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"


@pytest.fixture
def posted(client, memorial):
    response = post_tribute(client, memorial, message="My first words")
    return Tribute.objects.get(), private_token(response)


def test_the_private_link_opens_the_authors_page_privately(client, posted):
    tribute, token = posted
    response = client.get(your_tribute(token))
    assert response.status_code == 200
    assert "My first words" in response.text
    assert "Change your tribute" in response.text
    assert_private(response)


def test_a_wrong_link_opens_nothing_and_says_so_gently(client, posted):
    _, token = posted
    for wrong in [token[:-1] + ("A" if token[-1] != "A" else "B"), "x", "a" * 500]:
        response = client.get(your_tribute(wrong))
        assert response.status_code == 404
        assert "This link does not open anything" in response.text
        assert_private(response)
        assert client.post(delete_tribute(wrong)).status_code == 404
    assert Tribute.objects.exists()


def test_one_authors_link_never_opens_anothers_words(client, memorial, posted):
    _, token = posted
    other = post_tribute(client, memorial, message="Someone else")
    page = client.get(your_tribute(token)).text
    assert "Someone else" not in page
    assert private_token(other) != token


def test_an_author_edits_and_a_published_tribute_waits_again(client, moderator, posted):
    tribute, token = posted
    decisions.approve(tribute, by=moderator)
    response = client.post(
        your_tribute(token),
        {"author_name": "Sam Carter", "relationship": "", "message": "Changed words", "emblem": ""},
        follow=True,
    )
    assert "A moderator will read them before they appear" in response.text
    tribute.refresh_from_db()
    assert tribute.message == "Changed words"
    assert tribute.status == Status.PENDING
    assert "Changed words" not in client.get(tribute.memorial.get_absolute_url()).text


def test_an_edit_on_an_open_memorial_is_published_at_once(client):
    memorial = MemorialFactory(moderation_mode=ModerationMode.OPEN)
    token = private_token(post_tribute(client, memorial))
    response = client.post(
        your_tribute(token),
        {"author_name": "Sam", "relationship": "", "message": "Open edit", "emblem": ""},
        follow=True,
    )
    assert "Your changes are saved and published." in response.text
    assert "Open edit" in client.get(memorial.get_absolute_url()).text


def test_an_empty_edit_is_explained_and_keeps_what_was_typed(client, posted):
    tribute, token = posted
    response = client.post(
        your_tribute(token),
        {"author_name": "Sam, edited", "relationship": "", "message": "", "emblem": ""},
    )
    assert response.status_code == 200
    assert "Please add a few words to your tribute." in response.text
    assert 'value="Sam, edited"' in response.text
    assert_private(response)
    tribute.refresh_from_db()
    assert tribute.message == "My first words"


def test_deleting_removes_the_words_for_good_and_the_link_stops_working(client, posted):
    tribute, token = posted
    confirm = client.get(delete_tribute(token))
    assert "removed for good" in confirm.text
    assert_private(confirm)
    response = client.post(delete_tribute(token), follow=True)
    assert "Your words have been removed" in response.text
    assert not Tribute.objects.filter(pk=tribute.pk).exists()
    reused = client.get(your_tribute(token))
    assert reused.status_code == 404
    assert client.post(delete_tribute(token)).status_code == 404


def test_deleting_a_tribute_erases_its_photo_files(
    client, memorial, posted, django_capture_on_commit_callbacks
):
    tribute, token = posted
    names = [default_storage.save(f"photos/p-{w}.webp", ContentFile(b"webp")) for w in (400, 800)]
    photo = Photo.objects.create(
        memorial=memorial,
        width=800,
        height=600,
        renditions=[
            {"width": 400, "height": 300, "name": names[0]},
            {"width": 800, "height": 600, "name": names[1]},
        ],
    )
    tribute.photo = photo
    tribute.save()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(delete_tribute(token))
    assert not Photo.objects.filter(pk=photo.pk).exists()
    assert not any(default_storage.exists(name) for name in names)


def test_deleting_a_published_tribute_takes_it_off_the_memorial_page(client, moderator, posted):
    tribute, token = posted
    decisions.approve(tribute, by=moderator)
    client.post(delete_tribute(token))
    assert "My first words" not in client.get(tribute.memorial.get_absolute_url()).text


def test_a_comment_author_edits_and_deletes_with_their_own_link(client, moderator, memorial):
    tribute = TributeFactory(memorial=memorial)
    token = private_token(post_comment(client, tribute, body="First comment"))
    comment = Comment.objects.get()
    decisions.approve(comment, by=moderator)
    url = reverse("tributes:your_comment", kwargs={"token": token})
    page = client.get(url)
    assert_private(page)
    assert "First comment" in page.text
    client.post(url, {"author_name": "Jo", "body": "Second thoughts"})
    comment.refresh_from_db()
    assert (comment.body, comment.status) == ("Second thoughts", Status.PENDING)
    client.post(reverse("tributes:delete_your_comment", kwargs={"token": token}))
    assert not Comment.objects.exists()
    assert client.get(url).status_code == 404


def test_a_tribute_link_does_not_open_a_comment(client, memorial):
    tribute = TributeFactory(memorial=memorial)
    token = private_token(post_comment(client, tribute))
    assert client.get(your_tribute(token)).status_code == 404


def test_the_author_still_reaches_their_words_if_the_memorial_becomes_private(client, posted):
    tribute, token = posted
    memorial = tribute.memorial
    memorial.visibility = "private"
    memorial.save()
    assert client.get(your_tribute(token)).status_code == 200


def test_the_author_page_never_says_a_rejection(client, moderator, posted):
    tribute, token = posted
    decisions.reject(tribute, by=moderator, reason="abusive")
    page = client.get(your_tribute(token)).text
    assert "reject" not in page.lower()
    assert "abusive" not in page.lower()


def test_a_deleted_tribute_takes_the_comments_under_it(client, posted):
    tribute, token = posted
    CommentFactory(tribute=tribute)
    client.post(delete_tribute(token))
    assert not Comment.objects.exists()


def test_a_form_with_mistakes_opens_with_a_summary_linking_to_each_field(client, memorial):
    response = post_tribute(client, memorial, author_name="", message="")
    page = response.text
    summary = page[
        page.index("data-error-summary") : page.index("</ul>", page.index("data-error-summary"))
    ]
    assert 'href="#id_author_name">Please tell the family your name.</a>' in summary
    assert 'href="#id_message">Please add a few words to your tribute.</a>' in summary
    # The summary comes before the form, and each error is still beside its field.
    assert page.index("data-error-summary") < page.index('id="id_author_name"')
    assert page.count("Please add a few words to your tribute.") == 2


def test_the_thank_you_page_offers_next_steps_a_copy_button_and_the_edit_form_one_click_away(
    client, memorial
):
    response = post_tribute(client, memorial, message="My first words")
    page = client.get(response["Location"]).text
    assert "Thank you for your tribute" in page
    assert f'href="{memorial.get_absolute_url()}#light-a-candle"' in page
    assert "Light a candle for Teddy Ashby" in page
    assert "Back to the memorial to Teddy Ashby" in page
    assert "data-copy-button" in page and "Copy your private link" in page
    assert '<details class="edit-yours" aria-labelledby="edit-heading">' in page
    # Opened again later from the private link, the edit form is open at once.
    later = client.get(response["Location"].split("?")[0]).text
    assert '<details class="edit-yours" aria-labelledby="edit-heading" open>' in later


def test_the_private_link_emailed_to_the_author_opens_their_words(
    client, memorial, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_tribute(client, memorial, author_email="sam@example.org", message="Emailed words")
    run_due_tasks()
    [message] = mail.outbox
    [link] = re.findall(r"https?://\S+/your-tribute/\S+/", message.body)
    page = Client().get(urlsplit(link).path)
    assert page.status_code == 200
    assert "Emailed words" in page.text
