"""Quizzes from spreadsheets: the format, and the import of statements, positions and citations.

The format (one row per statement and party) is documented in docs/spreadsheet-format.md;
`quiz.exporting` writes it. An import checks every row first and reports each problem with the
row number the editor sees (the header is row 1) and the column; it writes only when every row
is valid, all in one transaction, with `full_clean()` on every object. Unchanged statements and
positions are not written. Only this module and `quiz.exporting` import pandas.
"""

import datetime
import io
import json
import math
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import pandas as pd
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.text import slugify

from quiz import review
from quiz.models import (
    TRANSLATIONS,
    Citation,
    Election,
    Party,
    Position,
    Programme,
    Quiz,
    Resolution,
    Statement,
    Status,
    Theme,
)

COLUMNS = [
    "quiz",
    "order",
    "theme",
    "short_title",
    "statement",
    "uitleg",
    "status",
    "party",
    "stance",
    "justification",
    "resolutions",
    "excerpts",
    "source",
]
# Translations (quiz.models.TRANSLATIONS): column → field, after the Dutch columns. A file
# without such a column leaves the translations as they are; an empty cell removes one.
STATEMENT_TRANSLATION_COLUMNS = {
    f"{column}_{language}": f"{name}_{language}"
    for language in TRANSLATIONS
    for column, name in [
        ("short_title", "short_title"),
        ("statement", "text"),
        ("uitleg", "uitleg"),
    ]
}
POSITION_TRANSLATION_COLUMNS = {
    f"justification_{language}": f"justification_{language}" for language in TRANSLATIONS
}
COLUMNS += [
    column
    for language in TRANSLATIONS
    for column in [*STATEMENT_TRANSLATION_COLUMNS, *POSITION_TRANSLATION_COLUMNS]
    if column.endswith(f"_{language}")
]
REQUIRED = ["quiz", "order", "theme", "short_title", "statement", "status", "party", "stance"]
STATEMENT_COLUMNS = ["theme", "short_title", "statement", "uitleg", "status"]
POSITION_COLUMNS = ["stance", "justification", "resolutions", "excerpts", "source"]
# A status by its name or its label ("klaar voor nazicht"); files from before the review
# workflow have `published` (ja/nee) instead, read as gepubliceerd or concept.
STATUSES = {value: value for value in Status.values} | {
    label.lower(): value for value, label in Status.choices
}
LEGACY_PUBLISHED = {"ja": Status.PUBLISHED.value, "nee": Status.CONCEPT.value}
# Model fields named in validation errors, and the column that holds them.
FIELD_COLUMNS = {
    "text": "statement",
    "short_title": "short_title",
    "uitleg": "uitleg",
    "order": "order",
    "theme": "theme",
    "status": "status",
    "party": "party",
    "stance": "stance",
    "justification": "justification",
    "source": "source",
    "resolution": "resolutions",
    "excerpt": "excerpts",
    **{name: column for column, name in STATEMENT_TRANSLATION_COLUMNS.items()},
    **POSITION_TRANSLATION_COLUMNS,
}
EXCERPT_LINE = re.compile(r"\s*([0-9]{1,9})\s*:\s*(.*)")
ORDER = re.compile(r"([0-9]{1,6})(\.0)?")  # as typed, or as a spreadsheet stores a number
RESOLUTION_NUMBER = re.compile(r"[0-9]{1,9}")
# No quiz comes near this (200 statements × 25 parties); a file with more is refused unread.
MAX_ROWS = 5_000
# An .xlsx is a zip: what it holds unpacked, at most (a full quiz is a few MB).
MAX_UNPACKED = 20 * 1024 * 1024
XLSX_ROW = re.compile(rb"<(?:\w+:)?row[ >]")

# A cell that starts like a formula is written with an apostrophe in front, so that a
# spreadsheet program shows it as text and never runs it; the import takes the apostrophe off.
# An apostrophe already in front of such a start (or of another apostrophe) gets one more, so
# that every text comes back as it went out.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(text: str) -> str:
    return "'" + text if text.startswith((*FORMULA_START, "''")) or _escaped(text) else text


def unescape_cell(text: str) -> str:
    return text[1:] if _escaped(text) or text.startswith("''") else text


def _escaped(text: str) -> bool:
    return text.startswith("'") and text[1:2] != "" and text[1:2] in FORMULA_START


