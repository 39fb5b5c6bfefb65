import io
import logging
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import ExifTags, Image, ImageCms, ImageFile, PngImagePlugin

from tests.support.factories import UserFactory
from tests.support.photos import (
    animated_gif,
    display_p3_profile,
    encode,
    gps_exif,
    jpeg,
    landscape,
    png_16bit_rgb,
    png_declaring,
    upload,
)
from tributes.models import Memorial, Photo
from tributes.photos.pipeline import prepare_photo
from tributes.photos.storage import save_photo, shared_by_alt_text

pytestmark = pytest.mark.django_db


def stored_files(photo: Photo) -> list[bytes]:
    files = []
    for rendition in photo.renditions:
        with default_storage.open(rendition["name"]) as stored:
            files.append(stored.read())
    return files


def assert_clean_webp(data: bytes) -> Image.Image:
    """A WebP file holding only pixels: no EXIF, XMP or colour profile, nothing after it."""
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    assert int.from_bytes(data[4:8], "little") + 8 == len(data)
    for marker in (b"EXIF", b"XMP ", b"ICCP", b"Exif"):
        assert marker not in data
    image = Image.open(io.BytesIO(data))
    assert image.format == "WEBP"
    assert not image.getexif()
    image.load()
    return image


def refusal_code(data: bytes, name="photo.jpg") -> str:
    with pytest.raises(ValidationError) as refused:
        prepare_photo(upload(data, name))
    return refused.value.code


def only_pixel(data: bytes, xy=(0, 0)):
    prepared = prepare_photo(upload(data))
    return Image.open(io.BytesIO(prepared.renditions[-1].data)).convert("RGB").getpixel(xy)


def close_to(actual, expected, tolerance=12) -> bool:
    return all(abs(a - e) <= tolerance for a, e in zip(actual, expected, strict=True))


ACCEPTED = {
    "jpeg": lambda: jpeg((2000, 1500)),
    "png": lambda: encode(landscape((2000, 1500)), "PNG"),
    "webp": lambda: encode(landscape((2000, 1500)), "WEBP"),
    "gif": lambda: encode(landscape((2000, 1500)), "GIF"),
    "heic": lambda: encode(landscape((2000, 1500)), "HEIF", exif=gps_exif().tobytes()),
}


@pytest.mark.parametrize("kind", ACCEPTED)
def test_each_accepted_format_becomes_clean_webp_at_three_widths(kind, memorial):
    photo = save_photo(upload(ACCEPTED[kind](), f"IMG_0042.{kind}"), memorial=memorial)
    assert [r["width"] for r in photo.renditions] == [400, 800, 1600]
    assert [r["height"] for r in photo.renditions] == [300, 600, 1200]
    assert (photo.width, photo.height) == (1600, 1200)
    for rendition, data in zip(photo.renditions, stored_files(photo), strict=True):
        image = assert_clean_webp(data)
        # Each file is as large as it says: a phone asking for 400 px is not sent 2000.
        assert image.size == (rendition["width"], rendition["height"])
        assert close_to(image.convert("RGB").getpixel((5, 5)), (220, 30, 30), tolerance=20)


def test_stored_names_are_random_and_keep_nothing_of_the_file_name(memorial):
    first = save_photo(upload(jpeg(), "grandma-at-home.jpg"), memorial=memorial)
    second = save_photo(upload(jpeg(), "grandma-at-home.jpg"), memorial=memorial)
    names = [r["name"] for r in first.renditions + second.renditions]
    assert len(set(names)) == len(names)
    assert not any("grandma" in name for name in names)
    assert all(name.startswith("photos/") and name.endswith(".webp") for name in names)
    # Each photo's files share a random key of 24 characters (18 bytes), another for each photo:
    # from one photo's name nobody can guess another's.
    keys = [re.fullmatch(r"photos/([\w-]{24})-(400|800|1200)\.webp", name)[1] for name in names]
    assert len(set(keys[:3])) == len(set(keys[3:])) == 1 and keys[0] != keys[3]


def test_a_jpeg_with_gps_exif_keeps_no_exif_in_any_stored_version(memorial):
    data = jpeg(exif=gps_exif().tobytes(), comment=b"taken at home")
    assert b"PhoneMaker" in data
    photo = save_photo(upload(data), memorial=memorial)
    for stored in stored_files(photo):
        assert_clean_webp(stored)
        assert b"PhoneMaker" not in stored
        assert b"Pocket Camera" not in stored
        assert b"taken at home" not in stored


