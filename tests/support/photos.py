"""Images built in memory for the photo tests: good photos, odd ones and hostile files."""

from __future__ import annotations

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from tributes.photos.storage import save_photo


def encode(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def landscape(size=(1200, 900), *, mode="RGB") -> Image.Image:
    """Left half red, right half blue: easy to check which way up it ended."""
    image = Image.new("RGB", size, (220, 30, 30))
    image.paste((30, 30, 220), (size[0] // 2, 0, size[0], size[1]))
    return image.convert(mode) if mode != "RGB" else image


def jpeg(size=(1200, 900), **options) -> bytes:
    return encode(landscape(size), "JPEG", quality=90, **options)


def gps_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Pocket Camera 12"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 30.0, 26.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (0.0, 7.0, 39.0)
    return exif


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_16bit_rgb(size=(64, 48), color=(0x8000, 0x4000, 0xC000)) -> bytes:
    """A 16-bit-per-channel RGB PNG (Pillow cannot write one, so it is put together here)."""
    width, height = size
    row = b"\x00" + struct.pack(">HHH", *color) * width
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 16, 2, 0, 0, 0))
        + png_chunk(b"IDAT", zlib.compress(row * height))
        + png_chunk(b"IEND", b"")
    )


def png_declaring(width: int, height: int) -> bytes:
    """A few hundred bytes whose header claims `width` x `height` pixels."""
    row = b"\x00" + b"\x00" * 3 * 10
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + png_chunk(b"IDAT", zlib.compress(row * 10))
        + png_chunk(b"IEND", b"")
    )


def animated_gif(frames: int, size=(40, 30)) -> bytes:
    colours = [(200, 0, 0), (0, 200, 0), (0, 0, 200)]
    images = [Image.new("RGB", size, colours[n % 3]) for n in range(frames)]
    return encode(images[0], "GIF", save_all=True, append_images=images[1:], duration=40)


def upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def make_photo(memorial, *, size=(1200, 900), alt_text="A photo"):
    """A Photo stored through the real pipeline."""
    return save_photo(upload(jpeg(size)), memorial=memorial, alt_text=alt_text)


def display_p3_profile() -> bytes:
    """An ICC profile with Display P3 primaries, as iPhones tag their photos.

    Made from Little CMS's sRGB profile by replacing its three colorants with Display P3's
    (adapted to D50, as in Apple's profile); the tone curves of both are the same.
    """
    from PIL import ImageCms

    profile = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    colorants = {
        b"rXYZ": (0.515121, 0.241196, -0.001053),
        b"gXYZ": (0.291977, 0.692245, 0.041885),
        b"bXYZ": (0.157104, 0.066574, 0.784073),
    }
    (count,) = struct.unpack(">I", profile[128:132])
    for index in range(count):
        signature, offset, _size = struct.unpack(
            ">4sII", profile[132 + 12 * index : 144 + 12 * index]
        )
        if signature in colorants:
            values = [round(v * 65536) for v in colorants[signature]]
            profile[offset + 8 : offset + 20] = struct.pack(">iii", *values)
    return bytes(profile)