@dataclass(frozen=True)
class RowError:
    row: int  # as the editor sees it in the spreadsheet: the header is row 1
    column: str
    message: str

    def __str__(self) -> str:
        return f"rij {self.row}, kolom {self.column}: {self.message}"


@dataclass(frozen=True)
class Cell:
    column: str
    old: str
    new: str


@dataclass(frozen=True)
class Change:
    row: int
    what: str  # "stelling 3" or "stelling 3, Vooruit"
    action: str  # "nieuw", "gewijzigd" or "ongewijzigd"
    cells: tuple[Cell, ...] = ()  # every changed cell, with its value before and after
    note: str = ""  # what the review does with it, e.g. back to "klaar voor nazicht"

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(cell.column for cell in self.cells)


@dataclass
class ImportReport:
    errors: list[RowError] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, action: str) -> int:
        return sum(1 for change in self.changes if change.action == action)

    def summary(self) -> str:
        if self.errors:
            return f"{len(self.errors)} fout(en): er is niets geschreven."
        if not self.written:
            verb = "proefdraai, niets geschreven"
        elif self.count("nieuw") or self.count("gewijzigd"):
            verb = "geschreven"
        else:
            verb = "niets te schrijven"
        return (
            f"{self.count('nieuw')} nieuw, {self.count('gewijzigd')} gewijzigd, "
            f"{self.count('ongewijzigd')} ongewijzigd ({verb})."
        )


class SpreadsheetError(Exception):
    """A file that cannot be read as a spreadsheet at all."""


def read_table(source: Path | BinaryIO, *, name: str) -> pd.DataFrame:
    """Every cell as text, empty cells as ''. CSV (UTF-8, with or without BOM) or XLSX; at most
    MAX_ROWS rows, read no further than that."""
    suffix = Path(name).suffix.lower()
    if suffix not in {".csv", ".xlsx"}:
        raise SpreadsheetError("Kies een .csv- of .xlsx-bestand.")
    try:
        if suffix == ".xlsx":
            data = source.read_bytes() if isinstance(source, Path) else source.read()
            _check_workbook(data)
            frame = pd.read_excel(
                io.BytesIO(data),
                engine="openpyxl",
                dtype=str,
                keep_default_na=False,
                nrows=MAX_ROWS + 1,
            )
        else:
            frame = pd.read_csv(
                source, encoding="utf-8-sig", dtype=str, keep_default_na=False, nrows=MAX_ROWS + 1
            )
    except UnicodeDecodeError as error:
        raise SpreadsheetError(
            "Het bestand is geen UTF-8-tekst: bewaar het als ‘CSV UTF-8’ of als .xlsx."
        ) from error
    except pd.errors.ParserError as error:
        raise SpreadsheetError(f"Het bestand is geen geldige CSV: {error}") from error
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError) as error:
        # A damaged file, a zip without a workbook, or an old .xls renamed to .xlsx.
        raise SpreadsheetError(
            "Het bestand is geen geldig .xlsx-bestand (beschadigd, of een ander formaat zoals "
            "een oud .xls): bewaar het opnieuw als .xlsx of als CSV."
        ) from error
    if len(frame) > MAX_ROWS:
        raise SpreadsheetError(TOO_MANY_ROWS)
    return frame


TOO_MANY_ROWS = (
    f"Meer dan {MAX_ROWS:,} rijen: zoveel heeft geen stemtest. Kijk na of het bestand alleen "
    "de stellingen bevat.".replace(",", ".")
)


