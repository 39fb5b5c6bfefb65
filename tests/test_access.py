"""Every URL of the site answers 404 about a private memorial to anyone but its owners.

The patterns come from walking the URL resolver, never from a hand-written list, so a new view is
checked the moment it is added. Each URL argument is filled by its name (KWARG_FILLERS) with the
private memorial's objects; an argument name the fillers do not know makes the test fail: add a
filler for it rather than an exemption. As a control, the owner must reach at least one filled URL
of every pattern, which proves the fillers really point at the private memorial.

Exempt: the admin (its own rule is "log in first", checked below) and an author's edit link, which
is authorised by its token (filled here with a wrong token, so it must still answer 404).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from tests.support.factories import (
    CandleEventFactory,
    CandleFactory,
    CommentFactory,
    MemorialFactory,
    TributeFactory,
)
from tests.support.photos import make_photo
from tributes.models import Love, Visibility

pytestmark = pytest.mark.django_db

SECRET_NAME = "Ottoline Quist"
SECRET_EVENT = "Candles for Ottoline at dusk"
WRONG_TOKEN = "not-the-authors-token-0123456789"

# URL namespaces that are not visitor pages; each has its own rule, tested separately below.
EXEMPT_NAMESPACES = {"admin"}
# Argument names that carry an author's edit token: filled with a wrong one, no owner control.
TOKEN_KWARGS = {"token", "edit_token"}
# allauth's own links (confirm an email, reset a password) are about an account, never a
# memorial: a wrong key gets allauth's "this link has expired" page, which names nothing.
ACCOUNT_LINKS = {"account_confirm_email", "account_reset_password_from_key"}
# The family's own pages ask who is there before anything else: someone signed out is sent to
# the sign-in page whatever the address, which says nothing about any memorial.
SIGN_IN_FIRST_NAMESPACES = {"family"}
# Link-preview images exist only for public memorials and their events: the family of a private
# one gets 404 too (their fillers are proven by tests/sharing/test_share_images.py).
NEVER_FOR_PRIVATE = {"tributes:memorial_share_image", "tributes:event_share_image"}


@dataclass
class PrivateObjects:
    memorial: object
    tribute: object
    comment: object
    photo: object
    event: object
    candle: object
    love: object


# URL argument name -> the values to try for it, from the private memorial's objects. A name used
# for different things in different URLs ("slug", "pk") lists every candidate.
KWARG_FILLERS = {
    "slug": lambda o: [o.memorial.slug, o.event.slug],
    "memorial_slug": lambda o: [o.memorial.slug],
    "event_slug": lambda o: [o.event.slug],
    "pk": lambda o: [
        o.memorial.pk,
        o.tribute.pk,
        o.comment.pk,
        o.photo.pk,
        o.event.pk,
        o.candle.pk,
    ],
    "id": lambda o: [
        o.memorial.pk,
        o.tribute.pk,
        o.comment.pk,
        o.photo.pk,
        o.event.pk,
        o.candle.pk,
    ],
    "memorial_id": lambda o: [o.memorial.pk],
    "memorial_pk": lambda o: [o.memorial.pk],
    "tribute_id": lambda o: [o.tribute.pk],
    "tribute_pk": lambda o: [o.tribute.pk],
    "comment_id": lambda o: [o.comment.pk],
    "comment_pk": lambda o: [o.comment.pk],
    "photo_id": lambda o: [o.photo.pk],
    "photo_pk": lambda o: [o.photo.pk],
    "event_id": lambda o: [o.event.pk],
    "event_pk": lambda o: [o.event.pk],
    "candle_id": lambda o: [o.candle.pk],
    "candle_pk": lambda o: [o.candle.pk],
    "width": lambda o: [r["width"] for r in o.photo.renditions],
    "token": lambda o: [WRONG_TOKEN],
    "edit_token": lambda o: [WRONG_TOKEN],
    # The family pages name a person (a co-owner or guest to remove) by their id.
    "user_id": lambda o: list(o.memorial.owners.values_list("pk", flat=True)),
    # allauth's email confirmation and password reset links.
    "key": lambda o: [WRONG_TOKEN],
    "uidb36": lambda o: ["zz"],
}


@dataclass(frozen=True)
class Route:
    name: str | None
    namespace: str
    kwargs: frozenset[str]
    description: str


def site_routes(resolver: URLResolver | None = None, namespace: str = "", kwargs=frozenset()):
    """Every URL pattern of the site, with its full name and every argument it takes."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        names = kwargs | frozenset(entry.pattern.regex.groupindex)
        if isinstance(entry, URLResolver):
            inner = ":".join(part for part in [namespace, entry.namespace or ""] if part)
            yield from site_routes(entry, inner, names)
        elif isinstance(entry, URLPattern):
            full_name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield Route(full_name, namespace, names, str(entry.pattern))


