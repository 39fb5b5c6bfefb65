"""Every rule that protects people, against every kind of account: one matrix.

The family ("claire") owns a private memorial where only the family posts, a public one where
only the family posts, and a public one it moderates itself, holding a tribute waiting for
approval, a comment waiting and a tribute refused. Another public memorial, moderated by the site
and listed for search engines, holds a refused tribute with a photo; an unlisted memorial and a
preview are never listed anywhere. Each account kind meets each rule through the real URL, and
the matrix says who gets in. The family reads what waits in its own queue and never reaches the
admin (families are not staff). A staff account that is not a site moderator and owns another
memorial is in it on purpose: staff status alone opens nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.support.factories import (
    CandleEventFactory,
    CommentFactory,
    MemorialFactory,
    TributeFactory,
    UserFactory,
)
from tests.support.photos import make_photo
from tests.support.posting import post_tribute
from tributes.families import sharing
from tributes.models import ModerationMode, Status, Tribute, Visibility
from tributes.security.visitors import VISITOR_COOKIE

pytestmark = pytest.mark.django_db

ACCOUNTS = [
    "anonymous",
    "visitor_with_cookies",
    "family_of_this_memorial",
    "family_of_another_memorial",
    "staff_family_of_another_memorial",
    "site_moderator",
    "superuser",
]

FAMILY = {"family_of_this_memorial"}
MODERATORS = {"site_moderator", "superuser"}


@dataclass
class Place:
    private: object
    family_moderated: object
    site_moderated: object
    family_only: object
    unlisted: object
    preview: object
    event: object
    pending_tribute: object
    pending_comment: object
    pending_photo: object
    family_refused_photo: object
    site_refused_photo: object


@pytest.fixture
def place(owner):
    private = MemorialFactory(
        name="Private Person",
        slug="private-person",
        visibility=Visibility.PRIVATE,
        owners=[owner],
        moderation_mode=ModerationMode.FAMILY_ONLY,
    )
    family_moderated = MemorialFactory(
        name="Family Moderated", slug="family-moderated", owners=[owner], family_moderates=True
    )
    site_moderated = MemorialFactory(
        name="Site Moderated", slug="site-moderated", owners=[owner], allow_search_indexing=True
    )
    family_only = MemorialFactory(
        name="Family Only",
        slug="family-only",
        owners=[owner],
        moderation_mode=ModerationMode.FAMILY_ONLY,
    )

    def tribute_with_photo(memorial, status):
        photo = make_photo(memorial, size=(480, 360))
        tribute = TributeFactory(memorial=memorial, photo=photo, status=status, message="Private")
        return tribute, photo

    pending_tribute, pending_photo = tribute_with_photo(family_moderated, Status.PENDING)
    _, family_refused_photo = tribute_with_photo(family_moderated, Status.REJECTED)
    _, site_refused_photo = tribute_with_photo(site_moderated, Status.REJECTED)
    return Place(
        private=private,
        family_moderated=family_moderated,
        site_moderated=site_moderated,
        family_only=family_only,
        unlisted=MemorialFactory(
            slug="unlisted",
            visibility=Visibility.UNLISTED,
            owners=[owner],
            allow_search_indexing=True,
        ),
        preview=MemorialFactory(slug="preview", is_draft=True, owners=[owner]),
        event=CandleEventFactory(memorial=private, slug="private-candles"),
        pending_tribute=pending_tribute,
        pending_comment=CommentFactory(
            tribute=TributeFactory(memorial=family_moderated), status=Status.PENDING
        ),
        pending_photo=pending_photo,
        family_refused_photo=family_refused_photo,
        site_refused_photo=site_refused_photo,
    )


def sign_in(client, kind, owner):
    if kind == "anonymous":
        return
    if kind == "visitor_with_cookies":
        # A visitor who has been here before: signed visitor cookie from a tribute they posted.
        elsewhere = MemorialFactory(slug="elsewhere")
        assert post_tribute(client, elsewhere).status_code == 302
        assert VISITOR_COOKIE in client.cookies or "recent_posts" in client.cookies
        return
    if kind == "family_of_this_memorial":
        user = owner
    elif kind in ("family_of_another_memorial", "staff_family_of_another_memorial"):
        user = UserFactory(username="other-family")
        moderates = kind == "staff_family_of_another_memorial"
        MemorialFactory(name="Their Own", owners=[user], family_moderates=moderates)
        # Nothing makes a family staff any more; this one was made so by hand.
        user.is_staff = moderates
        user.save(update_fields=["is_staff"])
    elif kind == "site_moderator":
        user = UserFactory(username="moderator", is_staff=True)
        user.groups.add(Group.objects.get(name="Moderators"))
    else:
        user = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(user)


def private_memorial_page(client, place):
    url = reverse("tributes:memorial", kwargs={"slug": place.private.slug})
    return _opened(client.get(url))


def preview_memorial_page(client, place):
    url = reverse("tributes:memorial", kwargs={"slug": place.preview.slug})
    return _opened(client.get(url))


def private_event_page(client, place):
    return _opened(client.get(reverse("tributes:event", kwargs={"slug": place.event.slug})))


def private_event_status(client, place):
    url = reverse("tributes:event_status", kwargs={"slug": place.event.slug})
    return _opened(client.get(url))


def pending_tribute_photo(client, place):
    return _opened(client.get(place.pending_photo.rendition_url(400)))


def refused_photo_family_moderates(client, place):
    return _opened(client.get(place.family_refused_photo.rendition_url(400)))


def refused_photo_site_moderates(client, place):
    return _opened(client.get(place.site_refused_photo.rendition_url(400)))


def post_on_family_only_memorial(client, place):
    before = Tribute.objects.filter(memorial=place.family_only).count()
    response = post_tribute(client, place.family_only, message="Only the family writes here.")
    posted = Tribute.objects.filter(memorial=place.family_only).count() == before + 1
    assert posted == (response.status_code == 302), response.status_code
    assert response.status_code in (302, 403, 404)
    return posted


def post_on_private_family_only_memorial(client, place):
    response = post_tribute(client, place.private, message="Only the family, in private.")
    assert response.status_code in (302, 404), response.status_code
    return Tribute.objects.filter(memorial=place.private).exists()


def admin_tribute_list(client, place):
    response = client.get(reverse("admin:tributes_tribute_changelist"))
    if response.status_code != 200:
        # Signed out or not staff: to the admin's login; staff without the right: refused.
        assert response.status_code in (302, 403)
        return False
    return place.pending_tribute in response.context["cl"].result_list


def admin_tribute_change_page(client, place):
    url = reverse("admin:tributes_tribute_change", args=[place.pending_tribute.pk])
    response = client.get(url)
    # Django's admin sends a tribute out of scope back to the index with a message, and
    # refuses staff without the right to view tributes.
    assert response.status_code in (200, 302, 403, 404)
    return response.status_code == 200


def admin_comment_change_page(client, place):
    url = reverse("admin:tributes_comment_change", args=[place.pending_comment.pk])
    response = client.get(url)
    assert response.status_code in (200, 302, 403, 404)
    return response.status_code == 200


def moderation_queue(client, place):
    response = client.get(reverse("admin:tributes_moderation_queue"))
    if response.status_code != 200:
        assert response.status_code in (302, 403)
        return False
    return place.pending_tribute.author_name in response.text


def family_queue(client, place):
    url = reverse("family:queue", kwargs={"slug": place.family_moderated.slug})
    response = client.get(url)
    if response.status_code == 302:
        assert response.url.startswith(reverse("account_login"))
        return False
    return _opened(response) and place.pending_tribute.author_name in response.text


def hidden_memorial_listed(client, place):
    """Whether the home page or the sitemap names what is not public: the private memorial or its
    event, the unlisted one, the preview; the sitemap also a public one kept from search engines."""
    home = client.get(reverse("tributes:home")).text
    sitemap = client.get("/sitemap.xml").text
    # Public memorials are listed to everyone alike; the sitemap has the one the family let in.
    assert place.site_moderated.get_absolute_url() in home
    assert place.site_moderated.get_absolute_url() in sitemap
    hidden = [place.private, place.event, place.unlisted, place.preview]
    return any(item.get_absolute_url() in home for item in hidden) or any(
        item.get_absolute_url() in sitemap for item in [*hidden, place.family_moderated]
    )


def _opened(response) -> bool:
    assert response.status_code in (200, 404), response.status_code
    return response.status_code == 200


RULES = {
    private_memorial_page: FAMILY,
    preview_memorial_page: FAMILY,
    private_event_page: FAMILY,
    private_event_status: FAMILY,
    pending_tribute_photo: FAMILY | MODERATORS,
    refused_photo_family_moderates: FAMILY | MODERATORS,
    refused_photo_site_moderates: MODERATORS,
    post_on_family_only_memorial: FAMILY,
    post_on_private_family_only_memorial: FAMILY,
    family_queue: FAMILY,
    admin_tribute_list: MODERATORS,
    admin_tribute_change_page: MODERATORS,
    admin_comment_change_page: MODERATORS,
    moderation_queue: MODERATORS,
    # Not even the family finds its private memorial or its preview in a list.
    hidden_memorial_listed: set(),
}


@pytest.mark.parametrize("kind", ACCOUNTS)
def test_who_gets_in(kind, client, owner, place):
    # One row of the matrix per account kind: every rule is met in turn by the same person.
    sign_in(client, kind, owner)
    met = {rule.__name__: rule(client, place) for rule in RULES}
    expected = {rule.__name__: kind in allowed for rule, allowed in RULES.items()}
    assert met == expected


@pytest.mark.parametrize("kind", ACCOUNTS)
def test_a_share_link_opens_its_private_memorial_and_events_and_nothing_more_until_revoked(
    kind, client, owner, place
):
    sign_in(client, kind, owner)
    shared = MemorialFactory(slug="shared", visibility=Visibility.PRIVATE)
    event = CandleEventFactory(memorial=shared, slug="shared-candles")
    pages = [
        shared.get_absolute_url(),
        event.get_absolute_url(),
        reverse("tributes:event_status", kwargs={"slug": event.slug}),
    ]
    # Another family's private memorial has a working link too, never opened in this browser.
    not_shared = MemorialFactory(slug="not-shared", visibility=Visibility.PRIVATE)
    sharing.new_share_link(not_shared, by=None)
    assert [client.get(url).status_code for url in pages] == [404, 404, 404]
    token = sharing.new_share_link(shared, by=None)
    opened = client.get(reverse("family:shared", kwargs={"token": token}))
    assert opened.url == shared.get_absolute_url()
    assert [client.get(url).status_code for url in pages] == [200, 200, 200]
    assert client.get(not_shared.get_absolute_url()).status_code == 404
    # Holding a link takes nothing away: public memorials still open.
    assert client.get(place.site_moderated.get_absolute_url()).status_code == 200
    sharing.revoke_share_links(shared)
    assert [client.get(url).status_code for url in pages] == [404, 404, 404]
