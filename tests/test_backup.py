"""Keeping editorial content safe: `export_quiz` is a backup that `import_quiz` restores to the
same quiz on a database without it, and a programme re-import keeps every citation."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from quiz.importing import import_programme
from quiz.models import Citation, Position, Quiz, Resolution, Statement

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.fixture
def curated_quiz(vooruit_programme):
    call_command(
        "import_quiz",
        str(FIXTURES / "quizzes/vooruit-2024.csv"),
        "--quiz",
        str(FIXTURES / "quizzes/vooruit-2024.json"),
    )
    return Quiz.objects.get(slug="vooruit-2024")


def editorial_content(slug: str) -> dict:
    """Everything editors wrote for a quiz, as plain data, without primary keys."""
    quiz = Quiz.objects.select_related("election").get(slug=slug)
    statements = (
        quiz.statements.select_related("theme")
        .prefetch_related("positions__party", "positions__citations__resolution__programme")
        .order_by("order")
    )
    return {
        "title": quiz.title,
        "slug": quiz.slug,
        "election": quiz.election.slug,
        "intro": quiz.intro,
        "is_live": quiz.is_live,
        "parties": sorted(quiz.parties.values_list("slug", flat=True)),
        "statements": [
            {
                "order": statement.order,
                "text": statement.text,
                "short_title": statement.short_title,
                "uitleg": statement.uitleg,
                "theme": statement.theme.name,
                "is_published": statement.is_published,
                "positions": [
                    {
                        "party": position.party.slug,
                        "stance": position.stance,
                        "justification": position.justification,
                        "source": position.source,
                        "citations": [
                            {
                                "programme": citation.resolution.programme.slug,
                                "resolution": citation.resolution.number,
                                "order": citation.order,
                                "excerpt": citation.excerpt,
                            }
                            for citation in position.citations.all()
                        ],
                    }
                    for position in sorted(statement.positions.all(), key=lambda p: p.party.slug)
                ],
            }
            for statement in statements
        ],
    }


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_export_wipe_and_import_restore_the_same_quiz_and_citations(curated_quiz, tmp_path, suffix):
    # Editors changed things since the fixture files: the backup must hold what is in the
    # database, not what the fixtures say.
    curated_quiz.intro = "Aangepast door de redactie."
    curated_quiz.save()
    Statement.objects.filter(quiz=curated_quiz, order=2).update(status=Statement.Status.CONCEPT)
    before = editorial_content("vooruit-2024")
    cited = [c for s in before["statements"] for p in s["positions"] for c in p["citations"]]
    assert len(cited) > 30
    assert any(citation["excerpt"] for citation in cited)

    backup, settings = tmp_path / f"backup.{suffix}", tmp_path / "backup.json"
    call_command("export_quiz", "vooruit-2024", str(backup), "--quiz", str(settings))
    assert json.loads(settings.read_text("utf-8"))["intro"] == "Aangepast door de redactie."

    curated_quiz.delete()
    assert not Quiz.objects.exists()
    assert not Statement.objects.exists()
    assert not Position.objects.exists()
    assert not Citation.objects.exists()
    resolutions = Resolution.objects.count()

    call_command("import_quiz", str(backup), "--quiz", str(settings))

    assert editorial_content("vooruit-2024") == before
    assert Resolution.objects.count() == resolutions  # the programme was left alone


def test_a_restored_backup_imported_again_changes_nothing(curated_quiz, tmp_path, capsys):
    backup, settings = tmp_path / "backup.xlsx", tmp_path / "backup.json"
    call_command("export_quiz", "vooruit-2024", str(backup), "--quiz", str(settings))
    capsys.readouterr()
    call_command("import_quiz", str(backup), "--quiz", str(settings))
    out = capsys.readouterr().out
    assert "Stemtest Stemtest Vooruit 2024: ongewijzigd." in out
    assert "0 nieuw, 0 gewijzigd" in out


def test_the_quiz_json_of_an_export_is_the_one_import_quiz_reads(curated_quiz, tmp_path):
    settings = tmp_path / "backup.json"
    backup = tmp_path / "backup.csv"
    call_command("export_quiz", "vooruit-2024", str(backup), "--quiz", str(settings))
    fixture = json.loads((FIXTURES / "quizzes/vooruit-2024.json").read_text("utf-8"))
    assert json.loads(settings.read_text("utf-8")) == fixture


def citations() -> list[tuple]:
    return list(
        Citation.objects.order_by("pk").values_list(
            "pk", "position_id", "resolution_id", "resolution__number", "order", "excerpt"
        )
    )


def test_reimporting_the_real_programme_keeps_every_citation_of_the_curated_quiz(
    curated_quiz, party, election, tmp_path
):
    """tests/test_models.py checks this on a two-resolution programme; here the real one."""
    assert Citation.objects.filter(resolution__number=142).exists()
    before = citations()
    content = editorial_content("vooruit-2024")
    source = FIXTURES / "programmes/vooruit-2024.txt"

    import_programme(source, party=party, election=election)
    assert citations() == before

    text = source.read_text("utf-8")
    changed = text.replace(
        "effectief  \ngewerkt hebben. \n",
        "effectief  \ngewerkt hebben. Ook deeltijds werk telt. \n",
    )
    assert changed != text
    edited = tmp_path / "vooruit-2024.txt"
    edited.write_text(changed, "utf-8")
    import_programme(edited, party=party, election=election)

    assert citations() == before
    assert editorial_content("vooruit-2024") == content
    assert Resolution.objects.get(number=142).text.endswith("Ook deeltijds werk telt.")
