"""The review: concept → klaar voor nazicht → nagekeken → gepubliceerd, the check by another
editor than the last one who changed the statement, in the form, the list, the position page,
the suggestions and the spreadsheet import, with the history saying who did what."""

import io

import pandas as pd
import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from quiz.exporting import export_quizzes
from quiz.models import Position, Quiz
from quiz.spreadsheets import COLUMNS, import_rows

READY, CHECKED, PUBLISHED = "klaar", "nagekeken", "gepubliceerd"


@pytest.fixture
def reviewer(redacteur):
    """A second editor (the first is `redacteur`)."""
    user = User.objects.create_user("nakijker", "nakijker@example.org", is_staff=True)
    user.groups.add(Group.objects.get(name="Redacteur"))
    return user


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def move(client, statement, status):
    url = reverse("admin:quiz_statement_review", args=[statement.pk])
    return client.post(url, {"status": status}, follow=True)


def change_form(statement, **fields):
    """The change form's POST data for `statement` as saved, with `fields` changed."""
    data = {
        "quiz": statement.quiz_id,
        "order": statement.order,
        "text": statement.text,
        "short_title": statement.short_title,
        "theme": statement.theme_id,
        "uitleg": statement.uitleg,
        "positions-TOTAL_FORMS": 0,
        "positions-INITIAL_FORMS": 0,
        "positions-MIN_NUM_FORMS": 0,
        "positions-MAX_NUM_FORMS": 1000,
        "_continue": "1",
    }
    positions = list(statement.positions.all())
    data["positions-TOTAL_FORMS"] = data["positions-INITIAL_FORMS"] = len(positions)
    for index, position in enumerate(positions):
        data |= {
            f"positions-{index}-id": position.pk,
            f"positions-{index}-statement": statement.pk,
            f"positions-{index}-party": position.party_id,
            f"positions-{index}-stance": position.stance,
            f"positions-{index}-justification": position.justification,
            f"positions-{index}-source": position.source,
            f"positions-{index}-cited": [c.resolution_id for c in position.citations.all()],
        }
    return data | fields


def save_form(client, statement, **fields):
    url = reverse("admin:quiz_statement_change", args=[statement.pk])
    return client.post(url, change_form(statement, **fields), follow=True)


def messages_of(response) -> str:
    return " ".join(str(message) for message in response.context["messages"])


def history(statement) -> list[tuple[str, str]]:
    entries = LogEntry.objects.filter(object_id=str(statement.pk)).order_by("pk")
    return [(entry.user.username, entry.get_change_message()) for entry in entries]


@pytest.fixture
def draft(make_quiz, redacteur):
    """Statement 1 of a quiz, written by `redacteur` and offered for review."""
    quiz = make_quiz(statements=3)
    statement = quiz.statements.get(order=1)
    quiz.statements.update(status="concept")
    response = save_form(
        client_for(redacteur), statement, text="De overheid moet maatregel 1 snel invoeren."
    )
    assert response.status_code == 200
    move(client_for(redacteur), statement, READY)
    statement.refresh_from_db()
    assert (statement.status, statement.changed_by) == (READY, redacteur)
    return statement


def test_an_editor_cannot_check_their_own_change_and_another_editor_can(draft, redacteur, reviewer):
    author = client_for(redacteur)
    response = move(author, draft, CHECKED)
    assert "een andere redacteur moet ze nakijken" in messages_of(response)
    response = move(author, draft, PUBLISHED)
    assert "Niet nagekeken" in messages_of(response)
    draft.refresh_from_db()
    assert (draft.status, draft.is_published) == (READY, False)

    move(client_for(reviewer), draft, CHECKED)
    draft.refresh_from_db()
    assert (draft.status, draft.reviewed_by, draft.is_published) == (CHECKED, reviewer, False)

    move(author, draft, PUBLISHED)  # checked: now anyone may publish it
    draft.refresh_from_db()
    assert (draft.status, draft.is_published) == (PUBLISHED, True)
    assert history(draft)[-3:] == [
        ("redacteur", "Klaar voor nazicht."),
        ("nakijker", "Nagekeken."),
        ("redacteur", "Gepubliceerd."),
    ]
    page = author.get(reverse("admin:quiz_statement_history", args=[draft.pk])).content.decode()
    assert "nakijker" in page
    assert "Nagekeken." in page


def test_a_concept_is_not_checked_before_it_is_offered(make_quiz, reviewer):
    statement = make_quiz(statements=1).statements.get()
    statement.status = "concept"
    statement.save()
    response = move(client_for(reviewer), statement, CHECKED)
    assert "eerst op ‘klaar voor nazicht’" in messages_of(response)
    statement.refresh_from_db()
    assert statement.status == "concept"


