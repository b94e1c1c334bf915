"""A GIN index for PostgreSQL's `dutch` text search over resolutions (see quiz.search).

The expression matches what `SearchVector("text", config="dutch")` generates, so the planner can
use it. Other databases get nothing: SQLite searches in memory only.
"""

from django.db import migrations

INDEX = "quiz_resolution_text_dutch"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON quiz_resolution "
            "USING gin (to_tsvector('dutch'::regconfig, COALESCE(text, '')))"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("quiz", "0004_redacteur_group")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
