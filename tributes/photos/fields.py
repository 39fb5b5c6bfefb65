"""The upload field of every photo form, and the upload handler that caps what is written."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.utils.translation import gettext_lazy as _

from tributes.photos.pipeline import ACCEPT_ATTRIBUTE, MESSAGES, PreparedPhoto, prepare_photo


class PhotoUploadHandler(TemporaryFileUploadHandler):
    """Streams uploads to a temporary file, and stops writing once one is over the size limit.

    The rest of the request is still read, so every other field of the form arrives; the file
    keeps its real size, so `prepare_photo` can say how large it was.
    """

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.over_limit = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        if start + len(raw_data) > settings.PHOTO_MAX_UPLOAD_BYTES:
            if not self.over_limit:
                self.over_limit = True
                self.file.seek(0)
                self.file.truncate()
            return None
        self.file.write(raw_data)
        return None


class PhotoField(forms.FileField):
    """A file field whose cleaned value is a PreparedPhoto, ready for `save_photo`.

    Validation decodes and re-encodes the image, so a broken file is refused next to the field.
    """

    widget = forms.FileInput

    default_error_messages = {"empty": MESSAGES["empty"]}

    def __init__(self, **kwargs) -> None:
        # Each form gives its own label and help text (tribute photo, memorial cover).
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", ACCEPT_ATTRIBUTE)
        # Words for the preview of the chosen photo (static/js/forms.js).
        self.widget.attrs.setdefault(
            "data-preview-shown", _("Your photo, %(name)s, will be added when you send the form.")
        )
        self.widget.attrs.setdefault(
            "data-preview-none",
            _(
                "%(name)s is chosen and will be added when you send the form. It cannot be shown here."
            ),
        )

    def to_python(self, data) -> PreparedPhoto | None:
        upload = super().to_python(data)
        if upload is None:
            return None
        return prepare_photo(upload)