def test_a_rotated_phone_photo_is_stored_upright():
    # The camera wrote a landscape picture and "rotate 90 degrees clockwise to display".
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    prepared = prepare_photo(upload(jpeg((1200, 900), exif=exif.tobytes())))
    largest = Image.open(io.BytesIO(prepared.renditions[-1].data)).convert("RGB")
    assert largest.size == (900, 1200)
    # The red left half of the sensor is the top of the upright photo.
    assert close_to(largest.getpixel((450, 10)), (220, 30, 30), tolerance=20)
    assert close_to(largest.getpixel((450, 1190)), (30, 30, 220), tolerance=20)


def test_an_iphone_heic_taken_sideways_is_stored_upright_once():
    # libheif turns HEIC photos upright itself and clears the EXIF orientation.
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    data = encode(landscape((1200, 900)), "HEIF", exif=exif.tobytes())
    largest = Image.open(io.BytesIO(prepare_photo(upload(data)).renditions[-1].data))
    assert largest.size == (900, 1200)
    assert close_to(largest.convert("RGB").getpixel((450, 10)), (220, 30, 30), tolerance=20)


def test_a_large_rotated_jpeg_is_decoded_small_and_still_upright():
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 8
    prepared = prepare_photo(upload(jpeg((4000, 3000), exif=exif.tobytes())))
    assert [(r.width, r.height) for r in prepared.renditions] == [
        (400, 533),
        (800, 1067),
        (1600, 2133),
    ]


@pytest.fixture
def decoded_jpeg_sizes(monkeypatch) -> list[tuple[int, int]]:
    """The sizes Pillow's JPEG decoder is asked for, as the pixels are loaded (Pillow's own
    load, watched: the pipeline runs unchanged)."""
    sizes = []
    load = ImageFile.ImageFile.load

    def watched(image):
        if image.format == "JPEG" and image.tile:  # not yet loaded
            sizes.append(image.size)
        return load(image)

    monkeypatch.setattr(ImageFile.ImageFile, "load", watched)
    return sizes


def test_a_large_jpeg_is_decoded_at_the_size_its_widest_rendition_needs(decoded_jpeg_sizes):
    # 1600 px wide needs no more than half of 4000: a quarter of the memory and time.
    prepared = prepare_photo(upload(jpeg((4000, 3000))))
    assert decoded_jpeg_sizes == [(2000, 1500)]
    assert (prepared.width, prepared.height) == (1600, 1200)


@pytest.mark.parametrize(
    ("size", "orientation", "decoded"),
    [((4000, 4), 1, (2000, 2)), ((4, 4000), 6, (2, 2000))],
    ids=["banner", "banner turned upright"],
)
def test_a_long_thin_jpeg_is_decoded_wide_enough(decoded_jpeg_sizes, size, orientation, decoded):
    # Scaled to 1600 px wide the short side is under 2 px: the decoder still keeps 1600 of the width.
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    prepared = prepare_photo(upload(jpeg(size, exif=exif.tobytes())))
    assert decoded_jpeg_sizes == [decoded]
    # Every rendition keeps at least one pixel of the short side.
    assert [(r.width, r.height) for r in prepared.renditions] == [(400, 1), (800, 1), (1600, 2)]


def test_a_png_with_html_appended_or_in_a_text_chunk_is_stored_without_it(memorial):
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "<script>alert('chunk')</script>")
    data = encode(landscape(), "PNG", pnginfo=text) + b"<html><script>alert(1)</script></html>"
    photo = save_photo(upload(data, "photo.png"), memorial=memorial)
    for stored in stored_files(photo):
        assert b"<script>" not in stored
        assert b"alert" not in stored


def test_a_small_photo_is_never_upscaled():
    prepared = prepare_photo(upload(jpeg((300, 200))))
    assert [(r.width, r.height) for r in prepared.renditions] == [(300, 200)]


def test_a_medium_photo_gets_its_own_width_as_the_largest():
    prepared = prepare_photo(upload(jpeg((1000, 500))))
    assert [r.width for r in prepared.renditions] == [400, 800, 1000]


def test_it_refuses_huge_declared_dimensions_in_a_tiny_file():
    data = png_declaring(30_000, 30_000)
    assert len(data) < 200
    with pytest.raises(ValidationError) as refused:
        prepare_photo(upload(data, "photo.png"))
    assert refused.value.code == "too_many_pixels"
    # Pillow's own bomb guard refuses it, with the words of our limit (50 megapixels here).
    assert refused.value.messages == [
        "This photo has more than the 50 megapixels we can take. Please choose a smaller copy."
    ]


