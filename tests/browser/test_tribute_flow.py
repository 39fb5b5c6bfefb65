import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import Browser, Page, expect

from tests.support.factories import MemorialFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"


@pytest.fixture
def moderator_page(browser: Browser, site):
    user = UserFactory(username="moderator", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Moderators"))
    context = browser.new_context()
    page = context.new_page()
    page.goto(site + "/admin/")
    page.get_by_label("Username").fill("moderator")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="To read")).to_be_visible()
    yield page
    context.close()


def approve_first_in_queue(page: Page, site: str, queue: str, words: str) -> None:
    page.goto(f"{site}/admin/tributes/{queue}/")
    row = page.get_by_role("row").filter(has_text=words)
    expect(row).to_be_visible()
    row.get_by_role("checkbox").check()
    page.get_by_label("Action:").select_option("approve_selected")
    page.get_by_role("button", name="Run").click()
    expect(page.get_by_text("Approved 1.")).to_be_visible()


def test_a_tribute_and_a_comment_are_posted_approved_and_then_seen(
    page: Page, moderator_page: Page, site
):
    memorial = MemorialFactory(name="Teddy Ashby", slug="teddy")
    memorial_url = site + memorial.get_absolute_url()

    # A visitor leaves a tribute; it waits for a moderator.
    page.goto(memorial_url)
    page.get_by_label("Your name").fill("Sam Carter")
    page.get_by_label("Your relationship").fill("a friend")
    page.get_by_label("Your tribute").fill("We light a candle for Teddy every Sunday.")
    page.get_by_label("Yellow rose").check()
    page.get_by_role("button", name="Leave your tribute").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your tribute")
    expect(page.get_by_text("will read it before it appears")).to_be_visible()
    expect(page.get_by_role("textbox", name="Your private link")).to_have_value(
        page.url.split("?")[0]
    )
    page.goto(memorial_url)
    expect(page.get_by_text("We light a candle for Teddy every Sunday.")).to_have_count(0)

    # A moderator approves it in the admin; the visitor then sees it.
    approve_first_in_queue(moderator_page, site, "tribute", "We light a candle for Teddy")
    page.reload()
    tribute = page.locator("article.tribute").filter(has_text="We light a candle for Teddy")
    expect(tribute).to_be_visible()
    expect(tribute.get_by_role("img", name="Yellow rose")).to_be_visible()

    # Another visitor sends love, once.
    tribute.get_by_role("button", name="Send love").click()
    expect(page.get_by_text("Your love has been sent to the family.")).to_be_visible()
    expect(page.get_by_text("1 person sent love")).to_be_visible()

    # A comment follows the same path.
    tribute = page.locator("article.tribute").filter(has_text="We light a candle for Teddy")
    tribute.get_by_role("link", name="Write a comment to Sam Carter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "A comment on the tribute from Sam Carter"
    )
    page.get_by_label("Your name").fill("Jo Lee")
    page.get_by_label("Your comment").fill("Sunday candles here too.")
    page.get_by_role("button", name="Send your comment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your comment")
    page.goto(memorial_url)
    expect(page.get_by_text("Sunday candles here too.")).to_have_count(0)

    approve_first_in_queue(moderator_page, site, "comment", "Sunday candles here too.")
    page.reload()
    expect(page.get_by_text("Sunday candles here too.")).to_be_visible()


