"""The photo upload field and handler: a prepared photo for the form, a temporary file."""

import logging
import os

import pytest
from django import forms
from django.core.files.uploadedfile import TemporaryUploadedFile

from tests.support.failing_storage import UNDELETABLE_STORAGE
from tests.support.photos import (
    jpeg,
    upload,
)
from tributes.models import Tribute
from tributes.photos.fields import PhotoField
from tributes.photos.pipeline import ACCEPT_ATTRIBUTE, PreparedPhoto
from tributes.photos.storage import save_photo, shared_by_alt_text

pytestmark = pytest.mark.django_db


class TributePhotoForm(forms.Form):
    photo = PhotoField(required=False)


def test_the_photo_field_gives_the_form_a_prepared_photo():
    form = TributePhotoForm(files={"photo": upload(jpeg())})
    assert form.is_valid()
    assert isinstance(form.cleaned_data["photo"], PreparedPhoto)


def test_the_photo_field_may_be_left_empty():
    form = TributePhotoForm(data={}, files={})
    assert form.is_valid()
    assert form.cleaned_data["photo"] is None


def test_the_photo_field_explains_what_it_accepts():
    html = str(TributePhotoForm()["photo"])
    assert 'accept="image/jpeg,image/png,image/webp,image/gif,image/heic' in html


def test_every_photo_chooser_offers_our_formats_and_the_words_of_its_preview():
    # A field made here, not at import like the forms' own: the tribute form, the family's
    # cover and the admin's all get their chooser from it.
    class CoverForm(forms.Form):
        cover = PhotoField(required=False)

    html = str(CoverForm()["cover"])
    assert f'accept="{ACCEPT_ATTRIBUTE}"' in html
    # What static/js/forms.js shows beside the chosen file, with its name put in.
    assert (
        'data-preview-shown="Your photo, %(name)s, will be added when you send the form."' in html
    )
    assert (
        'data-preview-none="%(name)s is chosen and will be added when you send the form. '
        'It cannot be shown here."' in html
    )


def test_uploads_stream_to_a_temporary_file(rf):
    request = rf.post("/", {"photo": upload(jpeg((300, 200)))})
    received = request.FILES["photo"]
    assert isinstance(received, TemporaryUploadedFile)
    assert os.path.getsize(received.temporary_file_path()) == received.size


def test_an_oversized_upload_is_not_kept_on_disk_but_keeps_its_size(rf, settings):
    settings.PHOTO_MAX_UPLOAD_BYTES = 10_000
    request = rf.post("/", {"photo": upload(b"x" * 300_000), "name": "Sam"})
    received = request.FILES["photo"]
    assert received.size == 300_000
    assert os.path.getsize(received.temporary_file_path()) == 0
    assert request.POST["name"] == "Sam"


class TributeForm(forms.ModelForm):
    """The shape agreed for the visitors' tribute form: the upload beside the model fields."""

    photo_upload = PhotoField(label="A photo (optional)", required=False)
    photo_description = forms.CharField(max_length=300, required=False)

    class Meta:
        model = Tribute
        fields = ["author_name", "message"]


def test_a_tribute_form_saves_its_photo_with_a_default_description(memorial):
    form = TributeForm(
        data={"author_name": "Sam", "message": "Thinking of you."},
        files={"photo_upload": upload(jpeg(), "IMG_0042.HEIC")},
    )
    assert form.is_valid(), form.errors
    tribute = form.save(commit=False)
    tribute.memorial = memorial
    tribute.photo = save_photo(
        form.cleaned_data["photo_upload"],
        memorial=memorial,
        alt_text=form.cleaned_data["photo_description"] or shared_by_alt_text("Sam"),
    )
    tribute.save()
    assert Tribute.objects.get().photo.alt_text == "Photo shared by Sam"


def test_a_tribute_form_with_a_bad_photo_keeps_the_words(memorial):
    form = TributeForm(
        data={"author_name": "Sam", "message": "Thinking of you."},
        files={"photo_upload": upload(b"not a photo")},
    )
    assert not form.is_valid()
    assert list(form.errors) == ["photo_upload"]
    assert "Thinking of you." in str(form["message"])


def test_an_upload_of_exactly_the_size_limit_is_kept_whole(rf, settings):
    settings.PHOTO_MAX_UPLOAD_BYTES = 100_000
    request = rf.post("/", {"photo": upload(b"x" * 100_000)})
    received = request.FILES["photo"]
    assert os.path.getsize(received.temporary_file_path()) == 100_000


def test_files_are_deleted_again_when_the_photo_row_cannot_be_made(settings):
    from django.core.exceptions import ValidationError

    from tributes.models import Memorial

    unsaved = Memorial(name="Not saved", slug="not-saved")
    with pytest.raises((ValueError, ValidationError)):
        save_photo(upload(jpeg()), memorial=unsaved)
    assert not [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()]


def test_a_file_that_cannot_be_deleted_again_is_named_in_the_log(settings, caplog):
    from tributes.models import Memorial

    settings.STORAGES = {**settings.STORAGES, "default": UNDELETABLE_STORAGE}
    unsaved = Memorial(name="Not saved", slug="not-saved")
    # The error that stopped the row is the one raised, not the storage's.
    with (
        caplog.at_level(logging.WARNING, logger="tributes.photos.storage"),
        pytest.raises(ValueError),
    ):
        save_photo(upload(jpeg((900, 600))), memorial=unsaved)

    def width(name: str) -> int:
        return int(name.rsplit("-", 1)[1].removesuffix(".webp"))

    left = sorted(os.listdir(settings.MEDIA_ROOT / "photos"), key=width)
    assert [width(name) for name in left] == [400, 800, 900]
    assert caplog.messages == [
        f"Could not delete photo file photos/{name}: OSError(30, 'Read-only file system')"
        for name in left
    ]
