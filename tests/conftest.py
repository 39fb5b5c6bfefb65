import pytest

from tests.factories import MemorialFactory, UserFactory
from tributes.models import Visibility


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    # Rate-limit counters and repeat-post fingerprints live in the cache: start every test afresh.
    from django.core.cache import cache

    cache.clear()


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


@pytest.fixture
def memorial(owner):
    return MemorialFactory(name="Teddy Ashby", slug="teddy", owners=[owner])


@pytest.fixture
def private_memorial(owner):
    return MemorialFactory(
        name="Private Person", slug="private-person", visibility=Visibility.PRIVATE, owners=[owner]
    )


@pytest.fixture(autouse=True)
def _empty_cache():
    # Candle pages share short-lived answers through the cache; no test may see another's.
    from django.core.cache import cache

    cache.clear()
