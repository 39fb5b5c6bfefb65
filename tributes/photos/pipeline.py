"""Photos: check an upload, clean it, re-encode it, store it.

Every accepted image is decoded and drawn again as WebP at a few widths: no byte of the upload is
ever stored or served, so nothing hidden in it (EXIF with GPS, XMP, comments, HTML appended after
the image data) survives. Images are recognised by their content alone, and only by the decoders
listed in ACCEPTED_FORMATS: some formats Pillow knows (EPS) would run external programs.

`prepare_photo(upload)` checks and re-encodes an upload into a `PreparedPhoto`; the form field
(photos/fields.py) calls it, and photos/storage.py stores the result.
"""

from __future__ import annotations

import io
import logging
import warnings
from dataclasses import dataclass, field

import pillow_heif
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import ExifTags, Image, ImageCms

logger = logging.getLogger(__name__)

# HEIC/HEIF from iPhones. Thumbnails, depth maps and auxiliary images are never used: not decoding
# them keeps less of libheif exposed to what visitors upload.
pillow_heif.register_heif_opener(thumbnails=False, depth_images=False, aux_images=False)

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "HEIF")
ACCEPT_ATTRIBUTE = "image/jpeg,image/png,image/webp,image/gif,image/heic,image/heif,.heic,.heif"
# Widths stored for every photo (never wider than the upload): phones, tablets, large screens.
RENDITION_WIDTHS = (400, 800, 1600)
WEBP_QUALITY = 80
# libwebp's effort from 0 to 6: bench/images.py measured 4 (Pillow's default) three times slower
# than 1 for files only 3% smaller.
WEBP_METHOD = 1
# Transparent areas are painted the colour of the cards photos are shown on.
BACKGROUND = (255, 255, 255)

SRGB_PROFILE = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


@dataclass(frozen=True)
class Rendition:
    width: int
    height: int
    data: bytes = field(repr=False)


@dataclass(frozen=True)
class PreparedPhoto:
    """A checked, cleaned image, ready to store: only re-encoded WebP bytes, widest last."""

    renditions: tuple[Rendition, ...]

    @property
    def width(self) -> int:
        return self.renditions[-1].width

    @property
    def height(self) -> int:
        return self.renditions[-1].height


MESSAGES = {
    "empty": _("This file is empty. Please choose a photo."),
    "too_big": _(
        "This file is %(size)s, more than the %(limit)s we can take. Please choose a smaller copy "
        "of the photo."
    ),
    "not_a_photo": _(
        "We could not open this file as a photo. Please choose a JPEG, PNG, WebP, GIF or HEIC image."
    ),
    "too_many_pixels": _(
        "This photo has more than the %(limit)s megapixels we can take. Please choose a smaller "
        "copy."
    ),
    "too_many_frames": _(
        "This animation has more than %(limit)s frames. Please choose a still photo or a shorter "
        "animation."
    ),
    "damaged": _("This photo seems damaged or incomplete. Please try another copy."),
}


def _refuse(code: str, **params) -> ValidationError:
    return ValidationError(MESSAGES[code], code=code, params=params)


def prepare_photo(upload) -> PreparedPhoto:
    """Check `upload` (a Django File or any binary file object) and re-encode it.

    Raises ValidationError with a message for the person who chose the file. Decodes the image:
    about 0.4 s and 120 MB of memory for a 12 megapixel JPEG on one core (bench/images.py).
    """
    size = upload.size if hasattr(upload, "size") else len(upload.getbuffer())
    if size == 0:
        raise _refuse("empty")
    if size > settings.PHOTO_MAX_UPLOAD_BYTES:
        raise _refuse(
            "too_big",
            size=filesizeformat(size),
            limit=filesizeformat(settings.PHOTO_MAX_UPLOAD_BYTES),
        )
    upload.seek(0)
    with warnings.catch_warnings():
        # Pillow warns about a possible decompression bomb above its own limit: refuse instead.
        # (PHOTO_MAX_PIXELS, checked just after, is lower by default: this guards a raised one.)
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(upload, formats=ACCEPTED_FORMATS)
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise _refuse("too_many_pixels", limit=_megapixels()) from None
        except Exception as error:
            # Not an image we accept (SVG, PDF, TIFF, text...) or a header too broken to read.
            logger.info("Refused an upload that is not a photo: %r", error)
            raise _refuse("not_a_photo") from None
        with image:
            return _prepare_opened(image)


def _megapixels() -> str:
    return f"{settings.PHOTO_MAX_PIXELS / 1_000_000:g}"


