"""PostgreSQL's `dutch` text search over resolutions (see quiz.search): a stored generated column
`text_dutch` holding to_tsvector('dutch', text), with a GIN index on it.

A column rather than an expression index: the planner, misjudging the cost of to_tsvector,
preferred scanning the programme's rows and recomputing to_tsvector for each (about 70 ms for
1199 resolutions) over the expression index; matching a stored tsvector takes about 1 ms, with or
without the index. PostgreSQL fills the column itself, so the model does not declare it.
Other databases get nothing: SQLite searches in memory only.
"""

from django.db import migrations


def add_column(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE quiz_resolution ADD COLUMN IF NOT EXISTS text_dutch tsvector "
            "GENERATED ALWAYS AS (to_tsvector('dutch'::regconfig, text)) STORED"
        )
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS quiz_resolution_text_dutch "
            "ON quiz_resolution USING gin (text_dutch)"
        )


def drop_column(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE quiz_resolution DROP COLUMN IF EXISTS text_dutch")


class Migration(migrations.Migration):
    dependencies = [("quiz", "0002_redacteur_group")]

    operations = [migrations.RunPython(add_column, drop_column, elidable=False)]
