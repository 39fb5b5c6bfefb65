"""In a real browser: no page breaks the Content Security Policy, and no XSS vector ever runs.

CSP_PAGES lists the site's main pages; the admin's changelists are added for every registered
model. To check a new page, add a CheckedPage with a function that returns its path from the
demo-like objects of `site_objects`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.urls import reverse
from playwright.sync_api import Page

from tests.factories import (
    CandleEventFactory,
    CandleFactory,
    CommentFactory,
    MemorialFactory,
    TributeFactory,
    UserFactory,
)
from tests.xss_vectors import XSS_VECTORS
from tributes.models import CandleEvent, Photo, Status

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"


@dataclass(frozen=True)
class CheckedPage:
    name: str
    path: Callable[[dict], str]
    logged_in: bool = False


CSP_PAGES = [
    CheckedPage("home", lambda o: reverse("tributes:home")),
    CheckedPage("memorial", lambda o: o["memorial"].get_absolute_url()),
    CheckedPage("memorial, second page", lambda o: o["memorial"].get_absolute_url() + "?page=2"),
    CheckedPage("event", lambda o: o["event"].get_absolute_url()),
    CheckedPage("not found", lambda o: "/no-such-page/"),
    CheckedPage("admin login", lambda o: reverse("admin:login")),
    CheckedPage("admin index", lambda o: reverse("admin:index"), logged_in=True),
    CheckedPage(
        "admin memorial form",
        lambda o: reverse("admin:tributes_memorial_change", args=[o["memorial"].pk]),
        logged_in=True,
    ),
    CheckedPage(
        "admin new event form", lambda o: reverse("admin:tributes_candleevent_add"), logged_in=True
    ),
    CheckedPage(
        "admin moderation queue",
        lambda o: reverse("admin:tributes_moderation_queue"),
        logged_in=True,
    ),
] + [
    CheckedPage(
        f"admin {model._meta.label} list",
        lambda o, model=model: reverse(
            f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
        ),
        logged_in=True,
    )
    for model in admin.site._registry
]


def site_objects(value: Callable[[int], str] = lambda n: f"Remembered {n}") -> dict:
    """A memorial with everything on it, each text made by `value(n)`."""
    memorial = MemorialFactory(name=value(0), age_note=value(1)[:200], story=value(2))
    memorial.cover_photo = Photo.objects.create(
        memorial=memorial,
        width=800,
        height=600,
        alt_text=value(3)[:300],
        renditions=[{"width": 800, "height": 600, "name": "photos/missing-800.webp"}],
    )
    memorial.save()
    first = None
    for n in range(12):
        tribute = TributeFactory(
            memorial=memorial,
            author_name=value(n)[:120],
            relationship=value(n + 1)[:80],
            message=value(n + 2),
        )
        first = first or tribute
        CommentFactory(tribute=first, author_name=value(n + 3)[:120], body=value(n + 4))
    event = CandleEventFactory(memorial=memorial, title=value(5)[:200], message=value(6))
    CandleFactory(memorial=memorial, event=event, name=value(7)[:120], message=value(8)[:500])
    return {"memorial": memorial, "event": event}


def watch_csp(page: Page) -> list[str]:
    violations: list[str] = []
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e =>"
        " console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text or "CSP violation" in message.text
            else None
        ),
    )
    return violations


def log_in(page: Page, site: str, username: str) -> None:
    page.goto(site + reverse("admin:login"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{site}{reverse('admin:index')}")


def test_no_main_page_breaks_the_content_security_policy(page: Page, site):
    UserFactory(username="csp-admin", is_staff=True, is_superuser=True)
    objects = site_objects()
    violations = watch_csp(page)
    anonymous = [checked for checked in CSP_PAGES if not checked.logged_in]
    logged_in = [checked for checked in CSP_PAGES if checked.logged_in]
    for n, checked in enumerate(anonymous + logged_in):
        if n == len(anonymous):
            log_in(page, site, "csp-admin")
        response = page.goto(site + checked.path(objects))
        page.wait_for_load_state("load")
        expected = 404 if checked.name == "not found" else 200
        assert response is not None and response.status == expected, checked.name
        assert violations == [], f"{checked.name}: {violations}"
    assert len(CSP_PAGES) >= 15


def test_no_xss_vector_ever_opens_a_dialog(browser, site):
    UserFactory(username="xss-admin", is_staff=True, is_superuser=True)
    # Escaping is under test here, not the CSP that would also block most vectors.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    everything = "\n\n".join(XSS_VECTORS)
    pages = []
    for start in range(0, len(XSS_VECTORS), 12):
        chunk = XSS_VECTORS[start : start + 12]
        objects = site_objects(lambda n, chunk=chunk: chunk[n % len(chunk)])
        pages += [objects["memorial"].get_absolute_url(), objects["event"].get_absolute_url()]
    CandleEvent.objects.filter(pk=objects["event"].pk).update(message=everything)
    for n, vector in enumerate(XSS_VECTORS[:20]):
        CandleEventFactory(memorial=None, title=vector, message=f"Site-wide {n}")
    TributeFactory(memorial=objects["memorial"], message=everything, status=Status.APPROVED)
    pages += [reverse("tributes:home")]
    for path in pages:
        page.goto(site + path)
        page.wait_for_load_state("load")
        page.keyboard.press("Tab")
        page.mouse.move(200, 300)
        page.mouse.wheel(0, 800)
    log_in(page, site, "xss-admin")
    for model in admin.site._registry:
        meta = model._meta
        page.goto(site + reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        page.wait_for_load_state("load")
    page.goto(site + reverse("admin:tributes_memorial_change", args=[objects["memorial"].pk]))
    page.wait_for_load_state("load")
    page.goto(site + reverse("admin:tributes_moderation_queue"))
    page.wait_for_load_state("load")
    context.close()
    assert dialogs == []
    assert len(pages) >= 15
