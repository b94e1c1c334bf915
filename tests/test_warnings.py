"""Wording warnings (docs/method.md): shown in the list and on the form, never blocking."""

import pytest
from django.urls import reverse

from quiz.models import STATEMENT_MAX_WORDS, Citation, Position, Statement
from quiz.warnings import shared_citations, statement_warnings


def warnings_for(text, positions=()):
    return statement_warnings(Statement(text=text), list(positions))


def test_a_well_written_statement_has_no_warnings():
    assert warnings_for("Het minimumloon moet stijgen naar 17 euro per uur.") == []


@pytest.mark.parametrize("word", ["niet", "geen", "nooit", "Niet"])
def test_a_negation_is_flagged(word):
    [warning] = warnings_for(f"De kerncentrales mogen {word} sluiten.")
    assert f"‘{word.lower()}’" in warning
    assert "Ontkenning" in warning


def test_a_negation_inside_another_word_is_not_flagged():
    assert warnings_for("De overheid moet de nieten belasten en geenszins twijfelen.") == []


def test_en_of_is_flagged():
    [warning] = warnings_for("Scholen en/of gemeenten moeten zwembaden bouwen.")
    assert "en/of" in warning


@pytest.mark.parametrize("word", ["meer", "minder"])
def test_a_vague_quantity_without_a_number_is_flagged(word):
    [warning] = warnings_for(f"De overheid moet {word} investeren in spoor.")
    assert f"‘{word}’" in warning


def test_a_quantity_with_a_number_is_fine():
    assert warnings_for("De overheid moet 2 miljard euro meer investeren in spoor.") == []


def test_more_words_than_the_limit_are_flagged_with_the_count():
    text = " ".join(["woord"] * (STATEMENT_MAX_WORDS + 1)) + "."
    [warning] = warnings_for(text)
    assert f"{STATEMENT_MAX_WORDS + 1} woorden" in warning
    assert warnings_for(" ".join(["woord"] * STATEMENT_MAX_WORDS)) == []


def test_the_limit_is_the_one_the_statement_form_states():
    help_text = Statement._meta.get_field("text").help_text
    assert f"hoogstens {STATEMENT_MAX_WORDS} woorden" in help_text


def test_a_stance_without_a_citation_is_flagged_and_a_cited_one_is_not(make_quiz):
    quiz = make_quiz(statements=1)
    statement = quiz.statements.get()
    position = statement.positions.get()
    assert not any("zonder citaat" in w for w in statement_warnings(statement, [position]))
    Citation.objects.filter(position=position).delete()
    [warning] = statement_warnings(statement, [position])
    assert warning == "Vooruit: standpunt ‘eens’ zonder citaat."


def test_geen_standpunt_without_a_citation_is_fine(make_quiz):
    quiz = make_quiz(statements=1, stances=[["geen"]])
    statement = quiz.statements.get()
    assert statement_warnings(statement, list(statement.positions.all())) == []


def test_all_parties_taking_the_same_stance_is_flagged(make_quiz):
    quiz = make_quiz(statements=2, parties=2, stances=[["eens", "eens"], ["eens", "oneens"]])
    same, different = quiz.statements.order_by("order")
    assert any(
        "Alle partijen zeggen ‘eens’" in w
        for w in statement_warnings(same, list(same.positions.all()))
    )
    assert statement_warnings(different, list(different.positions.all())) == []


def test_a_single_party_is_never_flagged_as_all_the_same(make_quiz):
    quiz = make_quiz(statements=1)
    statement = quiz.statements.get()
    assert statement_warnings(statement, list(statement.positions.all())) == []


def test_every_problem_is_reported_at_once():
    position = Position(stance="geen")
    found = warnings_for("Scholen en/of gemeenten mogen niet meer " + "lang " * 22, [position])
    assert len(found) == 4


def test_a_resolution_cited_by_another_statement_of_the_quiz_is_flagged(
    make_quiz, redacteur_client, django_assert_num_queries
):
    quiz = make_quiz(statements=3)
    first, second, third = quiz.statements.order_by("order")
    with django_assert_num_queries(1):
        assert shared_citations(first) == []
    resolution = first.positions.get().citations.get().resolution
    Citation.objects.create(position=third.positions.get(), resolution=resolution, order=2)
    expected = (
        "Vooruit: resolutie 1 is ook geciteerd bij stelling 3; gaan ze over dezelfde maatregel?"
    )
    assert shared_citations(first) == [expected]
    assert shared_citations(second) == []
    assert shared_citations(Statement(text="Nieuw.")) == []
    page = redacteur_client.get(reverse("admin:quiz_statement_change", args=[first.pk]))
    assert expected in page.content.decode()
