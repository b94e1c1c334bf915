"""Editors import the parties' programmes: the "Redacteur" group may add and change parties
and programmes (sections and resolutions stay read-only: only the import writes them)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Redacteur"
PERMISSIONS = ["add_party", "change_party", "add_programme", "change_programme"]


def grant(apps):
    """Add the permissions to the group (also used by tests after a database flush)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="quiz", codename__in=PERMISSIONS)
    )


def add_permissions(apps, schema_editor):
    quiz_config = apps.get_app_config("quiz")
    quiz_config.models_module = True
    create_permissions(quiz_config, apps=apps, verbosity=0)
    quiz_config.models_module = None
    grant(apps)


def remove_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=GROUP):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="quiz", codename__in=PERMISSIONS)
        )


class Migration(migrations.Migration):
    dependencies = [("quiz", "0008_programme_upload")]

    operations = [migrations.RunPython(add_permissions, remove_permissions)]