def _check_workbook(data: bytes) -> None:
    """Refuse a workbook that unpacks to more than MAX_UNPACKED or whose sheets hold more than
    MAX_ROWS rows, before any of it is parsed (pandas would read it all, shared texts first)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED:
            raise SpreadsheetError(
                "Het bestand is uitgepakt groter dan 20 MB: zoveel heeft geen stemtest. Kijk na "
                "of het alleen de stellingen bevat."
            )
        sheets = [n for n in archive.namelist() if re.fullmatch(r"xl/worksheets/[^/]+\.xml", n)]
        for name in sheets:
            if len(XLSX_ROW.findall(archive.read(name))) > MAX_ROWS + 1:  # + the header
                raise SpreadsheetError(TOO_MANY_ROWS)


@dataclass
class PositionPlan:
    row: int
    position: Position
    citations: list[tuple[Resolution, str]]  # (resolution, excerpt), in order


@dataclass
class StatementPlan:
    row: int
    values: dict[str, str]
    statement: Statement
    theme_name: str
    status: str  # as asked for in the file
    positions: dict[int, PositionPlan] = field(default_factory=dict)  # by party id
    result: str = ""  # the status it gets (the review may send it back: `_review`)
    note: str = ""


class _Rows:
    """Reads the rows into plans, collecting every problem of every row (one bad cell does not
    hide another in the same row)."""

    def __init__(self) -> None:
        self.errors: list[RowError] = []
        self.quizzes: dict[str, Quiz | None] = {}
        self.parties: dict[str, Party | None] = {}
        self.programmes: dict[tuple[int, int], Programme | None] = {}
        self.themes = {theme.name: theme for theme in Theme.objects.all()}
        self.statements: dict[tuple[int, int], StatementPlan] = {}

    def error(self, row: int, column: str, message: str) -> None:
        self.errors.append(RowError(row, column, message))

    def validation_error(self, row: int, error: ValidationError, default_column: str) -> None:
        by_field = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
        for name, messages in by_field.items():
            column = FIELD_COLUMNS.get(name, default_column)
            for message in messages:
                self.error(row, column, message)

    def quiz(self, slug: str) -> Quiz | None:
        if slug not in self.quizzes:
            self.quizzes[slug] = Quiz.objects.filter(slug=slug).select_related("election").first()
        return self.quizzes[slug]

    def party(self, slug: str) -> Party | None:
        if slug not in self.parties:
            self.parties[slug] = Party.objects.filter(slug=slug).first()
        return self.parties[slug]

    def programme(self, party: Party, quiz: Quiz) -> Programme | None:
        key = (party.pk, quiz.election_id)
        if key not in self.programmes:
            self.programmes[key] = Programme.objects.filter(
                party=party, election_id=quiz.election_id
            ).first()
        return self.programmes[key]

    def read(self, row: int, values: dict[str, str]) -> None:
        quiz = self.quiz(values["quiz"])
        if quiz is None:
            self.error(row, "quiz", f"Geen stemtest met slug ‘{values['quiz']}’.")
        number = ORDER.fullmatch(values["order"])
        if number is None or int(number.group(1)) < 1:
            self.error(row, "order", "Een geheel getal vanaf 1.")
        if quiz is None or number is None or int(number.group(1)) < 1:
            self.read_position(row, quiz, None, values)  # its own cells are checked still
            return
        order = int(number.group(1))
        plan = self.statements.get((quiz.pk, order))
        if plan is None:
            plan = self.statement_plan(row, quiz, order, values)
            self.statements[(quiz.pk, order)] = plan
        else:
            for column in STATEMENT_COLUMNS + _present(values, STATEMENT_TRANSLATION_COLUMNS):
                if values[column] != plan.values[column]:
                    self.error(
                        row, column, f"Verschilt van rij {plan.row}: een stelling heeft één tekst."
                    )
        position_columns = POSITION_COLUMNS + _present(values, POSITION_TRANSLATION_COLUMNS)
        if values["party"] or any(values[column] for column in position_columns):
            self.read_position(row, quiz, plan, values)

    def statement_plan(
        self, row: int, quiz: Quiz, order: int, values: dict[str, str]
    ) -> StatementPlan:
        status = STATUSES.get(values["status"].lower())
        if status is None:
            self.error(
                row,
                "status",
                "Vul concept, klaar voor nazicht, nagekeken of gepubliceerd in.",
            )
        statement = Statement.objects.filter(quiz=quiz, order=order).first() or Statement(
            quiz=quiz, order=order
        )
        statement.text = values["statement"]
        statement.short_title = values["short_title"]
        statement.uitleg = values["uitleg"]
        for column in _present(values, STATEMENT_TRANSLATION_COLUMNS):
            setattr(statement, STATEMENT_TRANSLATION_COLUMNS[column], values[column])
        exclude = ["status"]  # checked later, against the file's positions (`_review`)
        theme = self.themes.get(values["theme"])
        if not values["theme"]:
            self.error(row, "theme", "Verplicht: de naam van het thema.")
            exclude.append("theme")
        elif theme is None:
            exclude.append("theme")  # created by name when the import is written
            try:  # check the name now
                Theme._meta.get_field("name").clean(values["theme"], Theme())
            except ValidationError as error:
                self.validation_error(row, error, "theme")
        else:
            statement.theme = theme
        try:
            statement.full_clean(exclude=exclude)
        except ValidationError as error:
            self.validation_error(row, error, "statement")
        return StatementPlan(row, values, statement, values["theme"], status or "")

    def read_position(
        self, row: int, quiz: Quiz | None, plan: StatementPlan | None, values: dict[str, str]
    ) -> None:
        """Check a position's cells; keep it in `plan` when they are all valid."""
        errors = len(self.errors)
        party = self.party(values["party"])
        if party is None:
            self.error(row, "party", f"Geen partij met slug ‘{values['party']}’.")
        elif plan is not None and party.pk in plan.positions:
            self.error(
                row,
                "party",
                f"{party} staat al op rij {plan.positions[party.pk].row} voor deze stelling.",
            )
        if values["stance"] not in Position.Stance.values:
            *others, last = Position.Stance.values
            self.error(row, "stance", f"Vul {', '.join(others)} of {last} in.")
        citations = self.citations(row, party, quiz, values)
        if len(self.errors) > errors or plan is None or party is None or citations is None:
            return
        statement = plan.statement
        position = (
            statement.positions.filter(party=party).first() if statement.pk else None
        ) or Position(party=party)
        position.statement = statement
        position.stance = values["stance"]
        position.justification = values["justification"]
        position.source = values["source"]
        for column in _present(values, POSITION_TRANSLATION_COLUMNS):
            setattr(position, column, values[column])
        try:
            position.full_clean(exclude=["statement"])
            position.check_grounding([resolution for resolution, _ in citations])
        except ValidationError as error:
            cited = "resolutions" if self.programme(party, plan.statement.quiz) else "source"
            self.validation_error(row, error, cited)
            return
        plan.positions[party.pk] = PositionPlan(row, position, citations)

    def citations(
        self, row: int, party: Party | None, quiz: Quiz | None, values: dict[str, str]
    ) -> list[tuple[Resolution, str]] | None:
        """The cited resolutions with their excerpts; None after reporting what is wrong."""
        numbers = [part.strip() for part in values["resolutions"].split(";") if part.strip()]
        if not numbers:
            if values["excerpts"]:
                self.error(row, "excerpts", "Een fragment hoort bij een geciteerde resolutie.")
                return None
            return []
        if not all(RESOLUTION_NUMBER.fullmatch(number) for number in numbers):
            self.error(row, "resolutions", "Nummers gescheiden door ‘;’, bv. 1198; 1199.")
            return None
        wanted = [int(number) for number in numbers]
        if len(set(wanted)) != len(wanted):
            self.error(row, "resolutions", "Een resolutie staat er twee keer in.")
            return None
        if party is None or quiz is None:
            return None  # that error is reported: no programme to look in
        programme = self.programme(party, quiz)
        if programme is None:
            self.error(
                row, "resolutions", f"{party} heeft geen ingelezen programma: gebruik ‘source’."
            )
            return None
        found = {r.number: r for r in programme.resolutions.filter(number__in=wanted)}
        missing = [str(number) for number in wanted if number not in found]
        if missing:
            self.error(
                row,
                "resolutions",
                f"Resolutie {', '.join(missing)} staat niet in het programma van {party}.",
            )
        excerpts = self.excerpts(row, values["excerpts"], found, set(wanted))
        if excerpts is None or missing:
            return None
        return [(found[number], excerpts.get(number, "")) for number in wanted]

    def excerpts(
        self, row: int, text: str, cited: dict[int, Resolution], wanted: set[int]
    ) -> dict[int, str] | None:
        excerpts: dict[int, str] = {}
        current = None
        for line in text.splitlines():
            match = EXCERPT_LINE.fullmatch(line)
            if match:
                current = int(match.group(1))
                excerpts[current] = match.group(2).strip()
            elif current is not None and line.strip():
                excerpts[current] += " " + line.strip()
            elif line.strip():
                self.error(row, "excerpts", "Begin elk fragment met het nummer: ‘1198: tekst’.")
                return None
        problems = 0
        for number, excerpt in excerpts.items():
            if number not in wanted:
                self.error(row, "excerpts", f"Resolutie {number} staat niet in ‘resolutions’.")
                problems += 1
            elif number in cited and excerpt not in cited[number].text:
                self.error(
                    row,
                    "excerpts",
                    f"Het fragment bij {number} staat niet letterlijk in de resolutie.",
                )
                problems += 1
        return None if problems else excerpts


