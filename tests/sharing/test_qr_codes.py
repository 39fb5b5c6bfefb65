"""The QR code of a memorial's address, alone as SVG and on a card to print."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import pytest
import segno

pytestmark = pytest.mark.django_db


def test_the_qr_code_is_an_svg_of_the_memorials_address(client, memorial):
    response = client.get(f"/memorials/{memorial.slug}/qr.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    root = ET.fromstring(response.content)  # noqa: S314 (our own response)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.find("{http://www.w3.org/2000/svg}title").text == "Teddy Ashby"
    # The same code segno makes for the address: the matrix encodes exactly that text.
    expected = io.BytesIO()
    segno.make("http://127.0.0.1:8000/memorials/teddy/", error="q", boost_error=False).save(
        expected,
        kind="svg",
        scale=8,
        border=4,
        dark="#1f2430",
        light="#ffffff",
        title="Teddy Ashby",
        xmldecl=False,
        nl=False,
    )
    assert response.content == expected.getvalue()


def test_the_card_shows_the_name_the_code_and_the_address_to_type(client, memorial):
    page = client.get(f"/memorials/{memorial.slug}/card/").content.decode()
    assert "Teddy Ashby" in page
    assert 'src="/memorials/teddy/qr.svg"' in page
    assert "http://127.0.0.1:8000/memorials/teddy/" in page
    assert 'media="print"' in page


def test_a_stranger_gets_neither_code_nor_card_of_a_private_memorial(client, private_memorial):
    assert client.get(f"/memorials/{private_memorial.slug}/qr.svg").status_code == 404
    assert client.get(f"/memorials/{private_memorial.slug}/card/").status_code == 404


def test_the_family_gets_the_code_of_their_private_memorial_kept_out_of_caches(
    client, owner, private_memorial
):
    client.force_login(owner)
    response = client.get(f"/memorials/{private_memorial.slug}/qr.svg")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert client.get(f"/memorials/{private_memorial.slug}/card/").status_code == 200
