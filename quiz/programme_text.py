"""The text of a party programme, parsed: pure functions, no database.

`parse_programme` turns a programme's lines (`quiz.programme_sources` reads them from a PDF, a
text or a Markdown file) into a tree of sections and citable passages (the `Parsed…`
dataclasses), and repairs what the extraction left behind: running headers and footers, words
hyphenated at a line end, page breaks inside a paragraph, wrapped lines that start with a number.
`quiz.importing` writes the result to the database.

No party's layout is built in. `detect_layout` reads what marks a heading and what marks a
proposal from the text itself:

- headings: Markdown `#`; numbers (`3`, `3.2`, `3.2.1.`); words such as "Hoofdstuk 3", "Deel 2",
  "Chapitre 4"; or a line in capitals. A line in capitals is a part above numbered sections
  (`1.1.` …) where those have no chapter headings of their own, and a section under a chapter
  heading otherwise; after the last part, a heading in capitals with no numbered section after it
  starts the closing text.
- passages: numbered proposals (`12.<TAB>`, `Voorstel 12:`, `R12.`, `12)`, `12.`), numbered
  straight through or per chapter; otherwise bullets; otherwise every paragraph. Prose before
  a section's first passage is its introduction; a line such as "Resoluties:" or "Nos
  propositions :" ends it. Unnumbered passages are numbered by the importer in document order.

What the text does not settle, a `Layout` given as hints does; it is stored with the programme.
"""

import itertools
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, fields, replace

NUMBERED_HEADING = re.compile(r"(\d{1,2}(?:\.\d{1,2})+)\.?\s+(\S.*)")
CHAPTER_NUMBER_HEADING = re.compile(r"(\d{1,2})\.?\s+(\S.*)")  # "3 ONDERWIJS": with capitals
KEYWORD_HEADING = re.compile(
    r"(Hoofdstuk|HOOFDSTUK|Deel|DEEL|Chapitre|CHAPITRE|Partie|PARTIE|Titre|TITRE|Thema|THEMA"
    r"|Chapter|CHAPTER|Part|PART)\s+(\d{1,2}|[IVXL]{1,6})\b\s*[.:–—-]?\s*(.*)"
)
TOP_KEYWORDS = {"deel", "partie", "titre", "part"}  # above a chapter when both occur
MARKDOWN_HEADING = re.compile(r"(#{1,6})\s+(.*?)\s*#*\s*")
PROPOSALS_HEADER = re.compile(
    r"(?i)(?:resoluties?|(?:onze |concrete |enkele )?voorstellen|wat (?:we|wij) (?:willen|"
    r"voorstellen|doen)|concreet|(?:nos |quelques )?propositions|nos mesures|nous proposons)"
    r"\s*:?"
)
# Proposal notations, most specific first: "1.\t" is also a "1." and wins a tie.
NOTATIONS = {
    "tab": re.compile(r"(\d{1,4})\.\t\s*(.*)"),
    "voorstel": re.compile(
        r"(?:Voorstel|VOORSTEL|Maatregel|Proposition|Mesure)\s+(\d{1,4})\s*[:.)–-]\s*(\S.*)"
    ),
    "r": re.compile(r"R\s?(\d{1,4})\s*[.:)–-]\s*(\S.*)"),
    "paren": re.compile(r"(\d{1,4})\)\s+(\S.*)"),
    "dot": re.compile(r"(\d{1,4})\.\s+(\S.*)"),
}
BULLET = re.compile(r"[-•▪●◦·–]\s+(\S.*)")
UNNUMBERED = ("bullet", "paragraph")
# A notation counts when this many of its numbers follow each other; "1.<TAB>", "Voorstel 1" and
# "R1." say what they are at once, "1." and "1)" also start sentences and list items.
MIN_NUMBERED = {"tab": 1, "voorstel": 1, "r": 2, "paren": 3, "dot": 3}
MIN_PASSAGES = 3  # bullets or paragraphs
LIST_ITEM = re.compile(r"([a-z])\.\t\s*(.*)")
# A running footer or header: a page number and a title, in either order.
RUNNING_LINE = re.compile(r"(?:(\d{1,3})\s+(\S.*?)|(\S.*?)\s+(\d{1,3}))\s*")
# A footer glued to the last line of a page ("Voorzitter Vooruit287 UITLEIDING").
GLUED_FOOTER = re.compile(r"(?<=[^\s\d])(\d{1,3}) ([A-ZÀ-Ý][A-ZÀ-Ý ,]{3,})\s*$")
PAGE_NUMBER = re.compile(
    r"\s*(?:[-–]\s*)?(?:(?:pagina|page|blz\.?|p\.)\s*)?\d{1,3}(?:\s*[-–])?"
    r"(?:\s*(?:/|van|sur|of)\s*\d{1,3})?\s*",
    re.IGNORECASE,
)
HEADING_CONTINUATION = re.compile(r"\t| {2,}")
PAGE_START = re.compile(r" \S")  # in text extracted without page breaks, a page often starts so
SENTENCE_END = re.compile(r"(?:[.!?:…][”’»)]?|[”»])\s*$")
UPPERCASE_START = re.compile(r"[A-ZÀ-Ý«“‘\"']")
WORD = re.compile(r"\w+(?:[-’']\w+)*")
SHORT_PASSAGE = 5  # words: shorter passages are listed for the editor to check
LONG_PASSAGE = 250

