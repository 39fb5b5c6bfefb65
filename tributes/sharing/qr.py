"""QR codes of a memorial's address, for an order of service or a card at the funeral (segno)."""

from __future__ import annotations

import io

import segno
from django.conf import settings

from tributes.models import Memorial


def memorial_address(memorial: Memorial) -> str:
    return f"{settings.SITE_URL}{memorial.get_absolute_url()}"


def memorial_qr_svg(memorial: Memorial) -> bytes:
    """An SVG QR code of the memorial's address, with a title for screen readers.

    Error correction "Q" (a quarter of the code may be smudged or folded) because it is printed.
    """
    code = segno.make(memorial_address(memorial), error="q", boost_error=False)
    buffer = io.BytesIO()
    code.save(
        buffer,
        kind="svg",
        scale=8,
        border=4,
        dark="#1f2430",
        light="#ffffff",
        title=memorial.name,
        xmldecl=False,
        nl=False,
    )
    return buffer.getvalue()
