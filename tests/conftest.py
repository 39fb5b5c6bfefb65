import datetime as dt

import pytest

from tests.support.factories import (
    CandleEventFactory,
    MemorialFactory,
    UserFactory,
    WaveOfLightFactory,
)
from tests.support.photos import make_photo
from tributes.models import Visibility


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    # Rate-limit counters, repeat-post fingerprints and the candle pages' short-lived answers live
    # in the cache: every test starts afresh, and none sees another's.
    from tests.support.caches import start_cold

    start_cold()


@pytest.fixture
def visitor(client):
    """Someone reading the site without an account: the anonymous test client."""
    return client


@pytest.fixture
def owner(db):
    return UserFactory(username="claire")


@pytest.fixture
def stranger(db):
    return UserFactory(username="stranger")


@pytest.fixture
def moderator(db):
    from django.contrib.auth.models import Group

    user = UserFactory(username="moderator", is_staff=True)
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


# Teddy's family signed in to the admin, allowed to schedule candle events.
@pytest.fixture
def family_client(client, owner, memorial):
    from django.contrib.auth.models import Permission

    owner.is_staff = True
    owner.save()
    owner.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_candleevent", "change_candleevent"])
    )
    client.force_login(owner)
    return client


@pytest.fixture
def memorial(owner):
    return MemorialFactory(name="Teddy Ashby", slug="teddy", owners=[owner])


# Teddy's memorial with a cover photo, stored in every rendition.
@pytest.fixture
def cover(memorial):
    photo = make_photo(memorial, alt_text="Teddy in his blue hat")
    memorial.cover_photo = photo
    memorial.save()
    return photo


@pytest.fixture
def private_memorial(owner):
    return MemorialFactory(
        name="Private Person", slug="private-person", visibility=Visibility.PRIVATE, owners=[owner]
    )


# Two family-moderated memorials: the family owns A and must never reach B.
@pytest.fixture
def memorial_a(owner):
    return MemorialFactory(name="Memorial Alpha", owners=[owner], family_moderates=True)


@pytest.fixture
def memorial_b():
    return MemorialFactory(name="Memorial Bravo", family_moderates=True)


@pytest.fixture
def scoped_staff(owner, memorial_a, client):
    """A staff account outside the Moderators group that owns memorial A, given the admin's
    moderation rights by hand: the admin scopes it to A. (Families are never made staff; they
    moderate from their own queue, /family/<slug>/queue/.)"""
    from django.contrib.auth.models import Permission

    owner.is_staff = True
    owner.save(update_fields=["is_staff"])
    owner.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="tributes",
            codename__in=[
                "view_tribute",
                "change_tribute",
                "view_comment",
                "change_comment",
                "view_memorial",
                "view_moderationdecision",
            ],
        )
    )
    client.force_login(owner)
    return owner


# The family's candle lighting on the Wave of Light: 19:00 in London, 18:00 UTC (summer time).
@pytest.fixture
def event(memorial):
    return CandleEventFactory(
        memorial=memorial,
        title="Candles for Teddy",
        local_date=dt.date(2026, 10, 15),
        local_time=dt.time(19, 0),
        time_zone="Europe/London",
    )


# The site-wide Wave of Light on 15 October: 19:00 in each visitor's own zone, no memorial.
@pytest.fixture
def wave_of_light(db):
    return WaveOfLightFactory()