def _text(cell: object) -> str:
    """A cell's text; empty for an empty cell (None, or NaN in a frame built in code)."""
    return (
        "" if cell is None or (isinstance(cell, float) and math.isnan(cell)) else str(cell).strip()
    )


def _present(values: dict[str, str], columns: dict[str, str]) -> list[str]:
    """Those of `columns` that the file has."""
    return [column for column in columns if column in values]


def _statement_cells(plan: StatementPlan, saved: Statement | None) -> tuple[Cell, ...]:
    """The statement's changed cells against `saved`, its row in the database (None: new)."""
    statement = plan.statement
    if saved is None:
        return ()
    return tuple(
        Cell(column, old, new)
        for column, old, new in [
            ("statement", saved.text, statement.text),
            ("short_title", saved.short_title, statement.short_title),
            ("uitleg", saved.uitleg, statement.uitleg),
            ("theme", saved.theme.name, plan.theme_name),
            ("status", saved.get_status_display().lower(), Status(plan.result).label.lower()),
            *(
                (column, getattr(saved, name), getattr(statement, name))
                for column, name in STATEMENT_TRANSLATION_COLUMNS.items()
            ),
        ]
        if old != new
    )


def _citation_cells(citations: list[tuple[int, str]]) -> tuple[str, str]:
    """A position's citations as its `resolutions` and `excerpts` cells."""
    numbers = "; ".join(str(number) for number, _ in citations)
    excerpts = "\n".join(f"{number}: {excerpt}" for number, excerpt in citations if excerpt)
    return numbers, excerpts


