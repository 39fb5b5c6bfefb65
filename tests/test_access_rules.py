"""The "who may" functions one by one, where a second check in the views would hide the first.

The views filter and the admin scopes, but each function in tributes/access.py must hold on its
own: a staff account that is neither a site moderator nor an owner gets nothing from it.
"""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser, Group
from django.http import Http404
from django.test import RequestFactory

from tests.support.factories import (
    CandleEventFactory,
    MemorialFactory,
    TributeFactory,
    UserFactory,
)
from tests.support.photos import make_photo
from tributes import access
from tributes.families.sharing import new_share_link
from tributes.models import (
    CandleEvent,
    Guest,
    Memorial,
    ModerationMode,
    Photo,
    ShareLink,
    Status,
    Visibility,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_stranger():
    # Staff, with a memorial of their own, but no site moderator.
    user = UserFactory(username="staff-stranger", is_staff=True)
    MemorialFactory(name="Their Own", owners=[user], family_moderates=True)
    return user


@pytest.fixture
def site_moderator():
    user = UserFactory(username="site-moderator", is_staff=True)
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


@pytest.fixture
def superuser():
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def photo_of(memorial, status):
    photo = make_photo(memorial, size=(480, 360))
    if status is not None:
        TributeFactory(memorial=memorial, photo=photo, status=status)
    return Photo.objects.select_related("memorial", "tribute").get(pk=photo.pk)


def test_is_owned_by_is_for_owners_only(owner, memorial, staff_stranger, site_moderator, superuser):
    assert memorial.is_owned_by(owner)
    for user in (staff_stranger, site_moderator, superuser, AnonymousUser(), None):
        assert not memorial.is_owned_by(user)


def test_owned_by_gives_nothing_to_someone_signed_out(owner, memorial):
    # Every page that asks is behind a sign-in, which would hide a mistake here.
    assert list(Memorial.objects.owned_by(owner)) == [memorial]
    for user in (AnonymousUser(), None):
        assert not Memorial.objects.owned_by(user).exists()


def test_is_site_moderator(owner, staff_stranger, site_moderator, superuser):
    assert access.is_site_moderator(site_moderator)
    assert access.is_site_moderator(superuser)
    for user in (owner, staff_stranger, AnonymousUser()):
        assert not access.is_site_moderator(user)


def test_is_site_moderator_remembers_its_answer(site_moderator, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert access.is_site_moderator(site_moderator)
        assert access.is_site_moderator(site_moderator)


def test_a_moderators_group_member_without_staff_status_sees_no_hidden_photo(memorial):
    left = UserFactory(username="left-the-team")
    left.groups.add(Group.objects.get(name="Moderators"))
    assert not access.can_see_photo(left, photo_of(memorial, Status.PENDING))


@pytest.mark.parametrize(
    ("visibility", "status", "family_moderates", "owner_sees", "stranger_sees"),
    [
        (Visibility.PUBLIC, None, False, True, True),  # the cover of a public memorial
        (Visibility.PUBLIC, Status.APPROVED, False, True, True),
        (Visibility.PUBLIC, Status.PENDING, False, False, False),
        (Visibility.PUBLIC, Status.PENDING, True, True, False),
        (Visibility.PUBLIC, Status.REJECTED, False, False, False),
        (Visibility.PUBLIC, Status.REJECTED, True, True, False),
        (Visibility.UNLISTED, Status.APPROVED, False, True, True),
        (Visibility.PRIVATE, None, False, True, False),
        (Visibility.PRIVATE, Status.APPROVED, False, True, False),
        (Visibility.PRIVATE, Status.PENDING, True, True, False),
    ],
)
def test_can_see_photo(
    owner,
    staff_stranger,
    site_moderator,
    superuser,
    visibility,
    status,
    family_moderates,
    owner_sees,
    stranger_sees,
):
    memorial = MemorialFactory(
        visibility=visibility, family_moderates=family_moderates, owners=[owner]
    )
    photo = photo_of(memorial, status)
    if status is None:
        memorial.cover_photo = photo
        memorial.save()
        photo = Photo.objects.select_related("memorial").get(pk=photo.pk)
    assert access.can_see_photo(owner, photo) is owner_sees
    assert access.can_see_photo(staff_stranger, photo) is stranger_sees
    assert access.can_see_photo(AnonymousUser(), photo) is stranger_sees
    assert access.can_see_photo(site_moderator, photo)
    assert access.can_see_photo(superuser, photo)


def test_may_post(owner, staff_stranger, site_moderator):
    for mode in ModerationMode.values:
        memorial = MemorialFactory(moderation_mode=mode, owners=[owner])
        family_only = mode == ModerationMode.FAMILY_ONLY
        assert access.may_post(memorial, owner)
        for user in (staff_stranger, site_moderator, AnonymousUser()):
            assert access.may_post(memorial, user) is not family_only


def test_memorials_in_scope(owner, staff_stranger, site_moderator, superuser):
    moderated = MemorialFactory(owners=[owner], family_moderates=True)
    by_the_site = MemorialFactory(owners=[owner], family_moderates=False)
    assert access.memorials_in_scope(site_moderator, family_moderated_only=True) is None
    assert access.memorials_in_scope(superuser, family_moderated_only=False) is None
    assert list(access.memorials_in_scope(owner, family_moderated_only=True)) == [moderated]
    assert set(access.memorials_in_scope(owner, family_moderated_only=False)) == {
        moderated,
        by_the_site,
    }
    assert [
        m.name for m in access.memorials_in_scope(staff_stranger, family_moderated_only=True)
    ] == ["Their Own"]


def test_visible_memorials_and_events(owner, staff_stranger, superuser):
    shown = MemorialFactory(visibility=Visibility.PUBLIC)
    unlisted = MemorialFactory(visibility=Visibility.UNLISTED)
    private = MemorialFactory(visibility=Visibility.PRIVATE, owners=[owner])
    events = {m: CandleEventFactory(memorial=m) for m in (shown, unlisted, private)}
    everyone = set(Memorial.objects.exclude(visibility=Visibility.PRIVATE))
    assert {shown, unlisted} <= everyone
    for user, expected in [
        (owner, everyone | {private}),
        (staff_stranger, everyone),
        (superuser, everyone),
        (AnonymousUser(), everyone),
    ]:
        assert set(Memorial.objects.visible_to(user)) == expected
        visible_events = set(CandleEvent.objects.visible_to(user))
        assert {events[m] for m in events if m in expected} == visible_events & set(events.values())
        assert (events[private] in visible_events) is (user == owner)


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_a_visitor_gets_each_event_from_a_two_second_shared_answer(django_assert_num_queries):
    first = CandleEventFactory(memorial=MemorialFactory(), slug="first")
    second = CandleEventFactory(memorial=MemorialFactory(), slug="second")
    with time_machine.travel(dt.datetime(2026, 10, 15, 18, 0, tzinfo=dt.UTC), tick=False) as clock:
        with django_assert_num_queries(2):
            assert access.get_visible_event(_request(AnonymousUser()), "first") == first
            assert access.get_visible_event(_request(AnonymousUser()), "first").memorial.name
            assert access.get_visible_event(_request(AnonymousUser()), "second") == second
        with django_assert_num_queries(0):
            assert access.get_visible_event(_request(AnonymousUser()), "first") == first
            assert access.get_visible_event(_request(AnonymousUser()), "second") == second
        Memorial.objects.filter(pk=first.memorial_id).update(visibility=Visibility.PRIVATE)
        clock.shift(dt.timedelta(seconds=3))
        with pytest.raises(Http404):
            access.get_visible_event(_request(AnonymousUser()), "first")


def test_a_signed_in_owner_always_gets_a_fresh_answer(owner, django_assert_num_queries):
    event = CandleEventFactory(
        memorial=MemorialFactory(visibility=Visibility.PRIVATE, owners=[owner]), slug="ours"
    )
    for _ in range(2):
        with django_assert_num_queries(1):
            found = access.get_visible_event(_request(owner), "ours")
            assert found == event
            assert found.memorial.is_private
    with pytest.raises(Http404):
        access.get_visible_event(_request(AnonymousUser()), "ours")


def test_a_private_memorials_guests_and_share_link_holders_see_its_published_photos(
    owner, staff_stranger
):
    memorial = MemorialFactory(visibility=Visibility.PRIVATE, owners=[owner])
    photo = photo_of(memorial, Status.APPROVED)
    guest = UserFactory(username="aunt-may")
    Guest.objects.create(memorial=memorial, user=guest)
    new_share_link(memorial, by=owner)
    link = ShareLink.objects.get(memorial=memorial)
    other_link = _other_memorials_link(owner)

    assert access.can_see_photo(guest, photo)
    assert access.can_see_photo(AnonymousUser(), photo, share_links=[link.pk])
    # Neither someone invited elsewhere nor another memorial's link opens it.
    assert not access.can_see_photo(staff_stranger, photo)
    assert not access.can_see_photo(AnonymousUser(), photo, share_links=[other_link.pk])
    link.revoked_at = dt.datetime.now(dt.UTC)
    link.save()
    assert not access.can_see_photo(AnonymousUser(), photo, share_links=[link.pk])


def _other_memorials_link(owner):
    other = MemorialFactory(name="Another", visibility=Visibility.PRIVATE, owners=[owner])
    new_share_link(other, by=owner)
    return ShareLink.objects.get(memorial=other)
