"""The memory book: the keepsake as a PDF in print quality, made with WeasyPrint.

WeasyPrint needs Pango (Debian: libpango-1.0-0, libpangoft2-1.0-0, libharfbuzz-subset0) and a font
(fonts-dejavu-core); .ci/run installs them. Its fetcher reads only this book's photos, straight
from storage, and our emblems: nothing is fetched over the network.

A book takes seconds to make (about a tenth of a second per tribute, more with photos), so it is
made by the background worker (`manage.py db_worker`) and kept in storage under a fingerprint of
what it holds; it is made again only when that changes.
"""

from __future__ import annotations

import hashlib
import io

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db.models import Count, Max
from django.tasks import task
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import Resolver404, resolve
from PIL import Image, ImageFile
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from tributes.models import Comment, Memorial, Photo, Tribute
from tributes.sharing import stored
from tributes.sharing.keepsake import keepsake

# Importing WeasyPrint tells Pillow, for the whole process, to accept truncated images; the photo
# pipeline must go on refusing a truncated upload (tests/photos/test_pipeline.py), and the book
# only reads photos we encoded ourselves.
ImageFile.LOAD_TRUNCATED_IMAGES = False

BOOK_STYLESHEET = "css/memory_book.css"
BOOK_FOLDER = "books"
# Change it when the book's template or stylesheet changes, so that every book is made again.
BOOK_VERSION = "1"
EMBLEM_FOLDER = "img/emblems/"
# The widest rendition kept (1600 px) prints a full-width photo at about 270 dpi on A5.
PRINT_WIDTH = 1600
# PDF embeds JPEG as it is, whereas WeasyPrint would re-encode a WebP photo as a (large, slow) PNG.
PRINT_JPEG_QUALITY = 90
# One queued making per version of a book, however many people ask for it meanwhile.
MAKING_SECONDS = 15 * 60


def print_width(photo: Photo) -> int:
    """The widest rendition up to PRINT_WIDTH: what the book prints."""
    widths = [rendition["width"] for rendition in photo.renditions]
    return max((w for w in widths if w <= PRINT_WIDTH), default=widths[0])


def as_jpeg(webp: bytes) -> bytes:
    with Image.open(io.BytesIO(webp)) as image:
        buffer = io.BytesIO()
        image.convert("RGB").save(buffer, "JPEG", quality=PRINT_JPEG_QUALITY, optimize=True)
        return buffer.getvalue()


class BookPhotos(URLFetcher):
    """Answers only this book's photos (from storage) and emblems; refuses anything else."""

    def __init__(self, photos: list[Photo]):
        super().__init__()
        self.photos = {photo.pk: photo for photo in photos}

    def fetch(self, url, headers=None):
        path = url.removeprefix(settings.SITE_URL)
        emblem = path.removeprefix(static(""))
        if emblem.startswith(EMBLEM_FOLDER) and emblem.endswith(".svg") and ".." not in emblem:
            with open(finders.find(emblem), "rb") as file:
                return URLFetcherResponse(url, file.read(), {"Content-Type": "image/svg+xml"})
        try:
            match = resolve(path)
        except Resolver404:
            raise ValueError(f"not a photo of this book: {url}") from None
        is_photo = match.view_name == "tributes:photo"
        photo = self.photos.get(match.kwargs.get("pk")) if is_photo else None
        name = photo.rendition_name(match.kwargs["width"]) if photo else None
        if name is None:
            raise ValueError(f"not a photo of this book: {url}")
        with default_storage.open(name) as file:
            body = as_jpeg(file.read())
        return URLFetcherResponse(url, body, {"Content-Type": "image/jpeg"})


def book_fingerprint(memorial: Memorial) -> str:
    """What the book holds, in two queries: the memorial as saved and its published words.

    An edit, a publication, a refusal after publication or a deletion changes the count or the
    latest change of the published tributes or comments.
    """
    tributes = Tribute.objects.for_memorial(memorial).published()
    comments = Comment.objects.for_memorial(memorial).published()
    shown = [
        BOOK_VERSION,
        settings.SITE_NAME,
        memorial.updated_at.isoformat(),
        str(tributes.aggregate(count=Count("pk"), last=Max("updated_at"))),
        str(comments.aggregate(count=Count("pk"), last=Max("updated_at"))),
    ]
    return hashlib.sha256("\n".join(shown).encode()).hexdigest()[:16]


def make_memory_book(memorial: Memorial) -> bytes:
    """The PDF bytes. Reads the keepsake (three queries) and every photo file in it."""
    content = keepsake(memorial)
    html = render_to_string(
        "tributes/memory_book.html",
        {
            "keepsake": content,
            "memorial": memorial,
            "SITE_NAME": settings.SITE_NAME,
            "address": f"{settings.SITE_URL}{memorial.get_absolute_url()}",
        },
    )
    stylesheet = CSS(filename=finders.find(BOOK_STYLESHEET))
    document = HTML(
        string=html, base_url=f"{settings.SITE_URL}/", url_fetcher=BookPhotos(content.photos)
    )
    return document.write_pdf(stylesheets=[stylesheet])


def _prefix(memorial_pk: int) -> str:
    return f"memorial-{memorial_pk}-"


def memory_book(memorial: Memorial) -> str:
    """The storage name of the memorial's current book, made first (here) if it is not kept."""
    return stored.kept(
        BOOK_FOLDER,
        _prefix(memorial.pk),
        book_fingerprint(memorial),
        ".pdf",
        lambda: make_memory_book(memorial),
    )


def ready_memory_book(memorial: Memorial) -> str | None:
    """The storage name of the current book if it is kept; otherwise None, and it is queued.

    Queued at most once per version of the book in MAKING_SECONDS (the shared cache says so).
    """
    fingerprint = book_fingerprint(memorial)
    name = f"{BOOK_FOLDER}/{_prefix(memorial.pk)}{fingerprint}.pdf"
    if default_storage.exists(name):
        return name
    if cache.add(f"memory-book:{memorial.pk}:{fingerprint}", True, MAKING_SECONDS):
        make_memory_book_later.enqueue(memorial.pk)
    return None


@task()
def make_memory_book_later(memorial_id: int) -> str:
    """Make (and keep) the memorial's current book; nothing if the memorial is gone."""
    memorial = Memorial.objects.filter(pk=memorial_id).first()
    return memory_book(memorial) if memorial is not None else ""


def delete_memory_books(memorial_pk: int) -> None:
    stored.delete_versions(BOOK_FOLDER, _prefix(memorial_pk))
