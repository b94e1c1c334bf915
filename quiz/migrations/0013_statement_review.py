"""A statement's review status replaces its publication flag; `is_published` now follows from
the status (a generated column). Published statements stay published; the others start as
concepts (no check was recorded before)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def status_from_flag(apps, schema_editor):
    Statement = apps.get_model("quiz", "Statement")
    Statement.objects.filter(is_published=True).update(status="gepubliceerd")


def flag_from_status(apps, schema_editor):
    Statement = apps.get_model("quiz", "Statement")
    Statement.objects.filter(status="gepubliceerd").update(is_published=True)


class Migration(migrations.Migration):
    dependencies = [
        ("quiz", "0012_programme_vectors"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="statement",
            name="status",
            field=models.CharField(
                choices=[
                    ("concept", "Concept"),
                    ("klaar", "Klaar voor nazicht"),
                    ("nagekeken", "Nagekeken"),
                    ("gepubliceerd", "Gepubliceerd"),
                ],
                default="concept",
                max_length=12,
                verbose_name="status",
            ),
        ),
        migrations.RunPython(status_from_flag, flag_from_status),
        migrations.RemoveField(model_name="statement", name="is_published"),
        migrations.AddField(
            model_name="statement",
            name="is_published",
            field=models.GeneratedField(
                db_persist=True,
                expression=models.Case(
                    models.When(status="gepubliceerd", then=models.Value(True)),
                    default=models.Value(False),
                ),
                output_field=models.BooleanField(),
                verbose_name="gepubliceerd",
            ),
        ),
        migrations.AddField(
            model_name="statement",
            name="changed_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="laatst gewijzigd door",
            ),
        ),
        migrations.AddField(
            model_name="statement",
            name="changed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="laatst gewijzigd op"),
        ),
        migrations.AddField(
            model_name="statement",
            name="reviewed_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="nagekeken door",
            ),
        ),
        migrations.AddField(
            model_name="statement",
            name="reviewed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="nagekeken op"),
        ),
    ]
