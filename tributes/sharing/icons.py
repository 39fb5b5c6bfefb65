"""The site's icons (favicon, touch icon, manifest icons), drawn once by `manage.py make_icons`.

The files are committed under static/img/icons/ so that a deployment needs no drawing step; the
command exists so that anyone can see how they were made and draw them again.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

from tributes.sharing.drawing import NIGHT, draw_candle

# Drawn this many times larger, then reduced: smooth edges at every size.
OVERSAMPLE = 4
FAVICON_SIZES = [(16, 16), (32, 32), (48, 48)]


def icon(size: int, *, maskable: bool = False) -> Image.Image:
    """A lit candle on the night colour. A maskable icon keeps it inside the central 80%."""
    big = size * OVERSAMPLE
    image = Image.new("RGB", (big, big), NIGHT)
    draw = ImageDraw.Draw(image)
    margin = big * (0.2 if maskable else 0.08)
    draw_candle(draw, cx=big / 2, top=margin, bottom=big - margin, width=(big - 2 * margin) * 0.34)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def write_icons(folder: Path) -> list[Path]:
    """Write every icon file into `folder`; returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, size, maskable in [
        ("icon-192.png", 192, False),
        ("icon-512.png", 512, False),
        ("icon-maskable-512.png", 512, True),
        # iOS rounds the corners itself and wants no transparency.
        ("apple-touch-icon.png", 180, False),
    ]:
        path = folder / name
        icon(size, maskable=maskable).save(path, optimize=True)
        written.append(path)
    favicon = folder / "favicon.ico"
    icon(48).save(favicon, sizes=FAVICON_SIZES)
    written.append(favicon)
    return written
