"""The memory book: the keepsake as a PDF in print quality, made with WeasyPrint.

WeasyPrint needs Pango (Debian: libpango-1.0-0, libpangoft2-1.0-0, libharfbuzz-subset0) and a font
(fonts-dejavu-core); .ci/run installs them. Its fetcher reads only this book's photos, straight
from storage, and our own stylesheet: nothing is fetched over the network.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import Resolver404, resolve
from django.utils import timezone
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from tributes.models import Memorial, Photo
from tributes.sharing.keepsake import keepsake

BOOK_STYLESHEET = "css/memory_book.css"
EMBLEM_FOLDER = "img/emblems/"
# The widest rendition kept (1600 px) prints a full-width photo at about 270 dpi on A5.
PRINT_WIDTH = 1600


def print_width(photo: Photo) -> int:
    """The widest rendition up to PRINT_WIDTH: what the book prints."""
    widths = [rendition["width"] for rendition in photo.renditions]
    return max((w for w in widths if w <= PRINT_WIDTH), default=widths[0])


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
        photo = (
            self.photos.get(match.kwargs.get("pk")) if match.view_name == "tributes:photo" else None
        )
        name = photo.rendition_name(match.kwargs["width"]) if photo else None
        if name is None:
            raise ValueError(f"not a photo of this book: {url}")
        with default_storage.open(name) as file:
            body = file.read()
        return URLFetcherResponse(url, body, {"Content-Type": "image/webp"})


def memory_book_pdf(memorial: Memorial) -> bytes:
    """The PDF bytes. Reads the keepsake (three queries) and every photo file in it."""
    content = keepsake(memorial)
    html = render_to_string(
        "tributes/memory_book.html",
        {
            "keepsake": content,
            "memorial": memorial,
            "SITE_NAME": settings.SITE_NAME,
            "made_on": timezone.localdate(),
        },
    )
    stylesheet = CSS(filename=finders.find(BOOK_STYLESHEET))
    document = HTML(
        string=html, base_url=f"{settings.SITE_URL}/", url_fetcher=BookPhotos(content.photos)
    )
    return document.write_pdf(stylesheets=[stylesheet])