# Words after which a line-end hyphen is a real one: "sociaal-economische", "de-escalatie",
# "btw-constructies", "niet-werken", "evidence-based", "debt-for-development".
HYPHEN_PREFIXES = {"btw", "de", "evidence", "ex", "for", "non", "niet", "oud", "sociaal", "the"}
# "energie- en telecomsector": the hyphen stands for a repeated word part, the space stays.
CONJUNCTIONS = {"en", "of", "tot", "naar", "noch", "als", "et", "ou"}
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
    """The text cannot be imported as it is; `line` is 1-based, on `page` where there are pages."""

    def __init__(self, line: int, reason: str, page: int | None = None):
        super().__init__(f"{where(line, page)}: {reason}")
        self.line = line
        self.page = page
        self.reason = reason


def where(line: int, page: int | None) -> str:
    return f"bladzijde {page}, regel {line}" if page is not None else f"regel {line}"


@dataclass(frozen=True)
class SourceLine:
    number: int  # 1-based: the line in the file, or on its page in a PDF
    raw: str
    page: int | None = None  # where the source has pages
    page_start: bool = False


@dataclass(frozen=True)
class Notice:
    """Something an editor should check before confirming an import."""

    line: int
    page: int | None
    message: str

    def __str__(self) -> str:
        return f"{where(self.line, self.page)}: {self.message}"


@dataclass(frozen=True)
class Layout:
    """What marks a heading and a passage in one programme: detected, or given as hints."""

    proposals: str  # a key of NOTATIONS, "bullet" or "paragraph"
    numbering: str  # "straight", "per-chapter", or "importer" (unnumbered passages)
    capitals: str  # what a line in capitals is: "part", "section" or "none" (not a heading)
    markdown: bool = False  # "#" headings

    CHOICES = {
        "proposals": (*NOTATIONS, *UNNUMBERED),
        "numbering": ("straight", "per-chapter", "importer"),
        "capitals": ("part", "section", "none"),
        "markdown": (True, False),
    }

    def as_hints(self) -> dict[str, object]:
        return asdict(self)

    def replace(self, hints: Mapping[str, object]) -> "Layout":
        """This layout with the hints that are set; ValueError for a hint it does not know."""
        values = self.as_hints()
        for name, value in hints.items():
            if value in (None, ""):
                continue
            if name not in values or value not in self.CHOICES[name]:
                raise ValueError(f"onbekende opmaakaanwijzing {name}={value!r}")
            values[name] = value
        if values["proposals"] in UNNUMBERED:
            values["numbering"] = "importer"
        elif values["numbering"] == "importer":
            values["numbering"] = "straight"
        return Layout(**values)  # type: ignore[arg-type]

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]


@dataclass(frozen=True)
class ParsedSection:
    number: str  # without a trailing dot: "1", "1.2", "1.2.2.1"
    title: str
    intro: str
    parent: str | None
    depth: int
    order: int
    line: int
    page: int | None = None


@dataclass(frozen=True)
class ParsedResolution:
    number: int
    section: str
    text: str
    page: int | None
    line: int
    label: str = ""  # the programme's own number where it differs from `number` ("3.4")


@dataclass(frozen=True)
class ParsedProgramme:
    title: str
    opening: str
    sections: list[ParsedSection]
    resolutions: list[ParsedResolution]
    closing: str
    layout: Layout = field(default_factory=lambda: Layout("tab", "straight", "part"))
    notices: list[Notice] = field(default_factory=list)
    removed_lines: int = 0  # running headers, footers and page numbers
    # What was removed: an example of each kind of running line, with how many went.
    running_lines: tuple[tuple[str, int], ...] = ()

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


# --- Reading the lines ---------------------------------------------------------------------


