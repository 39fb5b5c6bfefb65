"""The production photo limits (20 MB, 50 megapixels, 100 frames), pinned at their boundary.

No setting is changed here: these are the numbers a family meets when they share a photo.
"""

import os

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.support.factories import MemorialFactory
from tests.support.photos import animated_gif, png_declaring, upload
from tests.support.posting import post_tribute
from tributes.models import Photo, Tribute
from tributes.photos.pipeline import ACCEPT_ATTRIBUTE, prepare_photo

MB = 1024 * 1024


def refusal(data: bytes, name: str) -> str:
    with pytest.raises(ValidationError) as refused:
        prepare_photo(upload(data, name))
    return refused.value.code


@pytest.mark.parametrize(
    ("size", "code"), [(20 * MB, "not_a_photo"), (20 * MB + 1, "too_big")], ids=["20MB", "over"]
)
def test_a_file_of_twenty_megabytes_is_read_and_one_byte_more_is_refused_unread(size, code):
    assert refusal(b"\0" * size, "photo.jpg") == code


@pytest.mark.parametrize(
    "size", [20 * MB + 1, 20 * MB + 70_000], ids=["a byte over", "a chunk over"]
)
def test_an_upload_over_twenty_megabytes_is_not_kept_on_disk_even_in_part(rf, size):
    # Django hands the upload over in chunks of 64 KB: the ones before the limit were written.
    request = rf.post("/", {"photo": upload(b"x" * size)})
    received = request.FILES["photo"]
    assert received.size == size
    assert os.path.getsize(received.temporary_file_path()) == 0


@pytest.mark.parametrize(
    ("width", "height", "code"),
    [(10_000, 5_000, "damaged"), (10_000, 5_001, "too_many_pixels")],
    ids=["50MP", "over"],
)
def test_fifty_megapixels_are_decoded_and_one_row_more_is_refused_first(width, height, code):
    # A PNG header that declares the size, with no pixels: at 50 MP it gets as far as decoding.
    assert refusal(png_declaring(width, height), "photo.png") == code


def test_a_gif_of_a_hundred_frames_is_taken():
    assert len(prepare_photo(upload(animated_gif(100, size=(8, 6)), "candle.gif")).renditions)


@pytest.mark.django_db
def test_a_photo_of_twenty_four_megabytes_is_refused_with_both_sizes_and_the_words_kept(client):
    memorial = MemorialFactory(slug="teddy")
    response = post_tribute(
        client,
        memorial,
        message="Our words stay here.",
        photo_upload=upload(b"\xff" * (24 * MB), "IMG_0042.jpg"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["photo_upload"] == [
        "This file is 24.0\xa0MB, more than the 20.0\xa0MB we can take. Please choose a smaller "
        "copy of the photo."
    ]
    assert "Our words stay here.</textarea>" in response.text
    assert not Photo.objects.exists()


@pytest.mark.django_db
def test_a_gif_of_a_hundred_and_one_frames_is_refused_next_to_the_photo_with_the_words_kept(
    client,
):
    memorial = MemorialFactory(slug="teddy")
    response = post_tribute(
        client,
        memorial,
        message="Our words stay here.",
        photo_upload=upload(animated_gif(101, size=(8, 6)), "candle.gif"),
    )
    assert response.status_code == 200
    assert "more than 100" in " ".join(response.context["form"].errors["photo_upload"])
    assert "Our words stay here.</textarea>" in response.text
    assert not Tribute.objects.exists()
    assert not Photo.objects.exists()


@pytest.mark.django_db
def test_the_tribute_forms_photo_chooser_offers_only_the_photos_we_take(client):
    memorial = MemorialFactory(slug="teddy")
    page = client.get(reverse("tributes:write_tribute", kwargs={"slug": memorial.slug})).text
    assert f'accept="{ACCEPT_ATTRIBUTE}"' in page
    assert "A photo (optional)" in page
