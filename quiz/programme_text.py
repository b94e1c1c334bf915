"""The text of a party programme, parsed: pure functions, no database.

`parse_programme` turns the plain text extracted from a programme's published PDF into parts,
sections and numbered resolutions (the `Parsed…` dataclasses), and repairs what the extraction
left behind: page footers, words hyphenated at a line end, blank lines from page breaks.
`quiz.importing` writes the result to the database.

The text: an opening under the programme's title in capitals, parts headed "VOORUIT MET ONZE …"
(wrapping over lines), sections numbered `1.1.`, `1.1.1.` … with a title and prose, after most
of them a line `Resoluties:` and resolutions numbered `N.<TAB>` straight through the document,
and a closing text under a heading in capitals.
"""

import itertools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

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
                raws[0] = _matched(RESOLUTION_START.match(raws[0].lstrip())).group(2)
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
                heading = _matched(SECTION_HEADING.fullmatch(title_lines[0].strip()))
                title_lines[0] = heading.group(2)
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


def _matched(match: re.Match[str] | None) -> re.Match[str]:
    """A match on a line that the parser recognised with the same pattern before."""
    assert match is not None
    return match


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


# Names that keep their capitals when a title in capitals is put in sentence case.
NAMES = ("Europese Unie", "Europa", "België", "Vlaanderen", "Wallonië", "Brussel", "Vooruit")
SENTENCE_START = re.compile(r"(^|[.!?]\s+)(\w)")


def sentence_case(text: str, *, keep: Iterable[str] = NAMES) -> str:
    """ "HET IS VOORUIT. OF HET IS ACHTERUIT." → "Het is Vooruit. Of het is achteruit.":
    lower case, each sentence's first letter in capitals, and the names in `keep` as written."""
    text = SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).upper(), text.lower())
    names = sorted(set(keep), key=len, reverse=True)  # "Europese Unie" before "Europa"
    if not names:
        return text
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, names)) + r")\b", re.IGNORECASE)
    name_of = {name.lower(): name for name in names}
    return pattern.sub(lambda match: name_of[match.group().lower()], text)


def readable_title(title: str) -> str:
    """A title set in capitals in the source ('VOORUIT MET ONZE GEZONDHEID') in sentence case,
    names kept ('Europese Unie'); other titles as they are. The stored title is not changed."""
    return sentence_case(title) if title.isupper() else title


def decode(data: bytes) -> str:
    """A programme file's text; ProgrammeFormatError naming the line that is not UTF-8 or holds
    a NUL character."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ProgrammeFormatError(line, "the file is not UTF-8 text") from error
    if "\x00" in text:  # no text has one, and PostgreSQL refuses it
        line = text[: text.index("\x00")].count("\n") + 1
        raise ProgrammeFormatError(line, "the file contains a NUL character")
    return text