@dataclass
class _Line:
    position: int  # index in the cleaned lines' source order, unique
    number: int  # the source's line number (on its page, in a PDF)
    raw: str
    page: int | None = None
    page_start: bool = False

    @property
    def text(self) -> str:
        return self.raw.strip()


def _is_capitals_heading(text: str) -> bool:
    return text == text.upper() and sum(char.isalpha() for char in text) >= 4


def _clean_lines(
    source: list[SourceLine],
) -> tuple[list[_Line], dict[int, int], dict[str, tuple[str, int]]]:
    """Drop running headers, footers and page numbers.

    Returns the lines left, {position: page} for the last line of each page whose footer told
    its number (in a text without page breaks), and what was dropped: {kind: (an example, how
    many lines)}.
    """
    paged = any(line.page is not None for line in source)
    running = _running_on_pages(source) if paged else _running_titles(source)
    lines: list[_Line] = []
    page_ends: dict[int, int] = {}
    last_footer = 0
    removed: dict[str, tuple[str, int]] = {}

    def drop(key: str, example: str) -> None:
        removed[key] = (removed.get(key, (example, 0))[0], removed.get(key, ("", 0))[1] + 1)

    headings_seen: set[str] = set()
    for position, line in enumerate(source):
        raw, text = line.raw, line.raw.strip()
        footer = RUNNING_LINE.fullmatch(text)
        key = _running_key(text)
        if paged and key in running and key not in headings_seen and _looks_like_heading(text):
            headings_seen.add(key)  # a chapter's heading, repeated above its pages
        elif text and (key in running or PAGE_NUMBER.fullmatch(text)):
            drop(key if key in running else "#", text)
            number = footer and (footer.group(1) or footer.group(4))
            if not paged and number and lines:
                page_ends[lines[-1].position] = last_footer = int(number)
            continue
        glued = GLUED_FOOTER.search(raw) if not paged and last_footer else None
        if glued and last_footer < int(glued.group(1)) <= last_footer + 40:
            drop(_running_key(glued.group(0)), glued.group(0).strip())
            raw = raw[: glued.start()]
            page_ends[position] = last_footer = int(glued.group(1))
        page_start = line.page_start if paged else bool(PAGE_START.match(raw))
        lines.append(_Line(position, line.number, raw, line.page, page_start))
    return lines, page_ends, removed


def _looks_like_heading(text: str) -> bool:
    return bool(
        _numbered_heading(text)
        or _chapter_heading(text)
        or MARKDOWN_HEADING.fullmatch(text)
        or PROPOSALS_HEADER.fullmatch(text)
    )


def _running_key(text: str) -> str:
    """A header or footer with its page number taken out, to compare it across pages."""
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", text.strip().lower()))


def _running_titles(source: list[SourceLine]) -> set[str]:
    """In a text without page breaks: lines of a page number and a title in capitals that
    recur with other numbers ("18 VOORUIT MET ONZE WELVAART", "45 VOORUIT MET …"), or whose
    title is a heading of the text (the running title of its part)."""
    titles: dict[str, tuple[str, set[str]]] = {}
    for line in source:
        match = RUNNING_LINE.fullmatch(line.raw.strip())
        if match:
            title, number = match.group(2) or match.group(3), match.group(1) or match.group(4)
            if _is_capitals_heading(title):
                titles.setdefault(_running_key(line.raw), (title, set()))[1].add(number)
    whole = re.sub(r"\s+", " ", " ".join(line.raw for line in source))
    return {
        key for key, (title, found) in titles.items() if len(found) >= 2 or whole.count(title) >= 2
    }


def _running_on_pages(source: list[SourceLine]) -> set[str]:
    """Where there are pages: lines among the first or last three of a page that recur, page
    numbers aside, on at least two pages and on a tenth of them."""
    by_page: dict[int | None, list[str]] = {}
    for line in source:
        if line.raw.strip():
            by_page.setdefault(line.page, []).append(line.raw)
    seen: Counter[str] = Counter()
    for lines in by_page.values():
        seen.update({_running_key(raw) for raw in [*lines[:3], *lines[-3:]]})
    enough = max(2, len(by_page) / 10)
    return {key for key, count in seen.items() if count >= enough}


# --- The layout ----------------------------------------------------------------------------


def _chapter_heading(text: str) -> re.Match[str] | None:
    """ "Hoofdstuk 3 …" or "3 ONDERWIJS" (a number and a title in capitals)."""
    if match := KEYWORD_HEADING.fullmatch(text):
        return match if len(text) <= 150 and not SENTENCE_END.search(match.group(3)) else None
    match = CHAPTER_NUMBER_HEADING.fullmatch(text)
    if match and _is_capitals_heading(match.group(2)) and len(text) <= 120:
        return match
    return None


