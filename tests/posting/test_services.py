import pytest
from django.test import Client
from django.urls import reverse

from tests.support.caches import start_cold
from tests.support.factories import CommentFactory, MemorialFactory, TributeFactory
from tests.support.posting import (
    post_comment,
    post_directly,
    post_tribute,
    private_token,
    tribute_payload,
    write_tribute_url,
)
from tributes.models import (
    Comment,
    ModerationMode,
    RejectionReason,
    Status,
    Tribute,
    Visibility,
)
from tributes.moderation import decisions
from tributes.posting import services as posting
from tributes.security import tokens

pytestmark = pytest.mark.django_db


def memorial_page(client, memorial) -> str:
    return client.get(memorial.get_absolute_url()).text


def test_the_memorial_page_has_a_tribute_form_with_visible_labels(client, memorial):
    page = memorial_page(client, memorial)
    for label in ["Your name", "Your relationship", "Your tribute", "Emblem", "Your email"]:
        assert label in page
    assert 'name="submission_key"' in page
    assert "Leave your tribute" in page


def test_a_posted_tribute_waits_and_is_hidden_from_visitors(client, memorial):
    response = post_tribute(client, memorial, message="We will always remember Teddy.")
    assert response.status_code == 302
    tribute = Tribute.objects.get()
    assert tribute.status == Status.PENDING
    assert tribute.memorial == memorial
    assert "We will always remember Teddy." not in memorial_page(client, memorial)


def test_after_posting_the_page_says_what_happens_next_and_gives_the_private_link(client, memorial):
    response = post_tribute(client, memorial)
    page = client.get(response["Location"])
    assert "Thank you for your tribute" in page.text
    assert "will read it before it appears" in page.text
    assert private_token(response) in page.text


def test_every_emblem_can_be_chosen(client, memorial):
    for emblem in ["candle", "angel_wings", "yellow_rose", "heart", "ribbon", "star", ""]:
        # Each from another visitor: one visitor may only post a few tributes in ten minutes.
        post_tribute(Client(), memorial, emblem=emblem, message=f"With {emblem or 'no emblem'}")
    assert sorted(Tribute.objects.values_list("emblem", flat=True)) == sorted(
        ["candle", "angel_wings", "yellow_rose", "heart", "ribbon", "star", ""]
    )


def test_an_unknown_emblem_is_a_gentle_error_not_a_crash(client, memorial):
    response = post_tribute(client, memorial, emblem="skull", message="Kept words")
    assert response.status_code == 200
    assert "Kept words" in response.text
    assert not Tribute.objects.exists()


def test_a_missing_message_is_explained_next_to_the_field_and_keeps_what_was_typed(
    client, memorial
):
    response = post_tribute(client, memorial, message="   ", author_name="Grandma Rose")
    assert response.status_code == 200
    assert "Please add a few words to your tribute." in response.text
    assert 'value="Grandma Rose"' in response.text
    assert not Tribute.objects.exists()


def test_a_missing_name_is_explained(client, memorial):
    response = post_tribute(client, memorial, author_name="", message="Words to keep")
    assert "Please tell the family your name." in response.text
    assert "Words to keep" in response.text


def test_a_broken_email_is_explained_and_the_message_is_kept(client, memorial):
    response = post_tribute(client, memorial, author_email="sam@", message="Still here")
    assert "does not look complete" in response.text
    assert "Still here" in response.text


def test_asking_to_be_told_without_an_email_is_explained(client, memorial):
    response = post_tribute(client, memorial, notify_on_publish="on", author_email="")
    told = "Please add your email so that we can tell you when it is published."
    assert f'href="#id_author_email">{told}</a>' in response.text
    assert not Tribute.objects.exists()


def test_asking_to_be_told_with_an_email_is_kept_with_the_tribute(client, memorial):
    response = post_tribute(
        client, memorial, notify_on_publish="on", author_email="sam@example.org"
    )
    assert response.status_code == 302
    assert Tribute.objects.get().notify_on_publish is True


def test_a_message_that_is_too_long_is_explained_and_kept(client, memorial):
    response = post_tribute(client, memorial, message="a" * 10_001)
    assert response.status_code == 200
    assert "longer than we can keep" in response.text
    assert "a" * 10_001 in response.text


def test_a_null_character_is_an_error_not_a_crash(client, memorial):
    response = post_tribute(client, memorial, message="before\x00after")
    assert response.status_code == 200
    assert not Tribute.objects.exists()


