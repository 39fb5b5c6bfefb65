"""Fictional demo data: a baby remembered by his family, tributes, comments and candles."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from tributes.models import (
    Candle,
    CandleEvent,
    Comment,
    Emblem,
    Memorial,
    Status,
    Tribute,
    Visibility,
)
from tributes.roles import MODERATORS_GROUP

DEMO_MEMORIAL_SLUG = "teddy-ashby"
MODERATOR_USERNAME = "moderator"
MODERATOR_PASSWORD = "remember-gently"  # noqa: S105 (a demo account for local use only)
FAMILY_PASSWORD = "with-love-always"  # noqa: S105

STORY = """Teddy Ashby was born on a grey March morning and lived for four hours in his mum's arms.

He had his dad's long fingers and a full head of dark hair. His big sister Maisie chose his name.

We made this page so that everyone who held him in their hearts has somewhere to come back to."""

TRIBUTES = [
    (
        "Claire Ashby",
        "Mum",
        Emblem.ANGEL_WINGS,
        "Every day I am thankful for the four hours I held you. You are loved beyond words, my beautiful boy.",
    ),
    (
        "Sam Okafor",
        "friend",
        Emblem.CANDLE,
        "Sending so much love to all of you tonight. Teddy's light carries on.",
    ),
    (
        "Nana Jo",
        "Nana",
        Emblem.YELLOW_ROSE,
        "A yellow rose for my first grandson. I think of you every time the garden blooms.",
    ),
    (
        "Priya Shah",
        "Claire's colleague",
        Emblem.HEART,
        "Thinking of you, Claire and Dan. Teddy is remembered here too.",
    ),
    ("Maisie", "big sister", Emblem.STAR, "I drew you a star. It is the brightest one."),
    (
        "Dan Ashby",
        "Dad",
        Emblem.CANDLE,
        "Goodnight, little man. We light your candle every Sunday.",
    ),
    (
        "Helen Marsh",
        "midwife",
        Emblem.RIBBON,
        "It was a privilege to meet Teddy. Thinking of your family on his birthday.",
    ),
    (
        "Ahmed Karimi",
        "neighbour",
        Emblem.NONE,
        "Our street lit candles in our windows for Teddy. You are not alone.",
    ),
    (
        "Rosa Lindqvist",
        "a stranger who read the story",
        Emblem.YELLOW_ROSE,
        "I lost my son Elias in 2019. Sending you strength from Sweden.",
    ),
    ("Uncle Mike", "uncle", Emblem.STAR, "Forever our little star."),
    ("Grace Adeyemi", "friend", Emblem.HEART, "Holding you all close today and always."),
    (
        "Tom Berry",
        "Dan's football team",
        Emblem.CANDLE,
        "The whole team wore black armbands for Teddy on Saturday.",
    ),
]

COMMENTS = [
    ("Claire Ashby", "Thank you, Sam. It means the world."),
    ("Dan Ashby", "Thank you for being there."),
    ("Sam Okafor", "Sending so much love."),
]

PENDING = [
    (
        "Lucy Dunn",
        "friend",
        "Thinking of you all on Baby Loss Awareness Day. Lighting a candle at 7pm.",
    ),
    ("Mark Ellis", "", "Remembering Teddy today."),
]


def load_demo(*, now: dt.datetime | None = None) -> Memorial:
    """Create the demo data once; calling it again changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        memorial, created = Memorial.objects.get_or_create(
            slug=DEMO_MEMORIAL_SLUG,
            defaults={
                "name": "Teddy Ashby",
                "born_on": dt.date(2026, 3, 9),
                "died_on": dt.date(2026, 3, 9),
                "age_note": "Lived for four hours, held by his family the whole time",
                "story": STORY,
                "visibility": Visibility.PUBLIC,
                "time_zone": "Europe/London",
            },
        )
        _family(memorial)
        _moderator()
        if created:
            _tributes(memorial, now)
            _events(memorial, now)
    return memorial


def _family(memorial: Memorial) -> None:
    User = get_user_model()
    for username, first in [("claire", "Claire"), ("dan", "Dan")]:
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": "Ashby"}
        )
        if created:
            user.set_password(FAMILY_PASSWORD)
            user.save(update_fields=["password"])
        memorial.owners.add(user)


def _moderator() -> None:
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=MODERATOR_USERNAME,
        defaults={"is_staff": True, "email": "moderator@example.org", "first_name": "Demo"},
    )
    if created:
        user.set_password(MODERATOR_PASSWORD)
        user.save(update_fields=["password"])
    user.groups.add(Group.objects.get(name=MODERATORS_GROUP))


def _tributes(memorial: Memorial, now: dt.datetime) -> None:
    moderator = get_user_model().objects.get(username=MODERATOR_USERNAME)
    for days_ago, (name, relationship, emblem, message) in enumerate(TRIBUTES):
        tribute = Tribute.objects.create(
            memorial=memorial,
            author_name=name,
            relationship=relationship,
            emblem=emblem,
            message=message,
            status=Status.APPROVED,
            moderated_by=moderator,
            moderated_at=now,
            created_at=now - dt.timedelta(days=days_ago + 1),
        )
        if name == "Sam Okafor":
            for offset, (author, body) in enumerate(COMMENTS):
                Comment.objects.create(
                    tribute=tribute,
                    author_name=author,
                    body=body,
                    status=Status.APPROVED,
                    moderated_by=moderator,
                    moderated_at=now,
                    created_at=tribute.created_at + dt.timedelta(hours=offset + 1),
                )
    for name, relationship, message in PENDING:
        Tribute.objects.create(
            memorial=memorial, author_name=name, relationship=relationship, message=message
        )
    newest = Tribute.objects.for_memorial(memorial).published().first()
    Comment.objects.create(tribute=newest, author_name="Jess", body="Sending love from Leeds.")
    for name in ["Nana Jo", "Priya", "Maisie"]:
        Candle.objects.create(memorial=memorial, name=name, visitor_key=f"demo-{name}", lit_at=now)


def _events(memorial: Memorial, now: dt.datetime) -> None:
    local_today = now.astimezone(memorial.zone).date()
    CandleEvent.objects.create(
        memorial=memorial,
        title="Candles for Teddy",
        message="Tonight at 7pm we will light a candle for Teddy. Please light one with us.",
        local_date=local_today + dt.timedelta(days=3),
        local_time=dt.time(19, 0),
        time_zone=memorial.time_zone,
    )
    if not CandleEvent.objects.filter(title="Wave of Light").exists():
        CandleEvent.objects.create(
            title="Wave of Light",
            message=(
                "On 15 October, Baby Loss Awareness Day, light a candle at 7pm wherever you are "
                "and leave it burning for at least an hour: a wave of light around the world."
            ),
            local_date=_next_wave_of_light(local_today),
            local_time=dt.time(19, 0),
            is_floating=True,
        )


def _next_wave_of_light(today: dt.date) -> dt.date:
    this_year = dt.date(today.year, 10, 15)
    return this_year if this_year >= today else dt.date(today.year + 1, 10, 15)
