"""Quizzes as files: the statements, positions and citations as a spreadsheet (CSV or XLSX) in
the import format of `quiz.spreadsheets` (docs/spreadsheet-format.md), and the quiz itself as
the JSON that `quiz.spreadsheets.ensure_quiz` reads. Together they are a full backup.
"""

import io

import pandas as pd
from django.db.models import QuerySet

from quiz.models import TRANSLATIONS, Quiz, Statement, Theme
from quiz.spreadsheets import (
    COLUMNS,
    POSITION_COLUMNS,
    POSITION_TRANSLATION_COLUMNS,
    STATEMENT_TRANSLATION_COLUMNS,
    escape_cell,
)

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def export_rows(quizzes: QuerySet[Quiz]) -> pd.DataFrame:
    """One row per statement and party, in the import format."""
    statements = (
        Statement.objects.filter(quiz__in=quizzes)
        .select_related("quiz", "theme")
        .prefetch_related("positions__party", "positions__citations__resolution")
        .order_by("quiz__slug", "order")
    )
    rows = []
    for statement in statements:
        base = {
            "quiz": statement.quiz.slug,
            "order": str(statement.order),
            "theme": statement.theme.name,
            "short_title": statement.short_title,
            "statement": statement.text,
            "uitleg": statement.uitleg,
            "status": statement.get_status_display().lower(),
            **{
                column: getattr(statement, name)
                for column, name in STATEMENT_TRANSLATION_COLUMNS.items()
            },
        }
        positions = sorted(statement.positions.all(), key=lambda p: p.party.slug)
        if not positions:
            empty = ["party", *POSITION_COLUMNS, *POSITION_TRANSLATION_COLUMNS]
            rows.append({**base, **dict.fromkeys(empty, "")})
        for position in positions:
            citations = list(position.citations.all())
            rows.append(
                {
                    **base,
                    "party": position.party.slug,
                    "stance": position.stance,
                    "justification": position.justification,
                    "resolutions": "; ".join(str(c.resolution.number) for c in citations),
                    "excerpts": "\n".join(
                        f"{c.resolution.number}: {c.excerpt}" for c in citations if c.excerpt
                    ),
                    "source": position.source,
                    **{
                        column: getattr(position, column) for column in POSITION_TRANSLATION_COLUMNS
                    },
                }
            )
    return pd.DataFrame(rows, columns=COLUMNS, dtype=str)


def export_quizzes(quizzes: QuerySet[Quiz], *, file_format: str) -> tuple[bytes, str]:
    """The quizzes as file content (`csv` or `xlsx`) and its content type."""
    frame = export_rows(quizzes).map(escape_cell)  # no cell is ever run as a formula
    buffer = io.BytesIO()
    if file_format == "xlsx":
        frame.to_excel(buffer, index=False, sheet_name="stellingen", engine="openpyxl")
    else:
        buffer.write(frame.to_csv(index=False).encode("utf-8-sig"))
    return buffer.getvalue(), CONTENT_TYPES[file_format]


def quiz_settings(quiz: Quiz) -> dict:
    """The quiz itself in the JSON that `ensure_quiz` reads: with the spreadsheet, a backup."""
    return {
        "title": quiz.title,
        "slug": quiz.slug,
        "election_date": quiz.election.date.isoformat(),
        "intro": quiz.intro,
        "about": quiz.about,
        "facts_as_of": quiz.facts_as_of.isoformat() if quiz.facts_as_of else "",
        "parties": sorted(quiz.parties.values_list("slug", flat=True)),
        "is_live": quiz.is_live,
        **{
            f"{name}_{language}": getattr(quiz, f"{name}_{language}")
            for language in TRANSLATIONS
            for name in ("title", "intro", "about")
        },
        **{
            f"election_{language}": getattr(quiz.election, f"name_{language}")
            for language in TRANSLATIONS
        },
        # The translations of its themes' names (`translate_themes`).
        "themes": {
            theme.name: {language: getattr(theme, f"name_{language}") for language in TRANSLATIONS}
            for theme in Theme.objects.filter(statements__quiz=quiz).distinct().order_by("name")
        },
    }
