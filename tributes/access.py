"""Every "who may" rule: who may open a memorial or an event, see a photo, post, moderate.

The public site and the admin both ask here; nothing else decides these questions.
"""

from __future__ import annotations

from collections.abc import Hashable

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from tributes import shared_cache
from tributes.models import CandleEvent, Memorial, ModerationMode, Photo
from tributes.prepared_queries import SLOT, prepared
from tributes.roles import MODERATORS_GROUP

# At the start time every visitor asks for the same event at once; for people who are not
# signed in, the answer (with its memorial) is shared for this long, by every process and
# within each one (shared_cache.shared_briefly). A memorial made private
# therefore hides its events from visitors within two seconds.
VISITOR_EVENT_CACHE_SECONDS = 2


def is_site_moderator(user) -> bool:
    """Superusers and the Moderators group: they work on every memorial (one query, cached)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_is_site_moderator", None)
    if cached is None:
        cached = user.groups.filter(name=MODERATORS_GROUP).exists()
        user._is_site_moderator = cached
    return cached


def memorials_in_scope(user, *, family_moderated_only: bool) -> QuerySet[Memorial] | None:
    """The memorials `user` may work on as a moderator, or None for every memorial.

    A family owner works only on the memorials they own: for tributes and comments only where
    the family moderates (`family_moderated_only`), for candle events on all of them.
    """
    if is_site_moderator(user):
        return None
    memorials = Memorial.objects.filter(owners=user)
    if family_moderated_only:
        memorials = memorials.filter(family_moderates=True)
    return memorials


# The session key under which a browser keeps the share links it opened (tributes/families).
SHARE_LINKS_SESSION_KEY = "shared_links"


def share_links_held(request: HttpRequest) -> list[int]:
    """The ids of the share links this browser opened (checked for revocation where used)."""
    session = getattr(request, "session", None)
    held = session.get(SHARE_LINKS_SESSION_KEY, []) if session is not None else []
    return [pk for pk in held if isinstance(pk, int)]


def visible_memorials(request: HttpRequest) -> QuerySet[Memorial]:
    return Memorial.objects.visible_to(request.user, share_links=share_links_held(request))


def get_visible_memorial(
    request: HttpRequest, slug: str, *, read_with=None, read_with_name: Hashable = None
) -> Memorial:
    """The memorial at `slug`, or 404 when this visitor may not open it (private, or a preview).

    `read_with(memorials)` adds to the query what the page reads with the memorial (its page of
    tributes). Given a `read_with_name` (the same for the same additions), the question asked
    for visitors without an account or share link is compiled once per process (the rush's
    page views: prepared_queries.py)."""

    def memorials() -> QuerySet[Memorial]:
        # The service (funeral) is shown on the page: joined here rather than asked for later,
        # as is whether the visitor owns it.
        found = visible_memorials(request).select_related("service")
        found = found.with_ownership_of(request.user)
        return read_with(found) if read_with is not None else found

    if read_with_name is None or request.user.is_authenticated or share_links_held(request):
        return get_object_or_404(memorials(), slug=slug)
    # Every visitor without an account or share link asks the same question: built and
    # compiled by the first of them in each process.
    question = prepared(
        ("visitors' memorial", read_with_name),
        lambda: memorials().filter(slug=SLOT).order_by()[:2],
    )
    found = question.run(slug)
    if not found:
        raise Http404("No memorial here, or not for this visitor.")
    return found[0]


def get_owned_memorial(request: HttpRequest, slug: str) -> Memorial:
    """The memorial at `slug` if the signed-in person owns it; otherwise 404, as if none existed."""
    return get_object_or_404(
        Memorial.objects.owned_by(request.user).select_related("cover_photo"), slug=slug
    )


def get_visible_event(request: HttpRequest, slug: str) -> CandleEvent:
    """The event at `slug`, or 404 when it belongs to a private memorial the visitor may not see."""
    held = share_links_held(request)
    if request.user.is_authenticated or held:
        return _visible_event(request.user, slug, share_links=held)
    return visitors_event(slug)


def visitors_event(slug: str) -> CandleEvent:
    """The event at `slug` as someone without an account or share link may see it (shared for
    a moment by every such visitor), or 404."""
    return shared_cache.shared_briefly(
        f"candles:visitor-event-until:{slug}",
        VISITOR_EVENT_CACHE_SECONDS,
        lambda: _visible_event(None, slug),
    )


def _visible_event(user, slug: str, *, share_links=()) -> CandleEvent:
    events = CandleEvent.objects.visible_to(user, share_links=share_links).select_related(
        "memorial"
    )
    return get_object_or_404(events, slug=slug)


def may_post(memorial: Memorial, user) -> bool:
    """Whether `user` may write on `memorial` (one query when the family alone may post)."""
    if memorial.moderation_mode == ModerationMode.FAMILY_ONLY:
        return memorial.is_owned_by(user)
    return True


def can_see_photo(user, photo: Photo, *, share_links=()) -> bool:
    """The memorial rule for photos, plus: a photo not on show is only for who moderates it.

    Site moderators (who screen tributes with their photos in the admin) see every photo. Others
    must be able to open the memorial; then they see its cover and photos of published tributes.
    A photo of a tribute waiting or refused is for the family only when the family moderates:
    rejected posts are never passed on to families. Needs `photo` with `memorial` and `tribute`
    selected; may run one query for ownership, one for the Moderators group and, for a private
    memorial or a preview, one for its guests and share links (`share_links`: from the session).
    """
    if user.is_staff and is_site_moderator(user):
        return True
    memorial = photo.memorial
    is_owner = memorial.is_owned_by(user)
    if (memorial.is_private or memorial.is_draft) and not is_owner:
        opened = Memorial.objects.visible_to(user, share_links=share_links)
        if not opened.filter(pk=memorial.pk).exists():
            return False
    if photo.is_on_show():
        return True
    on_a_tribute = getattr(photo, "tribute", None) is not None
    return is_owner and (memorial.family_moderates or not on_a_tribute)
