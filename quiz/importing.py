"""Import a party programme: its file read (`quiz.programme_sources`), parsed
(`quiz.programme_text`), then written.

`import_source` writes the parsed programme in one transaction. Sections are matched by number;
passages by text first, so that a citation keeps pointing at its passage when the numbers shift
(a passage inserted or removed), then by their place between the passages that did not change.
A cited passage whose text changed gets its citations flagged for review (`Citation.needs_review`)
and is listed in the report. A dry run writes the same way and rolls the transaction back.
"""

import difflib
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from quiz import semantic
from quiz.models import Citation, Election, Party, Programme, Resolution, Section
from quiz.programme_sources import read_source
from quiz.programme_text import (
    NAMES,
    Layout,
    Notice,
    ParsedProgramme,
    ParsedResolution,
    ProgrammeFormatError,
    parse_programme,
    sentence_case,
)

# A changed passage is matched to the old one in its place when they are at least this alike.
SIMILAR = 0.5


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


@dataclass(frozen=True)
class AffectedCitation:
    """A citation of a passage whose text changed: flagged for review."""

    statement: str  # "12. Korte titel"
    party: str
    resolution: int
    old_text: str
    new_text: str


@dataclass
class ImportReport:
    programme: Programme
    sections: Counts
    resolutions: Counts
    missing_sections: list[str]  # in the database, no longer in the source: kept, not deleted
    missing_resolutions: list[int]
    dry_run: bool
    parsed: ParsedProgramme | None = None
    source_format: str = "text"
    pages: int | None = None
    added: list[int] = field(default_factory=list)  # numbers of the new passages
    changed: list[int] = field(default_factory=list)  # numbers whose text changed
    renumbered: list[tuple[int, int]] = field(default_factory=list)  # (old, new), same text
    affected: list[AffectedCitation] = field(default_factory=list)
    embedded: int = 0  # sentences and section paths embedded anew for the suggestions

    @property
    def notices(self) -> list[Notice]:
        return self.parsed.notices if self.parsed else []

    @property
    def layout(self) -> Layout | None:
        return self.parsed.layout if self.parsed else None

    def summary(self) -> str:
        """One line: "vooruit-2024: sections 0 created, …; missing from the source: none"."""
        missing = [
            f"{kind} {', '.join(numbers)}"
            for kind, numbers in [
                ("resolutions", [str(number) for number in self.missing_resolutions]),
                ("sections", self.missing_sections),
            ]
            if numbers
        ]
        text = (
            f"{self.programme.slug}: sections {self.sections}; resolutions {self.resolutions}; "
            f"missing from the source (kept): {'; '.join(missing) or 'none'}"
        )
        return text + (" (dry run, nothing written)" if self.dry_run else "")


# The share of the resolutions already imported that a new text may lack without `allow_missing`.
MAX_MISSING = 0.1


class IncompleteProgramme(ValueError):
    """The text lacks a large share of the programme's imported resolutions."""

    def __init__(self, missing: int, imported: int):
        super().__init__(
            f"de tekst mist {missing} van de {imported} passages die al ingelezen zijn "
            f"({missing / imported:.0%}): is het bestand volledig? Er is niets geschreven. Om "
            "het toch in te lezen (de ontbrekende blijven bewaard): --allow-missing, of in de "
            "admin ‘ook als er veel passages ontbreken’."
        )
        self.missing, self.imported = missing, imported


SECTION_FIELDS = ["parent", "title", "intro", "order", "depth"]
RESOLUTION_FIELDS = ["section", "text", "page"]


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def import_programme(path: Path, **options: object) -> ImportReport:
    """`import_source` for the file at `path`."""
    return import_source(
        path.read_bytes(),
        filename=path.name,
        source_file=str(path),
        **options,  # type: ignore[arg-type]
    )