def test_a_visitors_mistake_is_explained_and_their_words_are_kept(page: Page, site):
    memorial = MemorialFactory(name="Teddy Ashby", slug="teddy")
    page.goto(site + memorial.get_absolute_url())
    page.get_by_label("Your tribute").fill("Words I do not want to lose.")
    page.get_by_role("button", name="Leave your tribute").click()
    # The summary at the top takes the focus, and its link takes a keyboard to the field.
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(page.get_by_label("Your tribute")).to_have_value("Words I do not want to lose.")
    summary.get_by_role("link", name="Please tell the family your name.").click()
    expect(page.get_by_label("Your name")).to_be_focused()
    page.get_by_label("Your name").fill("Sam")
    page.get_by_role("button", name="Leave your tribute").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your tribute")
    # What happens next is read first; lighting a candle and changing the words are one click on.
    expect(page.locator("[data-focus-on-load]")).to_be_focused()
    expect(page.get_by_role("link", name="Light a candle for Teddy Ashby")).to_be_visible()
    expect(page.get_by_role("button", name="Save your changes")).to_be_hidden()
    page.get_by_text("Change your tribute").click()
    expect(page.get_by_role("textbox", name="Your tribute")).to_have_value(
        "Words I do not want to lose."
    )


def test_the_chosen_photo_is_shown_before_sending(page: Page, site, tmp_path):
    from PIL import Image

    photo = tmp_path / "garden.png"
    Image.new("RGB", (640, 480), (200, 160, 90)).save(photo)
    memorial = MemorialFactory(name="Teddy Ashby", slug="teddy")
    page.goto(site + memorial.get_absolute_url())
    page.get_by_label("A photo (optional)").set_input_files(str(photo))
    preview = page.locator(".photo-preview")
    expect(preview.locator("canvas")).to_be_visible()
    expect(preview).to_contain_text("Your photo, garden.png, will be added when you send the form.")
    assert preview.locator("canvas").evaluate("c => [c.width, c.height]") == [480, 360]


def test_a_double_click_a_reload_and_a_resent_form_save_one_tribute(page: Page, site):
    from tributes.models import Tribute

    memorial = MemorialFactory(name="Teddy Ashby", slug="teddy")
    page.goto(site + memorial.get_absolute_url())
    page.get_by_label("Your name").fill("Sam")
    page.get_by_label("Your tribute").fill("Only once, however often it is sent.")
    page.get_by_role("button", name="Leave your tribute").dblclick()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your tribute")
    thanks_url = page.url
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your tribute")
    # Back to the form, and the same words sent again, as a flaky connection would have it.
    page.go_back()
    page.get_by_label("Your name").fill("Sam")
    page.get_by_label("Your tribute").fill("Only once, however often it is sent.")
    page.get_by_role("button", name="Leave your tribute").click()
    expect(page).to_have_url(thanks_url)
    assert Tribute.objects.count() == 1


def test_writing_pages_have_no_accessibility_violations(browser: Browser, site):
    from axe_playwright_python.sync_playwright import Axe

    from tests.support.factories import TributeFactory

    memorial = MemorialFactory(name="Teddy Ashby", slug="teddy")
    TributeFactory(memorial=memorial)
    # axe is injected as a script, which the site's CSP rightly refuses: bypass it for this check.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto(site + memorial.get_absolute_url())
    pages = {"memorial page with forms": Axe().run(page)}
    page.get_by_role("button", name="Leave your tribute").click()
    pages["form with errors"] = Axe().run(page)
    page.get_by_label("Your name").fill("Sam")
    page.get_by_label("Your tribute").fill("Thinking of you.")
    page.get_by_role("button", name="Leave your tribute").click()
    pages["thank-you page"] = Axe().run(page)
    context.close()
    for name, results in pages.items():
        assert results.violations_count == 0, f"{name}: {results.generate_report()}"


def test_long_words_and_right_to_left_names_do_not_break_a_phone_layout(page: Page, site):
    from tests.support.factories import CommentFactory, TributeFactory

    memorial = MemorialFactory(name="Teddy Ashby", slug="teddy")
    tribute = TributeFactory(
        memorial=memorial, author_name="مريم " + "ن" * 110, message="x" * 300 + " 🕯️💛"
    )
    CommentFactory(tribute=tribute, author_name="y" * 120, body="z" * 300)
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(site + memorial.get_absolute_url())
    expect(page.get_by_text("x" * 300 + " 🕯️💛")).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
