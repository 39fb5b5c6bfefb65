"""Queued tasks name their function by dotted path; the layout of issue 9 moved two of them.

A reminder may wait in the queue for days, so the rows queued under the old paths are rewritten
to the new ones (and back, if this migration is reversed). No model changes.
"""

from django.db import migrations

MOVED_TASKS = {
    "tributes.moderation.notify_moderators": "tributes.moderation.notices.notify_moderators",
    "tributes.reminders.send_reminder": "tributes.candles.reminders.send_reminder",
}


def rename_task_paths(apps, schema_editor, moves=MOVED_TASKS):
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    for old, new in moves.items():
        DBTaskResult.objects.filter(task_path=old).update(task_path=new)


def restore_task_paths(apps, schema_editor):
    rename_task_paths(apps, schema_editor, {new: old for old, new in MOVED_TASKS.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("tributes", "0008_candle_words_held"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(rename_task_paths, restore_task_paths)]