def import_source(
    data: bytes,
    *,
    filename: str,
    party: Party,
    election: Election,
    title: str = "",
    slug: str = "",
    language: str = "",
    hints: Mapping[str, object] | None = None,
    dry_run: bool = False,
    allow_missing: bool = False,
    source_file: str = "",
) -> ImportReport:
    """Import a programme file (PDF, text or Markdown) for `party` and `election`, all or
    nothing.

    `hints` (see `quiz.programme_text.Layout`) override what the layout detection found; they
    are stored with the programme and used again for its next version when none are given.
    Passages no longer in the source are reported, not deleted. A text that lacks more than
    MAX_MISSING of the passages already imported (a file cut short, most likely) is refused
    with `IncompleteProgramme`, unless `allow_missing`. The title defaults to the text's first
    heading, the slug to "<party>-<year>".
    """
    source = read_source(data, filename)
    slug = slug or f"{party.slug}-{election.date.year}"
    programme = Programme.objects.filter(slug=slug).first() or Programme(slug=slug)
    if programme.pk and (programme.party_id, programme.election_id) != (party.pk, election.pk):
        raise ValueError(f"Programma {slug} hoort bij een andere partij of verkiezing.")
    if not programme.pk and party.pk and election.pk:
        other = Programme.objects.filter(party=party, election=election).first()
        if other:
            raise ValueError(f"{party} heeft al programma {other.slug} voor {election}.")
    given = {name: value for name, value in (hints or {}).items() if value not in (None, "")}
    stored = programme.layout if isinstance(programme.layout, dict) else {}
    try:
        parsed = parse_programme(
            source.lines, hints=given or stored, markdown=source.format == "markdown"
        )
    except ValueError as error:
        if isinstance(error, ProgrammeFormatError):
            raise
        raise ProgrammeFormatError(1, str(error)) from error
    programme.party, programme.election = party, election
    programme.title = (
        title or programme.title or sentence_case(parsed.title, keep=(*NAMES, party.name))
    )
    if not programme.title:
        raise ProgrammeFormatError(
            1, "geen titel: de tekst begint niet met de titel van het programma; geef er een op"
        )
    programme.language = language or programme.language or "nl"
    programme.layout = given or stored
    programme.source_file = source_file or filename
    programme.source_format = source.format
    programme.source_sha256 = hashlib.sha256(data).hexdigest()
    programme.imported_at = timezone.now()
    _validate(programme, exclude=["party", "election"], line=1)
    new = programme.pk is None
    embedded = 0
    with transaction.atomic():
        programme.save()
        sections, section_counts, missing_sections = _sync_sections(programme, parsed)
        sync = _PassageSync(programme, parsed, sections)
        sync.run()
        kept = sync.counts.updated + sync.counts.unchanged + len(sync.missing)
        if not allow_missing and len(sync.missing) > MAX_MISSING * kept:
            raise IncompleteProgramme(len(sync.missing), kept)
        if dry_run:  # everything was checked by writing it; now undo it
            transaction.set_rollback(True)
        else:  # the suggestions' sentence vectors, with the passages they describe
            embedded = semantic.embed_programme(programme).encoded
    if dry_run and new:
        programme.pk = None
    return ImportReport(
        programme=programme,
        sections=section_counts,
        resolutions=sync.counts,
        missing_sections=missing_sections,
        missing_resolutions=sync.missing,
        dry_run=dry_run,
        parsed=parsed,
        source_format=source.format,
        pages=source.pages,
        added=sync.added,
        changed=sync.changed,
        renumbered=sync.renumbered,
        affected=sync.affected,
        embedded=embedded,
    )


