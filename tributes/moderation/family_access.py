"""Staff access for family owners who moderate their own memorial in the admin."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from tributes.models import Memorial
from tributes.roles import FAMILY_MODERATORS_GROUP


def refresh_family_moderator_access(users) -> None:
    """Give staff access (the Family moderators group) to owners of family-moderated memorials.

    Takes it back from the given users who no longer own any such memorial, keeping staff status
    for anyone who has it for another reason (superusers, other groups, own permissions).
    """
    group = Group.objects.get(name=FAMILY_MODERATORS_GROUP)
    needing = set(Memorial.objects.filter(family_moderates=True).values_list("owners", flat=True))
    for user in users:
        if user.pk in needing:
            user.groups.add(group)
            if not user.is_staff:
                user.is_staff = True
                user.save(update_fields=["is_staff"])
        elif user.groups.filter(pk=group.pk).exists():
            user.groups.remove(group)
            keeps_staff = (
                user.is_superuser or user.groups.exists() or user.user_permissions.exists()
            )
            if not keeps_staff and user.is_staff:
                user.is_staff = False
                user.save(update_fields=["is_staff"])


def family_moderators():
    """The users who have staff access as a family moderator now."""
    return get_user_model().objects.filter(groups__name=FAMILY_MODERATORS_GROUP)
