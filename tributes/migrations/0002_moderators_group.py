from django.contrib.auth.management import create_permissions
from django.db import migrations

MODERATOR_PERMISSIONS = {
    "tribute": ["view", "change"],
    "comment": ["view", "change"],
    "memorial": ["view"],
    "photo": ["view"],
    "candleevent": ["view", "add", "change"],
    "candle": ["view", "change"],
}


def create_moderators_group(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure ours exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Moderators")
    codenames = [
        f"{action}_{model}"
        for model, actions in MODERATOR_PERMISSIONS.items()
        for action in actions
    ]
    group.permissions.set(
        Permission.objects.filter(content_type__app_label="tributes", codename__in=codenames)
    )


def remove_moderators_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Moderators").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tributes", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_moderators_group, remove_moderators_group)]
