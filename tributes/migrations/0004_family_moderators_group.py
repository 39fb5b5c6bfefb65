from django.contrib.auth.management import create_permissions
from django.db import migrations

from tributes.roles import sync_moderators_group

# As they were when this migration was written; families are no longer staff (family_owners_are_not_staff).
FAMILY_MODERATORS_GROUP = "Family moderators"
FAMILY_MODERATOR_PERMISSIONS = {
    "tribute": ["view", "change"],
    "comment": ["view", "change"],
    "memorial": ["view"],
    "moderationdecision": ["view"],
}


def create_family_moderators_group(apps, schema_editor):
    # Permissions for the new audit model do not exist until all migrations ran; create them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    # Moderators also read the audit trail.
    sync_moderators_group(group_model, permission_model)
    sync_moderators_group(
        group_model,
        permission_model,
        name=FAMILY_MODERATORS_GROUP,
        permissions=FAMILY_MODERATOR_PERMISSIONS,
    )


def remove_family_moderators_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=FAMILY_MODERATORS_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [("tributes", "0003_moderation_audit")]

    operations = [
        migrations.RunPython(create_family_moderators_group, remove_family_moderators_group)
    ]