def test_it_refuses_a_photo_over_the_pixel_limit(settings):
    settings.PHOTO_MAX_PIXELS = 1_000_000
    with pytest.raises(ValidationError) as refused:
        prepare_photo(upload(jpeg((1200, 900))))
    assert refused.value.messages == [
        "This photo has more than the 1 megapixels we can take. Please choose a smaller copy."
    ]


def test_pillows_decompression_bomb_warning_is_a_refusal(settings, monkeypatch):
    settings.PHOTO_MAX_PIXELS = 10**9
    # Pillow warns above MAX_IMAGE_PIXELS and fails above twice that: 1000 x 800 is in between.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 500_000)
    assert refusal_code(jpeg((1000, 800))) == "too_many_pixels"


def test_it_refuses_a_truncated_jpeg():
    noisy = Image.effect_noise((800, 600), 60).convert("RGB")
    data = encode(noisy, "JPEG", quality=95)
    assert refusal_code(data[: len(data) // 2]) == "damaged"


def test_refusals_are_logged_with_pillows_reason_for_whoever_looks_into_them(caplog):
    noisy = encode(Image.effect_noise((800, 600), 60).convert("RGB"), "JPEG", quality=95)
    with caplog.at_level(logging.INFO, logger="tributes.photos.pipeline"):
        refusal_code(b"Thinking of you all today.\n")
        refusal_code(noisy[: len(noisy) // 2])
    not_a_photo, damaged = caplog.messages
    assert not_a_photo.startswith("Refused an upload that is not a photo: UnidentifiedImageError(")
    assert damaged.startswith("Refused a damaged photo: OSError(")


def test_a_colour_profile_pillow_cannot_use_is_logged_and_left_out(caplog):
    with caplog.at_level(logging.INFO, logger="tributes.photos.pipeline"):
        prepare_photo(upload(jpeg(icc_profile=b"not a profile at all")))
        # A photo with no profile at all has nothing to log.
        prepare_photo(upload(jpeg()))
    [ignored] = caplog.messages
    assert ignored.startswith("Ignored a colour profile Pillow could not use: ")
    assert ignored.endswith(
        ("Error('cannot open profile from string')", "Error('Invalid profile')")
    )


def test_it_refuses_an_empty_file():
    assert refusal_code(b"") == "empty"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        (
            "drawing.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="9"/></svg>',
        ),
        ("order-of-service.pdf", encode(landscape((200, 100)), "PDF")),
        ("scan.tiff", encode(landscape((200, 100)), "TIFF")),
        ("photo.jpg", b"Thinking of you all today.\n"),
        ("photo.jpg", b"<!doctype html><html><script>alert(1)</script></html>"),
        ("photo.jpg", b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n"),
        ("photo.jpg", b"8BPS\x00\x01" + b"\x00" * 40),
        ("photo.jpg", encode(landscape((200, 100)), "BMP")),
    ],
    ids=["svg", "pdf", "tiff", "text", "html", "eps", "psd", "bmp"],
)
def test_it_refuses_files_that_are_not_photos_we_accept(name, data):
    assert refusal_code(data, name) == "not_a_photo"


def test_it_refuses_a_gif_with_too_many_frames(settings):
    settings.PHOTO_MAX_FRAMES = 100
    assert refusal_code(animated_gif(150), "many.gif") == "too_many_frames"


def test_an_animated_gif_keeps_its_first_frame():
    prepared = prepare_photo(upload(animated_gif(3), "candle.gif"))
    assert len(prepared.renditions) == 1
    assert close_to(
        Image.open(io.BytesIO(prepared.renditions[0].data)).convert("RGB").getpixel((5, 5)),
        (200, 0, 0),
    )


def test_a_cmyk_jpeg_keeps_its_colours():
    data = encode(Image.new("CMYK", (300, 200), (0, 255, 255, 0)), "JPEG")
    assert close_to(only_pixel(data), (255, 0, 0), tolerance=20)


def test_a_16_bit_grey_png_stays_grey():
    data = encode(Image.new("I;16", (300, 200), 0x8000), "PNG")
    assert close_to(only_pixel(data), (128, 128, 128), tolerance=3)


def test_a_16_bit_colour_png_keeps_its_colours():
    assert close_to(only_pixel(png_16bit_rgb()), (128, 64, 192), tolerance=3)


def test_a_transparent_png_is_flattened_on_white_not_black():
    image = Image.new("RGBA", (300, 200), (0, 0, 0, 0))
    image.paste((200, 0, 0, 255), (100, 50, 200, 150))
    data = encode(image, "PNG")
    assert close_to(only_pixel(data, (10, 10)), (255, 255, 255), tolerance=3)
    assert close_to(only_pixel(data, (150, 100)), (200, 0, 0), tolerance=20)


def test_a_png_with_one_transparent_colour_is_flattened_on_white():
    image = Image.new("RGB", (300, 200), (0, 0, 0))
    image.paste((200, 0, 0), (100, 50, 200, 150))
    data = encode(image, "PNG", transparency=(0, 0, 0))
    assert close_to(only_pixel(data, (10, 10)), (255, 255, 255), tolerance=3)
    assert close_to(only_pixel(data, (150, 100)), (200, 0, 0), tolerance=20)


@pytest.mark.parametrize("mode", ["1", "L"], ids=["black and white", "grey"])
def test_a_black_and_white_or_grey_png_with_black_marked_transparent_is_flattened_on_white(mode):
    image = Image.new(mode, (300, 200), 0)
    image.paste(1 if mode == "1" else 100, (100, 50, 200, 150))
    data = encode(image, "PNG", transparency=0)
    assert close_to(only_pixel(data, (10, 10)), (255, 255, 255), tolerance=3)
    shade = 255 if mode == "1" else 100
    assert close_to(only_pixel(data, (150, 100)), (shade, shade, shade), tolerance=3)


def test_a_heic_with_premultiplied_transparency_is_flattened_on_white():
    image = Image.new("RGBA", (300, 200), (0, 0, 0, 0))
    image.paste((200, 0, 0, 255), (100, 50, 200, 150))
    data = encode(image.convert("RGBa"), "HEIF", quality=-1)
    assert Image.open(io.BytesIO(data)).mode == "RGBa"  # as libheif hands such photos over
    assert close_to(only_pixel(data, (10, 10)), (255, 255, 255), tolerance=3)
    assert close_to(only_pixel(data, (150, 100)), (200, 0, 0), tolerance=20)


def test_a_half_transparent_grey_png_is_blended_with_white():
    data = encode(Image.new("LA", (300, 200), (0, 128)), "PNG")
    assert close_to(only_pixel(data), (127, 127, 127), tolerance=4)


def test_a_palette_gif_with_a_transparent_colour_is_flattened_on_white():
    image = Image.new("P", (300, 200), 0)
    image.putpalette([0, 0, 0, 200, 0, 0] + [0] * 762)
    image.paste(1, (100, 50, 200, 150))
    data = encode(image, "GIF", transparency=0)
    assert close_to(only_pixel(data, (10, 10)), (255, 255, 255), tolerance=3)
    assert close_to(only_pixel(data, (150, 100)), (200, 0, 0), tolerance=20)


def test_a_palette_png_with_a_display_p3_profile_is_converted_to_srgb_too():
    p3 = display_p3_profile()
    colour = (40, 170, 60)
    palette = Image.new("RGB", (300, 200), colour).quantize(colors=4)
    assert palette.mode == "P"
    expected = only_pixel(encode(Image.new("RGB", (300, 200), colour), "PNG", icc_profile=p3))
    assert not close_to(expected, colour, tolerance=8)
    assert close_to(only_pixel(encode(palette, "PNG", icc_profile=p3)), expected, tolerance=3)


def test_a_transparent_png_with_a_display_p3_profile_is_converted_to_srgb_too():
    p3 = display_p3_profile()
    colour = (40, 170, 60)
    expected = only_pixel(encode(Image.new("RGB", (300, 200), colour), "PNG", icc_profile=p3))
    image = Image.new("RGBA", (300, 200), (0, 0, 0, 0))
    image.paste((*colour, 255), (100, 50, 200, 150))
    data = encode(image, "PNG", icc_profile=p3)
    assert close_to(only_pixel(data, (150, 100)), expected, tolerance=3)
    assert close_to(only_pixel(data, (10, 10)), (255, 255, 255), tolerance=3)


def test_a_display_p3_photo_is_converted_to_srgb():
    p3 = display_p3_profile()
    colour = (40, 170, 60)
    data = encode(Image.new("RGB", (300, 200), colour), "PNG", icc_profile=p3)
    expected = ImageCms.profileToProfile(
        Image.new("RGB", (1, 1), colour),
        ImageCms.ImageCmsProfile(io.BytesIO(p3)),
        ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")),
    ).getpixel((0, 0))
    # The same numbers mean a more vivid green in Display P3 than in sRGB.
    assert not close_to(expected, colour, tolerance=8)
    assert close_to(only_pixel(data), expected, tolerance=3)


def test_an_srgb_tagged_photo_keeps_its_colours():
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = encode(Image.new("RGB", (300, 200), (40, 170, 60)), "PNG", icc_profile=srgb)
    assert close_to(only_pixel(data), (40, 170, 60), tolerance=2)


@pytest.mark.filterwarnings("ignore:Corrupt EXIF data")
def test_corrupt_exif_does_not_refuse_the_photo():
    prepared = prepare_photo(upload(jpeg(exif=b"Exif\x00\x00MM\x00\x2a\x00\x00\x00\x08\xff\xff")))
    assert len(prepared.renditions) == 3


def test_a_broken_colour_profile_does_not_refuse_the_photo():
    prepared = prepare_photo(upload(jpeg(icc_profile=b"not a profile at all")))
    assert len(prepared.renditions) == 3


@pytest.fixture
def admin_user(db):
    return UserFactory(username="site-admin", is_staff=True, is_superuser=True)


def memorial_payload(**overrides):
    payload = {
        "name": "Teddy Ashby",
        "slug": "teddy-ashby",
        "born_on": "2026-03-09",
        "died_on": "2026-03-09",
        "age_note": "born at 21 weeks",
        "story": "Our little boy, loved beyond words.",
        "visibility": "public",
        "moderation_mode": "all_held",
        "time_zone": "Europe/London",
        "cover_alt_text": "",
    }
    payload.update(overrides)
    return payload


BAD_UPLOADS = {
    "truncated jpeg": lambda: jpeg((800, 600))[:2000],
    "empty": lambda: b"",
    "svg": lambda: b'<svg xmlns="http://www.w3.org/2000/svg"></svg>',
    "pdf": lambda: encode(landscape((200, 100)), "PDF"),
    "tiff": lambda: encode(landscape((200, 100)), "TIFF"),
    "text named photo.jpg": lambda: b"Just some words.",
    "huge dimensions": lambda: png_declaring(60_000, 60_000),
    "many frames": lambda: animated_gif(150),
}


@pytest.mark.parametrize("kind", BAD_UPLOADS)
def test_a_bad_cover_upload_in_the_admin_is_refused_by_the_field(kind, client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:tributes_memorial_add"),
        memorial_payload(cover_upload=upload(BAD_UPLOADS[kind](), "photo.jpg")),
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["cover_upload"]
    page = response.text
    assert 'value="Teddy Ashby"' in page
    assert "Our little boy, loved beyond words." in page
    assert not Memorial.objects.exists()
    assert not Photo.objects.exists()


def test_an_oversized_cover_upload_is_refused_and_the_form_kept(client, admin_user, settings):
    settings.PHOTO_MAX_UPLOAD_BYTES = 100 * 1024
    noisy = encode(Image.effect_noise((1000, 800), 80).convert("RGB"), "JPEG", quality=95)
    assert len(noisy) > 100 * 1024
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:tributes_memorial_add"),
        memorial_payload(cover_upload=upload(noisy)),
    )
    assert response.status_code == 200
    [message] = response.context["adminform"].form.errors["cover_upload"]
    assert "more than the 100.0\xa0KB we can take" in message
    assert "Our little boy, loved beyond words." in response.text
    assert not Memorial.objects.exists()


def test_a_cover_uploaded_in_the_admin_becomes_the_memorials_cover(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:tributes_memorial_add"),
        memorial_payload(cover_upload=upload(ACCEPTED["heic"](), "IMG_0001.HEIC")),
    )
    assert response.status_code == 302
    memorial = Memorial.objects.get()
    assert memorial.cover_photo.memorial == memorial
    assert memorial.cover_photo.alt_text == "Photo of Teddy Ashby"
    assert [r["width"] for r in memorial.cover_photo.renditions] == [400, 800, 1600]


def test_a_new_cover_replaces_and_deletes_the_old_one(
    client, admin_user, memorial, django_capture_on_commit_callbacks
):
    old = save_photo(upload(jpeg()), memorial=memorial)
    memorial.cover_photo = old
    memorial.save()
    client.force_login(admin_user)
    payload = memorial_payload(
        name=memorial.name,
        slug=memorial.slug,
        cover_photo=old.pk,
        cover_alt_text="Teddy in his blue hat",
        cover_upload=upload(jpeg((900, 600))),
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:tributes_memorial_change", args=[memorial.pk]), payload
        )
    assert response.status_code == 302
    memorial.refresh_from_db()
    assert memorial.cover_photo.alt_text == "Teddy in his blue hat"
    assert not Photo.objects.filter(pk=old.pk).exists()
    assert not any(default_storage.exists(r["name"]) for r in old.renditions)


def test_a_memorial_cannot_take_another_memorials_photo_as_cover(client, admin_user, memorial):
    other = Memorial.objects.create(name="Someone else", slug="someone-else")
    theirs = save_photo(upload(jpeg()), memorial=other)
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:tributes_memorial_change", args=[memorial.pk]),
        memorial_payload(name=memorial.name, slug=memorial.slug, cover_photo=theirs.pk),
    )
    assert response.status_code == 200
    assert "Please choose a photo of this memorial." in response.text


def test_a_tribute_photo_without_a_description_says_who_shared_it():
    assert shared_by_alt_text("Sam") == "Photo shared by Sam"


def rotated_jpeg() -> bytes:
    exif = gps_exif()
    exif[ExifTags.Base.Orientation] = 6
    return jpeg(exif=exif.tobytes())


def transparent_png() -> bytes:
    return encode(Image.new("RGBA", (300, 200), (0, 0, 0, 0)), "PNG")


GOOD_BUT_ODD_UPLOADS = {
    "heic": ACCEPTED["heic"],
    "gps and rotated jpeg": rotated_jpeg,
    "png with html appended": lambda: encode(landscape(), "PNG") + b"<script>alert(1)</script>",
    "cmyk jpeg": lambda: encode(Image.new("CMYK", (300, 200), (0, 255, 255, 0)), "JPEG"),
    "16-bit grey png": lambda: encode(Image.new("I;16", (300, 200), 0x8000), "PNG"),
    "16-bit colour png": png_16bit_rgb,
    "transparent png": transparent_png,
    "animated gif": lambda: animated_gif(3),
}


@pytest.mark.parametrize("kind", GOOD_BUT_ODD_UPLOADS)
def test_odd_but_good_cover_uploads_in_the_admin_are_accepted(kind, client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:tributes_memorial_add"),
        memorial_payload(cover_upload=upload(GOOD_BUT_ODD_UPLOADS[kind](), "photo.jpg")),
    )
    assert response.status_code == 302
    cover = Memorial.objects.get().cover_photo
    for data in stored_files(cover):
        assert_clean_webp(data)
        assert b"<script>" not in data


def quadrants(size=(1200, 900)) -> Image.Image:
    """Four colours, one to a corner: any turn or mirror moves them somewhere else."""
    image = Image.new("RGB", size, (220, 30, 30))
    width, height = size
    image.paste((30, 180, 30), (width // 2, 0, width, height // 2))
    image.paste((30, 30, 220), (0, height // 2, width // 2, height))
    image.paste((230, 210, 40), (width // 2, height // 2, width, height))
    return image


def with_orientation(orientation: int) -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    return encode(quadrants(), "PNG", exif=exif.tobytes())


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_camera_orientation_is_shown_the_way_the_camera_meant(orientation):
    from PIL import ImageOps

    expected = ImageOps.exif_transpose(Image.open(io.BytesIO(with_orientation(orientation))))
    prepared = prepare_photo(upload(with_orientation(orientation), "photo.png"))
    shown = Image.open(io.BytesIO(prepared.renditions[-1].data)).convert("RGB")
    assert shown.size == expected.size
    width, height = shown.size
    for xy in [(10, 10), (width - 10, 10), (10, height - 10), (width - 10, height - 10)]:
        assert close_to(shown.getpixel(xy), expected.getpixel(xy), tolerance=20)


@pytest.mark.parametrize("orientation", [5, 6, 7, 8])
def test_a_large_photo_turned_a_quarter_keeps_its_full_width(orientation):
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    prepared = prepare_photo(upload(jpeg((4000, 3000), exif=exif.tobytes())))
    assert [(r.width, r.height) for r in prepared.renditions][-1] == (1600, 2133)