def test_long_words_emoji_and_right_to_left_names_are_stored_exactly(client, moderator, memorial):
    word = "x" * 300
    message = f"🕯️ {word} 💛\nSecond line, with «quotes» and ünïcödé."
    name = "مريم الحسن"
    post_tribute(client, memorial, author_name=name, message=message)
    tribute = Tribute.objects.get()
    assert tribute.message == message
    assert tribute.author_name == name
    decisions.approve(tribute, by=moderator)
    page = memorial_page(client, memorial)
    assert word in page and name in page and "🕯️" in page


def test_html_and_script_in_every_field_are_shown_as_text(client, moderator, memorial):
    attack = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    post_tribute(client, memorial, author_name=attack, relationship=attack, message=attack)
    decisions.approve(Tribute.objects.get(), by=moderator)
    page = memorial_page(client, memorial)
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_a_double_submission_creates_one_tribute_and_gets_the_same_page(client, memorial):
    payload = tribute_payload(message="Only once, please.")
    first = client.post(write_tribute_url(memorial), payload)
    second = client.post(write_tribute_url(memorial), payload)
    assert Tribute.objects.count() == 1
    assert first["Location"] == second["Location"]
    assert client.get(second["Location"]).status_code == 200


def test_an_old_form_used_again_for_new_words_keeps_both(client, memorial):
    payload = tribute_payload(message="My first tribute.")
    client.post(write_tribute_url(memorial), payload)
    payload["message"] = "Something more I wanted to say."
    response = client.post(write_tribute_url(memorial), payload)
    assert Tribute.objects.count() == 2
    assert "Something more I wanted to say." in client.get(response["Location"]).text


def test_a_form_with_a_damaged_key_still_keeps_the_words(client, memorial):
    post_tribute(client, memorial, submission_key="not a key", message="Please keep this")
    assert Tribute.objects.get().message == "Please keep this"


def test_two_people_posting_the_same_words_without_a_key_each_keep_their_own(memorial):
    # The form gives a missing key a fresh one; any other caller of the service may send none.
    posts = [
        posting.post_tribute(
            memorial=memorial, author_name="Sam", message="Rest easy", submission_key=""
        )
        for _person in range(2)
    ]
    assert Tribute.objects.count() == 2
    assert posts[0].token != posts[1].token


def test_only_hashes_of_the_private_link_are_stored(client, memorial):
    response = post_tribute(client, memorial)
    token = private_token(response)
    tribute = Tribute.objects.get()
    assert len(token) >= 43  # 256 bits in URL-safe base64
    assert token not in tribute.edit_token_hash
    assert len(tribute.edit_token_hash) == 64


def test_open_memorials_publish_at_once(client):
    memorial = MemorialFactory(moderation_mode=ModerationMode.OPEN)
    response = post_tribute(client, memorial, message="Up straight away")
    assert "Up straight away" in memorial_page(client, memorial)
    assert "Your tribute is on the memorial page." in client.get(response["Location"]).text


def test_on_a_family_only_memorial_visitors_see_no_form_and_cannot_post(client):
    memorial = MemorialFactory(moderation_mode=ModerationMode.FAMILY_ONLY)
    assert "Leave your tribute" not in memorial_page(client, memorial)
    response = post_tribute(client, memorial)
    assert response.status_code == 403
    assert "Only the family writes here" in response.text
    assert not Tribute.objects.exists()


def test_on_a_family_only_memorial_an_owner_posts_and_is_published(client, owner):
    memorial = MemorialFactory(moderation_mode=ModerationMode.FAMILY_ONLY, owners=[owner])
    client.force_login(owner)
    post_tribute(client, memorial, message="From Mum")
    assert Tribute.objects.get().status == Status.APPROVED
    assert "From Mum" in memorial_page(client, memorial)


def test_nobody_can_post_on_a_private_memorial_they_cannot_see(client, stranger, private_memorial):
    assert post_tribute(client, private_memorial).status_code == 404
    client.force_login(stranger)
    assert post_tribute(client, private_memorial).status_code == 404
    assert not Tribute.objects.exists()


def test_the_write_page_works_on_its_own(client, memorial):
    response = client.get(write_tribute_url(memorial))
    assert response.status_code == 200
    assert "Write a tribute to Teddy Ashby" in response.text


def test_the_memorial_page_is_never_kept_by_shared_caches(client, memorial):
    response = client.get(memorial.get_absolute_url())
    assert "private" in response["Cache-Control"]


def test_an_unlisted_memorial_takes_tributes(client):
    memorial = MemorialFactory(visibility=Visibility.UNLISTED)
    post_tribute(client, memorial)
    assert Tribute.objects.filter(memorial=memorial).exists()


