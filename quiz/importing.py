"""Import a party programme from the plain text extracted from its published PDF.

Two steps. `parse_programme` turns the text into parts, sections and numbered resolutions and
repairs what the PDF extraction left behind (page footers, words hyphenated at a line end, blank
lines from page breaks). `import_programme` writes the result in one transaction, matching
existing rows by section and resolution number so that their primary keys, and the citations
that point at them, survive a re-import.

The text: an opening under the programme's title in capitals, parts headed "VOORUIT MET ONZE …"
(wrapping over lines), sections numbered `1.1.`, `1.1.1.` … with a title and prose, after most
of them a line `Resoluties:` and resolutions numbered `N.<TAB>` straight through the document,
and a closing text under a heading in capitals.
"""

import hashlib
import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from quiz.models import Election, Party, Programme, Resolution, Section

PART_HEADING = re.compile(r"VOORUIT MET\b")
SECTION_HEADING = re.compile(r"(\d{1,2}(?:\.\d{1,2})+)\.?\s+(\S.*)")
RESOLUTIONS_HEADER = re.compile(r"(?i)resoluties?\s*:?")
RESOLUTION_START = re.compile(r"(\d+)\.\t\s*(.*)")
LIST_ITEM = re.compile(r"([a-z])\.\t\s*(.*)")
# A page footer: the page number and the running title, on its own line or glued to the last
# line of a page ("Voorzitter Vooruit287 UITLEIDING").
FOOTER = re.compile(r"(\d{1,3}) (?:VOORUIT MET [A-Z ,]+|UITLEIDING|INLEIDING)\s*$")
PART_MARKER = re.compile(r"0[1-9]")  # the big part number on a part's first page, e.g. "05"
HEADING_CONTINUATION = re.compile(r"\t| {2,}")
PAGE_START = re.compile(r" \S")  # a new page often starts with one space
SENTENCE_END = re.compile(r"(?:[.!?:…][”’)]?|”)\s*$")
UPPERCASE_START = re.compile(r"[A-ZÀ-Ý]")
WORD = re.compile(r"\w+(?:[-’']\w+)*")

# Words after which a line-end hyphen is a real one: "sociaal-economische", "de-escalatie",
# "btw-constructies", "niet-werken", "evidence-based", "debt-for-development".
HYPHEN_PREFIXES = {"btw", "de", "evidence", "ex", "for", "non", "niet", "oud", "sociaal", "the"}
# "energie- en telecomsector": the hyphen stands for a repeated word part, the space stays.
CONJUNCTIONS = {"en", "of", "tot", "naar", "noch", "als"}
# Vowels that would read as one sound across a compound boundary need a hyphen
# (data-uitwisseling, privé-investeerders, de-escalatie); "ë" and "ï" never combine.
VOWEL_CLASHES = {
    "aa",
    "ae",
    "ai",
    "au",
    "ee",
    "ei",
    "eu",
    "ie",
    "ii",
    "oe",
    "oi",
    "oo",
    "ou",
    "ue",
    "ui",
    "uu",
}


class ProgrammeFormatError(ValueError):
    """The text cannot be imported as it is; `line` is 1-based."""

    def __init__(self, line: int, reason: str):
        super().__init__(f"line {line}: {reason}")
        self.line = line
        self.reason = reason


@dataclass(frozen=True)
class ParsedSection:
    number: str  # without a trailing dot: "1", "1.2", "1.2.2.1"
    title: str
    intro: str
    parent: str | None
    depth: int
    order: int
    line: int


@dataclass(frozen=True)
class ParsedResolution:
    number: int
    section: str
    text: str
    page: int | None
    line: int


@dataclass(frozen=True)
class ParsedProgramme:
    title: str
    opening: str
    sections: list[ParsedSection]
    resolutions: list[ParsedResolution]
    closing: str

    @property
    def parts(self) -> list[ParsedSection]:
        return [section for section in self.sections if section.depth == 0]


# --- Repairing text ------------------------------------------------------------------------


