"""A file storage that saves but cannot delete, as a disk gone read-only or a bucket that
stopped answering after the upload."""

from django.core.files.storage import FileSystemStorage


class UndeletableStorage(FileSystemStorage):
    def delete(self, name):
        raise OSError(30, "Read-only file system")


UNDELETABLE_STORAGE = {"BACKEND": "tests.support.failing_storage.UndeletableStorage"}
