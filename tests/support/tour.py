"""Every page a person may see, with data that stretches it: the pages the browser proofs visit.

`build_tour()` makes one public memorial (a tribute and a comment, each with a 300-character
word), its family's candle event, the site's Wave of Light and a family owner, and returns the
pages in order: each with a path, the instant the clocks are set to, who looks (a visitor or
the family) and, for the pages with a form, the form to send empty to see its errors.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import time_machine
from django.test import Client
from django.urls import reverse

from tests.support.factories import (
    CandleEventFactory,
    CommentFactory,
    MemorialFactory,
    TributeFactory,
    UserFactory,
    WaveOfLightFactory,
)
from tests.support.posting import tribute_payload

START = dt.datetime(2026, 10, 15, 18, 0, tzinfo=dt.UTC)  # 19:00 in London
BEFORE = START - dt.timedelta(days=3, hours=2)
DURING = START + dt.timedelta(minutes=5)
AFTER = START + dt.timedelta(hours=2)
LONG_WORD = "Remembering" * 27 + "ABC"  # 300 characters, no space to break at


@dataclass(frozen=True)
class TourPage:
    name: str
    path: str
    at: dt.datetime
    family: bool = False
    # A CSS selector of a form to send empty, to see the page with its errors too.
    form: str = ""
    status: int = 200
    # Where that form is sent, when not to the page's own address.
    post_path: str = ""


def thank_you_path(memorial) -> str:
    """Post a tribute the way a browser does and return the thank-you page it leads to."""
    with time_machine.travel(DURING, tick=False):
        response = Client().post(
            reverse("tributes:write_tribute", args=[memorial.slug]),
            tribute_payload(message=f"Thinking of you. {LONG_WORD}"),
        )
    assert response.status_code == 302, response.status_code
    return response["Location"]


def build_tour() -> list[TourPage]:
    owner = UserFactory(username="tour-owner", email="mum@example.org")
    memorial = MemorialFactory(name="Teddy Ashby", slug="teddy-ashby", owners=[owner])
    tribute = TributeFactory(
        memorial=memorial,
        author_name="A" * 120,
        relationship="friend of the family",
        message=f"We think of Teddy every day. {LONG_WORD} With love.",
    )
    CommentFactory(tribute=tribute, author_name=LONG_WORD[:80], body=f"So true. {LONG_WORD}")
    event = CandleEventFactory(
        memorial=memorial,
        title="Candles for Teddy",
        local_date=START.date(),
        local_time=dt.time(19, 0),
        time_zone="Europe/London",
    )
    wave = WaveOfLightFactory(local_date=START.date())
    slug = memorial.slug
    family = "/family/"
    return [
        TourPage("home", "/", DURING),
        TourPage("find", reverse("tributes:find") + "?q=Teddy", DURING),
        TourPage(
            "memorial",
            memorial.get_absolute_url(),
            DURING,
            form='form[action$="/tributes/new/"]',
            post_path=reverse("tributes:write_tribute", args=[slug]),
        ),
        TourPage(
            "tribute form",
            reverse("tributes:write_tribute", args=[slug]),
            DURING,
            form="main form[method=post]",
        ),
        TourPage(
            "comment form",
            reverse("tributes:write_comment", args=[slug, tribute.pk]),
            DURING,
            form="main form[method=post]",
        ),
        TourPage("thank-you page", thank_you_path(memorial), DURING),
        TourPage(
            "event before",
            event.get_absolute_url(),
            BEFORE,
            form='form[action$="/remind/"]',
            post_path=reverse("tributes:event_remind", args=[event.slug]),
        ),
        TourPage(
            "event during",
            event.get_absolute_url(),
            DURING,
            form='form[action$="/light/"]',
            post_path=reverse("tributes:event_light", args=[event.slug]),
        ),
        TourPage("event after", event.get_absolute_url(), AFTER),
        TourPage("wave event", wave.get_absolute_url(), DURING),
        TourPage("wave page", reverse("tributes:event_wave", args=[wave.slug]), DURING),
        TourPage("keepsake", reverse("tributes:memorial_keepsake", args=[slug]), DURING),
        TourPage("QR card", reverse("tributes:memorial_qr_card", args=[slug]), DURING),
        TourPage("not found", "/memorials/nobody-by-this-name/", DURING, status=404),
        TourPage("sign up", reverse("account_signup"), DURING, form="main form[method=post]"),
        TourPage("log in", reverse("account_login"), DURING, form="main form[method=post]"),
        TourPage("family dashboard", family, DURING, family=True),
        TourPage("family new memorial", f"{family}new/", DURING, family=True, form="main form"),
        TourPage("family memorial", f"{family}{slug}/", DURING, family=True),
        TourPage("family edit", f"{family}{slug}/edit/", DURING, family=True),
        TourPage("family queue", f"{family}{slug}/queue/", DURING, family=True),
        TourPage("family people", f"{family}{slug}/people/", DURING, family=True),
        TourPage("family candle times", f"{family}{slug}/candles/", BEFORE, family=True),
        TourPage("family service", f"{family}{slug}/service/", BEFORE, family=True),
        TourPage("family remembering", f"{family}{slug}/remembering/", DURING, family=True),
        TourPage("family settings", f"{family}settings/", DURING, family=True),
    ]


def owner_client() -> Client:
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username="tour-owner"))
    return client