def _numbered_heading(text: str) -> re.Match[str] | None:
    match = NUMBERED_HEADING.fullmatch(text)
    return match if match and UPPERCASE_START.match(match.group(2)) else None


def detect_layout(source: list[SourceLine], *, markdown: bool = False) -> Layout:
    """The layout that fits the text best (see the module's docstring)."""
    return _detect(_clean_lines(source)[0], markdown=markdown)


def _detect(lines: list[_Line], *, markdown: bool) -> Layout:
    """`detect_layout` on lines already cleaned of running headers and footers."""
    texts = [line.text for line in lines if line.text]
    if markdown:
        texts = [text for text in texts if not MARKDOWN_HEADING.fullmatch(text)]
        capitals = "none"
    elif any(_chapter_heading(text) for text in texts):
        capitals = "section"
    else:
        capitals = "part"
    headings = {
        text
        for text in texts
        if _numbered_heading(text)
        or _chapter_heading(text)
        or (capitals != "none" and _is_capitals_heading(text))
        or (markdown and MARKDOWN_HEADING.fullmatch(text))
    }
    best, best_fit, best_resets = "", 0, 0
    for name, pattern in NOTATIONS.items():
        previous, fit, resets, heading_since = 0, 0, 0, False
        for text in texts:
            if text in headings:
                heading_since = True
            elif match := pattern.match(text):
                number = int(match.group(1))
                if number not in (previous + 1, 1):
                    continue  # not in the sequence: a year or an amount that starts a line
                fit += 1
                if number == 1 < previous:  # numbered per chapter if it restarts after headings
                    resets += 1 if heading_since else -1
                previous, heading_since = number, False
        if fit >= MIN_NUMBERED[name] and fit > 1.2 * best_fit:
            best, best_fit, best_resets = name, fit, resets
    if best:
        return Layout(best, "per-chapter" if best_resets > 0 else "straight", capitals, markdown)
    bullets = sum(bool(BULLET.match(text)) for text in texts if text not in headings)
    return Layout(
        "bullet" if bullets >= MIN_PASSAGES else "paragraph", "importer", capitals, markdown
    )


# --- Parsing -------------------------------------------------------------------------------


@dataclass
class _Section:
    number: str
    title_lines: list[_Line]
    title: str  # the first line's title, without its number or marker
    parent: str | None
    depth: int
    rank: int  # a heading closes the open sections of its rank and below
    line: _Line
    paragraphs: list[list[str]] = field(default_factory=list)
    children: int = 0


@dataclass
class _Resolution:
    number: int
    label: str
    section: str
    line: _Line
    first_text: str  # the first line without its number or bullet
    # Blocks of lines separated by blank lines; the first starts with the number.
    paragraphs: list[list[_Line]] = field(default_factory=list)


