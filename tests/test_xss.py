"""Every text a visitor or family writes comes out escaped on every page that shows it.

XSS_FIELDS lists each text field with a function that stores a value in it and returns the URLs
that show it. For every vector of tests/support/xss_vectors.py, each page must have exactly the element and
attribute structure it has for plain words (escaping adds no element and no attribute), and the
value must be there as text or as an attribute value. To cover a new field, add an entry.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

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
from tributes.candles.reminders import unsubscribe_token
from tributes.models import Guest, Invitation, Photo, ReminderSignup, Service
from tributes.security import tokens

pytestmark = pytest.mark.django_db

PLAIN = "Plain words of remembrance"
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "background"}


def admin(name: str, *args) -> str:
    return reverse(f"admin:tributes_{name}", args=args)


# The family who owns the memorials below: its pages (/family/...) are opened signed in as it.
FAMILY_USERNAME = "xss-family"
# Every family page about one memorial that shows its words (the ZIP download aside).
FAMILY_PAGES = [
    "memorial",
    "edit",
    "people",
    "queue",
    "candle_times",
    "service",
    "remembering",
    "delete",
]


def family_owner():
    return UserFactory(username=FAMILY_USERNAME)


def family_pages(memorial, names=FAMILY_PAGES) -> list[str]:
    return [reverse(f"family:{name}", kwargs={"slug": memorial.slug}) for name in names]


def memorials_with(field: str, values: list[str]) -> list[str]:
    # Half read by the family first: the family's queue page differs for those.
    memorials = [
        MemorialFactory(owners=[family_owner()], family_moderates=n % 2 == 0, **{field: value})
        for n, value in enumerate(values)
    ]
    urls = [memorial.get_absolute_url() for memorial in memorials]
    # The name is on every family page; the story only in the form that changes it.
    shown_on = {"name": FAMILY_PAGES, "age_note": ["memorial", "edit"]}.get(field, ["edit"])
    urls += [url for memorial in memorials for url in family_pages(memorial, shown_on)]
    if field in {"name", "age_note"}:
        urls.append(reverse("family:dashboard"))
    # The keepsake shows every memorial field; the QR card its name and dates.
    urls += [reverse("tributes:memorial_keepsake", args=[m.slug]) for m in memorials]
    if field in {"name", "age_note"}:
        urls += [reverse("tributes:memorial_qr_card", args=[m.slug]) for m in memorials]
    if field in {"name", "age_note"}:
        urls.append(reverse("tributes:home"))
    if field == "name":
        urls.append(admin("memorial_changelist"))
    return urls


def events_with(field: str, values: list[str]) -> list[str]:
    memorial = MemorialFactory(owners=[family_owner()])
    events = [CandleEventFactory(memorial=memorial, **{field: value}) for value in values]
    urls = [event.get_absolute_url() for event in events]
    # The family's own pages: its candle times, and changing or cancelling each.
    urls += family_pages(memorial, ["candle_times", "memorial"])
    for event in events:
        for name in ("edit_event", "cancel_event"):
            urls.append(reverse(f"family:{name}", kwargs={"slug": memorial.slug, "pk": event.pk}))
    if field == "title":
        for value in values:
            wave = WaveOfLightFactory(
                title=value, local_date=timezone.localdate() + dt.timedelta(days=3)
            )
            signup = new_reminder(f"{len(urls)}@example.org")
            signup.event = wave
            signup.save()
            urls += [
                wave.get_absolute_url(),
                reverse("tributes:event_wave", args=[wave.slug]),
                reverse("tributes:reminder_unsubscribe", args=[unsubscribe_token(signup)]),
            ]
        urls += [
            reverse("tributes:home"),
            memorial.get_absolute_url(),
            admin("candleevent_changelist"),
        ]
    return urls


def private_token() -> tuple[str, str]:
    """An author's private token and the hash stored with their tribute or comment."""
    token = tokens.edit_token(tokens.new_submission_key())
    return token, tokens.hash_token(token)


def tributes_with(field: str, values: list[str]) -> list[str]:
    memorial = MemorialFactory()
    urls = [memorial.get_absolute_url(), admin("tribute_changelist")]
    for value in values:
        token, token_hash = private_token()
        tribute = TributeFactory(memorial=memorial, edit_token_hash=token_hash, **{field: value})
        urls += [
            reverse("tributes:your_tribute", args=[token]),
            reverse("tributes:delete_your_tribute", args=[token]),
            reverse("tributes:write_comment", args=[memorial.slug, tribute.pk]),
            # The moderation page of one tribute shows every field as text.
            admin("tribute_change", tribute.pk),
        ]
    return urls