def _position_cells(plan: PositionPlan) -> tuple[Cell, ...]:
    position = plan.position
    if not position.pk:
        return ()
    saved = Position.objects.get(pk=position.pk)
    cells = [
        Cell(column, getattr(saved, column), getattr(position, column))
        for column in ["stance", "justification", "source", *POSITION_TRANSLATION_COLUMNS]
        if getattr(saved, column) != getattr(position, column)
    ]
    old = _citation_cells(
        [(c.resolution.number, c.excerpt) for c in saved.citations.select_related("resolution")]
    )
    new = _citation_cells([(r.number, excerpt) for r, excerpt in plan.citations])
    cells += [
        Cell(column, before, after)
        for column, before, after in zip(["resolutions", "excerpts"], old, new, strict=True)
        if before != after
    ]
    return tuple(cells)


def _action(obj: Model, changed: tuple[Cell, ...]) -> str:
    if not obj.pk:
        return "nieuw"
    return "gewijzigd" if changed else "ongewijzigd"


def _review(plan: StatementPlan, changed: bool, user: User | None) -> str | None:
    """Set the status the statement gets (`plan.result`), or say why the file may not ask for
    it: the review's rules (`quiz.review`) hold for a spreadsheet as in the admin. A changed
    statement that was checked or published goes back to "klaar voor nazicht" (`plan.note`)."""
    statement = plan.statement
    saved = statement.status if statement.pk else Status.CONCEPT
    wanted = plan.status
    plan.result = wanted
    if user is None:
        return None  # the command line: trusted (see quiz.review)
    if changed and saved in REVIEWED and wanted == saved:
        plan.result = Status.READY
        plan.note = review.CHANGED_AFTER_REVIEW
        return None
    before = Statement(
        pk=statement.pk,
        quiz=statement.quiz,
        status=Status.READY if changed and saved in REVIEWED else saved,
        changed_by_id=user.pk if changed else statement.changed_by_id,
    )
    if wanted == Status.PUBLISHED and before.status == Status.CHECKED:
        return None  # every party's position: checked against the file (`check_publication`)
    return review.refusal(before, wanted, user)


REVIEWED = (Status.CHECKED, Status.PUBLISHED)


def check_publication(plan: StatementPlan) -> ValidationError | None:
    if plan.result != Status.PUBLISHED:
        return None
    saved = (
        set(plan.statement.positions.values_list("party_id", flat=True))
        if plan.statement.pk
        else set()
    )
    try:
        plan.statement.check_publishable(saved | set(plan.positions))
    except ValidationError as error:
        return error
    return None


