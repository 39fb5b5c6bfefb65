"""The Moderators group: staff who screen what visitors write on every memorial.

The Family moderators group: owners of a memorial where the family moderates; the admin scopes
them to their own memorials (tributes/access.py, applied by tributes/admin/scoping.py).
"""

MODERATORS_GROUP = "Moderators"
FAMILY_MODERATORS_GROUP = "Family moderators"

MODERATOR_PERMISSIONS = {
    "tribute": ["view", "change"],
    "comment": ["view", "change"],
    "memorial": ["view"],
    "photo": ["view"],
    "candleevent": ["view", "add", "change"],
    "candle": ["view", "change"],
    "blockedterm": ["view", "add", "change", "delete"],
    "moderationdecision": ["view"],
}

FAMILY_MODERATOR_PERMISSIONS = {
    "tribute": ["view", "change"],
    "comment": ["view", "change"],
    "memorial": ["view"],
    "moderationdecision": ["view"],
}


def sync_moderators_group(
    group_model, permission_model, *, name=MODERATORS_GROUP, permissions=None
) -> None:
    """Create the group if needed and give it exactly its permissions (MODERATOR_PERMISSIONS).

    Takes the models as arguments so that the migration can pass its historical models.
    """
    group, _ = group_model.objects.get_or_create(name=name)
    codenames = [
        f"{action}_{model}"
        for model, actions in (permissions or MODERATOR_PERMISSIONS).items()
        for action in actions
    ]
    group.permissions.set(
        permission_model.objects.filter(content_type__app_label="tributes", codename__in=codenames)
    )


def sync_after_migrate(sender, **kwargs) -> None:
    # `flush` (used between transactional tests) empties the tables and then sends post_migrate:
    # re-creating the group here keeps it present whatever emptied the database.
    from django.contrib.auth.models import Group, Permission

    sync_moderators_group(Group, Permission)
    sync_moderators_group(
        Group, Permission, name=FAMILY_MODERATORS_GROUP, permissions=FAMILY_MODERATOR_PERMISSIONS
    )
