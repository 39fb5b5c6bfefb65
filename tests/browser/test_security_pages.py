"""In a real browser: no page breaks the Content Security Policy, and no XSS vector ever runs.

CSP_PAGES lists the site's main pages; the admin's changelists are added for every registered
model. To check a new page, add a CheckedPage with a function that returns its path from the
demo-like objects of `site_objects`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.support.factories import (
    CandleEventFactory,
    CandleFactory,
    CommentFactory,
    MemorialFactory,
    TributeFactory,
    UserFactory,
    WaveOfLightFactory,
)
from tests.support.xss_vectors import XSS_VECTORS
from tributes.candles import reminders, status
from tributes.models import CandleEvent, ModerationMode, Photo, ReminderSignup, Status
from tributes.security import tokens

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"


@dataclass(frozen=True)
class CheckedPage:
    name: str
    path: Callable[[dict], str]
    logged_in: bool = False
    status: int = 200


def private(name: str, kind: str) -> Callable[[dict], str]:
    """An author's private page (`name`) for their tribute or comment (`kind`)."""
    return lambda o: reverse(f"tributes:{name}", args=[o[f"{kind}_token"]])


CSP_PAGES = [
    CheckedPage("home", lambda o: reverse("tributes:home")),
    CheckedPage("memorial with photos", lambda o: o["memorial"].get_absolute_url()),
    CheckedPage("memorial, second page", lambda o: o["memorial"].get_absolute_url() + "?page=2"),
    CheckedPage(
        "write a tribute", lambda o: reverse("tributes:write_tribute", args=[o["memorial"].slug])
    ),
    CheckedPage(
        "write a comment",
        lambda o: reverse("tributes:write_comment", args=[o["memorial"].slug, o["tribute"].pk]),
    ),
    CheckedPage("your tribute", private("your_tribute", "tribute")),
    CheckedPage("delete your tribute", private("delete_your_tribute", "tribute")),
    CheckedPage("your comment", private("your_comment", "comment")),
    CheckedPage("delete your comment", private("delete_your_comment", "comment")),
    CheckedPage("removed", lambda o: reverse("tributes:removed")),
    CheckedPage(
        "posting closed",
        lambda o: reverse("tributes:write_tribute", args=[o["closed"].slug]),
        status=403,
    ),
    CheckedPage("event before it starts", lambda o: o["event"].get_absolute_url()),
    CheckedPage("event during it", lambda o: o["live_event"].get_absolute_url()),
    CheckedPage("wave event", lambda o: o["wave_event"].get_absolute_url()),
    CheckedPage("the wave", lambda o: reverse("tributes:event_wave", args=[o["wave_event"].slug])),
    CheckedPage(
        "reminder confirm", lambda o: reverse("tributes:reminder_confirm", args=[o["confirm"]])
    ),
    CheckedPage(
        "reminder unsubscribe",
        lambda o: reverse("tributes:reminder_unsubscribe", args=[o["unsubscribe"]]),
    ),
    CheckedPage("not found", lambda o: "/no-such-page/", status=404),
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
    CheckedPage(
        "admin tribute moderation page",
        lambda o: reverse("admin:tributes_tribute_change", args=[o["tribute"].pk]),
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


def live_event(memorial, **fields) -> CandleEvent:
    """A family's candle lighting that started five minutes ago."""
    start = (timezone.now() - dt.timedelta(minutes=5)).astimezone(memorial.zone)
    return CandleEventFactory(
        memorial=memorial,
        local_date=start.date(),
        local_time=start.time().replace(microsecond=0),
        time_zone=memorial.time_zone,
        **fields,
    )


def with_token(factory, **fields):
    """A tribute or comment made by `factory`, and its author's private token."""
    token = tokens.edit_token(tokens.new_submission_key())
    return factory(edit_token_hash=tokens.hash_token(token), **fields), token


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
    first = first_comment_token = first_comment = None
    for n in range(12):
        photo = Photo.objects.create(
            memorial=memorial,
            width=800,
            height=600,
            alt_text=value(n + 5)[:300],
            renditions=[{"width": 800, "height": 600, "name": f"photos/tribute-{n}-800.webp"}],
        )
        tribute, token = with_token(
            TributeFactory,
            memorial=memorial,
            author_name=value(n)[:120],
            relationship=value(n + 1)[:80],
            message=value(n + 2),
            photo=photo if n % 2 else None,
        )
        if first is None:
            first, first_token = tribute, token
        comment, comment_token = with_token(
            CommentFactory, tribute=first, author_name=value(n + 3)[:120], body=value(n + 4)
        )
        first_comment_token = first_comment_token or comment_token
        first_comment = first_comment or comment
        CandleFactory(memorial=memorial, name=value(n + 6)[:120], message=value(n + 7)[:500])
    event = CandleEventFactory(memorial=memorial, title=value(5)[:200], message=value(6))
    during = live_event(memorial, title=value(7)[:200], message=value(8))
    for n in range(12):
        CandleFactory(
            memorial=memorial, event=during, name=value(n)[:120], message=value(n + 1)[:500]
        )
    wave_event = WaveOfLightFactory(
        local_date=timezone.localdate(),
        title=value(9)[:200],
    )
    CandleFactory(memorial=None, event=wave_event, name=value(10)[:120], time_zone="Asia/Tokyo")
    confirm = tokens.new_submission_key()
    signup = ReminderSignup.objects.create(
        event=event,
        email="aunt.may@example.org",
        time_zone="Europe/London",
        confirm_token_hash=reminders.hash_token(confirm),
    )
    return {
        "memorial": memorial,
        "closed": MemorialFactory(moderation_mode=ModerationMode.FAMILY_ONLY),
        "tribute": first,
        "tribute_token": first_token,
        "comment": first_comment,
        "comment_token": first_comment_token,
        "event": event,
        "live_event": during,
        "wave_event": wave_event,
        "confirm": confirm,
        "unsubscribe": reminders.unsubscribe_token(signup),
    }


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
        assert response is not None and response.status == checked.status, checked.name
        assert violations == [], f"{checked.name}: {violations}"
    assert len(CSP_PAGES) >= 30


def test_the_rate_limited_page_keeps_to_the_content_security_policy(page: Page, site, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "tribute": {"visitor": "1/h"}}
    memorial = MemorialFactory()
    violations = watch_csp(page)
    for _ in range(2):
        page.goto(site + reverse("tributes:write_tribute", args=[memorial.slug]))
        page.get_by_label("Your name").fill("Aunt May")
        page.get_by_label("Your tribute").fill("We miss you every single day.")
        page.get_by_role("button", name="Leave your tribute").click()
        page.wait_for_load_state("load")
    expect(page.get_by_role("heading", level=1)).to_have_text("Please wait a few minutes")
    assert violations == []


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
        # Each memorial page is full of tributes, comments and candles carrying the vectors,
        # each event page full of candles; the author's pages and the wave show them too.
        pages += [checked.path(objects) for checked in CSP_PAGES if not checked.logged_in]
    CandleEvent.objects.filter(pk=objects["event"].pk).update(message=everything)
    for n, vector in enumerate(XSS_VECTORS[:20]):
        CandleEventFactory(memorial=None, title=vector, message=f"Site-wide {n}")
    TributeFactory(memorial=objects["memorial"], message=everything, status=Status.APPROVED)
    for path in pages:
        page.goto(site + path)
        page.wait_for_load_state("load")
        page.keyboard.press("Tab")
        page.mouse.move(200, 300)
        page.mouse.wheel(0, 800)
    shows_new_candles_from_the_poll(page, site, objects["live_event"])
    log_in(page, site, "xss-admin")
    for checked in CSP_PAGES:
        if checked.logged_in:
            page.goto(site + checked.path(objects))
            page.wait_for_load_state("load")
    context.close()
    assert dialogs == []
    assert len(pages) >= 15 * 7


def shows_new_candles_from_the_poll(page: Page, site: str, event: CandleEvent) -> None:
    """Candles carrying every vector arrive while the page is open, through the status poll."""
    page.clock.install()
    # The poll's answer may be kept by the browser for two seconds; routing turns its cache off.
    page.route("**/status.json", lambda route: route.continue_())
    page.goto(site + event.get_absolute_url())
    for start in range(0, len(XSS_VECTORS), 12):
        newest = None
        for vector in XSS_VECTORS[start : start + 12]:
            newest = CandleFactory(
                memorial=event.memorial, event=event, name=vector[:120], message=vector
            )
        # The poll's shared answer is kept for two seconds, in the cache and in each server
        # process: forget both rather than wait.
        cache.clear()
        status.forget_answers_kept_here()
        page.clock.fast_forward(7_000)
        expect(page.locator(f'[data-candle-id="{newest.pk}"]')).to_be_attached()
