import pytest
from playwright.sync_api import Page, expect

from tributes.demo import load_demo

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_visitor_finds_the_demo_memorial_from_the_home_page(page: Page, site):
    load_demo()
    page.goto(site + "/")
    page.get_by_role("link", name="Teddy Ashby").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Teddy Ashby")
    expect(page.get_by_text("Sending so much love to all of you tonight.")).to_be_visible()
    expect(page.get_by_text("Remembering Teddy today.")).to_have_count(0)
