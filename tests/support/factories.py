import datetime as dt

import factory
from django.contrib.auth import get_user_model
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


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class MemorialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Memorial
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Remembered Person {n}")
    born_on = dt.date(2026, 3, 9)
    died_on = dt.date(2026, 3, 9)
    story = "A short life, deeply loved."
    visibility = Visibility.PUBLIC

    @factory.post_generation
    def owners(self, create, extracted, **kwargs):
        if create and extracted:
            self.owners.add(*extracted)


class TributeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tribute

    memorial = factory.SubFactory(MemorialFactory)
    author_name = factory.Sequence(lambda n: f"Visitor {n}")
    relationship = "friend"
    message = "Sending so much love."
    emblem = Emblem.CANDLE
    status = Status.APPROVED


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    tribute = factory.SubFactory(TributeFactory)
    author_name = factory.Sequence(lambda n: f"Commenter {n}")
    body = "Thinking of you."
    status = Status.APPROVED


class CandleEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CandleEvent

    memorial = factory.SubFactory(MemorialFactory)
    title = factory.Sequence(lambda n: f"Candles together {n}")
    message = "Tonight at 7pm we will light a candle."
    local_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=3))
    local_time = dt.time(19, 0)
    time_zone = "Europe/London"


class CandleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candle

    memorial = factory.SubFactory(MemorialFactory)
    name = factory.Sequence(lambda n: f"Lighter {n}")
    visitor_key = factory.Sequence(lambda n: f"visitor-{n}")


class WaveOfLightFactory(CandleEventFactory):
    """The site-wide Wave of Light: no memorial, 19:00 on 15 October in each visitor's own zone."""

    memorial = None
    title = "Wave of Light"
    is_floating = True
    time_zone = ""
    local_date = dt.date(2026, 10, 15)
    local_time = dt.time(19, 0)