class Dehyphenator:
    """Decides, for a word broken at a line end, whether the hyphen was real.

    The text itself is the dictionary: a word that occurs elsewhere in one piece is joined, one
    that occurs elsewhere with its hyphen keeps it. Otherwise Dutch spelling rules decide.
    """

    def __init__(self, text: str):
        self.words = Counter(WORD.findall(text.lower()))

    def join(self, left: str, right: str, spaced: bool) -> str:
        """Join `left` (ending in "-") and `right`, the start of the next line; `spaced` when
        the line ended in "- "."""
        left_word = re.search(r"(\w(?:[\w-]*\w)?)-$", left[left.rfind(" ") + 1 :])
        right_word = re.match(r"\w[\w-]*", right)
        if not (left_word and right_word) or right_word.group(0).lower() in CONJUNCTIONS:
            return f"{left} {right}"
        if self.keeps_hyphen(left_word.group(1), right_word.group(0), spaced):
            return left + right
        return left[:-1] + right

    def keeps_hyphen(self, left: str, right: str, spaced: bool) -> bool:
        if left.isupper() and right.isupper():  # a heading in capitals: judge it in lowercase
            left, right = left.lower(), right.lower()
        joined = self.words[(left + right).lower()]
        hyphenated = self.words[f"{left}-{right}".lower()]
        if joined or hyphenated:
            return hyphenated > joined
        last = left.rsplit("-", 1)[-1]
        if last.isupper() or last.isdigit() or right[0].isupper():  # EU-landen, Oost-Jeruzalem
            return True
        if last.lower() in HYPHEN_PREFIXES or last.lower().endswith("isch"):
            return True  # sociaal-economische, economisch-financiële
        # A vowel clash at a compound boundary (the extraction kept a space after the hyphens
        # that split compounds, not after those that split syllables).
        clash = (last[-1] + right[0]).lower().replace("é", "e")
        return spaced and clash in VOWEL_CLASHES


def join_lines(lines: list[str], dehyphenator: Dehyphenator) -> str:
    """One paragraph from its raw lines: single spaces, hyphenated words repaired."""
    text = ""
    spaced = False
    for raw in lines:
        line = re.sub(r"\s+", " ", raw).strip()
        if not line:
            continue
        if not text:
            text = line
        elif text.endswith("-") and not text.endswith(" -"):
            text = dehyphenator.join(text, line, spaced)
        else:
            text = f"{text} {line}"
        spaced = raw.rstrip("\n").endswith(("- ", "-\t"))
    return text


def join_paragraphs(paragraphs: list[list[str]], dehyphenator: Dehyphenator) -> str:
    """Paragraphs separated by "\n\n"; a paragraph that stops mid-sentence (a page break)
    continues in the next one."""
    merged: list[list[str]] = []
    for paragraph in paragraphs:
        previous = merged[-1][-1] if merged else "."
        if not SENTENCE_END.search(previous) and not _is_capitals_heading(previous):
            merged[-1].extend(paragraph)
        else:
            merged.append(list(paragraph))
    texts = (join_lines(paragraph, dehyphenator) for paragraph in merged)
    return "\n\n".join(text for text in texts if text)


# --- Parsing -------------------------------------------------------------------------------


@dataclass
class _Line:
    number: int  # 1-based line number in the file
    raw: str
    page_start: bool = False

    @property
    def text(self) -> str:
        return self.raw.strip()


@dataclass
class _Section:
    number: str
    title_lines: list[_Line]
    parent: str | None
    line: int
    paragraphs: list[list[str]] = field(default_factory=list)


@dataclass
class _Resolution:
    number: int
    section: str
    line: int
    # Blocks of lines separated by blank lines; the first starts with the number.
    paragraphs: list[list[_Line]] = field(default_factory=list)