def test_the_memorial_page_query_count_stays_flat_for_a_returning_visitor(
    client, memorial, django_assert_num_queries, django_assert_max_num_queries
):
    first = TributeFactory(memorial=memorial)
    client.post(
        reverse("tributes:send_love", kwargs={"slug": memorial.slug, "pk": first.pk}),
    )
    TributeFactory.create_batch(2, memorial=memorial)
    with django_assert_max_num_queries(9) as few:
        client.get(memorial.get_absolute_url())
    TributeFactory.create_batch(8, memorial=memorial)
    # Both requests find the page's shared parts (lists, candle counts) not yet cached.
    start_cold()
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(memorial.get_absolute_url())


def test_the_same_words_sent_again_from_a_reloaded_form_are_saved_once(client, memorial):
    first = post_tribute(client, memorial, message="Sent from a page I reloaded")
    again = post_tribute(client, memorial, message="Sent from a page I reloaded")
    assert Tribute.objects.count() == 1
    assert first["Location"] == again["Location"]


def test_the_same_words_from_another_browser_are_another_persons_tribute(client, memorial):
    from django.test import Client

    first = post_tribute(client, memorial, message="Rest in peace")
    other = post_tribute(Client(), memorial, message="Rest in peace")
    assert Tribute.objects.count() == 2
    assert first["Location"] != other["Location"]


def test_the_same_words_an_hour_later_are_a_new_tribute(client, memorial):
    import datetime as dt

    import time_machine
    from django.utils import timezone

    now = timezone.now()
    with time_machine.travel(now, tick=False):
        post_tribute(client, memorial, message="Every year on this day")
    with time_machine.travel(now + dt.timedelta(hours=1, minutes=1), tick=False):
        post_tribute(client, memorial, message="Every year on this day")
    assert Tribute.objects.count() == 2


def test_the_recent_posts_cookie_is_private_to_the_memorial_pages(client, memorial):
    response = post_tribute(client, memorial)
    cookie = response.cookies["recent_posts"]
    assert cookie["httponly"]
    assert cookie["path"] == "/memorials/"
    assert cookie["samesite"] == "Lax"


def test_a_photo_sent_again_with_a_resent_form_is_not_kept_twice(memorial):
    from tributes.models import Photo
    from tributes.posting import services as posting

    key = tokens.new_submission_key()

    def send():
        photo = Photo.objects.create(memorial=memorial, width=10, height=10)
        return posting.post_tribute(
            memorial=memorial,
            author_name="Sam",
            message="With a photo",
            submission_key=key,
            photo=photo,
        )

    first, again = send(), send()
    assert again.item.pk == first.item.pk
    assert again.token == first.token
    assert list(Photo.objects.all()) == [first.item.photo]


def test_a_tribute_with_a_photo_keeps_a_clean_copy_described_by_its_author(client, memorial):
    from tests.support.photos import gps_exif, jpeg, upload

    post_tribute(
        client,
        memorial,
        message="A candle and a yellow rose",
        photo_upload=upload(jpeg(exif=gps_exif())),
        photo_description="A candle beside a yellow rose",
    )
    tribute = Tribute.objects.get(message="A candle and a yellow rose")
    assert tribute.photo.alt_text == "A candle beside a yellow rose"
    assert tribute.photo.memorial == memorial
    assert all(r["name"].endswith(".webp") for r in tribute.photo.renditions)


def test_a_tribute_photo_without_description_is_described_by_its_author(client, memorial):
    from tests.support.photos import jpeg, upload

    post_tribute(client, memorial, author_name="Sam", photo_upload=upload(jpeg()))
    assert Tribute.objects.get().photo.alt_text == "Photo shared by Sam"


def test_a_refused_photo_keeps_every_word_of_the_tribute(client, memorial):
    from tests.support.photos import upload

    response = post_tribute(
        client,
        memorial,
        message="Words that must not be lost",
        photo_upload=upload(b"<html><script>alert(1)</script></html>", name="photo.jpg"),
    )
    assert response.status_code == 200
    assert "Words that must not be lost" in response.text
    assert "We could not open this file as a photo." in response.text
    assert not Tribute.objects.exists()


def test_all_held_keeps_every_tribute_waiting():
    memorial = MemorialFactory(moderation_mode=ModerationMode.ALL_HELD)
    TributeFactory(memorial=memorial, author_email="sam@example.org")
    assert post_directly(memorial, email="sam@example.org").status == Status.PENDING


def test_first_time_held_keeps_a_new_writer_waiting():
    memorial = MemorialFactory(moderation_mode=ModerationMode.FIRST_TIME_HELD)
    assert post_directly(memorial, email="new@example.org").status == Status.PENDING
    assert post_directly(memorial).status == Status.PENDING


def test_first_time_held_publishes_a_writer_already_approved_on_this_memorial():
    memorial = MemorialFactory(moderation_mode=ModerationMode.FIRST_TIME_HELD)
    TributeFactory(memorial=memorial, author_email="Sam@Example.org")
    tribute = post_directly(memorial, email="sam@example.org")
    assert tribute.status == Status.APPROVED
    # Published at once, but a moderator has not read it yet.
    assert tribute.moderated_at is None


