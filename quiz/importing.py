"""Import a party programme: its text parsed (`quiz.programme_text`), then written.

`import_programme` writes the parsed programme in one transaction, matching existing rows by
section and resolution number so that their primary keys, and the citations that point at
them, survive a re-import. A dry run writes the same way and rolls the transaction back.
"""

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from quiz.models import Election, Party, Programme, Resolution, Section
from quiz.programme_text import (
    NAMES,
    ParsedProgramme,
    ProgrammeFormatError,
    decode,
    parse_programme,
    sentence_case,
)


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


@dataclass
class ImportReport:
    programme: Programme
    sections: Counts
    resolutions: Counts
    missing_sections: list[str]  # in the database, no longer in the source: kept, not deleted
    missing_resolutions: list[int]
    dry_run: bool

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
            f"the text lacks {missing} of the {imported} resolutions already imported "
            f"({missing / imported:.0%}): is the file complete? Nothing was written; to import "
            "it anyway (the missing ones are kept, not deleted), use --allow-missing."
        )
        self.missing, self.imported = missing, imported


SECTION_FIELDS = ["parent", "title", "intro", "order", "depth"]
RESOLUTION_FIELDS = ["section", "text", "page"]


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def import_programme(
    path: Path,
    *,
    party: Party,
    election: Election,
    title: str = "",
    slug: str = "",
    dry_run: bool = False,
    allow_missing: bool = False,
) -> ImportReport:
    """Import the programme text at `path` for `party` and `election`, all or nothing.

    Sections and resolutions are matched by number, so a re-import updates rows in place and
    keeps their primary keys; resolutions no longer in the source are reported, not deleted.
    A text that lacks more than MAX_MISSING of the resolutions already imported (a file cut
    short, most likely) is refused with `IncompleteProgramme`, unless `allow_missing`.
    The title defaults to the text's first heading, the slug to "<party>-<year>".
    """
    data = path.read_bytes()
    parsed = parse_programme(decode(data))
    slug = slug or f"{party.slug}-{election.date.year}"
    programme = Programme.objects.filter(slug=slug).first() or Programme(slug=slug)
    if programme.pk and (programme.party_id, programme.election_id) != (party.pk, election.pk):
        raise ValueError(f"Programme {slug} belongs to another party or election.")
    if not programme.pk and party.pk and election.pk:
        other = Programme.objects.filter(party=party, election=election).first()
        if other:
            raise ValueError(f"{party} already has programme {other.slug} for {election}.")
    programme.party, programme.election = party, election
    programme.title = (
        title or programme.title or sentence_case(parsed.title, keep=(*NAMES, party.name))
    )
    if not programme.title:
        raise ProgrammeFormatError(
            1, "no title: the text should start with the programme's title in capitals"
        )
    programme.source_file = str(path)
    programme.source_sha256 = hashlib.sha256(data).hexdigest()
    programme.imported_at = timezone.now()
    _validate(programme, exclude=["party", "election"], line=1)
    new = programme.pk is None
    with transaction.atomic():
        programme.save()
        sections, section_counts, missing_sections = _sync_sections(programme, parsed)
        resolution_counts, missing_resolutions = _sync_resolutions(programme, parsed, sections)
        kept = resolution_counts.updated + resolution_counts.unchanged + len(missing_resolutions)
        if not allow_missing and len(missing_resolutions) > MAX_MISSING * kept:
            raise IncompleteProgramme(len(missing_resolutions), kept)
        if dry_run:  # everything was checked by writing it; now undo it
            transaction.set_rollback(True)
    if dry_run and new:
        programme.pk = None
    return ImportReport(
        programme=programme,
        sections=section_counts,
        resolutions=resolution_counts,
        missing_sections=missing_sections,
        missing_resolutions=missing_resolutions,
        dry_run=dry_run,
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


def _sync_resolutions(
    programme: Programme, parsed: ParsedProgramme, sections: dict[str, Section]
) -> tuple[Counts, list[int]]:
    existing = {r.number: r for r in programme.resolutions.all()}
    counts = Counts()
    created: list[Resolution] = []
    updated: list[Resolution] = []
    for item in parsed.resolutions:
        section = sections[item.section]
        values = {"text": item.text, "page": item.page}
        resolution = existing.get(item.number)
        if resolution is None:
            resolution = Resolution(
                programme=programme, number=item.number, section=section, **values
            )
            created.append(resolution)
        elif _changed(resolution, values) | _changed_section(resolution, section):
            updated.append(resolution)
        else:
            counts.unchanged += 1
        _validate(resolution, exclude=["programme", "section"], line=item.line)
    counts.created, counts.updated = len(created), len(updated)
    Resolution.objects.bulk_create(created, batch_size=500)
    Resolution.objects.bulk_update(updated, RESOLUTION_FIELDS, batch_size=500)
    seen = {item.number for item in parsed.resolutions}
    return counts, sorted(number for number in existing if number not in seen)


def _changed_section(resolution: Resolution, section: Section) -> bool:
    changed = section.pk is None or resolution.section_id != section.pk
    if changed:
        resolution.section = section
    return changed
