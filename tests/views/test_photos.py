import datetime as dt
import re

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse

from tests.support.factories import MemorialFactory, TributeFactory
from tests.support.photos import make_photo
from tributes.models import Photo, Status, Tribute, Visibility

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_cover(private_memorial):
    photo = make_photo(private_memorial)
    private_memorial.cover_photo = photo
    private_memorial.save()
    return photo


def tribute_photo(memorial, status):
    photo = make_photo(memorial, alt_text="Photo shared by Sam")
    TributeFactory(memorial=memorial, photo=photo, status=status, author_name="Sam")
    return photo


def test_a_public_memorials_cover_is_served_as_webp_and_cached_publicly(client, cover):
    response = client.get(cover.rendition_url(800))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert b"".join(response.streaming_content)[8:12] == b"WEBP"
    assert "public" in response["Cache-Control"]
    assert "max-age=86400" in response["Cache-Control"]
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


def test_a_public_photo_costs_one_query(client, cover, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert client.get(cover.rendition_url(400)).status_code == 200


def test_an_unknown_width_is_not_found(client, cover):
    assert client.get(cover.rendition_url(1234)).status_code == 404
    assert client.get(reverse("tributes:photo", args=[cover.pk + 1000, 400])).status_code == 404


@pytest.mark.parametrize("who", ["visitor", "stranger"])
def test_a_private_memorials_photo_is_not_found_for_anyone_but_the_family(
    who, client, stranger, private_cover
):
    if who == "stranger":
        client.force_login(stranger)
    assert client.get(private_cover.rendition_url(400)).status_code == 404


def test_the_family_sees_their_private_memorials_photo_and_nothing_caches_it(
    client, owner, private_cover
):
    client.force_login(owner)
    response = client.get(private_cover.rendition_url(400))
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_an_unlisted_memorials_photo_is_shown_but_not_kept_by_shared_caches(client):
    memorial = MemorialFactory(visibility=Visibility.UNLISTED)
    memorial.cover_photo = make_photo(memorial)
    memorial.save()
    response = client.get(memorial.cover_photo.rendition_url(400))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_a_pending_tributes_photo_is_hidden_from_visitors(client, memorial):
    photo = tribute_photo(memorial, Status.PENDING)
    assert client.get(photo.rendition_url(400)).status_code == 404


@pytest.mark.parametrize("status", [Status.REJECTED, Status.SPAM])
def test_a_rejected_tributes_photo_is_hidden_from_visitors(status, client, memorial):
    photo = tribute_photo(memorial, status)
    assert client.get(photo.rendition_url(400)).status_code == 404


def test_a_moderator_sees_a_pending_tributes_photo_uncached(client, moderator, memorial):
    photo = tribute_photo(memorial, Status.PENDING)
    client.force_login(moderator)
    response = client.get(photo.rendition_url(400))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_a_moderator_sees_photos_waiting_on_a_private_memorial(client, moderator, private_memorial):
    photo = tribute_photo(private_memorial, Status.PENDING)
    client.force_login(moderator)
    assert client.get(photo.rendition_url(400)).status_code == 200


@pytest.mark.parametrize("status", [Status.PENDING, Status.REJECTED])
def test_a_family_that_moderates_sees_photos_it_has_to_decide_on(status, client, owner, memorial):
    memorial.family_moderates = True
    memorial.save()
    photo = tribute_photo(memorial, status)
    client.force_login(owner)
    assert client.get(photo.rendition_url(400)).status_code == 200


@pytest.mark.parametrize("status", [Status.PENDING, Status.REJECTED, Status.SPAM])
def test_a_family_never_sees_a_photo_the_site_moderators_hold_or_refused(
    status, client, owner, memorial
):
    photo = tribute_photo(memorial, status)
    client.force_login(owner)
    assert client.get(photo.rendition_url(400)).status_code == 404


def test_the_family_sees_an_unused_photo_of_their_memorial(client, owner, memorial):
    photo = make_photo(memorial)
    client.force_login(owner)
    assert client.get(photo.rendition_url(400)).status_code == 200


def test_a_published_tributes_photo_is_public(client, memorial):
    photo = tribute_photo(memorial, Status.APPROVED)
    response = client.get(photo.rendition_url(400))
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]


def test_a_photo_that_is_neither_cover_nor_on_a_tribute_is_not_shown(client, memorial):
    photo = make_photo(memorial)
    assert client.get(photo.rendition_url(400)).status_code == 404


def test_photos_are_never_at_a_public_media_address(client, private_cover):
    name = private_cover.renditions[0]["name"]
    assert client.get(f"/media/{name}").status_code == 404
    assert client.get(f"/{name}").status_code == 404