class _Parser:
    def __init__(
        self,
        cleaned: tuple[list[_Line], dict[int, int], dict[str, tuple[str, int]]],
        layout: Layout,
    ):
        self.layout = layout
        self.lines, self.page_ends, self.removed = cleaned
        self.dehyphenator = Dehyphenator("\n".join(line.raw for line in self.lines))
        self.notation = NOTATIONS.get(layout.proposals)
        self.has_numbered = any(_numbered_heading(line.text) for line in self.lines)
        # Whether this programme marks its proposals with a line such as "Voorstellen:".
        self.has_header = any(PROPOSALS_HEADER.fullmatch(line.text) for line in self.lines)
        self.title_lines: list[_Line] = []
        self.opening: list[list[str]] = []
        self.closing: list[list[str]] = []
        self.in_closing = False
        self.in_proposals = layout.proposals != "paragraph"
        self.sections: list[_Section] = []
        self.by_number: dict[str, _Section] = {}
        self.stack: list[_Section] = []
        self.roots = 0
        self.resolutions: list[_Resolution] = []
        self.in_chapter = 0  # proposals so far in the current chapter
        self.notices: list[Notice] = []

    def parse(self) -> ParsedProgramme:
        paragraph: list[_Line] = []  # the prose or passage lines being read
        resolution: _Resolution | None = None  # the passage being read
        index = self._read_title()
        while index < len(self.lines):
            line = self.lines[index]
            index += 1
            text = line.text
            if self.in_closing:
                if self._heading(text) or (self.notation and self.notation.match(text)):
                    raise self._error(line, f"‘{text[:40]}’ staat na de slottekst")
                paragraph = self._add_prose(paragraph, line)
                continue
            if not text:
                paragraph = self._end_paragraph(paragraph, resolution)
                if resolution is not None and self._ends_passage_at_blank(resolution):
                    self._end_resolution(resolution, [], at_header=False)
                    resolution = None
            elif heading := self._heading(text):
                self._end_resolution(resolution, paragraph, at_header=False)
                paragraph, resolution = [], None
                kind, rank, number, title = heading
                if kind == "capitals" and self._starts_closing(index):
                    self.in_closing = True
                    self.closing.append([line.raw])  # a heading, its own paragraph
                    continue
                if not title and index < len(self.lines) and self.lines[index].text:
                    title = self.lines[index].text  # "Hoofdstuk 3⏎Wonen"
                    index += 1
                lines, index = self._heading_lines(index, markdown=kind == "markdown")
                self._start_section(line, number, title, rank, lines)
            elif PROPOSALS_HEADER.fullmatch(text):
                if not self.sections:
                    raise self._error(line, f"‘{text}’ staat voor het eerste hoofdstuk")
                self._end_resolution(resolution, paragraph, at_header=True)
                paragraph, resolution = [], None
                self.in_proposals = True
            elif start := self._proposal_start(line, paragraph, resolution):
                self._end_resolution(resolution, paragraph, at_header=False)
                resolution = self._start_resolution(line, *start)
                paragraph = [line]
            else:
                paragraph.append(line)
        self._end_resolution(resolution, paragraph, at_header=False)
        return self._result()

    def _error(self, line: _Line, reason: str) -> ProgrammeFormatError:
        return ProgrammeFormatError(line.number, reason, line.page)

    def _notice(self, line: _Line, message: str) -> None:
        self.notices.append(Notice(line.number, line.page, message))

    # -- the title

    def _read_title(self) -> int:
        """The programme's title: a Markdown "#" line or the capitals at the very start, unless
        they head a part (a numbered section follows them directly). Returns where to go on."""
        index = 0
        while index < len(self.lines) and not self.lines[index].text:
            index += 1
        if index == len(self.lines):
            return index
        first = self.lines[index]
        if self.layout.markdown:
            match = MARKDOWN_HEADING.fullmatch(first.text)
            if match and len(match.group(1)) == 1:
                self.title_lines = [_Line(first.position, first.number, match.group(2))]
                return index + 1
            return 0
        start = index
        while index < len(self.lines):  # consecutive lines in capitals
            text = self.lines[index].text
            if not text or not _is_capitals_heading(text) or self._heading(text, title=True):
                break
            index += 1
        while index < len(self.lines) and not self.lines[index].text:
            index += 1
        if index < len(self.lines) and _numbered_heading(self.lines[index].text):
            return start  # the capitals head the first part
        self.title_lines = [line for line in self.lines[start:index] if line.text]
        return index

    # -- headings

    def _heading(self, text: str, *, title: bool = False) -> tuple[str, int, str, str] | None:
        """(kind, rank, number or "", title) when `text` is a heading."""
        if self.layout.markdown:
            if match := MARKDOWN_HEADING.fullmatch(text):
                return "markdown", len(match.group(1)), "", match.group(2)
            return None
        if match := _numbered_heading(text):
            return "numbered", 2 + match.group(1).count("."), match.group(1), match.group(2)
        if match := _chapter_heading(text):
            if match.re is KEYWORD_HEADING:
                rank = 1 if match.group(1).lower() in TOP_KEYWORDS else 2
                return "keyword", rank, _arabic(match.group(2)), match.group(3)
            return "chapter", 2, match.group(1), match.group(2)
        if title or self.layout.capitals == "none" or len(text) > 150:
            return None
        if _is_capitals_heading(text) and not (self.notation and self.notation.match(text)):
            return "capitals", 2 if self.layout.capitals == "part" else 3, "", text
        return None

    def _starts_closing(self, index: int) -> bool:
        """A heading in capitals after the parts that no numbered section follows."""
        if self.layout.capitals != "part" or not self.has_numbered or not self.sections:
            return False
        for line in self.lines[index:]:
            if _numbered_heading(line.text):
                return False
            if _is_capitals_heading(line.text) and not HEADING_CONTINUATION.match(line.raw):
                heading = self._heading(line.text)
                if heading and heading[0] == "capitals" and line.page_start:
                    return True
        return True

    def _heading_lines(self, index: int, *, markdown: bool) -> tuple[list[_Line], int]:
        """The lines from `index` on that continue a heading: indented, or in capitals as a
        part's ("6.2. … AAN KAN DEEL-⏎         NEMEN"); and the index after them."""
        end = index
        while not markdown and end < len(self.lines) and self.lines[end].text:
            line = self.lines[end]
            if _numbered_heading(line.text) or _chapter_heading(line.text):
                break
            if not (HEADING_CONTINUATION.match(line.raw) or _is_capitals_heading(line.text)):
                break
            end += 1
        return self.lines[index:end], end

    def _start_section(
        self, line: _Line, number: str, title: str, rank: int, more: list[_Line]
    ) -> None:
        while self.stack and self.stack[-1].rank >= rank:
            self.stack.pop()
        if "." in number:
            parent = self._numbered_parent(line, number)
            depth = number.count(".") if parent else 0
        else:
            parent = self.stack[-1] if self.stack else None
            depth = parent.depth + 1 if parent else 0
            number = self._free_number(number, parent)
        section = _Section(
            number, [line, *more], title, parent.number if parent else None, depth, rank, line
        )
        if parent:
            parent.children += 1
        else:
            self.roots += 1
            self.in_chapter = 0
        self.sections.append(section)
        self.by_number[number] = section
        self.stack.append(section)
        self.in_proposals = self.layout.proposals != "paragraph" or not self.has_header

    def _numbered_parent(self, line: _Line, number: str) -> _Section | None:
        if number in self.by_number:
            raise self._error(line, f"hoofdstuk {number} komt twee keer voor")
        top = next((s for s in reversed(self.sections) if s.depth == 0), None)
        if top is not None and top.number.isdigit() and number.split(".")[0] != top.number:
            raise self._error(line, f"hoofdstuk {number} hoort niet bij deel {top.number}")
        previous = next((s.number for s in reversed(self.sections) if "." in s.number), None)
        if previous and _number_key(number) < _number_key(previous):
            raise self._error(line, f"hoofdstuk {number} staat na {previous}")
        # The nearest section above it: "1.3" for "1.3.3.1" when "1.3.3" has no heading.
        parent = number.rpartition(".")[0]
        while parent and parent not in self.by_number:
            parent = parent.rpartition(".")[0]
        return self.by_number.get(parent) if parent else None

    def _free_number(self, number: str, parent: _Section | None) -> str:
        """The heading's own number ("Hoofdstuk 3": "3") or, without one or when it is taken,
        its place in the tree ("2.3" for the third section of chapter 2)."""
        if number and parent is None and number not in self.by_number:
            return number
        prefix = f"{parent.number}." if parent else ""
        count = (parent.children if parent else self.roots) + 1
        while f"{prefix}{count}" in self.by_number:
            count += 1
        return f"{prefix}{count}"

    # -- passages

    def _proposal_start(
        self, line: _Line, paragraph: list[_Line], resolution: _Resolution | None
    ) -> tuple[int | None, str] | None:
        """(the number it carries, its text) when `line` starts a passage."""
        text = line.text
        if not self.sections or not self.in_proposals:
            if self.notation and (match := self.notation.match(text)) and not self.sections:
                number = int(match.group(1))
                raise self._error(
                    line,
                    f"voorstel {number} staat voor het eerste hoofdstuk: het kan nergens onder",
                )
            return None
        if self.notation:
            match = self.notation.match(line.raw.lstrip())
            if not match:
                return None
            number = int(match.group(1))
            previous = self._previous_number()
            after_sentence = not paragraph or SENTENCE_END.search(paragraph[-1].text)
            if not after_sentence and number != previous + 1:
                if number <= previous + 20:  # not a year or an amount: say so
                    self._notice(
                        line,
                        f"‘{text[:30]}’ leest als voorstel {number}, maar volgt midden in een "
                        "zin: het blijft bij het voorstel ervoor",
                    )
                return None  # a wrapped line that starts with a number: "2030. Daarna …"
            return number, match.group(2)
        if self.layout.proposals == "bullet":
            match = BULLET.match(line.raw.lstrip())
            if not match or (resolution is not None and self._indented(line, resolution)):
                return None  # a list inside a bullet stays in it
            return None, match.group(1)
        if resolution is None and not paragraph:  # "paragraph": every paragraph is a passage
            return None, text
        return None

    def _indented(self, line: _Line, resolution: _Resolution) -> bool:
        indent = len(line.raw) - len(line.raw.lstrip())
        first = resolution.line.raw
        return indent > len(first) - len(first.lstrip()) + 1

    def _previous_number(self) -> int:
        if self.layout.numbering == "per-chapter":
            return self.in_chapter
        return self.resolutions[-1].number if self.resolutions else 0

    def _ends_passage_at_blank(self, resolution: _Resolution) -> bool:
        """In a programme of paragraphs, a finished sentence before a blank line ends one."""
        if self.layout.proposals != "paragraph" or not resolution.paragraphs:
            return False
        return bool(SENTENCE_END.search(resolution.paragraphs[-1][-1].text))

    def _start_resolution(self, line: _Line, own: int | None, text: str) -> _Resolution:
        previous = self._previous_number()
        label = ""
        if own is None:
            number = len(self.resolutions) + 1
        else:
            if own <= previous:
                if own == previous:
                    raise self._error(line, f"voorstel {own} komt twee keer voor")
                raise self._error(
                    line, f"voorstel {own} staat niet op zijn plaats: het volgt op {previous}"
                )
            if own > previous + 1:
                gap = f"{previous + 1}" if own == previous + 2 else f"{previous + 1}–{own - 1}"
                self._notice(line, f"gat in de nummering: {gap} ontbreekt voor {own}")
            if self.layout.numbering == "per-chapter":
                number = len(self.resolutions) + 1
                root = next(s for s in reversed(self.sections) if s.depth == 0)
                label = f"{root.number}.{own}"
            else:
                number = own
            self.in_chapter = own
        resolution = _Resolution(number, label, self.sections[-1].number, line, text)
        self.resolutions.append(resolution)
        return resolution

    # -- prose

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

    def _end_resolution(
        self, resolution: _Resolution | None, paragraph: list[_Line], *, at_header: bool
    ) -> None:
        """Close a passage (or a paragraph of prose, without one); prose that follows a
        passage in the same section goes to the section.

        A blank line inside a passage is a page break, not its end, unless a new sentence
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
        ("a. …", or a bullet inside a bullet) starts on a new line."""
        segments: list[list[str]] = []
        for index, paragraph in enumerate(resolution.paragraphs):
            raws = [line.raw for line in paragraph]
            if index == 0:
                raws[0] = resolution.first_text
            for raw in raws:
                stripped = raw.lstrip()
                if item := LIST_ITEM.match(stripped):
                    segments.append([f"{item.group(1)}. {item.group(2)}"])
                elif self.layout.proposals == "bullet" and segments and BULLET.match(stripped):
                    segments.append([f"– {_matched(BULLET.match(stripped)).group(1)}"])
                elif segments:
                    segments[-1].append(raw)
                else:
                    segments.append([raw])
        return "\n".join(join_lines(segment, self.dehyphenator) for segment in segments)

    def _page(self, line: _Line, pages: dict[int, int]) -> int | None:
        return line.page if line.page is not None else pages.get(line.position)

    def _result(self) -> ParsedProgramme:
        pages = _pages(self.lines, self.page_ends)
        sections = []
        for order, section in enumerate(self.sections):
            title_lines = [section.title, *(line.raw for line in section.title_lines[1:])]
            sections.append(
                ParsedSection(
                    number=section.number,
                    title=join_lines(title_lines, self.dehyphenator),
                    intro=join_paragraphs(section.paragraphs, self.dehyphenator),
                    parent=section.parent,
                    depth=section.depth,
                    order=order,
                    line=section.line.number,
                    page=self._page(section.line, pages),
                )
            )
        resolutions = []
        for resolution in self.resolutions:
            text = self._resolution_text(resolution)
            line = resolution.line
            resolutions.append(
                ParsedResolution(
                    number=resolution.number,
                    section=resolution.section,
                    text=text,
                    page=self._page(line, pages),
                    line=line.number,
                    label=resolution.label,
                )
            )
            self._check_passage(resolution, text)
        title = join_lines([line.raw for line in self.title_lines], self.dehyphenator)
        return ParsedProgramme(
            title=re.sub(r"\s+([.!?])", r"\1", title),
            opening=join_paragraphs(self.opening, self.dehyphenator),
            sections=sections,
            resolutions=resolutions,
            closing=join_paragraphs(self.closing, self.dehyphenator),
            layout=self.layout,
            notices=sorted(self.notices, key=lambda n: (n.page or 0, n.line)),
            removed_lines=sum(count for _, count in self.removed.values()),
            running_lines=tuple(
                sorted(self.removed.values(), key=lambda item: (-item[1], item[0]))
            ),
        )

    def _check_passage(self, resolution: _Resolution, text: str) -> None:
        words = len(text.split())
        name = resolution.label or str(resolution.number)
        if words < SHORT_PASSAGE:
            self._notice(
                resolution.line, f"passage {name} is heel kort ({words} woord{'en' * (words != 1)})"
            )
        elif words > LONG_PASSAGE:
            self._notice(resolution.line, f"passage {name} is heel lang ({words} woorden)")
        pages = {line.page for block in resolution.paragraphs for line in block} - {None}
        if len(pages) > 1:
            first, last = min(pages), max(pages)  # type: ignore[type-var]
            self._notice(
                resolution.line,
                f"passage {name} loopt over een paginagrens (bladzijde {first}–{last})",
            )


