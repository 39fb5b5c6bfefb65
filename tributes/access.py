"""The one place that decides who may open a memorial."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from tributes.models import Memorial, Photo


def get_visible_memorial(request: HttpRequest, slug: str) -> Memorial:
    """The memorial at `slug`, or 404 when it is private and the visitor is not an owner."""
    return get_object_or_404(Memorial.objects.visible_to(request.user), slug=slug)


def can_see_photo(user, photo: Photo) -> bool:
    """The memorial rule for photos, plus: a photo not on show is only for who moderates it.

    Site moderators (who screen tributes with their photos in the admin) see every photo. Others
    must be able to open the memorial; then they see its cover and photos of published tributes.
    A photo of a tribute waiting or refused is for the family only when the family moderates:
    rejected posts are never passed on to families. Needs `photo` with `memorial` and `tribute`
    selected; may run one query for ownership and one for the Moderators group.
    """
    from tributes.admin_scoping import is_site_moderator

    if user.is_authenticated and user.is_staff and is_site_moderator(user):
        return True
    memorial = photo.memorial
    is_owner = memorial.is_owned_by(user)
    if memorial.is_private and not is_owner:
        return False
    if photo.is_on_show():
        return True
    on_a_tribute = getattr(photo, "tribute", None) is not None
    return is_owner and (memorial.family_moderates or not on_a_tribute)
