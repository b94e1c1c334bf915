"""The rules on statements, positions and citations, as the admin and the importers see them."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from quiz.models import Citation, Party, Position, Programme, Quiz, Statement, Theme


@pytest.fixture
def quiz(party, election, make_programme):
    make_programme(
        resolutions=[
            (1, "1.1", "We verhogen het minimumloon naar 17 euro per uur."),
            (2, "1.1", "We voeren een vermogensbelasting in."),
        ]
    )
    quiz = Quiz.objects.create(title="Stemtest", slug="stemtest", election=election)
    quiz.parties.set([party])
    return quiz


@pytest.fixture
def statement(quiz):
    theme = Theme.objects.create(name="Werk", slug="werk")
    return Statement.objects.create(
        quiz=quiz,
        order=1,
        text="Het minimumloon moet 17 euro worden.",
        short_title="Minimumloon",
        theme=theme,
    )


@pytest.fixture
def other_party(quiz):
    other = Party.objects.create(name="Groen", slug="groen")
    quiz.parties.add(other)
    return other


def resolution(number):
    return Programme.objects.get(slug="vooruit-2024").resolutions.get(number=number)


def test_a_stance_without_a_citation_is_refused_for_a_party_with_a_programme(statement, party):
    position = Position(statement=statement, party=party, stance="eens")
    with pytest.raises(ValidationError, match="citeert minstens één resolutie"):
        position.check_grounding([])


@pytest.mark.parametrize("stance", ["eens", "oneens", "neutraal"])
def test_a_stance_citing_the_partys_resolution_is_grounded(statement, party, stance):
    Position(statement=statement, party=party, stance=stance).check_grounding([resolution(1)])


def test_geen_standpunt_needs_no_citation(statement, party):
    Position(statement=statement, party=party, stance="geen").check_grounding([])


def test_a_party_without_a_programme_needs_justification_and_source(statement, other_party):
    position = Position(statement=statement, party=other_party, stance="oneens")
    with pytest.raises(ValidationError, match="geen ingelezen programma"):
        position.check_grounding([])
    position.justification = "Groen antwoordde zelf."
    with pytest.raises(ValidationError, match="bron"):
        position.check_grounding([])
    position.source = "Antwoord van Groen, mail van 2 mei 2024"
    position.check_grounding([])


def test_a_cited_resolution_must_come_from_the_partys_own_programme(statement, other_party):
    position = Position(
        statement=statement, party=other_party, stance="eens", justification="x", source="y"
    )
    with pytest.raises(ValidationError, match="niet uit het programma van Groen"):
        position.check_grounding([resolution(1)])


def test_a_citation_of_another_partys_resolution_fails_clean(statement, other_party):
    position = Position.objects.create(statement=statement, party=other_party, stance="geen")
    with pytest.raises(ValidationError) as error:
        Citation(position=position, resolution=resolution(1)).full_clean()
    assert "resolution" in error.value.message_dict


def test_an_excerpt_must_be_quoted_literally(statement, party):
    position = Position.objects.create(statement=statement, party=party, stance="eens")
    Citation(position=position, resolution=resolution(1), excerpt="17 euro per uur").full_clean()
    with pytest.raises(ValidationError) as error:
        Citation(position=position, resolution=resolution(1), excerpt="18 euro").full_clean()
    assert "excerpt" in error.value.message_dict


def test_a_position_for_a_party_outside_the_quiz_is_refused(statement):
    stranger = Party.objects.create(name="Andere", slug="andere")
    with pytest.raises(ValidationError) as error:
        Position(statement=statement, party=stranger, stance="geen").full_clean()
    assert "party" in error.value.message_dict


def test_a_published_statement_needs_a_position_of_every_party(statement, party, other_party):
    Position.objects.create(statement=statement, party=party, stance="geen")
    statement.status = Statement.Status.PUBLISHED
    with pytest.raises(ValidationError, match="ontbreekt: Groen"):
        statement.full_clean()
    statement.check_publishable({party.pk, other_party.pk})  # as the admin's formset asks
    Position.objects.create(statement=statement, party=other_party, stance="geen")
    statement.full_clean()


def test_orders_are_unique_within_a_quiz(statement, quiz, election):
    duplicate = Statement(
        quiz=quiz, order=1, text="Iets anders.", short_title="Anders", theme=statement.theme
    )
    with pytest.raises(ValidationError):
        duplicate.full_clean()
    with transaction.atomic(), pytest.raises(IntegrityError):
        duplicate.save()
    other_quiz = Quiz.objects.create(title="Andere", slug="andere", election=election)
    duplicate.quiz = other_quiz
    duplicate.full_clean()


def test_an_unknown_stance_is_refused_by_the_database(statement, party):
    position = Position.objects.create(statement=statement, party=party, stance="geen")
    with transaction.atomic(), pytest.raises(IntegrityError):
        Position.objects.filter(pk=position.pk).update(stance="misschien")


def test_a_cited_resolution_cannot_be_deleted(statement, party):
    position = Position.objects.create(statement=statement, party=party, stance="eens")
    Citation.objects.create(position=position, resolution=resolution(1))
    with pytest.raises(ProtectedError):
        resolution(1).delete()
    resolution(2).delete()  # not cited


def test_reimporting_the_programme_keeps_every_citation(tmp_path, party, election):
    from quiz.importing import import_programme

    source = tmp_path / "programme.txt"
    text = (
        " VOORUIT MET ONZE  \nWELVAART EN KOOPKRACHT \n\n"
        "1.1. WERK \n\n"
        "Resoluties:\n"
        "1.\tWe verhogen het minimumloon.\n"
        "2.\tWe voeren een vermogensbelasting in.\n"
    )
    source.write_text(text, encoding="utf-8")
    import_programme(source, party=party, election=election, title="Programma", slug="vooruit-2024")
    quiz = Quiz.objects.create(title="Stemtest", slug="stemtest", election=election)
    quiz.parties.set([party])
    theme = Theme.objects.create(name="Werk", slug="werk")
    statement = Statement.objects.create(
        quiz=quiz, order=1, text="Het minimumloon moet omhoog.", short_title="Loon", theme=theme
    )
    position = Position.objects.create(statement=statement, party=party, stance="eens")
    citation = Citation.objects.create(position=position, resolution=resolution(1))

    source.write_text(text.replace("het minimumloon", "het minimumloon fors"), encoding="utf-8")
    import_programme(source, party=party, election=election, title="Programma", slug="vooruit-2024")

    citation.refresh_from_db()
    assert citation.resolution.text == "We verhogen het minimumloon fors."
    assert list(position.citations.all()) == [citation]
