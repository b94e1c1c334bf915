"""The admin in Dutch, the quiz first: every string Django's admin shows is translated (our
catalogue in locale/ fills what Django 6.1's Dutch one leaves out), and the start page lists
what waits for the editor."""

import ast
import re
from pathlib import Path

import django
import pytest
from django.urls import reverse
from django.utils import timezone, translation

from quiz.models import Citation, Statement

DJANGO = Path(django.__file__).parent
# The same word in Dutch, or not words at all.
SAME_IN_DUTCH = {
    "Filter",
    "server",
    ", ",
    "%(class_name)s %(instance)s",
    "M",  # maandag
    "W",  # woensdag
}


def msgids(po: Path) -> list[tuple[str | None, str, bool]]:
    """(context, msgid, has a plural) of every entry of a catalogue."""
    entries = re.finditer(
        r'^(?:msgctxt "(.*)"\n)?msgid ((?:".*"\n)+)(msgid_plural)?', po.read_text(), re.M
    )
    found = []
    for entry in entries:
        text = "".join(ast.literal_eval(f'"{part}"') for part in re.findall(r'"(.*)"', entry[2]))
        if text:
            found.append((entry[1], text, bool(entry[3])))
    return found


def translated(context: str | None, text: str, plural: bool, domain: str) -> str:
    trans = translation.trans_real.DjangoTranslation("nl-be", domain=domain)
    key = f"{context}\x04{text}" if context else text
    result = trans.ngettext(key, key, 1) if plural else trans.gettext(key)
    return text if result == key else result


@pytest.mark.parametrize(
    ("catalogue", "domain"),
    [
        ("contrib/admin/locale/en/LC_MESSAGES/django.po", "django"),
        ("contrib/admin/locale/en/LC_MESSAGES/djangojs.po", "djangojs"),
        ("contrib/auth/locale/en/LC_MESSAGES/django.po", "django"),
    ],
)
def test_every_admin_string_has_a_dutch_translation(catalogue, domain):
    untranslated = [
        text
        for context, text, plural in msgids(DJANGO / catalogue)
        if text not in SAME_IN_DUTCH
        and translated(context, text, plural, domain) == text
        and text.lower() not in {"salt", "hash", "checksum"}  # a password hash's parts
    ]
    assert untranslated == []


def test_the_editor_sees_no_english_on_the_statement_pages(redacteur_client, make_quiz):
    quiz = make_quiz(statements=2)
    pages = [
        redacteur_client.get(reverse("admin:quiz_statement_changelist")).content.decode(),
        redacteur_client.get(reverse("admin:quiz_statement_add")).content.decode(),
        redacteur_client.get(
            reverse("admin:quiz_statement_change", args=[quiz.statements.first().pk])
        ).content.decode(),
    ]
    for page in pages:
        for english in ["- Select an option -", "Search stellingen", "Filter by", "Logout"]:
            assert english not in page
    assert "Zoek in stellingen" in pages[0]
    assert "- Kies -" in pages[0]


def test_the_file_fields_get_a_dutch_button(redacteur_client):
    page = redacteur_client.get(reverse("admin:quiz_quiz_import")).content.decode()
    assert "js/admin_file.js" in page
    script = (Path(__file__).parent.parent / "static/js/admin_file.js").read_text()
    assert '"Kies een bestand"' in script


def test_the_index_puts_the_quiz_first_and_users_and_lockouts_last(admin_client):
    apps = admin_client.get(reverse("admin:index")).context["app_list"]
    assert [app["app_label"] for app in apps] == ["quiz", "auth", "axes"]
    assert apps[-1]["name"] == "Aanmeldpogingen"
    assert [m["object_name"] for m in apps[0]["models"]][:3] == ["Statement", "Quiz", "Position"]


def test_the_start_page_lists_what_waits_for_the_editor(
    redacteur_client, redacteur, django_user_model, make_quiz
):
    quiz = make_quiz(statements=5, parties=2)
    other = django_user_model.objects.create_user("ander", is_staff=True)
    statements = list(quiz.statements.order_by("order"))
    now = timezone.now()
    Statement.objects.filter(pk=statements[0].pk).update(
        status="klaar", changed_by=other, changed_at=now
    )
    Statement.objects.filter(pk=statements[1].pk).update(
        status="klaar", changed_by=redacteur, changed_at=now
    )
    Statement.objects.filter(pk=statements[2].pk).update(status="concept")
    statements[3].positions.filter(party__slug="partij-2").delete()
    Citation.objects.filter(position__statement=statements[4]).update(needs_review=True)

    response = redacteur_client.get(reverse("admin:index"))
    work = {kind.title: [s.order for s, _ in kind.rows] for kind in response.context["work"]}
    assert work["Na te kijken door u"] == [1]
    assert work["Uw wijzigingen, wachtend op een andere redacteur"] == [2]
    assert work["Concepten"] == [3]
    assert work["Partijen zonder standpunt"] == [4]
    assert work["Citaten na een nieuwe import na te kijken"] == [5]
    assert 5 in work["Met waarschuwingen"]
    page = response.content.decode()
    assert "geen standpunt van Partij 2" in page
    assert "gewijzigd door ander" in page