def _validate(instance: Model, *, exclude: list[str], line: int) -> None:
    """The model's field rules (lengths, required values); constraints are the database's."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        reasons = "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
        )
        raise ProgrammeFormatError(line, reasons) from error


def _changed(instance: Model, values: Mapping[str, object]) -> bool:
    """Set `values` on `instance`; whether any differed."""
    changed = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


def _sync_sections(
    programme: Programme, parsed: ParsedProgramme
) -> tuple[dict[str, Section], Counts, list[str]]:
    existing = {s.number: s for s in programme.sections.all()}
    counts = Counts()
    by_number: dict[str, Section] = {}
    created: list[Section] = []
    updated: list[Section] = []
    for item in parsed.sections:
        parent = by_number[item.parent] if item.parent else None
        values = {
            "title": item.title,
            "intro": item.intro,
            "order": item.order,
            "depth": item.depth,
        }
        section = existing.get(item.number)
        if section is None:
            section = Section(programme=programme, number=item.number, parent=parent, **values)
            created.append(section)
        elif _changed(section, values) | _changed_parent(section, parent):
            updated.append(section)
        else:
            counts.unchanged += 1
        _validate(section, exclude=["programme", "parent"], line=item.line)
        by_number[item.number] = section
    counts.created, counts.updated = len(created), len(updated)
    missing = [number for number in existing if number not in by_number]
    # Rows keep their primary keys; sections that left the source stay (their resolutions
    # may be cited) and move behind the others. The order is unique per programme, so the
    # rows that move are parked on free orders first.
    leftovers = [existing[number] for number in missing]
    for order, section in enumerate(leftovers, start=len(parsed.sections)):
        section.order = order
    moved = [*updated, *leftovers]
    if moved:
        top = max([len(parsed.sections) + len(leftovers), *(s.order for s in existing.values())])
        final = [section.order for section in moved]
        for index, section in enumerate(moved, start=top + 1):
            section.order = index
        Section.objects.bulk_update(moved, ["order"])
        for section, order in zip(moved, final, strict=True):
            section.order = order
    for depth in sorted({section.depth for section in created}):  # parents before children
        Section.objects.bulk_create([section for section in created if section.depth == depth])
    if moved:
        Section.objects.bulk_update(moved, SECTION_FIELDS)
    return by_number, counts, missing


def _changed_parent(section: Section, parent: Section | None) -> bool:
    if parent is None:
        changed = section.parent_id is not None
    else:
        changed = parent.pk is None or section.parent_id != parent.pk
    if changed:
        section.parent = parent
    return changed


class _PassageSync:
    """Write the parsed passages over the programme's rows, keeping each row (and so its
    citations) on its passage.

    A passage is matched to the row with the same text; the passages left over to the rows
    left over in the same stretch between matched ones, by likeness (difflib) or, where the
    programme numbers its own passages, by number. Rows that match nothing stay (they may be
    cited): they are reported, and move behind the others if a new passage takes their number.
    """

    def __init__(self, programme: Programme, parsed: ParsedProgramme, sections: dict[str, Section]):
        self.programme, self.parsed, self.sections = programme, parsed, sections
        self.rows = list(programme.resolutions.order_by("number"))
        self.counts = Counts()
        self.added: list[int] = []
        self.changed: list[int] = []
        self.renumbered: list[tuple[int, int]] = []
        self.missing: list[int] = []
        self.affected: list[AffectedCitation] = []

    def run(self) -> None:
        items = self.parsed.resolutions
        match = self._match(items)
        used = {row.pk for row in match.values()}
        leftovers = [row for row in self.rows if row.pk not in used]
        taken = {item.number for item in items}
        top = max([0, *taken, *(row.number for row in self.rows)])
        moved_away = [row for row in leftovers if row.number in taken]
        created: list[Resolution] = []
        updated: list[tuple[Resolution, int]] = []  # (row, its final number)
        changed_rows: list[tuple[Resolution, str]] = []  # (row, its old text)
        for index, item in enumerate(items):
            section = self.sections[item.section]
            row = match.get(index)
            if row is None:
                created.append(
                    Resolution(
                        programme=self.programme,
                        number=item.number,
                        label=item.label,
                        section=section,
                        text=item.text,
                        page=item.page,
                    )
                )
                self.added.append(item.number)
                _validate(created[-1], exclude=["programme", "section"], line=item.line)
                continue
            old_number, old_text = row.number, row.text
            values = {"text": item.text, "page": item.page, "label": item.label}
            differs = _changed(row, values) | _changed_section(row, section)
            if old_text != item.text:
                self.changed.append(item.number)
                changed_rows.append((row, old_text))
            elif old_number != item.number:
                self.renumbered.append((old_number, item.number))
            if differs or old_number != item.number:
                updated.append((row, item.number))
            else:
                self.counts.unchanged += 1
            _validate(row, exclude=["programme", "section"], line=item.line)
        self.counts.created, self.counts.updated = len(created), len(updated)
        # Numbers are unique per programme: rows that change number are parked above all
        # numbers first, then given theirs; a gone row whose number is taken moves behind.
        parked = [row for row, final in updated if row.number != final] + moved_away
        for offset, row in enumerate(parked, start=top + len(moved_away) + 1):
            row.number = offset
        if parked:
            Resolution.objects.bulk_update(parked, ["number"], batch_size=500)
        for row, final in updated:
            row.number = final
        for offset, row in enumerate(moved_away, start=top + 1):
            row.number = offset
        Resolution.objects.bulk_update(
            [row for row, _ in updated], [*RESOLUTION_FIELDS, "number", "label"], batch_size=500
        )
        Resolution.objects.bulk_update(moved_away, ["number"], batch_size=500)
        self.missing = sorted(row.number for row in leftovers)  # where they are now
        Resolution.objects.bulk_create(created, batch_size=500)
        self._flag(changed_rows)

    def _match(self, items: list[ParsedResolution]) -> dict[int, Resolution]:
        by_text: dict[str, list[Resolution]] = {}
        for row in self.rows:
            by_text.setdefault(row.text, []).append(row)
        match: dict[int, Resolution] = {}
        for index, item in enumerate(items):
            candidates = by_text.get(item.text)
            if candidates:
                match[index] = candidates.pop(0)
        # The rest, stretch by stretch between matched passages.
        used = {row.pk for row in match.values()}
        order = {row.pk: position for position, row in enumerate(self.rows)}
        own_numbers = self.parsed.layout.numbering == "straight"
        by_number = {row.number: row for row in self.rows}
        previous = -1
        for index, item in enumerate(items):
            if index in match:
                previous = order[match[index].pk]
                continue
            following = next(
                (order[match[i].pk] for i in range(index + 1, len(items)) if i in match),
                len(self.rows),
            )
            stretch = [row for row in self.rows[previous + 1 : following] if row.pk not in used]
            best = max(
                stretch,
                key=lambda row: difflib.SequenceMatcher(None, row.text, item.text).ratio(),
                default=None,
            )
            if best is not None and (
                difflib.SequenceMatcher(None, best.text, item.text).ratio() >= SIMILAR
            ):
                match[index] = best
            elif own_numbers and (same := by_number.get(item.number)) and same.pk not in used:
                match[index] = same
            else:
                continue
            used.add(match[index].pk)
            previous = order[match[index].pk]
        return match

    def _flag(self, changed_rows: list[tuple[Resolution, str]]) -> None:
        """Flag the citations of passages whose text changed, and list them."""
        old_texts = {row.pk: old for row, old in changed_rows}
        citations = Citation.objects.filter(resolution__in=old_texts).select_related(
            "position__party", "position__statement", "resolution"
        )
        for citation in citations.order_by("position__statement__order", "position__party"):
            self.affected.append(
                AffectedCitation(
                    statement=str(citation.position.statement),
                    party=str(citation.position.party),
                    resolution=citation.resolution.number,
                    old_text=old_texts[citation.resolution_id],
                    new_text=citation.resolution.text,
                )
            )
        citations.update(needs_review=True)


def _changed_section(resolution: Resolution, section: Section) -> bool:
    changed = section.pk is None or resolution.section_id != section.pk
    if changed:
        resolution.section = section
    return changed
