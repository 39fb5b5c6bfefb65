"""The keepsake: a page that prints the whole memorial, and the PDF memory book."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from pypdf import PdfReader

from tests.support.factories import CommentFactory, TributeFactory
from tests.support.photos import make_photo
from tests.support.posting import run_due_tasks
from tributes.models import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def remembered(memorial):
    memorial.story = "Teddy loved the sea and the sound of rain."
    memorial.cover_photo = make_photo(memorial, alt_text="Teddy asleep")
    memorial.save()
    first = TributeFactory(
        memorial=memorial, author_name="Nana Jo", message="Our little lighthouse."
    )
    CommentFactory(tribute=first, author_name="Sam", body="He shone so brightly.")
    CommentFactory(
        tribute=first, author_name="Troll", body="Hidden comment.", status=Status.PENDING
    )
    TributeFactory(
        memorial=memorial,
        author_name="Aunt Mo",
        message="Forever in the waves.",
        photo=make_photo(memorial, alt_text="The beach at dawn"),
    )
    TributeFactory(memorial=memorial, message="Waiting to be read.", status=Status.PENDING)
    TributeFactory(memorial=memorial, message="Refused words.", status=Status.REJECTED)
    return memorial


def download(client, url: str):
    """The book, made by the background worker when the first answer says it is being made."""
    response = client.get(url)
    if response.status_code == 202:
        assert run_due_tasks() == 1
        response = client.get(url)
    return response


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_keepsake_page_holds_the_story_photos_and_published_words_only(client, remembered):
    page = client.get(f"/memorials/{remembered.slug}/keepsake/").content.decode()
    for shown in (
        "Teddy loved the sea",
        "Our little lighthouse.",
        "He shone so brightly.",
        "Forever in the waves.",
        "The beach at dawn",
        'alt="Teddy asleep"',
    ):
        assert shown in page
    for hidden in ("Hidden comment.", "Waiting to be read.", "Refused words."):
        assert hidden not in page
    assert "<form" not in page
    assert 'href="/static/css/print.css" media="print"' in page


def test_the_memory_book_is_a_pdf_with_the_tributes_and_photos(client, remembered, tmp_path):
    first = client.get(f"/memorials/{remembered.slug}/memory-book.pdf")
    assert first.status_code == 202
    assert "The memory book is being made" in first.content.decode()
    response = download(client, f"/memorials/{remembered.slug}/memory-book.pdf")
    content = b"".join(response.streaming_content)
    (tmp_path / "book.pdf").write_bytes(content)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="teddy-memory-book.pdf"'
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    for shown in (
        "Teddy Ashby",
        "Teddy loved the sea",
        "Our little lighthouse.",
        "Nana Jo",
        "He shone so brightly.",
        "Forever in the waves.",
    ):
        assert shown in text
    for hidden in ("Hidden comment.", "Waiting to be read.", "Refused words."):
        assert hidden not in text
    reader = PdfReader(io.BytesIO(content))
    images = [image for page in reader.pages for image in page.images]
    # The cover and the tribute's photo, at print resolution (the 1200 px originals).
    assert len(images) >= 2
    assert max(image.image.width for image in images) >= 1200


def test_nobody_but_the_family_gets_a_private_memorials_keepsake(client, owner, private_memorial):
    TributeFactory(memorial=private_memorial, message="Only for us.")
    for path in ("keepsake/", "memory-book.pdf"):
        assert client.get(f"/memorials/{private_memorial.slug}/{path}").status_code == 404
    client.force_login(owner)
    response = download(client, f"/memorials/{private_memorial.slug}/memory-book.pdf")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "Only for us." in pdf_text(b"".join(response.streaming_content))


def test_the_memory_book_asks_an_address_to_wait_past_its_limit(client, memorial, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "memory_book": {"client": "2/h"}}
    for _ in range(2):
        assert client.get(f"/memorials/{memorial.slug}/memory-book.pdf").status_code == 202
    response = client.get(f"/memorials/{memorial.slug}/memory-book.pdf")
    assert response.status_code == 429
    assert "Please wait a few minutes" in response.content.decode()
    assert int(response["Retry-After"]) > 0


def test_the_memorial_page_links_to_the_keepsakes_and_prints_without_forms(client, memorial):
    page = client.get(memorial.get_absolute_url()).content.decode()
    assert 'href="/memorials/teddy/keepsake/"' in page
    assert 'href="/memorials/teddy/memory-book.pdf"' in page
    assert 'href="/memorials/teddy/card/"' in page
    assert 'href="/static/css/print.css" media="print"' in page


def book_files() -> list[str]:
    try:
        return default_storage.listdir("books")[1]
    except FileNotFoundError:
        return []


def test_the_book_is_kept_until_its_words_change_then_made_again(client, memorial):
    first = TributeFactory(memorial=memorial, message="The first words.")
    url = f"/memorials/{memorial.slug}/memory-book.pdf"
    download(client, url)
    kept = book_files()
    assert len(kept) == 1
    assert client.get(url).status_code == 200
    assert book_files() == kept

    later = TributeFactory(memorial=memorial, message="Words published later.")
    text = pdf_text(b"".join(download(client, url).streaming_content))
    assert "Words published later." in text
    assert len(book_files()) == 1 and book_files() != kept

    later.status = Status.REJECTED
    later.save()
    first.message = "The first words, corrected."
    first.save()
    text = pdf_text(b"".join(download(client, url).streaming_content))
    assert "Words published later." not in text
    assert "The first words, corrected." in text


def test_many_asking_at_once_queue_one_making_of_the_book(client, memorial):
    url = f"/memorials/{memorial.slug}/memory-book.pdf"
    for _ in range(3):
        assert client.get(url).status_code == 202
    assert run_due_tasks() == 1
    assert client.get(url).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_deleted_memorial_leaves_no_book_behind(client, memorial):
    download(client, f"/memorials/{memorial.slug}/memory-book.pdf")
    assert len(book_files()) == 1
    memorial.delete()
    assert book_files() == []
