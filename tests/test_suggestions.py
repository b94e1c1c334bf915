"""Suggested resolutions for a draft statement: the panel on the statement form, its
"Voeg toe" (plain POST and htmx), and its recall on statements judged by hand."""

import csv
from pathlib import Path

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse

from quiz.models import Citation, Party, Position, Quiz, Statement, Theme
from quiz.search import suggest

JUDGEMENTS = Path(__file__).resolve().parent / "data" / "suggestion_judgements.csv"


@pytest.fixture
def statement(party, election, make_programme):
    make_programme(
        resolutions=[
            (1, "1.1", "We verhogen het minimumloon naar 17 euro per uur."),
            (2, "1.1", "We voeren een belasting op grote vermogens in."),
            (3, "1.1", "Kinderopvang wordt betaalbaar voor elk gezin."),
        ]
    )
    quiz = Quiz.objects.create(title="Stemtest", slug="vooruit-2024", election=election)
    quiz.parties.set([party])
    return Statement.objects.create(
        quiz=quiz,
        order=1,
        text="Het minimumloon moet naar 17 euro per uur.",
        short_title="Minimumloon",
        theme=Theme.objects.create(name="Werk", slug="werk"),
    )


def url(statement):
    return reverse("admin:quiz_statement_suggestions", args=[statement.pk])


def test_the_statement_form_shows_the_best_resolutions_for_its_text(redacteur_client, statement):
    response = redacteur_client.get(reverse("admin:quiz_statement_change", args=[statement.pk]))
    [group] = response.context["groups"]
    assert [item["hit"].number for item in group["hits"]] == [1]
    assert "Voeg toe" in response.content.decode()


def test_a_draft_text_gets_its_own_suggestions_as_a_fragment_with_htmx(redacteur_client, statement):
    response = redacteur_client.get(
        url(statement), {"text": "vermogens belasten"}, headers={"HX-Request": "true"}
    )
    page = response.content.decode()
    assert page.lstrip().startswith('<aside id="suggestions"')
    assert "<mark>vermogens</mark>" in page
    plain = redacteur_client.get(url(statement), {"text": "vermogens belasten"})
    assert "<html" in plain.content.decode()
    assert "Resolutie 2" in plain.content.decode()


def test_voeg_toe_without_javascript_cites_and_returns_to_the_form(
    redacteur_client, redacteur, statement, party
):
    Position.objects.create(statement=statement, party=party, stance="eens")
    response = redacteur_client.post(url(statement), {"party": party.pk, "resolution": 1})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:quiz_statement_change", args=[statement.pk])
    assert [c.resolution.number for c in Citation.objects.all()] == [1]
    assert LogEntry.objects.get(object_id=str(statement.pk)).user == redacteur


def test_voeg_toe_with_htmx_returns_the_updated_panel(redacteur_client, statement, party):
    position = Position.objects.create(statement=statement, party=party, stance="eens")
    response = redacteur_client.post(
        url(statement),
        {"party": party.pk, "resolution": 1, "text": statement.text},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "✓ Geciteerd" in response.content.decode()
    assert "HX-Refresh" not in response
    assert list(position.citations.values_list("resolution__number", flat=True)) == [1]
    again = redacteur_client.post(
        url(statement), {"party": party.pk, "resolution": 1}, headers={"HX-Request": "true"}
    )
    assert again.status_code == 200
    assert position.citations.count() == 1


def test_voeg_toe_without_javascript_creates_the_position_and_returns_to_the_form(
    redacteur_client, statement, party
):
    """Without JavaScript the button's own form cites at once (the statement is saved); with
    JavaScript it only fills in the form (tests/test_browser_editor.py)."""
    response = redacteur_client.post(url(statement), {"party": party.pk, "resolution": 3})
    assert response["Location"] == reverse("admin:quiz_statement_change", args=[statement.pk])
    assert "HX-Refresh" not in response
    position = Position.objects.get()
    assert (position.stance, [c.resolution.number for c in position.citations.all()]) == (
        "geen",
        [3],
    )


def test_a_resolution_outside_the_partys_programme_is_refused(redacteur_client, statement, party):
    response = redacteur_client.post(
        url(statement), {"party": party.pk, "resolution": 999}, headers={"HX-Request": "true"}
    )
    assert "Resolutie 999 staat niet in het programma van Vooruit." in response.content.decode()
    stranger = Party.objects.create(name="Andere", slug="andere")
    redacteur_client.post(url(statement), {"party": stranger.pk, "resolution": 1})
    assert not Citation.objects.exists()
    assert not Position.objects.exists()


def test_the_panel_is_for_staff_with_permission_and_csrf(
    client, django_user_model, statement, redacteur, party
):
    assert client.get(url(statement))["Location"].startswith(reverse("admin:login"))
    staff = django_user_model.objects.create_user("staf", is_staff=True)
    client.force_login(staff)
    assert client.get(url(statement)).status_code == 403
    assert client.post(url(statement), {"party": party.pk, "resolution": 1}).status_code == 403
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(redacteur)
    assert strict.post(url(statement), {"party": party.pk, "resolution": 1}).status_code == 403
    assert not Citation.objects.exists()


def test_recall_on_statements_judged_by_hand(vooruit_programme):
    """At least one resolution a careful reader would cite is in the top 10 for 80 % of the
    hand-judged statements (tests/data/suggestion_judgements.csv)."""
    with JUDGEMENTS.open(encoding="utf-8") as file:
        judged = [
            (row["statement"], {int(n) for n in row["relevant"].split(";")})
            for row in csv.DictReader(file)
        ]
    assert len(judged) >= 20

    def recall(at):
        found = [
            bool({h.number for h in suggest(vooruit_programme, text, limit=at)} & relevant)
            for text, relevant in judged
        ]
        return sum(found) / len(found)

    at10 = recall(10)  # bench/suggestions.py prints hit@1, @3 and @10
    assert at10 >= 0.8, f"recall@10 {at10:.0%} on {len(judged)} judged statements"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"resolution": 1}, "Kies een partij en een resolutie."),
        ({"party": "", "resolution": "1"}, "Kies een partij en een resolutie."),
        ({"party": "x", "resolution": "1"}, "Die partij doet niet mee aan deze stemtest."),
        ({"party": "{party}", "resolution": "één"}, "Kies een partij en een resolutie."),
        ({"party": "{party}", "resolution": "0"}, "Kies een partij en een resolutie."),
        ({"party": "{party}", "resolution": "9" * 30}, "Kies een partij en een resolutie."),
    ],
)
def test_a_hand_edited_voeg_toe_gets_a_message_and_changes_nothing(
    redacteur_client, statement, party, data, message
):
    data = {key: str(value).format(party=party.pk) for key, value in data.items()}
    response = redacteur_client.post(url(statement), data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Citation.objects.exists()