def tribute_photos_with(field: str, values: list[str]) -> list[str]:
    memorial = MemorialFactory()
    urls = [
        memorial.get_absolute_url(),
        admin("tribute_changelist"),
        admin("photo_changelist"),
    ]
    for value in values:
        photo = Photo.objects.create(
            memorial=memorial,
            width=800,
            height=600,
            renditions=[{"width": 800, "height": 600, "name": "photos/tribute-800.webp"}],
            **{field: value},
        )
        tribute = TributeFactory(memorial=memorial, photo=photo)
        urls.append(admin("tribute_change", tribute.pk))
    return urls


def comments_with(field: str, values: list[str]) -> list[str]:
    tribute = TributeFactory()
    urls = [tribute.memorial.get_absolute_url(), admin("comment_changelist")]
    for value in values:
        token, token_hash = private_token()
        comment = CommentFactory(tribute=tribute, edit_token_hash=token_hash, **{field: value})
        urls += [
            reverse("tributes:your_comment", args=[token]),
            reverse("tributes:delete_your_comment", args=[token]),
            admin("comment_change", comment.pk),
        ]
    return urls


def event_candles_with(field: str, values: list[str]) -> list[str]:
    """Candles in a family's event (also on its memorial), one that has ended, and the wave."""
    memorial = MemorialFactory()
    coming = CandleEventFactory(memorial=memorial)
    ended = CandleEventFactory(memorial=memorial, local_date=timezone.localdate() - dt.timedelta(2))
    # A title (so an address) of its own: visitors' event pages are cached by address for two
    # seconds, and the plain and the escaped round of one test must never share an address.
    wave = WaveOfLightFactory(
        title=f"Wave of Light {memorial.pk}", local_date=timezone.localdate() + dt.timedelta(days=3)
    )
    for value in values:
        for event in (coming, ended, wave):
            CandleFactory(event=event, memorial=event.memorial, **{field: value})
    return [
        *[event.get_absolute_url() for event in (coming, ended, wave)],
        *[reverse("tributes:event_status", args=[event.slug]) for event in (coming, ended, wave)],
        reverse("tributes:event_wave", args=[wave.slug]),
        memorial.get_absolute_url(),
        admin("candle_changelist"),
    ]


def memorial_candles_with(field: str, values: list[str]) -> list[str]:
    memorial = MemorialFactory()
    for value in values:
        CandleFactory(memorial=memorial, **{field: value})
    return [memorial.get_absolute_url(), admin("candle_changelist")]


def new_reminder(value: str) -> ReminderSignup:
    return ReminderSignup.objects.create(
        event=CandleEventFactory(),
        email=value,
        time_zone="Europe/London",
        confirm_token_hash=tokens.hash_token(tokens.new_submission_key()),
    )


def reminders_with(field: str, values: list[str]) -> list[str]:
    # Only the admin shows an address: the visitor's own pages never repeat it.
    for value in values:
        new_reminder(value)
    return [admin("remindersignup_changelist")]


def photos_with(values: list[str]) -> list[str]:
    urls = []
    for value in values:
        memorial = MemorialFactory()
        memorial.cover_photo = Photo.objects.create(
            memorial=memorial,
            width=800,
            height=600,
            alt_text=value,
            renditions=[{"width": 800, "height": 600, "name": "photos/cover-800.webp"}],
        )
        memorial.save()
        urls.append(memorial.get_absolute_url())
    return urls


def charities_with(field: str, values: list[str]) -> list[str]:
    """A charity's name, or its donation page's address (only https:// addresses are kept, so a
    hostile address is one that starts so and then tries to break out of the link)."""
    urls = []
    for value in values:
        charity = {"charity_name": "A charity", "charity_url": "https://charity.example/give"}
        charity[field] = value if field == "charity_name" else f"https://charity.example/?{value}"
        memorial = MemorialFactory(owners=[family_owner()], **charity)
        urls += [memorial.get_absolute_url(), *family_pages(memorial, ["edit"])]
    return urls


def new_service(value: str, field: str, memorial=None) -> Service:
    words = {"title": "The funeral", "place": "St Mary's, Church Lane", "note": "", field: value}
    return Service.objects.create(
        memorial=memorial or MemorialFactory(owners=[family_owner()]),
        local_date=timezone.localdate() + dt.timedelta(days=5),
        local_time=dt.time(11, 0),
        **words,
    )


