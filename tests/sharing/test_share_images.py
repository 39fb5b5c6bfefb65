"""Link previews: Open Graph and Twitter meta, and the share image of memorials and events."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from tests.support.factories import CandleEventFactory, MemorialFactory
from tests.support.photos import make_photo
from tributes.models import Visibility
from tributes.sharing import cards

pytestmark = pytest.mark.django_db


def meta(page: str, key: str) -> str | None:
    match = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)"', page)
    return match.group(1) if match else None


def image_path(page: str) -> str:
    """The og:image address, made relative so the test client can ask for it."""
    url = meta(page, "og:image")
    assert url, "the page has no og:image"
    return url.removeprefix("http://127.0.0.1:8000")


def test_a_public_memorial_page_has_a_preview_with_its_name_and_story(client, memorial):
    page = client.get(memorial.get_absolute_url()).content.decode()
    assert meta(page, "og:title") == "Remembering Teddy Ashby"
    assert meta(page, "twitter:card") == "summary_large_image"
    assert meta(page, "og:url") == "http://127.0.0.1:8000/memorials/teddy/"
    assert meta(page, "description") == "A short life, deeply loved."
    assert meta(page, "og:description") == "A short life, deeply loved."
    assert meta(page, "og:image:width") == "1200"
    assert meta(page, "og:image:height") == "630"


def test_the_share_image_is_a_1200_by_630_png_that_caches_may_keep(client, memorial):
    page = client.get(memorial.get_absolute_url()).content.decode()
    response = client.get(image_path(page))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "public" in response["Cache-Control"]
    image = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert image.format == "PNG"
    assert image.size == (1200, 630)


def test_the_share_image_shows_the_cover_photo(client, memorial):
    memorial.cover_photo = make_photo(memorial)  # left half red, right half blue
    memorial.save()
    response = client.get(f"/memorials/{memorial.slug}/share.png")
    image = Image.open(io.BytesIO(b"".join(response.streaming_content))).convert("RGB")
    red, green, blue = image.getpixel((120, 315))
    assert red > 180 and green < 80 and blue < 80


def test_a_changed_memorial_gets_a_new_image_and_the_old_one_is_deleted(client, memorial):
    first = image_path(client.get(memorial.get_absolute_url()).content.decode())
    client.get(first)
    old_name = cards.memorial_card(memorial).storage_name
    assert default_storage.exists(old_name)

    memorial.name = "Edward Ashby"
    memorial.save()
    second = image_path(client.get(memorial.get_absolute_url()).content.decode())
    assert second != first
    assert client.get(second).status_code == 200
    assert not default_storage.exists(old_name)
    assert default_storage.exists(cards.memorial_card(memorial).storage_name)


@pytest.mark.parametrize("visibility", [Visibility.PRIVATE, Visibility.UNLISTED])
def test_private_and_unlisted_memorials_have_no_preview_even_for_their_family(
    client, owner, visibility
):
    hidden = MemorialFactory(
        name="Quiet Person", slug="quiet", visibility=visibility, owners=[owner]
    )
    client.force_login(owner)
    page = client.get(hidden.get_absolute_url()).content.decode()
    assert 'content="noindex, nofollow"' in page
    for key in ("og:image", "og:title", "twitter:card", "description"):
        assert meta(page, key) is None
    assert client.get(f"/memorials/{hidden.slug}/share.png").status_code == 404
    assert not default_storage.exists("share") or not default_storage.listdir("share")[1]


def test_a_stranger_never_gets_the_share_image_of_a_private_memorial(client, private_memorial):
    assert client.get(f"/memorials/{private_memorial.slug}/share.png").status_code == 404


def test_a_public_event_has_a_preview_and_an_image(client, event):
    page = client.get(event.get_absolute_url()).content.decode()
    assert meta(page, "og:title") == "Candles for Teddy"
    response = client.get(image_path(page))
    image = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert (image.format, image.size) == ("PNG", (1200, 630))


def test_a_site_wide_event_has_a_preview(client):
    wave = CandleEventFactory(memorial=None, title="Wave of Light", is_floating=True, time_zone="")
    page = client.get(wave.get_absolute_url()).content.decode()
    assert meta(page, "og:title") == "Wave of Light"
    assert client.get(image_path(page)).status_code == 200


@pytest.mark.parametrize("visibility", [Visibility.PRIVATE, Visibility.UNLISTED])
def test_events_of_hidden_memorials_have_no_preview(client, owner, visibility):
    hidden = MemorialFactory(visibility=visibility, owners=[owner])
    event = CandleEventFactory(memorial=hidden, slug="hidden-candles")
    client.force_login(owner)
    page = client.get(event.get_absolute_url()).content.decode()
    assert meta(page, "og:image") is None
    assert client.get("/candles/hidden-candles/share.png").status_code == 404
    client.logout()
    assert client.get("/candles/hidden-candles/share.png").status_code == 404


def test_the_home_page_has_a_preview_and_may_be_indexed(client):
    page = client.get("/").content.decode()
    assert 'content="index, follow"' in page
    assert meta(page, "og:title") == "Memorial"
    assert meta(page, "description")
    assert meta(page, "og:image").endswith("icon-512.png")


def test_a_name_too_long_for_three_lines_still_makes_an_image(memorial):
    memorial.name = "Wolfeschlegelsteinhausenbergerdorff " * 8
    png = cards.render(cards.memorial_card(memorial))
    assert Image.open(io.BytesIO(png)).size == (1200, 630)


def share_files() -> list[str]:
    try:
        return default_storage.listdir("share")[1]
    except FileNotFoundError:
        return []


@pytest.mark.django_db(transaction=True)
def test_a_memorial_made_private_loses_its_stored_images_and_its_events_too(client, event):
    memorial = event.memorial
    assert client.get(f"/memorials/{memorial.slug}/share.png").status_code == 200
    assert client.get(f"/candles/{event.slug}/share.png").status_code == 200
    assert len(share_files()) == 2
    memorial.visibility = Visibility.PRIVATE
    memorial.save()
    assert share_files() == []


@pytest.mark.django_db(transaction=True)
def test_a_deleted_memorial_leaves_no_image_behind(client, memorial):
    client.get(f"/memorials/{memorial.slug}/share.png")
    assert len(share_files()) == 1
    memorial.delete()
    assert share_files() == []
