"""Find a memorial by name: a GIN index on the full-text vector of memorial names."""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("tributes", "0009_task_paths_after_layout"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="memorial",
            index=django.contrib.postgres.indexes.GinIndex(
                django.contrib.postgres.search.SearchVector("name", config="simple"),
                name="memorial_name_search",
            ),
        ),
    ]
