import pytest
from playwright.sync_api import Page, expect

from tests.support.factories import MemorialFactory, TributeFactory
from tests.support.photos import make_photo
from tributes.models import Status

pytestmark = pytest.mark.django_db(transaction=True)

# Loaded and decoded: a broken or refused image ends complete with no width.
LOADED = "img => img.complete && img.naturalWidth > 0"


def test_a_visitor_sees_the_cover_and_tribute_photos_drawn(page: Page, site):
    memorial = MemorialFactory(name="Teddy Ashby", slug="teddy")
    memorial.cover_photo = make_photo(memorial, size=(2000, 1500), alt_text="Teddy asleep")
    memorial.save()
    photo = make_photo(memorial, alt_text="Photo shared by Sam")
    TributeFactory(memorial=memorial, photo=photo, status=Status.APPROVED)
    page.set_viewport_size({"width": 390, "height": 2400})
    page.goto(f"{site}{memorial.get_absolute_url()}")
    for name in ("Teddy asleep", "Photo shared by Sam"):
        image = page.get_by_role("img", name=name)
        expect(image).to_be_visible()
        # The browser chose a rendition from srcset, fetched it through the photo view
        # (allowed by the content security policy) and decoded the WebP.
        page.wait_for_function(LOADED, arg=image.element_handle())
        assert "/photos/" in image.evaluate("img => img.currentSrc")