def services_with(field: str, values: list[str]) -> list[str]:
    urls = [admin("service_changelist")]
    for value in values:
        service = new_service(value, field)
        urls += [
            service.memorial.get_absolute_url(),
            *family_pages(service.memorial, ["memorial", "service"]),
            admin("service_change", service.pk),
        ]
    return urls


def new_invitation(value: str, memorial=None) -> Invitation:
    memorial = memorial or MemorialFactory(owners=[family_owner()])
    return Invitation.objects.create(
        memorial=memorial,
        email=value,
        token_hash=tokens.hash_token(tokens.new_submission_key()),
        invited_by=family_owner(),
        expires_at=timezone.now() + dt.timedelta(days=7),
    )


def invitations_with(field: str, values: list[str]) -> list[str]:
    memorial = MemorialFactory(owners=[family_owner()])
    for value in values:
        new_invitation(value, memorial)
    return [*family_pages(memorial, ["people"]), admin("invitation_changelist")]


def new_guest(value: str) -> Guest:
    return Guest.objects.create(memorial=MemorialFactory(), user=UserFactory(email=value))


def people_with(field: str, values: list[str]) -> list[str]:
    """Guests (field "guest") or co-owners ("owner"), each shown by their address."""
    memorial = MemorialFactory(owners=[family_owner()])
    for value in values:
        person = UserFactory(email=value)
        if field == "owner":
            memorial.owners.add(person)
        else:
            Guest.objects.create(memorial=memorial, user=person)
    urls = family_pages(memorial, ["people"])
    if field == "guest":
        urls.append(admin("guest_changelist"))
    return urls


def change_form(factory, field: str, name: str):
    def url(value: str) -> str:
        return admin(f"{name}_change", factory(**{field: value}).pk)

    return url


@dataclass(frozen=True)
class TextField:
    name: str
    # Stores each value in a new object; returns every URL showing them (a batch of CHUNK).
    place: Callable[[list[str]], list[str]]
    # Stores one value; returns the URL of the admin form that edits it (None: no such form).
    edit: Callable[[str], str] | None


def field(name: str, place, factory, admin_name: str) -> TextField:
    attribute = name.split(".")[1]
    return TextField(
        name, lambda values: place(attribute, values), change_form(factory, attribute, admin_name)
    )


# Every text field that reaches a page. Posting forms (tributes, comments, candles, reminders)
# add their new fields here, with the pages that show them.
XSS_FIELDS = [
    field("memorial.name", memorials_with, MemorialFactory, "memorial"),
    field("memorial.story", memorials_with, MemorialFactory, "memorial"),
    field("memorial.age_note", memorials_with, MemorialFactory, "memorial"),
    field("memorial.charity_name", charities_with, MemorialFactory, "memorial"),
    # Django's admin shows an address it finds valid as a link above the box, so the shape of
    # its form depends on the address itself (spaces or not): the visitor's page and the
    # family's form check it.
    TextField("memorial.charity_url", lambda values: charities_with("charity_url", values), None),
    TextField(
        "service.title",
        lambda values: services_with("title", values),
        lambda value: admin("service_change", new_service(value, "title").pk),
    ),
    TextField(
        "service.place",
        lambda values: services_with("place", values),
        lambda value: admin("service_change", new_service(value, "place").pk),
    ),
    TextField(
        "service.note",
        lambda values: services_with("note", values),
        lambda value: admin("service_change", new_service(value, "note").pk),
    ),
    TextField(
        "invitation.email",
        lambda values: invitations_with("email", values),
        lambda value: admin("invitation_change", new_invitation(value).pk),
    ),
    TextField(
        "guest.email",
        lambda values: people_with("guest", values),
        lambda value: admin("guest_change", new_guest(value).pk),
    ),
    TextField(
        "co_owner.email",
        lambda values: people_with("owner", values),
        lambda value: admin("guest_change", new_guest(value).pk),
    ),
    field("event.title", events_with, CandleEventFactory, "candleevent"),
    field("event.message", events_with, CandleEventFactory, "candleevent"),
    field("tribute.author_name", tributes_with, TributeFactory, "tribute"),
    field("tribute.relationship", tributes_with, TributeFactory, "tribute"),
    field("tribute.message", tributes_with, TributeFactory, "tribute"),
    field("comment.author_name", comments_with, CommentFactory, "comment"),
    field("comment.body", comments_with, CommentFactory, "comment"),
    TextField(
        "tribute.photo.alt_text",
        lambda values: tribute_photos_with("alt_text", values),
        lambda value: admin(
            "tribute_change",
            TributeFactory(
                photo=Photo.objects.create(
                    memorial=MemorialFactory(),
                    width=800,
                    height=600,
                    alt_text=value,
                    renditions=[{"width": 800, "height": 600, "name": "photos/t-800.webp"}],
                )
            ).pk,
        ),
    ),
    field("event_candle.name", event_candles_with, CandleFactory, "candle"),
    field("event_candle.message", event_candles_with, CandleFactory, "candle"),
    field("memorial_candle.name", memorial_candles_with, CandleFactory, "candle"),
    field("memorial_candle.message", memorial_candles_with, CandleFactory, "candle"),
    TextField(
        "reminder.email",
        lambda values: reminders_with("email", values),
        lambda value: admin("remindersignup_change", new_reminder(value).pk),
    ),
    TextField(
        "photo.alt_text",
        photos_with,
        lambda value: admin(
            "photo_change",
            Photo.objects.create(memorial=MemorialFactory(), width=1, height=1, alt_text=value).pk,
        ),
    ),
]

