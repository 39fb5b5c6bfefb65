"""The Moderators group: staff who screen what visitors write on every memorial."""

MODERATORS_GROUP = "Moderators"

MODERATOR_PERMISSIONS = {
    "tribute": ["view", "change"],
    "comment": ["view", "change"],
    "memorial": ["view"],
    "photo": ["view"],
    "candleevent": ["view", "add", "change"],
    "candle": ["view", "change"],
    "blockedterm": ["view", "add", "change", "delete"],
}


def sync_moderators_group(group_model, permission_model) -> None:
    """Create the group if needed and give it exactly MODERATOR_PERMISSIONS.

    Takes the models as arguments so that the migration can pass its historical models.
    """
    group, _ = group_model.objects.get_or_create(name=MODERATORS_GROUP)
    codenames = [
        f"{action}_{model}"
        for model, actions in MODERATOR_PERMISSIONS.items()
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
