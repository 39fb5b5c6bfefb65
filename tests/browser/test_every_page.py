"""Every page, in a real browser: axe-core finds nothing (WCAG 2.2 A and AA and best practices),
in light and dark, before and after form errors; nothing is wider than a 360 px phone; and
screenshots at 360 and 1280 px are kept in var/screenshots/ (not committed).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import time_machine
from django.urls import reverse
from playwright.sync_api import Browser, Page

from tests.support.tour import DURING, LONG_WORD, build_tour, owner_client

pytestmark = pytest.mark.django_db(transaction=True)

# Not test-results/: pytest-playwright empties that folder when a run starts.
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
PHONE = {"width": 360, "height": 800}
DESKTOP = {"width": 1280, "height": 900}


def _axe(page: Page) -> list[tuple[str, list]]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    return [
        (violation["id"], [node["target"] for node in violation["nodes"]][:5])
        for violation in results.response["violations"]
    ]


def _overflow(page: Page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def _shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(
        path=SCREENSHOTS / f"{re.sub(r'[^a-z0-9]+', '-', name.lower())}.png", full_page=True
    )


def _sign_in(context, site: str) -> None:
    session = owner_client().cookies["sessionid"].value
    context.add_cookies([{"name": "sessionid", "value": session, "url": site}])


def _send_empty(page: Page, form: str) -> None:
    """Send a form as it is, without the browser's own checks, as someone who pressed on too soon."""
    target = page.locator(form).first
    target.evaluate("form => { form.noValidate = true; }")
    target.locator("[type=submit]").first.click()
    page.wait_for_load_state()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_has_no_accessibility_problem_and_fits_a_phone(
    browser: Browser, site, scheme, settings
):
    pages = build_tour()
    # axe is injected as a script, which the site's Content Security Policy rightly forbids.
    visitor = browser.new_context(viewport=PHONE, color_scheme=scheme, bypass_csp=True)
    family = browser.new_context(viewport=PHONE, color_scheme=scheme, bypass_csp=True)
    _sign_in(family, site)
    problems: dict[str, list] = {}
    too_wide: dict[str, int] = {}
    seen = []
    for tour_page in pages:
        page = (family if tour_page.family else visitor).new_page()
        with time_machine.travel(tour_page.at):
            response = page.goto(site + tour_page.path)
            assert response.status == tour_page.status, (tour_page.name, response.status)
            states = [("", None)] + ([(" with errors", tour_page.form)] if tour_page.form else [])
            for suffix, form in states:
                if form:
                    _send_empty(page, form)
                name = f"{tour_page.name}{suffix} ({scheme})"
                seen.append(name)
                problems[name] = _axe(page)
                too_wide[name] = _overflow(page)
                _shot(page, f"{name} 360")
        page.close()

    # The kind page a visitor sees after one post too many.
    page = visitor.new_page()
    with time_machine.travel(DURING):
        settings.RATE_LIMITS = {**settings.RATE_LIMITS, "tribute": {"visitor": "1/10m"}}
        for _ in range(2):
            page.goto(site + reverse("tributes:write_tribute", args=["teddy-ashby"]))
            page.get_by_label("Your name").fill("Sam")
            page.locator("main form[method=post] textarea").first.fill(f"Love. {LONG_WORD}")
            page.locator("main form[method=post] [type=submit]").first.click()
        name = f"too many ({scheme})"
        assert page.evaluate("document.title")
        problems[name] = _axe(page)
        too_wide[name] = _overflow(page)
        _shot(page, f"{name} 360")
    visitor.close()
    family.close()

    assert len(seen) >= 30
    found = {name: found for name, found in problems.items() if found}
    wider = {name: pixels for name, pixels in too_wide.items() if pixels > 0}
    assert (found, wider) == ({}, {})


def test_screenshots_at_1280_px(browser: Browser, site):
    """Artefacts for people to look at: every public page on a wide screen."""
    pages = build_tour()
    context = browser.new_context(viewport=DESKTOP)
    for tour_page in pages:
        if tour_page.family:
            continue
        page = context.new_page()
        with time_machine.travel(tour_page.at):
            page.goto(site + tour_page.path)
            _shot(page, f"{tour_page.name} 1280")
            assert _overflow(page) <= 0, tour_page.name
        page.close()
    context.close()
