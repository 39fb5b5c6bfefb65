"""The photo upload field and handler: a prepared photo for the form, a temporary file."""

import os

import pytest
from django import forms
from django.core.files.uploadedfile import TemporaryUploadedFile

from tests.support.photos import (
    jpeg,
    upload,
)
from tributes.models import Tribute
from tributes.photos.fields import PhotoField
from tributes.photos.pipeline import PreparedPhoto
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
