"""The one place that decides who may open a memorial."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from tributes.models import Memorial, Photo


def get_visible_memorial(request: HttpRequest, slug: str) -> Memorial:
    """The memorial at `slug`, or 404 when it is private and the visitor is not an owner."""
    return get_object_or_404(Memorial.objects.visible_to(request.user), slug=slug)


def can_see_photo(user, photo: Photo) -> bool:
    """The memorial rule for photos, plus: only a photo on show is for visitors.

    Owners of the memorial and site moderators (who screen tributes with their photos in the
    admin) see every photo of it; everyone else sees a photo only when they may open the
    memorial and the photo is its cover or belongs to a published tribute. Needs `photo` with
    `memorial` and `tribute` selected; may run one query for ownership and one for the group.
    """
    from tributes.admin_scoping import is_site_moderator

    if user.is_authenticated:
        if user.is_staff and is_site_moderator(user):
            return True
        if photo.memorial.is_owned_by(user):
            return True
    return not photo.memorial.is_private and photo.is_on_show()
