"""Owners of a family-moderated memorial get scoped staff access, and lose only that when it ends."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group

from tests.support.factories import MemorialFactory
from tributes.moderation import family_access
from tributes.roles import FAMILY_MODERATORS_GROUP

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 10, 15, 12, 0, tzinfo=dt.UTC)


def test_owners_of_a_family_moderated_memorial_get_scoped_staff_access(owner):
    memorial = MemorialFactory(owners=[owner], family_moderates=True)
    family_access.refresh_family_moderator_access([owner])
    owner.refresh_from_db()
    assert owner.is_staff
    assert owner.groups.filter(name=FAMILY_MODERATORS_GROUP).exists()
    memorial.family_moderates = False
    memorial.save()
    family_access.refresh_family_moderator_access([owner])
    owner.refresh_from_db()
    assert not owner.is_staff
    assert not owner.groups.exists()


def test_taking_family_access_away_keeps_a_site_moderator_staff(moderator):
    moderator.groups.add(Group.objects.get(name=FAMILY_MODERATORS_GROUP))
    family_access.refresh_family_moderator_access([moderator])
    moderator.refresh_from_db()
    assert moderator.is_staff
    assert list(moderator.groups.values_list("name", flat=True)) == ["Moderators"]