def test_first_time_held_counts_approved_comments_too():
    memorial = MemorialFactory(moderation_mode=ModerationMode.FIRST_TIME_HELD)
    CommentFactory(tribute=TributeFactory(memorial=memorial), author_email="jo@example.org")
    assert post_directly(memorial, email="jo@example.org").status == Status.APPROVED


def test_first_time_held_does_not_trust_approval_on_another_memorial():
    memorial = MemorialFactory(moderation_mode=ModerationMode.FIRST_TIME_HELD)
    TributeFactory(author_email="sam@example.org")
    assert post_directly(memorial, email="sam@example.org").status == Status.PENDING


def test_first_time_held_does_not_trust_rejected_posts():
    memorial = MemorialFactory(moderation_mode=ModerationMode.FIRST_TIME_HELD)
    TributeFactory(memorial=memorial, author_email="sam@example.org", status=Status.REJECTED)
    assert post_directly(memorial, email="sam@example.org").status == Status.PENDING


def test_open_mode_publishes_at_once_and_leaves_it_to_be_read():
    memorial = MemorialFactory(moderation_mode=ModerationMode.OPEN)
    tribute = post_directly(memorial)
    assert tribute.status == Status.APPROVED
    assert tribute.moderated_at is None


def test_family_only_refuses_visitors():
    memorial = MemorialFactory(moderation_mode=ModerationMode.FAMILY_ONLY)
    with pytest.raises(posting.PostingClosed):
        post_directly(memorial)
    assert not Tribute.objects.exists()


def test_an_owner_is_published_at_once_in_every_mode(owner):
    for mode in ModerationMode.values:
        memorial = MemorialFactory(moderation_mode=mode, owners=[owner])
        tribute = post_directly(memorial, user=owner)
        assert tribute.status == Status.APPROVED
        assert tribute.moderated_by == owner


def test_editing_a_published_tribute_sends_it_back_to_the_queue_in_held_modes(moderator):
    for mode in [ModerationMode.ALL_HELD, ModerationMode.FIRST_TIME_HELD]:
        tribute = TributeFactory(memorial=MemorialFactory(moderation_mode=mode))
        decisions.approve(tribute, by=moderator)
        assert posting.edit_item(tribute, message="Changed words after approval")
        tribute.refresh_from_db()
        assert tribute.status == Status.PENDING
        assert tribute.moderated_by is None
        assert not Tribute.objects.published().filter(message__contains="Changed").exists()


def test_editing_in_open_mode_stays_published_but_is_to_be_read_again(moderator):
    tribute = TributeFactory(memorial=MemorialFactory(moderation_mode=ModerationMode.OPEN))
    decisions.approve(tribute, by=moderator)
    posting.edit_item(tribute, message="New words")
    tribute.refresh_from_db()
    assert tribute.status == Status.APPROVED
    assert tribute.moderated_at is None


def test_an_edit_that_changes_nothing_keeps_the_tribute_published(moderator):
    tribute = TributeFactory()
    decisions.approve(tribute, by=moderator)
    assert not posting.edit_item(tribute, message=tribute.message)
    tribute.refresh_from_db()
    assert tribute.status == Status.APPROVED


def test_editing_a_rejected_tribute_keeps_it_hidden(moderator):
    tribute = TributeFactory(status=Status.PENDING)
    decisions.reject(tribute, by=moderator, reason=RejectionReason.ABUSIVE)
    posting.edit_item(tribute, message="Try again")
    tribute.refresh_from_db()
    assert tribute.status == Status.REJECTED


def test_the_same_words_on_two_memorials_from_one_browser_are_two_tributes(client, owner):
    # Twins remembered on two pages: the family writes the same words on each.
    first = MemorialFactory(slug="twin-one", owners=[owner])
    second = MemorialFactory(slug="twin-two", owners=[owner])
    client.force_login(owner)
    for memorial in (first, second):
        assert (
            post_tribute(client, memorial, message="Forever loved, both of you.").status_code == 302
        )
    assert sorted(Tribute.objects.values_list("memorial__slug", flat=True)) == [
        "twin-one",
        "twin-two",
    ]


def test_the_same_comment_on_two_tributes_from_one_browser_is_two_comments(client):
    tributes = TributeFactory.create_batch(2, status=Status.APPROVED)
    for tribute in tributes:
        assert post_comment(client, tribute, body="So much love.").status_code == 302
    assert sorted(Comment.objects.values_list("tribute_id", flat=True)) == sorted(
        t.pk for t in tributes
    )
