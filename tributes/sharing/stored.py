"""Files drawn once and kept in storage under a name that carries a fingerprint of their content.

A new fingerprint means new content: the file is drawn again and the older versions are deleted.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage


def kept(folder: str, prefix: str, fingerprint: str, suffix: str, draw: Callable[[], bytes]) -> str:
    """The storage name of `folder/prefix+fingerprint+suffix`, drawn by `draw` if not stored yet.

    Two requests at once may both draw it; storage then keeps the second under another name,
    which the next new version deletes with the rest.
    """
    name = f"{folder}/{prefix}{fingerprint}{suffix}"
    if not default_storage.exists(name):
        delete_versions(folder, prefix)
        default_storage.save(name, ContentFile(draw()))
    return name


def delete_versions(folder: str, prefix: str) -> None:
    """Delete every file in `folder` whose name starts with `prefix`."""
    try:
        _folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for file in files:
        if file.startswith(prefix):
            default_storage.delete(f"{folder}/{file}")
