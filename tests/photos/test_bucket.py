"""Photos in S3 mode, against a real S3-compatible server (moto's) started for this module.

What several app servers rely on: a photo posted through one is stored in the bucket (never on
the local disk), handed out by a signed address that the bucket answers, and deleted from the
bucket with its tribute.
"""

import urllib.request

import pytest
from django.urls import reverse

from tests.support.photos import jpeg, upload
from tests.support.posting import post_tribute, private_token
from tests.support.s3 import ACCESS_KEY, REGION, SECRET_KEY, s3_server
from tributes.models import Tribute
from tributes.moderation.decisions import approve

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def bucket_server():
    with s3_server(bucket="memorial-test-photos") as server:
        yield server


@pytest.fixture
def bucket(bucket_server, settings):
    """Photos stored in the bucket, with the options settings.py gives S3 mode."""
    settings.PHOTOS_IN_BUCKET = True
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket_server.bucket,
                "endpoint_url": bucket_server.endpoint,
                "region_name": REGION,
                "access_key": ACCESS_KEY,
                "secret_key": SECRET_KEY,
                "default_acl": "private",
                "querystring_auth": True,
                "querystring_expire": 300,
                "signature_version": "s3v4",
                "file_overwrite": False,
                "object_parameters": {"ContentType": "image/webp"},
                "addressing_style": "path",
            },
        },
    }
    return bucket_server


def _post_with_photo(client, memorial) -> tuple[Tribute, str]:
    response = post_tribute(
        client, memorial, message="Her garden in May", photo_upload=upload(jpeg((1800, 1200)))
    )
    assert response.status_code == 302
    return Tribute.objects.get(message="Her garden in May"), private_token(response)


def _rendition_names(tribute: Tribute) -> set[str]:
    return {rendition["name"] for rendition in tribute.photo.renditions}


def test_an_uploaded_photo_is_stored_in_the_bucket_and_not_on_disk(
    client, memorial, bucket, settings
):
    tribute, _ = _post_with_photo(client, memorial)
    names = _rendition_names(tribute)
    assert {r["width"] for r in tribute.photo.renditions} == {400, 800, 1600}
    assert names <= bucket.names("photos/")
    for name in names:
        assert bucket.read(name)[8:12] == b"WEBP"
    assert not [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()]


def test_a_published_photo_redirects_to_a_signed_address_the_bucket_answers(
    client, memorial, moderator, bucket
):
    tribute, _ = _post_with_photo(client, memorial)
    approve(tribute, by=moderator)
    response = client.get(tribute.photo.rendition_url(800))
    assert response.status_code == 302
    name = tribute.photo.rendition_name(800)
    assert response.url.startswith(f"{bucket.endpoint}/{bucket.bucket}/{name}?")
    assert "X-Amz-Signature=" in response.url
    assert "max-age=60" in response["Cache-Control"]
    with urllib.request.urlopen(response.url, timeout=10) as answer:  # noqa: S310
        assert answer.status == 200
        assert answer.headers["Content-Type"] == "image/webp"
        assert answer.read() == bucket.read(name)


def test_a_photo_waiting_for_moderation_gets_no_signed_address(client, memorial, bucket):
    tribute, _ = _post_with_photo(client, memorial)
    response = client.get(tribute.photo.rendition_url(400))
    assert response.status_code == 404
    assert bucket.endpoint not in response.get("Location", "")


def test_deleting_the_tribute_deletes_its_photo_from_the_bucket(
    client, memorial, moderator, bucket, django_capture_on_commit_callbacks
):
    tribute, token = _post_with_photo(client, memorial)
    approve(tribute, by=moderator)
    url, names = tribute.photo.rendition_url(400), _rendition_names(tribute)
    assert names <= bucket.names("photos/")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("tributes:delete_your_tribute", kwargs={"token": token}))
    assert response.status_code == 302
    assert not Tribute.objects.filter(pk=tribute.pk).exists()
    assert not names & bucket.names("photos/")
    assert client.get(url).status_code == 404