def visitor_routes() -> list[Route]:
    return [r for r in site_routes() if r.namespace.split(":")[0] not in EXEMPT_NAMESPACES]


def candidate_urls(route: Route, objects: PrivateObjects) -> list[str]:
    """Every URL of `route` filled with the private memorial's objects.

    Fails (the test, on purpose) when the route has no name or takes an argument with no filler.
    """
    assert route.name, f"The URL pattern {route.description!r} needs a name to be checked."
    unknown = route.kwargs - KWARG_FILLERS.keys()
    assert not unknown, (
        f"{route.name} takes {sorted(unknown)}: add a filler to KWARG_FILLERS in "
        f"{__name__} so this URL is checked for private memorials."
    )
    names = sorted(route.kwargs)
    urls = []
    for values in itertools.product(*(KWARG_FILLERS[name](objects) for name in names)):
        try:
            urls.append(reverse(route.name, kwargs=dict(zip(names, values, strict=True))))
        except NoReverseMatch:
            continue  # A candidate of the wrong shape for this converter.
    return urls


@pytest.fixture
def private(owner) -> PrivateObjects:
    memorial = MemorialFactory(
        name=SECRET_NAME, slug="ottoline", visibility=Visibility.PRIVATE, owners=[owner]
    )
    photo = make_photo(memorial)
    memorial.cover_photo = photo
    memorial.save()
    tribute = TributeFactory(memorial=memorial, photo=photo)
    event = CandleEventFactory(memorial=memorial, title=SECRET_EVENT)
    return PrivateObjects(
        memorial=memorial,
        tribute=tribute,
        comment=CommentFactory(tribute=tribute),
        photo=photo,
        event=event,
        candle=CandleFactory(memorial=memorial, event=event),
        love=Love.objects.create(tribute=tribute, visitor_key="someone"),
    )


def answers(client: Client, url: str) -> tuple[int, int]:
    return client.get(url).status_code, client.post(url).status_code


def test_every_url_about_a_private_memorial_is_404_to_visitors_and_strangers(
    private, owner, stranger
):
    anonymous, logged_in_stranger, the_owner = Client(), Client(), Client()
    logged_in_stranger.force_login(stranger)
    the_owner.force_login(owner)
    checked = 0
    for route in visitor_routes():
        if not route.kwargs or route.name in ACCOUNT_LINKS:
            continue
        urls = candidate_urls(route, private)
        assert urls, f"No URL of {route.name} could be built from the fillers."
        owner_reached = False
        sign_in_first = route.namespace in SIGN_IN_FIRST_NAMESPACES
        for url in urls:
            for who, client in [("anonymous", anonymous), ("stranger", logged_in_stranger)]:
                if who == "anonymous" and sign_in_first:
                    responses = [client.get(url), client.post(url)]
                    if any(response.status_code == 302 for response in responses):
                        for response in responses:
                            assert response.status_code == 302, f"{url}: {response.status_code}"
                            assert response.url.startswith(reverse("account_login"))
                        continue
                    get, post = (response.status_code for response in responses)
                else:
                    get, post = answers(client, url)
                assert {get, post} <= {404, 405} and 404 in (get, post), (
                    f"{who} got GET {get} / POST {post} at {url} ({route.name})"
                )
            if route.name in NEVER_FOR_PRIVATE:
                assert 404 in answers(the_owner, url), f"the family got {url} ({route.name})"
            elif not route.kwargs & TOKEN_KWARGS:
                # The family's actions really act (cancel, delete...): the owner only looks;
                # tests/families/test_permissions.py checks what their posts do.
                owner = (
                    (the_owner.get(url).status_code,) if sign_in_first else answers(the_owner, url)
                )
                owner_reached = owner_reached or 404 not in owner
        if not route.kwargs & TOKEN_KWARGS and route.name not in NEVER_FOR_PRIVATE:
            assert owner_reached, f"The owner reached no URL of {route.name}: check the fillers."
        checked += 1
    assert checked >= 2


def test_pages_about_no_memorial_never_name_a_private_one(private, stranger):
    logged_in_stranger = Client()
    logged_in_stranger.force_login(stranger)
    routes = [route for route in visitor_routes() if not route.kwargs]
    assert {"tributes:home", "tributes:sitemap", "tributes:robots"} <= {r.name for r in routes}
    for route in routes:
        for client in [Client(), logged_in_stranger]:
            # errors="replace": /favicon.ico is no text, and a name would still show in it.
            page = client.get(reverse(route.name)).content.decode(errors="replace")
            for secret in [SECRET_NAME, SECRET_EVENT, private.memorial.slug, private.event.slug]:
                assert secret not in page, f"{route.name} reveals {secret!r}"


