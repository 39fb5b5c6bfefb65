"""One matrix: who may open each family page, use each family action, see the memorial and its
photos. A private memorial is shared with a co-owner and a guest; the others must get a 404,
as if it did not exist (or, signed out, the sign-in page), and no action of theirs changes it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse
from django.utils import timezone

from tests.support.factories import CandleEventFactory, MemorialFactory, UserFactory
from tests.support.photos import make_photo
from tributes.models import Guest, Invitation, Visibility

pytestmark = pytest.mark.django_db

ROLES = [
    "owner",
    "co_owner",
    "invited",
    "former_owner",
    "guest",
    "stranger",
    "site_moderator",
    "superuser",
    "anonymous",
]
OWNERS = {"owner", "co_owner"}
# Who may open the private memorial itself, and who may see its cover photo.
READERS = OWNERS | {"guest"}
PHOTO_VIEWERS = READERS | {"site_moderator", "superuser"}


@pytest.fixture
def cast(db):
    people = {
        "owner": UserFactory(username="owner"),
        "co_owner": UserFactory(username="co_owner"),
        "invited": UserFactory(username="invited"),
        "former_owner": UserFactory(username="former_owner"),
        "guest": UserFactory(username="guest"),
        "stranger": UserFactory(username="stranger"),
        "site_moderator": UserFactory(username="site_moderator", is_staff=True),
        "superuser": UserFactory(username="superuser", is_staff=True, is_superuser=True),
    }
    people["site_moderator"].groups.add(Group.objects.get(name="Moderators"))
    memorial = MemorialFactory(
        name="Ottoline Quist",
        visibility=Visibility.PRIVATE,
        family_moderates=True,
        owners=[people["owner"], people["co_owner"], people["former_owner"]],
    )
    memorial.owners.remove(people["former_owner"])
    Guest.objects.create(memorial=memorial, user=people["guest"])
    Invitation.objects.create(
        memorial=memorial,
        email=people["invited"].email,
        token_hash="x" * 64,
        invited_by=people["owner"],
        expires_at=timezone.now() + dt.timedelta(days=7),
    )
    memorial.cover_photo = make_photo(memorial)
    memorial.save()
    event = CandleEventFactory(memorial=memorial)
    return people, memorial, event


def client_for(people, role) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(people[role])
    return client


def family_urls(memorial, event, people) -> list[tuple[str, str]]:
    """(name, url) of every family page about one memorial, found by walking the URLs."""
    fillers = {
        "slug": memorial.slug,
        "pk": event.pk,
        "user_id": people["co_owner"].pk,
    }
    resolver = get_resolver().namespace_dict["family"][1]
    urls = []
    for pattern in resolver.url_patterns:
        assert isinstance(pattern, URLPattern)
        names = set(pattern.pattern.regex.groupindex)
        if "slug" not in names:
            continue
        kwargs = {name: fillers[name] for name in names}
        urls.append((pattern.name, reverse(f"family:{pattern.name}", kwargs=kwargs)))
    return urls


def counts(memorial) -> tuple:
    memorial.refresh_from_db()
    return (
        sorted(memorial.owners.values_list("username", flat=True)),
        memorial.candle_events.count(),
        memorial.guests.count(),
        memorial.invitations.filter(cancelled_at__isnull=True).count(),
        memorial.share_links.count(),
        memorial.is_draft,
        memorial.name,
    )


@pytest.mark.parametrize("role", ROLES)
def test_every_family_page_and_action_is_for_the_owners_only(cast, role):
    people, memorial, event = cast
    client = client_for(people, role)
    before = counts(memorial)
    urls = family_urls(memorial, event, people)
    assert len(urls) >= 15
    for name, url in urls:
        get = client.get(url)
        if role in OWNERS:
            assert get.status_code in (200, 302, 405), f"{role} GET {name}: {get.status_code}"
            continue
        post = client.post(url, {"name": memorial.name, "owner-email": "x@example.org"})
        if role == "anonymous":
            for response in (get, post):
                assert response.status_code == 302, f"{name}: {response.status_code}"
                assert response.url.startswith(reverse("account_login"))
        else:
            assert get.status_code in (404, 405), f"{role} GET {name}: {get.status_code}"
            assert post.status_code in (404, 405), f"{role} POST {name}: {post.status_code}"
    if role not in OWNERS:
        assert counts(memorial) == before


@pytest.mark.parametrize("role", ROLES)
def test_the_private_memorial_and_its_photo_open_only_to_who_may(cast, role):
    people, memorial, _event = cast
    client = client_for(people, role)
    page = client.get(memorial.get_absolute_url())
    assert page.status_code == (200 if role in READERS else 404)
    photo = client.get(memorial.cover_photo.default_url)
    assert photo.status_code == (200 if role in PHOTO_VIEWERS else 404)


@pytest.mark.parametrize("role", ROLES)
def test_the_dashboard_lists_only_what_the_person_owns(cast, role):
    people, memorial, _event = cast
    page = client_for(people, role).get(reverse("family:dashboard"))
    if role == "anonymous":
        assert page.status_code == 302
        return
    assert ("Ottoline Quist" in page.text) == (role in OWNERS)


@pytest.mark.parametrize("role", ROLES)
def test_a_preview_is_only_for_its_owners(cast, role):
    people, memorial, _event = cast
    memorial.visibility = Visibility.PUBLIC
    memorial.is_draft = True
    memorial.save()
    page = client_for(people, role).get(memorial.get_absolute_url())
    assert page.status_code == (200 if role in OWNERS else 404)


FAMILY_ADMIN_MODELS = [
    "invitation",
    "guest",
    "sharelink",
    "familysettings",
    "rememberingday",
    "service",
]
SITE_MODERATORS = {"site_moderator", "superuser"}


@pytest.mark.parametrize("role", ROLES)
def test_what_families_decided_is_in_the_admin_for_site_moderators_only(cast, role):
    people, memorial, _event = cast
    client = client_for(people, role)
    for model in FAMILY_ADMIN_MODELS:
        response = client.get(reverse(f"admin:tributes_{model}_changelist"))
        if role in SITE_MODERATORS:
            assert response.status_code == 200, f"{role} {model}"
        else:
            # Nobody of the family is staff: the admin sends them to its own sign-in.
            assert response.status_code == 302, f"{role} {model}: {response.status_code}"
            assert response.url.startswith(reverse("admin:login"))
    if role in SITE_MODERATORS:
        cancel = client.post(
            reverse("admin:tributes_invitation_changelist"),
            {"action": "cancel_selected", "_selected_action": [memorial.invitations.get().pk]},
        )
        assert cancel.status_code == 302
        assert not memorial.invitations.open().exists()


@pytest.mark.parametrize("role", ROLES)
def test_nobody_of_the_family_is_staff_and_the_header_leads_each_to_their_place(cast, role):
    people, _memorial, _event = cast
    if role in people:
        assert people[role].is_staff is (role in SITE_MODERATORS)
    header = client_for(people, role).get(reverse("tributes:home")).text.split("</header>")[0]
    assert f'href="{reverse("family:create")}"' in header
    signed_in = role != "anonymous"
    assert (f'href="{reverse("family:dashboard")}"' in header) is signed_in
    assert (f'href="{reverse("account_login")}"' in header) is not signed_in