def _clean_lines(text: str) -> tuple[list[_Line], dict[int, int]]:
    """Drop page footers and part markers; return the lines and {line number: page} for the
    last line of each page whose footer survived."""
    lines: list[_Line] = []
    page_ends: dict[int, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        footer = FOOTER.search(raw)
        if footer and not raw[: footer.start()].strip():
            if lines:
                page_ends[lines[-1].number] = int(footer.group(1))
            continue
        if footer and raw[: footer.start()].rstrip() and raw[footer.start() - 1] != " ":
            raw = raw[: footer.start()]  # glued to the page's last line
            lines.append(_Line(number, raw))
            page_ends[number] = int(footer.group(1))
            continue
        if PART_MARKER.fullmatch(raw.strip()):
            continue
        lines.append(_Line(number, raw, page_start=bool(PAGE_START.match(raw))))
    return lines, page_ends


def _is_capitals_heading(text: str) -> bool:
    return text == text.upper() and sum(char.isalpha() for char in text) >= 4


class _Parser:
    def __init__(self, text: str):
        self.dehyphenator = Dehyphenator(text)
        self.lines, self.page_ends = _clean_lines(text)
        self.title_lines: list[_Line] = []
        self.opening: list[list[str]] = []
        self.closing: list[list[str]] = []
        self.in_closing = False
        self.sections: list[_Section] = []
        self.by_number: dict[str, _Section] = {}
        self.resolutions: list[_Resolution] = []
        self.parts = 0

    def parse(self) -> ParsedProgramme:
        paragraph: list[_Line] = []  # the prose or resolution lines being read
        resolution: _Resolution | None = None  # the resolution being read
        reading_title = True
        index = 0
        while index < len(self.lines):
            line = self.lines[index]
            index += 1
            text = line.text
            if reading_title:  # the programme's title: the capitals at the very start
                if text and _is_capitals_heading(text) and not PART_HEADING.match(text):
                    self.title_lines.append(line)
                    continue
                reading_title = False
            if self.in_closing:
                if any(p.match(text) for p in (PART_HEADING, SECTION_HEADING, RESOLUTION_START)):
                    raise ProgrammeFormatError(
                        line.number, f"‘{text[:40]}’ comes after the closing text"
                    )
                paragraph = self._add_prose(paragraph, line)
                continue
            if not text:
                paragraph = self._end_paragraph(paragraph, resolution)
            elif PART_HEADING.match(text) and _is_capitals_heading(text):
                self._end_resolution(resolution, paragraph, at_header=False)
                paragraph, resolution = [], None
                heading, index = _heading(self.lines, index)
                self._start_part([line, *heading])
            elif (match := SECTION_HEADING.fullmatch(text)) and UPPERCASE_START.match(
                match.group(2)
            ):
                self._end_resolution(resolution, paragraph, at_header=False)
                paragraph, resolution = [], None
                heading, index = _heading(self.lines, index)
                self._start_section(match.group(1), [line, *heading])
            elif RESOLUTIONS_HEADER.fullmatch(text):
                if not self.sections:
                    raise ProgrammeFormatError(line.number, "‘Resoluties:’ before any section")
                self._end_resolution(resolution, paragraph, at_header=True)
                paragraph, resolution = [], None
            elif match := RESOLUTION_START.match(text):
                self._end_resolution(resolution, paragraph, at_header=False)
                resolution = self._start_resolution(int(match.group(1)), line)
                paragraph = [line]
            elif self.parts and _is_capitals_heading(text):  # the closing text's heading
                self._end_resolution(resolution, paragraph, at_header=False)
                paragraph, resolution = [], None
                self.in_closing = True
                self.closing.append([line.raw])  # a heading, its own paragraph
            else:
                paragraph.append(line)
        self._end_resolution(resolution, paragraph, at_header=False)
        return self._result()

    # -- building blocks

    def _prose(self) -> list[list[str]]:
        """Where prose goes now: the opening, the current section's intro, or the closing."""
        if self.in_closing:
            return self.closing
        return self.sections[-1].paragraphs if self.sections else self.opening

    def _add_prose(self, paragraph: list[_Line], line: _Line) -> list[_Line]:
        if line.text:
            return [*paragraph, line]
        return self._end_paragraph(paragraph, None)

    def _end_paragraph(self, paragraph: list[_Line], resolution: _Resolution | None) -> list[_Line]:
        if paragraph:
            if resolution is not None:
                resolution.paragraphs.append(paragraph)
            else:
                self._prose().append([line.raw for line in paragraph])
        return []

    def _start_part(self, heading: list[_Line]) -> None:
        self.parts += 1
        self._add_section(_Section(str(self.parts), heading, None, heading[0].number))

    def _start_section(self, number: str, heading: list[_Line]) -> None:
        line = heading[0].number
        if not self.parts:
            raise ProgrammeFormatError(line, f"section {number} comes before the first part")
        if number.split(".")[0] != str(self.parts):
            raise ProgrammeFormatError(
                line, f"section {number} does not belong to part {self.parts}"
            )
        if number in self.by_number:
            raise ProgrammeFormatError(line, f"section {number} occurs twice")
        previous = self.sections[-1].number
        if _number_key(number) < _number_key(previous):
            raise ProgrammeFormatError(line, f"section {number} comes after {previous}")
        # The nearest section above it: "1.3" for "1.3.3.1" when "1.3.3" has no heading.
        parent = number.rpartition(".")[0]
        while parent not in self.by_number:
            parent = parent.rpartition(".")[0]
        self._add_section(_Section(number, heading, parent, line))

    def _add_section(self, section: _Section) -> None:
        self.sections.append(section)
        self.by_number[section.number] = section

    def _start_resolution(self, number: int, line: _Line) -> _Resolution:
        if not self.sections:
            raise ProgrammeFormatError(
                line.number, f"resolution {number} comes before any section: cannot place it"
            )
        previous = self.resolutions[-1].number if self.resolutions else 0
        if number != previous + 1:
            if number == previous:
                reason = f"resolution {number} occurs twice"
            elif number < previous:
                reason = f"resolution {number} is out of order: it comes after {previous}"
            elif number == previous + 2:
                reason = f"resolution {previous + 1} is missing before {number}"
            else:
                reason = f"resolutions {previous + 1}–{number - 1} are missing before {number}"
            raise ProgrammeFormatError(line.number, reason)
        resolution = _Resolution(number, self.sections[-1].number, line.number)
        self.resolutions.append(resolution)
        return resolution

    def _end_resolution(
        self, resolution: _Resolution | None, paragraph: list[_Line], *, at_header: bool
    ) -> None:
        """Close a resolution (or a paragraph of prose, without one); prose that follows a
        resolution in the same section goes to the section.

        A blank line inside a resolution is a page break, not its end, unless a new sentence
        starts after it with a capital (not a list item "a."): that is section prose, as in
        "… in kapitaal.⏎⏎Vooruit wil iedereen …⏎⏎Resoluties:". Right before a `Resoluties:`
        header, a page that starts with a new sentence also starts prose.
        """
        if resolution is None:
            self._end_paragraph(paragraph, None)
            return
        if paragraph:
            resolution.paragraphs.append(paragraph)
        paragraphs = resolution.paragraphs
        prose: list[list[_Line]] = []
        for index in range(1, len(paragraphs)):
            first = paragraphs[index][0].text
            if (
                SENTENCE_END.search(paragraphs[index - 1][-1].text)
                and UPPERCASE_START.match(first)
                and not LIST_ITEM.match(first)
            ):
                prose = paragraphs[index:]
                del paragraphs[index:]
                break
        if not prose and at_header:
            last = paragraphs[-1]
            for index in range(len(last) - 1, 0, -1):
                if (
                    last[index].page_start
                    and UPPERCASE_START.match(last[index].text)
                    and SENTENCE_END.search(last[index - 1].text)
                ):
                    prose = [last[index:]]
                    del last[index:]
                    break
        self._prose().extend([line.raw for line in block] for block in prose)

    # -- the result

    def _resolution_text(self, resolution: _Resolution) -> str:
        """Paragraphs joined with spaces (their blank lines are page breaks); a list item
        ("a. …") starts on a new line."""
        segments: list[list[str]] = []
        for index, paragraph in enumerate(resolution.paragraphs):
            raws = [line.raw for line in paragraph]
            if index == 0:
                raws[0] = RESOLUTION_START.match(raws[0].lstrip()).group(2)
            if item := LIST_ITEM.match(raws[0].lstrip()):
                segments.append([f"{item.group(1)}. {item.group(2)}", *raws[1:]])
            elif segments:
                segments[-1].extend(raws)
            else:
                segments.append(raws)
        return "\n".join(join_lines(segment, self.dehyphenator) for segment in segments)

    def _result(self) -> ParsedProgramme:
        pages = _pages(self.lines, self.page_ends)
        sections = []
        for order, section in enumerate(self.sections):
            title_lines = [line.raw for line in section.title_lines]
            if section.parent is not None:
                title_lines[0] = SECTION_HEADING.fullmatch(title_lines[0].strip()).group(2)
            sections.append(
                ParsedSection(
                    number=section.number,
                    title=join_lines(title_lines, self.dehyphenator),
                    intro=join_paragraphs(section.paragraphs, self.dehyphenator),
                    parent=section.parent,
                    depth=section.number.count("."),
                    order=order,
                    line=section.line,
                )
            )
        resolutions = [
            ParsedResolution(
                number=resolution.number,
                section=resolution.section,
                text=self._resolution_text(resolution),
                page=pages.get(resolution.line),
                line=resolution.line,
            )
            for resolution in self.resolutions
        ]
        title = join_lines([line.raw for line in self.title_lines], self.dehyphenator)
        return ParsedProgramme(
            title=re.sub(r"\s+([.!?])", r"\1", title),
            opening=join_paragraphs(self.opening, self.dehyphenator),
            sections=sections,
            resolutions=resolutions,
            closing=join_paragraphs(self.closing, self.dehyphenator),
        )


def _heading(lines: list[_Line], index: int) -> tuple[list[_Line], int]:
    """The lines from `index` on that continue a heading: indented, or in capitals as a part's
    ("6.2. … AAN KAN DEEL-⏎         NEMEN"); and the index after them."""
    end = index
    while end < len(lines) and lines[end].text and not SECTION_HEADING.match(lines[end].text):
        if not (
            HEADING_CONTINUATION.match(lines[end].raw) or _is_capitals_heading(lines[end].text)
        ):
            break
        end += 1
    return lines[index:end], end


def _number_key(number: str) -> tuple[int, ...]:
    return tuple(int(part) for part in number.split("."))


def _pages(lines: list[_Line], page_ends: dict[int, int]) -> dict[int, int]:
    """{line number: page} where the surviving footers make it certain.

    Between two footers `p` and `q`, the pages p+1 … q start at the lines that begin with one
    space; when their count is exactly q-p-1 every line in between gets its page. Elsewhere the
    page stays unknown.
    """
    pages: dict[int, int] = {}
    ends = sorted(page_ends.items())
    for (start, first), (end, last) in itertools.pairwise(ends):
        between = [line for line in lines if start < line.number <= end]
        if sum(line.page_start for line in between) != last - first - 1:
            continue
        page = first + 1
        for line in between:
            page += line.page_start
            pages[line.number] = page
    return pages


def parse_programme(text: str) -> ParsedProgramme:
    """Parse a programme's text; raises `ProgrammeFormatError` naming the line."""
    parsed = _Parser(text).parse()
    if not parsed.parts:
        raise ProgrammeFormatError(1, "no part heading (‘VOORUIT MET …’) in the text")
    if not parsed.resolutions:
        raise ProgrammeFormatError(1, "no numbered resolutions (‘1.<TAB>…’) in the text")
    return parsed


# --- Importing -----------------------------------------------------------------------------


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
            f"{kind} {', '.join(map(str, numbers))}"
            for kind, numbers in [
                ("resolutions", self.missing_resolutions),
                ("sections", self.missing_sections),
            ]
            if numbers
        ]
        text = (
            f"{self.programme.slug}: sections {self.sections}; resolutions {self.resolutions}; "
            f"missing from the source (kept): {'; '.join(missing) or 'none'}"
        )
        return text + (" (dry run, nothing written)" if self.dry_run else "")


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
) -> ImportReport:
    """Import the programme text at `path` for `party` and `election`, all or nothing.

    Sections and resolutions are matched by number, so a re-import updates rows in place and
    keeps their primary keys; resolutions no longer in the source are reported, not deleted.
    The title defaults to the text's first heading, the slug to "<party>-<year>".
    """
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ProgrammeFormatError(line, "the file is not UTF-8 text") from error
    parsed = parse_programme(text)
    slug = slug or f"{party.slug}-{election.date.year}"
    programme = Programme.objects.filter(slug=slug).first() or Programme(slug=slug)
    if programme.pk and (programme.party_id, programme.election_id) != (party.pk, election.pk):
        raise ValueError(f"Programme {slug} belongs to another party or election.")
    if not programme.pk and party.pk and election.pk:
        other = Programme.objects.filter(party=party, election=election).first()
        if other:
            raise ValueError(f"{party} already has programme {other.slug} for {election}.")
    programme.party, programme.election = party, election
    programme.title = title or programme.title or _sentence_case(parsed.title, party.name)
    if not programme.title:
        raise ProgrammeFormatError(
            1, "no title: the text should start with the programme's title in capitals"
        )
    programme.source_file = str(path)
    programme.source_sha256 = hashlib.sha256(data).hexdigest()
    programme.imported_at = timezone.now()
    _validate(programme, exclude=["party", "election"], line=1)
    with transaction.atomic():
        if not dry_run:
            programme.save()
        sections, section_counts, missing_sections = _sync_sections(programme, parsed, dry_run)
        resolution_counts, missing_resolutions = _sync_resolutions(
            programme, parsed, sections, dry_run
        )
    return ImportReport(
        programme=programme,
        sections=section_counts,
        resolutions=resolution_counts,
        missing_sections=missing_sections,
        missing_resolutions=missing_resolutions,
        dry_run=dry_run,
    )


