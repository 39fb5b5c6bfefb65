"""Family owners are no longer staff: they moderate on their own pages, not in the admin.

Until now, saving a memorial the family moderates in the admin put its owners in the "Family
moderators" group and made them staff. This takes back exactly that: members of the group leave
it, and lose staff status only if nothing else gave it to them (a superuser, another group, a
permission of their own). Nobody outside the group is touched. The group itself is deleted.
"""

from django.db import migrations

FAMILY_MODERATORS_GROUP = "Family moderators"


def take_back_family_staff_access(apps, schema_editor):
    group_model = apps.get_model("auth", "Group")
    group = group_model.objects.filter(name=FAMILY_MODERATORS_GROUP).first()
    if group is None:
        return
    user_model = apps.get_model("auth", "User")
    for user in user_model.objects.filter(groups=group):
        user.groups.remove(group)
        keeps_staff = user.is_superuser or user.groups.exists() or user.user_permissions.exists()
        if user.is_staff and not keeps_staff:
            user.is_staff = False
            user.save(update_fields=["is_staff"])
    group.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tributes", "0013_family_accounts_and_sharing"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        # Not reversible in meaning (who was staff for this alone is forgotten): going back
        # leaves everyone as they are.
        migrations.RunPython(take_back_family_staff_access, migrations.RunPython.noop),
    ]