def test_the_memorial_page_shows_photos_with_srcset_sizes_and_dimensions(client, memorial, cover):
    photo = tribute_photo(memorial, Status.APPROVED)
    page = client.get(memorial.get_absolute_url()).text
    images = re.findall(r"<img [^>]*>", page)
    cover_img = next(img for img in images if cover.rendition_url(800) in img)
    tribute_img = next(img for img in images if photo.rendition_url(800) in img)
    assert f'srcset="{cover.rendition_url(400)} 400w, ' in cover_img
    assert f"{cover.rendition_url(1200)} 1200w" in cover_img
    assert 'width="1200" height="900"' in cover_img
    assert 'alt="Teddy in his blue hat"' in cover_img
    # The portrait is 18rem wide beside the name on wider screens, the column's width on phones.
    assert 'sizes="(min-width: 768px) 18rem, min(22rem, calc(100vw - 2rem))"' in cover_img
    # The cover is at the top of the page; tribute photos further down load when scrolled to.
    assert 'loading="lazy"' not in cover_img
    assert 'fetchpriority="high"' in cover_img
    assert 'loading="lazy"' in tribute_img
    assert 'alt="Photo shared by Sam"' in tribute_img


def test_deleting_a_photo_deletes_its_files(memorial, django_capture_on_commit_callbacks):
    photo = make_photo(memorial)
    names = [r["name"] for r in photo.renditions]
    assert all(default_storage.exists(name) for name in names)
    with django_capture_on_commit_callbacks(execute=True):
        photo.delete()
    assert not any(default_storage.exists(name) for name in names)


def test_deleting_a_memorial_deletes_the_files_of_all_its_photos(
    memorial, cover, django_capture_on_commit_callbacks
):
    on_tribute = tribute_photo(memorial, Status.APPROVED)
    names = [r["name"] for p in (cover, on_tribute) for r in p.renditions]
    with django_capture_on_commit_callbacks(execute=True):
        memorial.delete()
    assert not Photo.objects.exists()
    assert not any(default_storage.exists(name) for name in names)


def test_deleting_a_tribute_deletes_its_photo(memorial, django_capture_on_commit_callbacks):
    photo = tribute_photo(memorial, Status.APPROVED)
    with django_capture_on_commit_callbacks(execute=True):
        Tribute.objects.get(photo=photo).delete()
    assert not Photo.objects.filter(pk=photo.pk).exists()
    assert not default_storage.exists(photo.renditions[0]["name"])


def test_files_stay_when_the_deletion_is_rolled_back(memorial, django_capture_on_commit_callbacks):
    photo = make_photo(memorial)
    with django_capture_on_commit_callbacks(execute=False):
        photo.delete()
    assert default_storage.exists(photo.renditions[0]["name"])


@pytest.fixture
def photos_in_a_bucket(settings):
    settings.PHOTOS_IN_BUCKET = True
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "memorial-photos",
                "endpoint_url": "https://s3.example.org",
                "region_name": "eu-west-1",
                "access_key": "AKIDEXAMPLE",
                "secret_key": "not-a-real-secret",
                "default_acl": "private",
                "querystring_auth": True,
                "querystring_expire": 300,
                "signature_version": "s3v4",
                "addressing_style": "path",
            },
        },
    }


def bucket_photo(memorial) -> Photo:
    # Rows only: storing would need a real bucket. Signed addresses are computed offline.
    return Photo.objects.create(
        memorial=memorial,
        width=800,
        height=600,
        renditions=[{"width": 400, "height": 300, "name": "photos/abc-400.webp"}],
    )


def test_with_a_bucket_visitors_are_sent_to_a_short_lived_signed_address(
    client, memorial, photos_in_a_bucket
):
    memorial.cover_photo = bucket_photo(memorial)
    memorial.save()
    response = client.get(memorial.cover_photo.rendition_url(400))
    assert response.status_code == 302
    assert response.url.startswith("https://s3.example.org/memorial-photos/photos/abc-400.webp?")
    assert "X-Amz-Signature=" in response.url
    assert "X-Amz-Expires=300" in response.url
    assert "max-age=60" in response["Cache-Control"]


def test_with_a_bucket_a_private_photo_is_still_checked_first(
    client, owner, private_memorial, photos_in_a_bucket
):
    private_memorial.cover_photo = bucket_photo(private_memorial)
    private_memorial.save()
    url = private_memorial.cover_photo.rendition_url(400)
    assert client.get(url).status_code == 404
    client.force_login(owner)
    response = client.get(url)
    assert response.status_code == 302
    assert "no-store" in response["Cache-Control"]


def test_unused_photo_files_are_deleted_once_an_hour_old(memorial):
    kept = make_photo(memorial)
    left_over = default_storage.save("photos/left-over-400.webp", ContentFile(b"RIFF"))
    call_command("delete_unused_photo_files")
    assert default_storage.exists(left_over)
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(hours=2)):
        call_command("delete_unused_photo_files")
    assert not default_storage.exists(left_over)
    assert all(default_storage.exists(r["name"]) for r in kept.renditions)


def test_a_missing_file_is_not_found_rather_than_an_error(client, cover):
    default_storage.delete(cover.renditions[0]["name"])
    assert client.get(cover.rendition_url(400)).status_code == 404
