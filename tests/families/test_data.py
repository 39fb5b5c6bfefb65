"""A family can download everything of their memorial and erase it, photo files included."""

import io
import json
import logging
import zipfile

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from tests.support.factories import (
    CandleEventFactory,
    CandleFactory,
    CommentFactory,
    MemorialFactory,
    TributeFactory,
    UserFactory,
)
from tributes.models import Candle, CandleEvent, Comment, Love, Memorial, Photo, Status, Tribute
from tributes.moderation import decisions

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(db):
    user = UserFactory(username="family", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(codename__in=["view_memorial", "delete_memorial"])
    )
    return user


def stored_photo(memorial, name, content=b"RIFF....WEBPVP8 fake image bytes"):
    small = default_storage.save(f"photos/{name}-400.webp", ContentFile(content[:10]))
    large = default_storage.save(f"photos/{name}-1200.webp", ContentFile(content))
    return Photo.objects.create(
        memorial=memorial,
        width=1200,
        height=900,
        alt_text=f"{name} in the garden",
        renditions=[
            {"width": 400, "height": 300, "name": small},
            {"width": 1200, "height": 900, "name": large},
        ],
    )


@pytest.fixture
def everything(family):
    memorial = MemorialFactory(name="Teddy Ashby", slug="teddy", owners=[family])
    memorial.cover_photo = stored_photo(memorial, "cover")
    memorial.save()
    published = TributeFactory(
        memorial=memorial,
        author_name="Aunt May",
        author_email="may@example.org",
        message="We miss you every single day.",
        photo=stored_photo(memorial, "beach"),
    )
    CommentFactory(tribute=published, author_name="Uncle Jo", body="So do we.")
    CommentFactory(tribute=published, body="A rejected comment", status=Status.REJECTED)
    TributeFactory(memorial=memorial, message="Still waiting to be read", status=Status.PENDING)
    TributeFactory(
        memorial=memorial,
        message="Spam spam spam",
        status=Status.SPAM,
        photo=stored_photo(memorial, "spam"),
    )
    event = CandleEventFactory(memorial=memorial, title="Teddy's first birthday")
    CandleFactory(memorial=memorial, event=event, name="Grandma", message="Love you")
    CandleFactory(memorial=memorial, name="Hidden Person", show_name=False)
    Love.objects.create(tribute=published, visitor_key="someone")
    return memorial


def run_action(client, action, memorial, **extra):
    return client.post(
        reverse("admin:tributes_memorial_changelist"),
        {"action": action, "_selected_action": [memorial.pk], **extra},
    )


def download(client, memorial) -> zipfile.ZipFile:
    response = run_action(client, "download_everything", memorial)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert 'filename="teddy.zip"' in response["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_a_family_downloads_their_memorial_as_texts_and_photos(client, family, everything):
    client.force_login(family)
    archive = download(client, everything)
    data = json.loads(archive.read("memorial.json"))
    assert data["memorial"]["name"] == "Teddy Ashby"
    assert data["memorial"]["story"] == everything.story
    [tribute] = data["tributes"]
    assert tribute["author_name"] == "Aunt May"
    assert tribute["message"] == "We miss you every single day."
    assert [c["comment"] for c in tribute["comments"]] == ["So do we."]
    assert [e["title"] for e in data["candle_events"]] == ["Teddy's first birthday"]
    assert sorted(c["lit_by"] for c in data["candles"]) == ["Grandma", "Someone"]
    photo_files = sorted(name for name in archive.namelist() if name.startswith("photos/"))
    assert len(photo_files) == 2
    assert tribute["photo"] in photo_files
    assert data["memorial"]["cover_photo"] in photo_files
    assert archive.read(tribute["photo"]) == b"RIFF....WEBPVP8 fake image bytes"


def test_the_download_leaves_out_unread_rejected_and_spam_entries_and_emails(
    client, family, everything
):
    client.force_login(family)
    archive = download(client, everything)
    text = archive.read("memorial.json").decode()
    for absent in [
        "Still waiting to be read",
        "Spam spam spam",
        "A rejected comment",
        "may@example.org",
        "Hidden Person",
        "someone",
    ]:
        assert absent not in text
    assert not any("spam" in name for name in archive.namelist())


def test_a_photo_missing_from_storage_does_not_spoil_the_download(client, family, everything):
    default_storage.delete(everything.cover_photo.renditions[-1]["name"])
    client.force_login(family)
    archive = download(client, everything)
    assert json.loads(archive.read("memorial.json"))["memorial"]["cover_photo"] is None


def test_a_family_cannot_download_or_erase_another_familys_memorial(client, family):
    other = MemorialFactory(slug="someone-else")
    client.force_login(family)
    response = run_action(client, "download_everything", other)
    assert response.get("Content-Type") != "application/zip"
    run_action(client, "erase_everything", other, confirm="yes")
    assert Memorial.objects.filter(pk=other.pk).exists()


def test_erasing_a_memorial_removes_every_row_and_photo_file(
    client, family, everything, django_capture_on_commit_callbacks
):
    files = [r["name"] for photo in everything.photos.all() for r in photo.renditions]
    assert all(default_storage.exists(name) for name in files)
    kept = TributeFactory(message="On another memorial")
    client.force_login(family)
    confirmation = run_action(client, "erase_everything", everything)
    assert "Teddy Ashby: 3 tributes, 2 comments, 2 candles, 3 photos" in confirmation.text
    assert Memorial.objects.filter(pk=everything.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = run_action(client, "erase_everything", everything, confirm="yes")
    assert response.status_code == 302
    assert not Memorial.objects.filter(pk=everything.pk).exists()
    assert not Love.objects.exists()
    assert list(Tribute.objects.all()) == [kept]
    assert not Comment.objects.exists()
    assert not Photo.objects.filter(memorial=everything.pk).exists()
    assert not Candle.objects.exists()
    assert not CandleEvent.objects.filter(memorial=everything.pk).exists()
    assert not any(default_storage.exists(name) for name in files)


def test_the_delete_action_says_it_removes_everything(client, family, everything):
    client.force_login(family)
    page = client.get(reverse("admin:tributes_memorial_changelist")).text
    assert "Delete with every tribute, comment, candle and photo file" in page
    assert "Download everything" in page


def test_exports_and_erasures_are_logged_without_personal_data(
    client, family, everything, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.INFO, logger="tributes.security")
    client.force_login(family)
    download(client, everything)
    with django_capture_on_commit_callbacks(execute=True):
        run_action(client, "erase_everything", everything, confirm="yes")
    lines = [r.getMessage() for r in caplog.records if r.name == "tributes.security"]
    assert f"memorial exported memorial={everything.pk} by_user={family.pk}" in lines
    assert f"memorial erased memorial={everything.pk} files=6 by_user={family.pk}" in lines
    assert not any("Teddy" in line or "teddy" in line for line in lines)


def test_moderation_decisions_are_logged_without_the_words_or_names(moderator, caplog):
    caplog.set_level(logging.INFO, logger="tributes.security")
    tribute = TributeFactory(author_name="Aunt May", message="Private words", status=Status.PENDING)
    decisions.approve(tribute, by=moderator)
    decisions.reject(tribute, by=moderator, reason="abusive")
    lines = [r.getMessage() for r in caplog.records if r.name == "tributes.security"]
    assert lines == [
        f"moderation tribute={tribute.pk} status=approved by_user={moderator.pk} reason=-",
        f"moderation tribute={tribute.pk} status=rejected by_user={moderator.pk} reason=abusive",
    ]