def _sentence_case(title: str, party_name: str) -> str:
    """ "HET IS VOORUIT. OF HET IS ACHTERUIT." → "Het is Vooruit. Of het is achteruit." """
    text = re.sub(r"(^|[.!?]\s+)(\w)", lambda m: m.group(1) + m.group(2).upper(), title.lower())
    return re.sub(rf"\b{re.escape(party_name)}\b", party_name, text, flags=re.IGNORECASE)


def _validate(instance, *, exclude: list[str], line: int) -> None:
    """The model's field rules (lengths, required values); constraints are the database's."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        reasons = "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
        )
        raise ProgrammeFormatError(line, reasons) from error


def _changed(instance, values: dict) -> bool:
    """Set `values` on `instance`; whether any differed."""
    changed = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


def _sync_sections(
    programme: Programme, parsed: ParsedProgramme, dry_run: bool
) -> tuple[dict[str, Section], Counts, list[str]]:
    existing = {s.number: s for s in programme.sections.all()} if programme.pk else {}
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
    if dry_run:
        return by_number, counts, missing
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
    programme: Programme, parsed: ParsedProgramme, sections: dict[str, Section], dry_run: bool
) -> tuple[Counts, list[int]]:
    existing = {r.number: r for r in programme.resolutions.all()} if programme.pk else {}
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
    if not dry_run:
        Resolution.objects.bulk_create(created, batch_size=500)
        Resolution.objects.bulk_update(updated, RESOLUTION_FIELDS, batch_size=500)
    seen = {item.number for item in parsed.resolutions}
    return counts, sorted(number for number in existing if number not in seen)


def _changed_section(resolution: Resolution, section: Section) -> bool:
    changed = section.pk is None or resolution.section_id != section.pk
    if changed:
        resolution.section = section
    return changed
