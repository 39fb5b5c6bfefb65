"""Share images (Open Graph and Twitter cards): 1200x630 PNGs drawn with Pillow, kept in storage.

A card is described by what it shows; its file name carries a fingerprint of that, so a memorial
whose name, dates or cover photo change gets a new image (and the old one is deleted) the next
time its preview is asked for. Only rules.py decides who may have one: never a private memorial.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont, ImageOps

from tributes.models import CandleEvent, Memorial, Photo
from tributes.sharing import stored
from tributes.sharing.drawing import INK, MUTED, NIGHT, PAPER, draw_candle
from tributes.zones import zone_time_name

CARD_SIZE = (1200, 630)
# Change it when the drawing changes, so that every card is drawn again.
CARD_VERSION = "1"
SHARE_FOLDER = "share"
# Debian's fonts-dejavu-core (installed by .ci/run, named in the README); without it Pillow's own
# scalable font is used.
FONT_FOLDER = Path("/usr/share/fonts/truetype/dejavu")
# The photo rendition a card is drawn from: the 630 px square needs no more.
PHOTO_WIDTH = 800
PANEL_WIDTH = 480


@dataclass(frozen=True)
class Card:
    kind: str
    pk: int
    kicker: str
    title: str
    lines: tuple[str, ...]
    cover_photo_id: int | None

    @property
    def fingerprint(self) -> str:
        shown = "\n".join(
            [CARD_VERSION, settings.SITE_NAME, self.kicker, self.title, *self.lines]
            + [str(self.cover_photo_id or "")]
        )
        return hashlib.sha256(shown.encode()).hexdigest()[:16]

    @property
    def prefix(self) -> str:
        return f"{self.kind}-{self.pk}-"

    @property
    def storage_name(self) -> str:
        return f"{SHARE_FOLDER}/{self.prefix}{self.fingerprint}.png"


def memorial_dates(memorial: Memorial) -> str:
    """The dates as the memorial page writes them: "9 March 2026 – 1 May 2026"."""
    born, died = memorial.born_on, memorial.died_on
    if born and died and born == died:
        return _("Born and died on %(date)s") % {"date": date_format(born, "j F Y")}
    return " – ".join(date_format(day, "j F Y") for day in (born, died) if day)


def memorial_card(memorial: Memorial) -> Card:
    """What a memorial's card shows. Reads no related rows (the cover photo by its id only)."""
    lines = tuple(line for line in (memorial_dates(memorial), memorial.age_note) if line)
    return Card(
        kind="memorial",
        pk=memorial.pk,
        kicker=_("Remembering"),
        title=memorial.name,
        lines=lines,
        cover_photo_id=memorial.cover_photo_id,
    )


def event_when(event: CandleEvent) -> str:
    day = date_format(event.local_date, "j F Y")
    time = time_format(event.local_time, "H:i")
    if event.is_floating:
        return _("%(date)s, %(time)s wherever you are") % {"date": day, "time": time}
    return _("%(date)s, %(time)s %(zone)s") % {
        "date": day,
        "time": time,
        "zone": zone_time_name(event.time_zone),
    }


def event_card(event: CandleEvent) -> Card:
    """What an event's card shows: its title, when, and whose memory. Reads `event.memorial`."""
    memorial = event.memorial
    lines = [event_when(event)]
    if memorial is not None:
        lines.append(_("In memory of %(name)s") % {"name": memorial.name})
    return Card(
        kind="event",
        pk=event.pk,
        kicker=_("Candles lit together"),
        title=event.title,
        lines=tuple(lines),
        cover_photo_id=memorial.cover_photo_id if memorial is not None else None,
    )


@cache
def font(size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = FONT_FOLDER / ("DejaVuSerif-Bold.ttf" if bold else "DejaVuSerif.ttf")
    if path.exists():
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)


def wrap(draw: ImageDraw.ImageDraw, text: str, typeface, width: int) -> list[str]:
    """Lines of `text` no wider than `width`; a word too long for one line is cut where it must."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if draw.textlength(candidate, font=typeface) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        for letter in word:
            if draw.textlength(current + letter, font=typeface) > width and current:
                lines.append(current)
                current = ""
            current += letter
    if current:
        lines.append(current)
    return lines


def fitted_title(draw: ImageDraw.ImageDraw, title: str, width: int) -> tuple[object, list[str]]:
    """The largest size at which the title fits in three lines (shortened at the smallest)."""
    for size in (76, 66, 58, 50, 44):
        typeface = font(size, bold=True)
        lines = wrap(draw, title, typeface, width)
        if len(lines) <= 3:
            return typeface, lines
    lines = lines[:3]
    lines[-1] = lines[-1][:-1].rstrip() + "…"
    return typeface, lines


def cover_image(photo_id: int | None) -> Image.Image | None:
    """The cover photo as an RGB image, or None when there is none (or its file is gone)."""
    if photo_id is None:
        return None
    photo = Photo.objects.filter(pk=photo_id).first()
    if photo is None or not photo.renditions:
        return None
    widths = [rendition["width"] for rendition in photo.renditions]
    width = next((w for w in widths if w >= PHOTO_WIDTH), widths[-1])
    try:
        with default_storage.open(photo.rendition_name(width)) as file, Image.open(file) as image:
            return image.convert("RGB")
    except (FileNotFoundError, OSError):
        return None


def render(card: Card) -> bytes:
    """The card as PNG bytes. Opens the cover photo's file when there is one."""
    width, height = CARD_SIZE
    image = Image.new("RGB", CARD_SIZE, PAPER)
    draw = ImageDraw.Draw(image)
    # A portrait panel on the left: most cover photos are of a person.
    side = PANEL_WIDTH
    photo = cover_image(card.cover_photo_id)
    if photo is not None:
        image.paste(ImageOps.fit(photo, (side, height), Image.Resampling.LANCZOS), (0, 0))
    else:
        draw.rectangle((0, 0, side, height), fill=NIGHT)
        draw_candle(draw, cx=side / 2, top=height * 0.14, bottom=height * 0.86, width=side * 0.28)
    left = side + 60
    text_width = width - left - 60
    y = 84
    draw.text((left, y), card.kicker, font=font(30), fill=MUTED)
    y += 60
    typeface, title_lines = fitted_title(draw, card.title, text_width)
    line_height = round(typeface.size * 1.18) if hasattr(typeface, "size") else 60
    for line in title_lines:
        draw.text((left, y), line, font=typeface, fill=INK)
        y += line_height
    y += 24
    for text in card.lines:
        for line in wrap(draw, text, font(30), text_width)[:2]:
            draw.text((left, y), line, font=font(30), fill=INK)
            y += 42
        y += 6
    draw.text((left, height - 84), settings.SITE_NAME, font=font(28, bold=True), fill=MUTED)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def stored_image(card: Card) -> str:
    """The storage name of the card's PNG, drawn first if this version is not stored yet."""
    return stored.kept(SHARE_FOLDER, card.prefix, card.fingerprint, ".png", lambda: render(card))


def delete_share_images(kind: str, pk: int) -> None:
    """Delete every stored card of one memorial or event ("memorial" or "event", its pk)."""
    stored.delete_versions(SHARE_FOLDER, f"{kind}-{pk}-")
