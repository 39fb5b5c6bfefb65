"""The favicon, touch icon and web manifest: present on every page, kept long by browsers."""

from __future__ import annotations

import io
import json

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from PIL import Image, ImageChops, ImageStat

pytestmark = pytest.mark.django_db


def test_every_page_names_the_icons_and_the_manifest(client):
    page = client.get("/").content.decode()
    assert '<link rel="icon" href="/favicon.ico"' in page
    assert '<link rel="icon" href="/static/img/icons/favicon.svg" type="image/svg+xml">' in page
    assert '<link rel="apple-touch-icon" href="/static/img/icons/apple-touch-icon.png">' in page
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page


def test_the_favicon_is_an_icon_with_three_sizes_kept_for_a_month(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert "public" in response["Cache-Control"]
    assert "max-age=2592000" in response["Cache-Control"]
    icon = Image.open(io.BytesIO(response.content))
    assert icon.format == "ICO"
    assert icon.info["sizes"] == {(16, 16), (32, 32), (48, 48)}


def test_the_manifest_lists_icons_that_exist_at_their_stated_sizes(client):
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    assert "max-age=2592000" in response["Cache-Control"]
    manifest = json.loads(response.content)
    assert manifest["name"] == "Memorial"
    assert manifest["start_url"] == "/"
    purposes = set()
    for icon in manifest["icons"]:
        path = finders.find(icon["src"].removeprefix("/static/"))
        assert path, icon["src"]
        if icon["type"] == "image/png":
            width, height = Image.open(path).size
            assert icon["sizes"] == f"{width}x{height}"
        purposes.add(icon.get("purpose", "any"))
    assert purposes == {"any", "maskable"}


def test_the_touch_icon_is_an_opaque_180_pixel_png():
    image = Image.open(finders.find("img/icons/apple-touch-icon.png"))
    assert (image.format, image.size, image.mode) == ("PNG", (180, 180), "RGB")


def test_make_icons_draws_the_committed_files_again(tmp_path):
    call_command("make_icons", folder=tmp_path, stdout=io.StringIO())
    for name in ("icon-192.png", "icon-512.png", "icon-maskable-512.png", "apple-touch-icon.png"):
        drawn = Image.open(tmp_path / name)
        committed = Image.open(finders.find(f"img/icons/{name}"))
        assert drawn.size == committed.size
        # The same drawing; another Pillow may smooth an edge a shade differently.
        difference = ImageStat.Stat(ImageChops.difference(drawn, committed.convert(drawn.mode)))
        assert max(difference.mean) < 1