def test_a_change_to_a_published_statement_takes_it_offline_until_it_is_checked_again(
    make_quiz, redacteur, reviewer, client
):
    quiz = make_quiz(statements=2)
    statement = quiz.statements.get(order=1)
    assert client.get(f"/stemtest/{quiz.slug}.json").json()["statements"][0]["order"] == 1

    response = save_form(client_for(redacteur), statement, text="Nieuwe tekst van stelling 1.")
    assert "offline tot een andere redacteur ze nakijkt" in messages_of(response)
    statement.refresh_from_db()
    assert (statement.status, statement.changed_by, statement.is_published) == (
        READY,
        redacteur,
        False,
    )
    shown = [s["order"] for s in client.get(f"/stemtest/{quiz.slug}.json").json()["statements"]]
    assert shown == [2]
    assert "een andere redacteur" in messages_of(move(client_for(redacteur), statement, CHECKED))
    move(client_for(reviewer), statement, CHECKED)
    move(client_for(reviewer), statement, PUBLISHED)
    statement.refresh_from_db()
    assert statement.is_published


def test_a_changed_stance_reopens_the_review_and_a_new_number_does_not(make_quiz, redacteur):
    statement = make_quiz(statements=2).statements.get(order=1)
    editor = client_for(redacteur)
    save_form(editor, statement, order=5)  # the order is not what a reviewer checks
    statement.refresh_from_db()
    assert (statement.order, statement.status) == (5, PUBLISHED)
    response = save_form(editor, statement, **{"positions-0-stance": "oneens"})
    assert response.status_code == 200
    statement.refresh_from_db()
    assert (statement.positions.get().stance, statement.status) == ("oneens", READY)


def test_the_form_shows_the_status_and_only_the_steps_this_editor_may_take(
    draft, redacteur, reviewer
):
    url = reverse("admin:quiz_statement_change", args=[draft.pk])
    own = client_for(redacteur).get(url).content.decode()
    assert 'Nazicht: <span class="review-status">Klaar voor nazicht</span>' in own
    assert "U wijzigde deze stelling het laatst" in own
    assert 'value="nagekeken"' not in own
    assert "Een tweede persoon heeft de citaten nagekeken" not in own  # no promise left
    other = client_for(reviewer).get(url).content.decode()
    assert 'form="review-form" name="status" value="nagekeken"' in other
    assert "door redacteur" in other


def test_bulk_actions_apply_the_same_rules_and_say_why_they_refuse(make_quiz, redacteur, reviewer):
    quiz = make_quiz(statements=3)
    quiz.statements.update(status=READY, changed_by=redacteur)
    quiz.statements.filter(order=3).update(changed_by=reviewer)
    url = reverse("admin:quiz_statement_changelist")
    ids = list(quiz.statements.values_list("pk", flat=True))

    response = client_for(reviewer).post(
        url, {"action": "mark_checked", "_selected_action": ids}, follow=True
    )
    assert "2 stelling(en) als nagekeken gemarkeerd" in messages_of(response)
    assert "3. Maatregel 3: U wijzigde deze stelling het laatst" in messages_of(response)
    response = client_for(reviewer).post(
        url, {"action": "publish", "_selected_action": ids}, follow=True
    )
    assert sorted(quiz.statements.published().values_list("order", flat=True)) == [1, 2]
    assert "3. Maatregel 3: Niet nagekeken" in messages_of(response)


def test_editing_a_citation_on_the_position_page_reopens_the_review(make_quiz, redacteur):
    make_quiz(statements=2)
    position = Position.objects.get(statement__order=1)
    citation = position.citations.get()
    citation.needs_review = True
    citation.save()
    url = reverse("admin:quiz_position_change", args=[position.pk])
    data = {
        "stance": position.stance,
        "justification": position.justification,
        "source": position.source,
        "citations-TOTAL_FORMS": 1,
        "citations-INITIAL_FORMS": 1,
        "citations-MIN_NUM_FORMS": 0,
        "citations-MAX_NUM_FORMS": 1000,
        "citations-0-id": citation.pk,
        "citations-0-position": position.pk,
        "citations-0-order": citation.order,
        "citations-0-resolution": citation.resolution_id,
        "citations-0-excerpt": "",
    }
    editor = client_for(redacteur)
    assert editor.post(url, data).status_code == 302  # "na te kijken" unticked: a check
    position.statement.refresh_from_db()
    assert position.statement.status == PUBLISHED
    editor.post(url, data | {"citations-0-excerpt": "we doen maatregel 1"})
    position.statement.refresh_from_db()
    assert (position.statement.status, position.statement.changed_by) == (READY, redacteur)


def test_citing_a_suggestion_reopens_the_review(make_quiz, redacteur):
    statement = make_quiz(statements=2).statements.get(order=1)
    url = reverse("admin:quiz_statement_suggestions", args=[statement.pk])
    response = client_for(redacteur).post(
        url, {"party": statement.positions.get().party_id, "resolution": 2}, follow=True
    )
    assert "offline tot een andere redacteur" in messages_of(response)
    statement.refresh_from_db()
    assert statement.status == READY


# --- The spreadsheet ------------------------------------------------------------------------


def exported(quiz: Quiz) -> pd.DataFrame:
    content, _ = export_quizzes(Quiz.objects.filter(pk=quiz.pk), file_format="csv")
    return pd.read_csv(io.BytesIO(content), dtype=str, keep_default_na=False, encoding="utf-8-sig")