def test_the_admin_asks_for_a_login_first(private):
    for name in ["admin:index", "admin:tributes_memorial_changelist"]:
        response = Client().get(reverse(name))
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))
    change = Client().get(reverse("admin:tributes_memorial_change", args=[private.memorial.pk]))
    assert change.status_code == 302
    assert SECRET_NAME not in change.content.decode()


def test_the_walker_fails_on_an_argument_it_cannot_fill(private):
    route = Route(
        "tributes:memorial", "tributes", frozenset({"grave_number"}), "graves/<grave_number>/"
    )
    with pytest.raises(AssertionError, match="add a filler"):
        candidate_urls(route, private)


def test_the_walker_sees_every_visitor_page():
    names = {route.name for route in visitor_routes()}
    assert {"tributes:home", "tributes:memorial", "tributes:event"} <= names
    assert not any(name and name.startswith("admin:") for name in names)


def test_the_sitemap_lists_only_public_memorials_whose_family_allowed_indexing(client):
    found = MemorialFactory(slug="found", allow_search_indexing=True)
    MemorialFactory(slug="not-asked", allow_search_indexing=False)
    MemorialFactory(slug="unlisted", visibility=Visibility.UNLISTED, allow_search_indexing=True)
    MemorialFactory(slug="private", visibility=Visibility.PRIVATE, allow_search_indexing=True)
    sitemap = client.get(reverse("tributes:sitemap")).content.decode()
    assert f"/memorials/{found.slug}/</loc>" in sitemap
    for hidden in ["not-asked", "unlisted", "private"]:
        assert f"/memorials/{hidden}/" not in sitemap


def test_only_pages_the_family_opened_to_search_engines_may_be_indexed(client):
    indexed = MemorialFactory(slug="found", allow_search_indexing=True)
    unlisted = MemorialFactory(
        slug="unlisted", visibility=Visibility.UNLISTED, allow_search_indexing=True
    )
    quiet = MemorialFactory(slug="quiet")
    assert 'content="index, follow"' in client.get(indexed.get_absolute_url()).text
    for memorial in [unlisted, quiet]:
        assert 'content="noindex, nofollow"' in client.get(memorial.get_absolute_url()).text


def test_robots_txt_points_at_the_sitemap_and_hides_nothing_it_should_not_name(client, settings):
    text = client.get(reverse("tributes:robots")).text
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in text
    assert settings.ADMIN_URL.strip("/") not in text


# Views that accept a post without a CSRF token, each with the reason. Keep it short.
POSTS_WITHOUT_CSRF_TOKEN = {
    "tributes:reminder_unsubscribe": (
        "RFC 8058 one-click unsubscribe: mail clients post without a form token; the signed "
        "link itself is the proof, and all it can do is stop emails."
    ),
}


def test_every_url_refuses_a_post_without_a_csrf_token_even_from_the_owner(private, owner):
    the_owner = Client(enforce_csrf_checks=True)
    the_owner.force_login(owner)
    for route in visitor_routes():
        if route.name in POSTS_WITHOUT_CSRF_TOKEN:
            continue
        urls = candidate_urls(route, private) if route.kwargs else [reverse(route.name)]
        for url in urls:
            response = the_owner.post(url, {"message": "Forged words"})
            assert response.status_code == 403, f"{route.name} at {url}: {response.status_code}"


def test_photo_files_are_never_served_at_a_public_media_address(client, private, settings):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    name = default_storage.save("photos/ottoline-800.webp", ContentFile(b"private photo bytes"))
    response = client.get(f"/{settings.MEDIA_URL.strip('/')}/{name}")
    assert response.status_code == 404
    assert b"private photo bytes" not in response.content


# Views that accept a post without a rate limit, each with the reason. Keep it empty if you can.
POSTS_WITHOUT_RATE_LIMIT: dict[str, str] = {}


def test_every_view_that_accepts_a_post_is_rate_limited(private, owner):
    from django.urls import resolve

    the_owner = Client()
    the_owner.force_login(owner)
    for route in visitor_routes():
        if route.name in POSTS_WITHOUT_RATE_LIMIT:
            continue
        urls = candidate_urls(route, private) if route.kwargs else [reverse(route.name)]
        for url in urls:
            if the_owner.post(url).status_code == 405:
                continue
            view = resolve(url).func
            assert getattr(view, "rate_limit_action", None), (
                f"{route.name} accepts a post at {url} without @rate_limited (tributes/ratelimits.py)"
            )