def import_rows(
    frame: pd.DataFrame, *, dry_run: bool = False, user: User | None = None
) -> ImportReport:
    """Check every row; unless it is a dry run and only when all rows are valid, write them.

    With a `user` (the admin), the review's rules apply and every statement written gets an
    entry in the admin's change history; without one (the command line) the file's status is
    taken as it is.
    """
    report = ImportReport()
    frame.columns = [str(column).strip() for column in frame.columns]
    if "status" not in frame.columns and "published" in frame.columns:
        frame["status"] = frame["published"].map(
            lambda value: LEGACY_PUBLISHED.get(str(value).strip().lower(), value)
        )
    missing = [column for column in REQUIRED if column not in frame.columns]
    if missing:
        report.errors = [RowError(1, column, "Deze kolom ontbreekt.") for column in missing]
        return report
    rows = _Rows()
    optional = {*STATEMENT_TRANSLATION_COLUMNS, *POSITION_TRANSLATION_COLUMNS}
    for index, record in enumerate(frame.to_dict("records")):
        values = {
            column: unescape_cell(_text(record.get(column)))
            for column in COLUMNS
            if column in frame.columns or column not in optional
        }
        nul = [column for column, value in values.items() if "\x00" in value]
        for column in nul:
            rows.error(index + 2, column, "Bevat een onzichtbaar NUL-teken: verwijder het.")
        if any(values.values()) and not nul:
            rows.read(index + 2, values)
    writes = []
    for plan in sorted(rows.statements.values(), key=lambda plan: plan.row):
        label = f"stelling {plan.statement.order}"
        position_changes = []
        for position_plan in plan.positions.values():
            cells = _position_cells(position_plan)
            position_changes.append(
                Change(
                    position_plan.row,
                    f"{label}, {position_plan.position.party}",
                    _action(position_plan.position, cells),
                    cells,
                )
            )
        saved = (  # as it is before the file: plan.statement holds the file's values
            Statement.objects.select_related("theme").get(pk=plan.statement.pk)
            if plan.statement.pk
            else None
        )
        content = False
        if plan.status:
            content = saved is None or any(c.action != "ongewijzigd" for c in position_changes)
            content = content or any(
                getattr(saved, name) != getattr(plan.statement, name)
                for name in review.CONTENT_FIELDS
            )
            if reason := _review(plan, content, user):
                rows.error(plan.row, "status", reason)
            elif error := check_publication(plan):
                rows.validation_error(plan.row, error, "status")
        cells = _statement_cells(plan, saved) if plan.result else ()
        change = Change(plan.row, label, _action(plan.statement, cells), cells, plan.note)
        report.changes += [change, *position_changes]
        writes.append((plan, change, position_changes, content))
    report.errors = sorted(rows.errors, key=lambda error: error.row)
    if report.errors or dry_run:
        return report
    with transaction.atomic():
        for plan, change, position_changes, content in writes:
            _write(plan, change, position_changes, content, user)
    report.written = True
    return report


def _write(
    plan: StatementPlan,
    statement_change: Change,
    position_changes: list[Change],
    content: bool,
    user: User | None,
) -> None:
    """Write one statement and its positions; `position_changes` in the order of
    `plan.positions`."""
    statement = plan.statement
    if statement_change.action == "ongewijzigd" and all(
        change.action == "ongewijzigd" for change in position_changes
    ):
        return
    added = statement.pk is None
    if statement_change.action != "ongewijzigd":
        statement.theme = Theme.objects.filter(
            name=plan.theme_name
        ).first() or Theme.objects.create(name=plan.theme_name, slug=_theme_slug(plan.theme_name))
        if added:
            statement.status = Status.CONCEPT  # published below, with its positions
        statement.full_clean()
        statement.save()
    for position_plan, change in zip(plan.positions.values(), position_changes, strict=True):
        if change.action == "ongewijzigd":
            continue
        position = position_plan.position
        position.statement = statement
        position.full_clean()
        position.save()
        position.citations.all().delete()
        for order, (resolution, excerpt) in enumerate(position_plan.citations, start=1):
            citation = Citation(
                position=position, resolution=resolution, order=order, excerpt=excerpt
            )
            citation.full_clean()
            citation.save()
    if content and user is not None:
        review.record_change(statement, user)
    statement.refresh_from_db(fields=["status", "changed_by", "reviewed_by"])
    review.move(statement, plan.result, user)  # checked by `_review` for the whole file
    if user is not None:
        columns = sorted({f for c in [statement_change, *position_changes] for f in c.fields})
        named = [  # the status reached, in words: "status → nagekeken"
            f"status → {statement.get_status_display().lower()}" if column == "status" else column
            for column in columns
        ]
        message = "Via spreadsheet: " + (", ".join(named) if named else "standpunten")
        LogEntry.objects.log_actions(
            user.pk,
            [statement],
            ADDITION if added else CHANGE,
            "Aangemaakt via spreadsheet." if added else message + ".",
            single_object=True,
        )