def _arabic(numeral: str) -> str:
    """ "3" → "3", "IV" → "4"."""
    if numeral.isdigit():
        return str(int(numeral))
    values = {"I": 1, "V": 5, "X": 10, "L": 50}
    total = 0
    for char, following in itertools.zip_longest(numeral, numeral[1:]):
        value = values[char]
        total += -value if following and values[following] > value else value
    return str(total)


def _matched(match: re.Match[str] | None) -> re.Match[str]:
    """A match on a line that the parser recognised with the same pattern before."""
    assert match is not None
    return match


def _number_key(number: str) -> tuple[int, ...]:
    return tuple(int(part) for part in number.split("."))


def _pages(lines: list[_Line], page_ends: dict[int, int]) -> dict[int, int]:
    """{position: page} where the surviving footers of a text without page breaks make it
    certain.

    Between two footers `p` and `q`, the pages p+1 … q start at the lines that begin with one
    space; when their count is exactly q-p-1 every line in between gets its page. Elsewhere the
    page stays unknown.
    """
    pages: dict[int, int] = {}
    ends = sorted(page_ends.items())
    for (start, first), (end, last) in itertools.pairwise(ends):
        between = [line for line in lines if start < line.position <= end]
        if sum(line.page_start for line in between) != last - first - 1:
            continue
        page = first + 1
        for line in between:
            page += line.page_start
            pages[line.position] = page
    return pages