# The home page shows 9 memorials and a memorial page 10 tributes: batches fit on one page.
CHUNK = 9

# Admin forms render values through Django's widgets (an attribute or a textarea): they are
# checked with the vectors that try to break out of exactly those contexts.
CONTEXT_BREAKERS = [
    vector
    for vector in XSS_VECTORS
    if vector.startswith(('"', "'", "</", "--", "<!--", "<noscript", "<math"))
]


class PageShape(HTMLParser):
    """The elements and attribute names of a page, and every text and attribute value in it."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.shape: Counter = Counter()
        self.texts: list[str] = []
        self.dangers: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.shape[(tag, tuple(sorted(name for name, _ in attrs)))] += 1
        for name, value in attrs:
            self.texts.append(value or "")
            cleaned = "".join((value or "").split()).lower()
            if name.startswith("on"):
                self.dangers.append(f"<{tag} {name}=...>")
            if name in URL_ATTRIBUTES and cleaned.startswith(("javascript:", "vbscript:")):
                self.dangers.append(f"<{tag} {name}={value}>")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        self.texts.append(data)


def render(url: str, visitor: Client, moderator: Client, family: Client) -> PageShape:
    client = visitor
    if url.startswith(reverse("admin:index")):
        client = moderator
    elif url.startswith(reverse("family:dashboard")):
        client = family
    response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    if response["Content-Type"].startswith("application/json"):
        return json_shape(response)
    return PageShape(response.content.decode())


def json_shape(response) -> PageShape:
    """The status poll: every text is a JSON string, in a body no browser may read as a page."""
    assert response["X-Content-Type-Options"] == "nosniff"
    shape = PageShape("")
    strings = []

    def collect(value):
        if isinstance(value, dict):
            for item in value.values():
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)
        elif isinstance(value, str):
            strings.append(value)

    collect(json.loads(response.content))
    shape.texts = strings
    return shape


def shapes_for(place, values, visitor, moderator, family) -> list[PageShape]:
    """Store `values` with `place`, render every page returned, then roll the database back."""
    with transaction.atomic():
        urls = place(values)
        pages = [render(url, visitor, moderator, family) for url in urls]
        transaction.set_rollback(True)
    return pages


@pytest.fixture
def clients(db, visitor):
    moderator = Client()
    moderator.force_login(UserFactory(username="xss-moderator", is_staff=True, is_superuser=True))
    family = Client()
    family.force_login(family_owner())
    return visitor, moderator, family


def assert_escaped(pages, plain_pages, values, where):
    for page, plain in zip(pages, plain_pages, strict=True):
        assert not page.dangers, f"{where}: {page.dangers}"
        assert page.shape == plain.shape, f"{where}: {page.shape - plain.shape}"
    texts = [text for page in pages for text in page.texts]
    for value in values:
        # Admin lists shorten long texts: the first 40 characters are always shown.
        assert any(value[:40] in text for text in texts), f"{where}: {value!r} is missing"


@pytest.mark.parametrize("field", XSS_FIELDS, ids=lambda field: field.name)
def test_every_vector_is_shown_as_text_and_changes_no_page_structure(field, clients):
    plain_pages_by_size = {}
    for start in range(0, len(XSS_VECTORS), CHUNK):
        vectors = XSS_VECTORS[start : start + CHUNK]
        if len(vectors) not in plain_pages_by_size:
            plain = [f"{PLAIN} {n}" for n in range(len(vectors))]
            plain_pages_by_size[len(vectors)] = shapes_for(field.place, plain, *clients)
        plain_pages = plain_pages_by_size[len(vectors)]
        pages = shapes_for(field.place, vectors, *clients)
        assert_escaped(pages, plain_pages, vectors, f"{field.name} with {vectors}")


@pytest.mark.parametrize(
    "field", [field for field in XSS_FIELDS if field.edit], ids=lambda field: field.name
)
def test_admin_forms_keep_every_context_breaking_vector_inside_its_box(field, clients):
    plain_pages = shapes_for(lambda values: [field.edit(values[0])], [PLAIN], *clients)
    for vector in CONTEXT_BREAKERS:
        pages = shapes_for(lambda values: [field.edit(values[0])], [vector], *clients)
        assert_escaped(pages, plain_pages, [vector], f"{field.name} form with {vector!r}")


def test_the_corpus_uses_many_different_techniques():
    lowered = [vector.lower() for vector in XSS_VECTORS]
    handlers = set(re.findall(r"\b(on[a-z]+)=", " ".join(lowered)))
    schemes = {s for s in ["javascript:", "vbscript:", "data:"] if any(s in v for v in lowered)}
    tags = {v[1:].split()[0].split(">")[0].split("/")[0] for v in lowered if v.startswith("<")}
    assert len(XSS_VECTORS) >= 50
    assert len(handlers) >= 12, handlers
    assert schemes == {"javascript:", "vbscript:", "data:"}
    assert len(tags) >= 25, tags
    assert len(CONTEXT_BREAKERS) >= 8


@dataclass(frozen=True)
class SentBack:
    """A posting form whose words come back on the 429 page and on the refused-post page."""

    name: str
    action: str
    url: Callable[[dict], str]
    fields: tuple[str, ...]
    # Added to the post to make the form refuse it (None: every value it has is accepted),
    # and the status of the page showing the form again with the words typed.
    refuse: dict | None = None
    refused_status: int = 200


SENT_BACK = [
    SentBack(
        "write a tribute",
        "tribute",
        lambda o: reverse("tributes:write_tribute", args=[o["memorial"].slug]),
        ("author_name", "relationship", "message", "photo_description", "author_email"),
        refuse={},  # no honeypot field: "We could not send this", the words kept
    ),
    SentBack(
        "write a comment",
        "comment",
        lambda o: reverse("tributes:write_comment", args=[o["memorial"].slug, o["tribute"].pk]),
        ("author_name", "body", "author_email"),
        refuse={},
    ),
    SentBack(
        "change your tribute",
        "tribute",
        lambda o: reverse("tributes:your_tribute", args=[o["tribute_token"]]),
        ("author_name", "relationship", "message"),
        refuse={"emblem": "no-such-emblem"},
    ),
    SentBack(
        "change your comment",
        "comment",
        lambda o: reverse("tributes:your_comment", args=[o["comment_token"]]),
        ("author_name", "body"),
    ),
    SentBack(
        "light a candle in an event",
        "candle",
        lambda o: reverse("tributes:event_light", args=[o["site_event"].slug]),
        ("name", "message", "for_memorial"),
        refuse={},  # no memorial at the address given
        refused_status=400,
    ),
    SentBack(
        "light a candle on a memorial",
        "candle",
        lambda o: reverse("tributes:memorial_candle_light", args=[o["memorial"].slug]),
        ("name", "message"),
        refuse={},  # no burn time chosen
        refused_status=400,
    ),
    SentBack(
        "remind me",
        "reminder",
        lambda o: reverse("tributes:event_remind", args=[o["event"].slug]),
        ("email",),
        refuse={},  # not an email address
        refused_status=400,
    ),
]


def posting_objects() -> dict:
    memorial = MemorialFactory()
    tribute_token, tribute_hash = private_token()
    comment_token, comment_hash = private_token()
    tribute = TributeFactory(memorial=memorial, edit_token_hash=tribute_hash)
    CommentFactory(tribute=tribute, edit_token_hash=comment_hash)
    return {
        "memorial": memorial,
        "tribute": tribute,
        "tribute_token": tribute_token,
        "comment_token": comment_token,
        "event": CandleEventFactory(memorial=memorial),
        # A site-wide event asks for a dedication: one more field sent back.
        "site_event": CandleEventFactory(memorial=None),
    }


@pytest.mark.parametrize("form", SENT_BACK, ids=lambda form: form.name)
def test_words_sent_back_on_a_limited_or_refused_post_come_back_as_text(form, settings):
    # One post uses up the allowance: every post after it gets the 429 page with its words.
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, form.action: {"client": "1/h"}}
    url = form.url(posting_objects())
    limited, without_token = Client(), Client(enforce_csrf_checks=True)
    limited.post(url, {})

    def pages(values: list[str]) -> list[PageShape]:
        shapes = []
        for value in values:
            # The field's name is the visitor's too: it comes back in a hidden input or a label.
            data = {**dict.fromkeys(form.fields, value), value: "kept"}
            for client, status in [(limited, 429), (without_token, 403)]:
                response = client.post(url, data)
                assert response.status_code == status, f"{form.name}: {response.status_code}"
                shapes.append(PageShape(response.content.decode()))
        return shapes

    plain_pages = pages([PLAIN])
    for vector in XSS_VECTORS:
        assert_escaped(pages([vector]), plain_pages, [vector], f"{form.name} with {vector!r}")


@pytest.mark.parametrize(
    "form", [form for form in SENT_BACK if form.refuse is not None], ids=lambda form: form.name
)
def test_words_kept_on_a_form_shown_again_with_an_error_come_back_as_text(form, settings):
    settings.RATE_LIMIT_ENABLED = False
    url = form.url(posting_objects())
    client = Client()

    def pages(values: list[str]) -> list[PageShape]:
        shapes = []
        for value in values:
            response = client.post(url, {**dict.fromkeys(form.fields, value), **form.refuse})
            assert response.status_code == form.refused_status, form.name
            shapes.append(PageShape(response.content.decode()))
        return shapes

    plain_pages = pages([PLAIN])
    for vector in XSS_VECTORS:
        assert_escaped(pages([vector]), plain_pages, [vector], f"{form.name} with {vector!r}")


def family_email_pages(value: str) -> list[PageShape]:
    """The HTML part of every email about a family's memorial, with `value` in every word the
    family wrote (name, candle time, their own address), rolled back afterwards."""
    from tributes import emails
    from tributes.models import OutgoingEmail, RememberingDay
    from tributes.moderation.notices import Waiting

    with transaction.atomic():
        owner = UserFactory(username="xss-email-owner", email=value)
        memorial = MemorialFactory(name=value, owners=[owner], family_moderates=True)
        invitation = new_invitation("gran@example.org", memorial)
        invitation.invited_by = owner
        emails.send_invitation(invitation, "a-token")
        event = CandleEventFactory(memorial=memorial, title=value, message=value)
        signup = new_reminder("friend@example.org")
        signup.event = event
        signup.save()
        for cancelled in (False, True):
            emails.send_event_changed(signup, cancelled=cancelled, unsubscribe_token="a-token")
        day = RememberingDay.objects.create(memorial=memorial, user=owner, kind="birthday")
        emails.send_remembering_day(day, on=dt.date(2027, 3, 9))
        emails.send_moderation_digest(owner, [(memorial, 2)])
        emails.send_moderation_notice(memorial, Waiting(pending=1, unreviewed=0), ["m@e.org"])
        pages = [PageShape(email.html) for email in OutgoingEmail.objects.order_by("pk")]
        transaction.set_rollback(True)
    assert len(pages) == 6
    return pages


def test_every_family_email_shows_the_familys_words_as_text(db):
    plain_pages = family_email_pages(PLAIN)
    for vector in XSS_VECTORS:
        assert_escaped(family_email_pages(vector), plain_pages, [vector], f"emails with {vector!r}")


@pytest.mark.parametrize(
    "address",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "http://charity.example/give",
    ],
)
def test_a_charity_link_that_is_not_https_is_refused(client, address):
    from django.db import IntegrityError

    owner = family_owner()
    memorial = MemorialFactory(owners=[owner], charity_url="https://charity.example/give")
    client.force_login(owner)
    response = client.post(
        reverse("family:edit", kwargs={"slug": memorial.slug}),
        {
            "name": memorial.name,
            "visibility": memorial.visibility,
            "first_reader": "site",
            "time_zone": "Europe/London",
            "charity_name": "A charity",
            "charity_url": address,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors.get("charity_url"), response.context["form"].errors
    memorial.refresh_from_db()
    assert memorial.charity_url == "https://charity.example/give"
    # Nor can anything else store one: the database refuses it.
    with pytest.raises(IntegrityError), transaction.atomic():
        MemorialFactory(charity_url=address)