def _theme_slug(name: str) -> str:
    slug = base = slugify(name)[:45] or "thema"
    number = 2
    while Theme.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def import_spreadsheet(
    source: Path | BinaryIO,
    *,
    name: str,
    dry_run: bool = False,
    user: User | None = None,
) -> ImportReport:
    """Read a CSV or XLSX file and import it (see `import_rows`)."""
    try:
        frame = read_table(source, name=name)
    except SpreadsheetError as error:
        return ImportReport(errors=[RowError(1, "-", str(error))])
    return import_rows(frame, dry_run=dry_run, user=user)


# The quiz itself


def ensure_quiz(path: Path) -> tuple[Quiz, str]:
    """Create or update a quiz from a small JSON file (title, slug, election_date, intro,
    about, facts_as_of, parties, is_live, and title_fr, intro_en … for the translations, with
    election_fr and election_en for the election's name);
    writes nothing when nothing changed. Returns the quiz and what happened."""
    data = json.loads(path.read_text(encoding="utf-8"))
    election = Election.objects.filter(date=data["election_date"]).first()
    if election is None:
        raise ValueError(
            f"Geen verkiezing op {data['election_date']}: importeer eerst het programma."
        )
    parties = list(Party.objects.filter(slug__in=data["parties"]))
    if len(parties) != len(data["parties"]):
        raise ValueError(f"Onbekende partij in {data['parties']}: importeer eerst het programma.")
    values = {
        "title": data["title"],
        "election": election,
        "intro": data.get("intro", ""),
        "about": data.get("about", ""),
        "facts_as_of": (
            datetime.date.fromisoformat(data["facts_as_of"]) if data.get("facts_as_of") else None
        ),
        "is_live": data.get("is_live", False),
        **{
            f"{name}_{language}": data.get(f"{name}_{language}", "")
            for name in ("title", "intro", "about")
            for language in TRANSLATIONS
        },
    }
    names = {f"name_{lang}": data.get(f"election_{lang}", "") for lang in TRANSLATIONS}
    if any(names.values()) and any(getattr(election, k) != v for k, v in names.items()):
        for key, value in names.items():  # the election's name in French and English
            setattr(election, key, value)
        election.save(update_fields=list(names))
    quiz = Quiz.objects.filter(slug=data["slug"]).first()
    if (
        quiz is not None
        and all(getattr(quiz, k) == v for k, v in values.items())
        and set(quiz.parties.all()) == set(parties)
    ):
        return quiz, "ongewijzigd"
    action = "aangemaakt" if quiz is None else "bijgewerkt"
    quiz = quiz or Quiz(slug=data["slug"])
    for key, value in values.items():
        setattr(quiz, key, value)
    quiz.full_clean()
    quiz.save()
    quiz.parties.set(parties)
    return quiz, action


def translate_themes(path: Path) -> int:
    """The translations of the themes' names from the quiz's JSON file ("themes": {"Zorg":
    {"fr": "Soins de santé", "en": "Health care"}}), for the themes there are. Returns how many
    themes changed."""
    data = json.loads(path.read_text(encoding="utf-8"))
    changed = 0
    for name, translations in data.get("themes", {}).items():
        theme = Theme.objects.filter(name=name).first()
        values = {f"name_{lang}": translations.get(lang, "") for lang in TRANSLATIONS}
        if theme is not None and any(getattr(theme, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(theme, key, value)
            theme.save(update_fields=list(values))  # quiz.signals: the snapshots follow
            changed += 1
    return changed
