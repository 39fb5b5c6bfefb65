"""The Moderators group: staff who screen what visitors write on every memorial.

The admin is theirs alone. Families moderate on their own pages (/family/<slug>/queue/) and are
never made staff; the migration `family_owners_are_not_staff` took back the staff status that the former "Family moderators"
group once gave them.
"""

MODERATORS_GROUP = "Moderators"

MODERATOR_PERMISSIONS = {
    "tribute": ["view", "change"],
    "comment": ["view", "change"],
    "memorial": ["view"],
    "photo": ["view"],
    "candleevent": ["view", "add", "change"],
    "candle": ["view", "change"],
    "blockedterm": ["view", "add", "change", "delete"],
    "moderationdecision": ["view"],
    # What families decide, to look at when someone asks for help (tributes/admin/sharing.py,
    # tributes/admin/remembering.py): never changed from the admin.
    "invitation": ["view"],
    "guest": ["view"],
    "sharelink": ["view"],
    "familysettings": ["view"],
    "rememberingday": ["view"],
    "service": ["view"],
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
