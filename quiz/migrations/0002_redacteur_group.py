"""The "Redacteur" group: exactly the permissions an editor of statements needs.

Editors write statements, positions, citations and themes, edit a quiz's settings, and read
(never change) parties, elections and imported programmes. Nothing on users or groups.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Redacteur"
PERMISSIONS = {
    "statement": ["view", "add", "change", "delete"],
    "position": ["view", "add", "change", "delete"],
    "citation": ["view", "add", "change", "delete"],
    "theme": ["view", "add", "change", "delete"],
    "quiz": ["view", "add", "change"],
    "party": ["view"],
    "programme": ["view"],
    "section": ["view"],
    "resolution": ["view"],
    "election": ["view"],
}


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations ran; make sure they exist now.
    quiz_config = apps.get_app_config("quiz")
    quiz_config.models_module = True
    create_permissions(quiz_config, apps=apps, verbosity=0)
    quiz_config.models_module = None
    grant(apps)


def grant(apps):
    """Create the group with its permissions (also used by tests after a database flush)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    codenames = [
        f"{action}_{model}" for model, actions in PERMISSIONS.items() for action in actions
    ]
    permissions = Permission.objects.filter(content_type__app_label="quiz", codename__in=codenames)
    group.permissions.set(permissions)


def delete_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("quiz", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]