def text_lines(text: str) -> list[SourceLine]:
    """A text's lines as a source without pages (tests and plain strings)."""
    return [SourceLine(number, raw) for number, raw in enumerate(text.splitlines(), start=1)]


def parse_programme(
    source: str | list[SourceLine],
    *,
    hints: Mapping[str, object] | None = None,
    markdown: bool = False,
) -> ParsedProgramme:
    """Parse a programme's text or lines; raises `ProgrammeFormatError` naming the line."""
    lines = text_lines(source) if isinstance(source, str) else source
    cleaned = _clean_lines(lines)  # once: the detection and the parser read the same lines
    layout = _detect(cleaned[0], markdown=bool((hints or {}).get("markdown", markdown)))
    if hints:
        layout = layout.replace(hints)
    parsed = _Parser(cleaned, layout).parse()
    if layout.proposals == "paragraph" and not (hints or {}).get("proposals"):
        guess = Notice(
            1,
            None,
            "geen genummerde voorstellen en geen opsommingstekens gevonden: elke alinea onder "
            "een titel is een passage (kies anders bij ‘Opmaak’ wat een voorstel aanduidt)",
        )
        parsed = replace(parsed, notices=[guess, *parsed.notices])
    if not parsed.sections:
        raise ProgrammeFormatError(
            1, "geen titels gevonden: niets lijkt op een hoofdstuk om de passages onder te plaatsen"
        )
    if not parsed.resolutions or (
        layout.proposals == "paragraph" and len(parsed.resolutions) < MIN_PASSAGES
    ):
        raise ProgrammeFormatError(
            1,
            "niets lijkt op een voorstel: geen genummerde voorstellen (‘12.’, ‘12)’, "
            "‘Voorstel 12’), geen opsommingstekens en te weinig alinea's onder de titels",
        )
    return parsed


# Names that keep their capitals when a title in capitals is put in sentence case.
# Place names only: a party's own name is given by whoever knows the party (the importer, the
# programme pages).
NAMES = ("Europese Unie", "Europa", "België", "Vlaanderen", "Wallonië", "Brussel")
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


def readable_title(title: str, party: str = "") -> str:
    """A title set in capitals in the source ('VOORUIT MET ONZE GEZONDHEID') in sentence case,
    names kept ('Europese Unie', and the party's own); other titles as they are. The stored
    title is not changed."""
    return (
        sentence_case(title, keep=(*NAMES, party) if party else NAMES) if title.isupper() else title
    )


def decode(data: bytes) -> str:
    """A programme file's text; ProgrammeFormatError naming the line that is not UTF-8 or holds
    a NUL character."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ProgrammeFormatError(line, "het bestand is geen UTF-8-tekst") from error
    if "\x00" in text:  # no text has one, and PostgreSQL refuses it
        line = text[: text.index("\x00")].count("\n") + 1
        raise ProgrammeFormatError(line, "het bestand bevat een NUL-teken")
    return text