# How to turn the stored pixels upright for each EXIF orientation (as ImageOps.exif_transpose).
UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _prepare_opened(image: Image.Image) -> PreparedPhoto:
    width, height = image.size
    # The header's dimensions are checked before a single pixel is decoded.
    if width * height > settings.PHOTO_MAX_PIXELS:
        raise _refuse("too_many_pixels", limit=_megapixels())
    try:
        # Counting GIF frames walks the file without decoding the pixels.
        if getattr(image, "n_frames", 1) > settings.PHOTO_MAX_FRAMES:
            raise _refuse("too_many_frames", limit=settings.PHOTO_MAX_FRAMES)
        image.seek(0)
        orientation = image.getexif().get(ExifTags.Base.Orientation, 1)
        _decode_no_larger_than_needed(image, turned=orientation in (5, 6, 7, 8))
        srgb = _to_srgb(image, icc_profile=image.info.get("icc_profile"))
        return PreparedPhoto(renditions=tuple(_renditions(srgb, UPRIGHT.get(orientation))))
    except ValidationError:
        raise
    except Exception as error:
        # Pillow's decoders raise many kinds of error on hostile or broken input (OSError for a
        # truncated file, but also SyntaxError, struct.error, IndexError...): all mean the same.
        logger.info("Refused a damaged photo: %r", error)
        raise _refuse("damaged") from None


def _decode_no_larger_than_needed(image: Image.Image, *, turned: bool) -> None:
    """Load the pixels, letting the JPEG decoder scale down by 2, 4 or 8 when that is enough.

    A 48 megapixel JPEG decoded at a quarter of its size takes a sixteenth of the memory and time.
    """
    widest = max(RENDITION_WIDTHS)
    width, height = image.size
    # A photo turned a quarter shows its stored height as its width.
    shown_width = height if turned else width
    if shown_width > widest:
        scale = widest / shown_width
        image.draft(None, (max(1, int(width * scale)), max(1, int(height * scale))))
    image.load()


def _to_srgb(image: Image.Image, *, icc_profile: bytes | None) -> Image.Image:
    """An RGB image in sRGB that looks like the upload: no transparency, 8 bits per channel.

    The modes named are those our decoders hand over (Pillow's JPEG, PNG, WebP and GIF, and
    pillow-heif); any other becomes RGB as Pillow converts it.
    """
    if image.mode == "I;16":
        # 16-bit grey (a PNG's): scale 0..65535 down to 0..255 (a plain conversion would clip it to white).
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    elif image.mode == "RGBa":
        # Premultiplied alpha: libheif hands some HEIC photos over so.
        image = image.convert("RGBA")
    elif "transparency" in image.info:
        # One colour marked transparent (a GIF's, or a PNG's tRNS chunk) becomes an alpha channel.
        image = image.convert("RGBA")
    elif image.mode == "P":
        # A palette's colours as RGB, so that its colour profile applies to them.
        image = image.convert("RGB")

    alpha = None
    if image.mode in ("RGBA", "LA"):
        alpha = image.getchannel("A")
        image = image.convert("RGB" if image.mode.startswith("RGB") else "L")

    if icc_profile and image.mode in ("RGB", "CMYK", "L"):
        try:
            image = ImageCms.profileToProfile(
                image,
                ImageCms.ImageCmsProfile(io.BytesIO(icc_profile)),
                SRGB_PROFILE,
                outputMode="RGB",
            )
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError) as error:
            # A broken or unusual profile: keep the colours as they are rather than refuse.
            logger.info("Ignored a colour profile Pillow could not use: %r", error)
    if image.mode != "RGB":
        image = image.convert("RGB")

    if alpha is not None:
        flat = Image.new("RGB", image.size, BACKGROUND)
        flat.paste(image, mask=alpha)
        image = flat
    return image


def _renditions(image: Image.Image, upright: Image.Transpose | None) -> list[Rendition]:
    """WebP encodings at RENDITION_WIDTHS, never wider than the upright image, narrowest first.

    The image is shrunk before it is turned upright: turning a 1600 px copy is quicker.
    """
    turned = upright in (
        Image.Transpose.TRANSPOSE,
        Image.Transpose.ROTATE_270,
        Image.Transpose.TRANSVERSE,
        Image.Transpose.ROTATE_90,
    )
    full_width, full_height = (image.height, image.width) if turned else image.size
    widest = min(full_width, max(RENDITION_WIDTHS))
    widths = sorted({w for w in RENDITION_WIDTHS if w < widest} | {widest})
    result = []
    source = image
    for width in reversed(widths):
        height = max(1, round(full_height * width / full_width))
        size = (height, width) if turned else (width, height)
        if source.size != size:
            # Each size is made from the next larger one: quicker, and as sharp at these ratios.
            source = source.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
        shown = source.transpose(upright) if upright is not None else source
        # A fresh image with no `info`: nothing from the upload's metadata can reach the encoder.
        clean = Image.new("RGB", shown.size)
        clean.paste(shown)
        buffer = io.BytesIO()
        clean.save(buffer, "WEBP", quality=WEBP_QUALITY, method=WEBP_METHOD)
        result.append(Rendition(width=width, height=height, data=buffer.getvalue()))
    result.reverse()
    return result