def test_a_spreadsheet_change_to_a_published_statement_sends_it_back_to_review(
    make_quiz, redacteur
):
    quiz = make_quiz(statements=2)
    frame = exported(quiz)
    frame.loc[0, "statement"] = "Een herschreven stelling."
    report = import_rows(frame.copy(), dry_run=True, user=redacteur)
    assert report.ok, report.errors
    [change] = [c for c in report.changes if c.action == "gewijzigd"]
    assert [(c.column, c.old, c.new) for c in change.cells] == [
        ("statement", "De overheid moet maatregel 1 invoeren.", "Een herschreven stelling."),
        ("status", "gepubliceerd", "klaar voor nazicht"),
    ]
    assert "offline tot een andere redacteur" in change.note
    assert import_rows(frame, user=redacteur).written
    statement = quiz.statements.get(order=1)
    assert (statement.status, statement.changed_by, statement.is_published) == (
        READY,
        redacteur,
        False,
    )
    assert quiz.statements.get(order=2).status == PUBLISHED  # unchanged, untouched


def test_a_spreadsheet_cannot_publish_or_check_what_its_importer_changed(make_quiz, redacteur):
    quiz = make_quiz(statements=2)
    quiz.statements.update(status="concept")
    frame = exported(quiz)
    frame.loc[0, "status"] = "gepubliceerd"
    frame.loc[1, "status"] = "nagekeken"
    frame.loc[1, "uitleg"] = "Nieuwe uitleg."
    report = import_rows(frame, user=redacteur)
    assert not report.written
    assert [(e.row, e.column, e.message.split(":")[0]) for e in report.errors] == [
        (2, "status", "Niet nagekeken"),
        (3, "status", "Nog een concept"),
    ]


def test_a_second_editor_may_check_by_spreadsheet(make_quiz, redacteur, reviewer):
    quiz = make_quiz(statements=1)
    quiz.statements.update(status=READY, changed_by=redacteur)
    frame = exported(quiz)
    frame["status"] = "nagekeken"
    own = import_rows(frame.copy(), user=redacteur)
    assert [e.message for e in own.errors] == [
        "U wijzigde deze stelling het laatst: een andere redacteur moet ze nakijken."
    ]
    assert import_rows(frame, user=reviewer).written
    statement = quiz.statements.get()
    assert (statement.status, statement.reviewed_by) == (CHECKED, reviewer)
    assert history(statement)[-1] == ("nakijker", "Via spreadsheet: status → nagekeken.")


def test_the_command_line_import_takes_the_status_as_it_is(make_quiz):
    quiz = make_quiz(statements=1)
    quiz.statements.update(status="concept")
    frame = pd.DataFrame(exported(quiz), columns=COLUMNS)
    frame["status"] = "gepubliceerd"
    assert import_rows(frame).written  # no user: manage.py import_quiz
    assert quiz.statements.get().is_published


def test_the_admin_preview_shows_every_changed_cell_before_and_after(
    make_quiz, redacteur, tmp_path
):
    quiz = make_quiz(statements=2)
    frame = exported(quiz)
    frame.loc[0, "justification"] = "Een nieuwe toelichting."
    frame.loc[0, "stance"] = "neutraal"
    upload = io.BytesIO(frame.to_csv(index=False).encode())
    upload.name = "quiz.csv"
    response = client_for(redacteur).post(reverse("admin:quiz_quiz_import"), {"file": upload})
    page = response.content.decode()
    assert response.status_code == 200
    assert '<th scope="row">stance</th><td class="old-value"><del>eens</del></td>' in page
    assert "<ins>neutraal</ins>" in page
    assert "<del>Vooruit zegt eens over maatregel 1.</del>" in page
    assert "<ins>Een nieuwe toelichting.</ins>" in page
    assert "offline tot een andere redacteur" in page


def test_every_error_of_a_row_is_reported_at_once(make_quiz):
    make_quiz(statements=1)
    frame = exported(Quiz.objects.get())
    frame.loc[0, "stance"] = "ja"
    frame.loc[0, "resolutions"] = "999"
    frame.loc[0, "status"] = "misschien"
    report = import_rows(frame)
    assert sorted((e.row, e.column) for e in report.errors) == [
        (2, "resolutions"),
        (2, "stance"),
        (2, "status"),
    ]


def test_the_command_imports_as_an_editor_under_the_review_rules(
    make_quiz, redacteur, reviewer, tmp_path, capsys
):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    quiz = make_quiz(statements=1)
    quiz.statements.update(status=READY, changed_by=redacteur)
    path = tmp_path / "quiz.csv"
    frame = exported(quiz)
    frame["status"] = "nagekeken"
    frame.to_csv(path, index=False)
    with pytest.raises(CommandError):
        call_command("import_quiz", str(path), "--editor", "redacteur")
    assert "een andere redacteur moet ze nakijken" in capsys.readouterr().err
    call_command("import_quiz", str(path), "--editor", "nakijker")
    statement = quiz.statements.get()
    assert (statement.status, statement.reviewed_by) == (CHECKED, reviewer)
    assert history(statement)[-1][0] == "nakijker"
    with pytest.raises(CommandError, match="no active staff user"):
        call_command("import_quiz", str(path), "--editor", "niemand")
