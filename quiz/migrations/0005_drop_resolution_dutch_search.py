"""Drop PostgreSQL's `text_dutch` column and its GIN index (migration 0003).

Search ranks the resolutions of a programme in memory with BM25 (quiz.search). The candidates
that PostgreSQL's `dutch` text search added never changed a result: one without an in-memory
match scored 0 and was dropped. Other databases never had the column.
"""

from importlib import import_module

from django.db import migrations

created = import_module("quiz.migrations.0003_resolution_dutch_search_index")


class Migration(migrations.Migration):
    dependencies = [("quiz", "0004_statement_word_limit_help")]

    operations = [
        migrations.RunPython(created.drop_column, created.add_column, elidable=True),
    ]
