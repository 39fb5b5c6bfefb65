import pytest
from playwright.sync_api import Page, expect

from tests.support.factories import UserFactory
from tests.support.photos import jpeg
from tributes.models import Memorial

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_family_adds_a_cover_photo_after_a_wrong_file_is_refused(page: Page, site, tmp_path):
    UserFactory(username="claire", is_staff=True, is_superuser=True)
    not_a_photo = tmp_path / "photo.jpg"
    not_a_photo.write_text("Thinking of you all today.")
    photo = tmp_path / "IMG_0042.jpg"
    photo.write_bytes(jpeg((1200, 900)))

    page.goto(f"{site}/admin/login/?next=/admin/tributes/memorial/add/")
    page.locator("#id_username").fill("claire")
    page.locator("#id_password").fill("correct horse battery staple")
    page.locator("input[type=submit]").click()

    page.locator("#id_name").fill("Teddy Ashby")
    page.locator("#id_slug").fill("teddy-ashby")
    page.locator("#id_cover_upload").set_input_files(not_a_photo)
    page.locator("input[name=_save]").click()
    expect(page.get_by_text("We could not open this file as a photo.")).to_be_visible()
    expect(page.locator("#id_name")).to_have_value("Teddy Ashby")

    page.locator("#id_cover_upload").set_input_files(photo)
    page.locator("#id_cover_alt_text").fill("Teddy in his blue hat")
    page.locator("input[name=_save]").click()
    thumbnail = page.get_by_role("img", name="Teddy in his blue hat")
    expect(thumbnail).to_be_visible()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=thumbnail.element_handle()
    )
    assert Memorial.objects.get().cover_photo.alt_text == "Teddy in his blue hat"
