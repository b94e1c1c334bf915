"""Who reaches the admin: every admin URL, the editors' own pages included, sends an anonymous
visitor or a non-staff account to the login; a Redacteur never reaches users, groups or the
login records. (tests/test_admin.py checks what a Redacteur can do.)"""

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.urls import get_resolver, reverse


def admin_url_names() -> list[str]:
    admin = next(p for p in get_resolver().url_patterns if str(p.pattern) == "admin/")
    return sorted(name for name in admin.reverse_dict if isinstance(name, str))


def url_for(name: str, objects: dict[str, object]) -> str:
    """The admin URL `name` with its arguments filled from `objects` (model name → object)."""
    if name == "app_list":
        return reverse("admin:app_list", args=["quiz"])
    if name == "view_on_site":
        quiz = objects["quiz"]
        content_type = ContentType.objects.get_for_model(quiz)
        return reverse("admin:view_on_site", args=[content_type.pk, quiz.pk])
    if name in {
        "quiz_quiz_coverage",
        "quiz_quiz_reorder",
        "quiz_quiz_statistics",
        "quiz_statement_suggestions",
        "quiz_statement_review",
    }:
        return reverse(f"admin:{name}", args=[objects[name.split("_")[1]].pk])
    if name == "auth_user_password_change":
        return reverse(f"admin:{name}", args=[objects["user"].pk])
    app, _, rest = name.partition("_")
    model, _, action = rest.rpartition("_")
    if app in {"quiz", "auth", "axes"} and action in {"change", "delete", "history"}:
        return reverse(f"admin:{name}", args=[objects[model].pk])
    return reverse(f"admin:{name}")


@pytest.fixture
def objects(make_quiz, redacteur):
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    quiz = make_quiz(statements=2)
    statement = quiz.statements.first()
    position = statement.positions.first()
    resolution = position.citations.first().resolution
    return {
        "quiz": quiz,
        "statement": statement,
        "position": position,
        "resolution": resolution,
        "section": resolution.section,
        "programme": resolution.programme,
        "party": position.party,
        "election": quiz.election,
        "theme": statement.theme,
        "user": redacteur,
        "group": Group.objects.get(name="Redacteur"),
        "accessattempt": AccessAttempt.objects.create(
            username="x", ip_address="10.0.0.1", failures_since_start=1
        ),
        "accesslog": AccessLog.objects.create(username="x", ip_address="10.0.0.1"),
        "accessfailurelog": AccessFailureLog.objects.create(username="x", ip_address="10.0.0.1"),
    }


OPEN = {"login", "logout"}  # the login page itself; logout is a POST that needs no login


def test_every_admin_url_sends_an_anonymous_visitor_to_the_login(client, objects):
    names = [name for name in admin_url_names() if name not in OPEN]
    assert {"quiz_quiz_coverage", "quiz_quiz_import", "quiz_statement_suggestions"} <= set(names)
    for name in names:
        response = client.get(url_for(name, objects))
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("admin:login") + "?next="), name


def test_an_account_without_staff_status_is_sent_to_the_login_too(client, objects):
    client.force_login(User.objects.create_user("kiezer"))
    for name in ["index", "quiz_statement_changelist", "quiz_quiz_import", "quiz_quiz_coverage"]:
        response = client.get(url_for(name, objects))
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("admin:login")), name


@pytest.mark.parametrize("app", ["auth", "axes"])
def test_a_redacteur_cannot_reach_users_groups_or_login_records(redacteur_client, objects, app):
    names = [name for name in admin_url_names() if name.startswith(f"{app}_")]
    assert names
    for name in names:
        response = redacteur_client.get(url_for(name, objects))
        assert response.status_code == 403, name
    assert redacteur_client.get(reverse("admin:app_list", args=[app])).status_code == 404
    index = redacteur_client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:quiz_statement_changelist") in index
    assert f"/admin/{app}/" not in index


def test_a_redacteur_cannot_create_a_user_or_join_a_group(redacteur_client, redacteur):
    response = redacteur_client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "indringer",
            "usable_password": "true",
            "password1": "Een-lang-wachtwoord-9",
            "password2": "Een-lang-wachtwoord-9",
        },
    )
    assert response.status_code == 403
    assert not User.objects.filter(username="indringer").exists()
    response = redacteur_client.post(
        reverse("admin:auth_user_change", args=[redacteur.pk]),
        {"username": "redacteur", "is_superuser": "on", "is_staff": "on", "is_active": "on"},
    )
    assert response.status_code == 403
    redacteur.refresh_from_db()
    assert not redacteur.is_superuser
