"""A programme file's lines, whatever it came as: PDF (its text layer), plain text or Markdown.

`read_source` turns the uploaded bytes into `SourceLine`s that know their page where the source
has pages (a PDF's pages, or form feeds in a text), so the parser (`quiz.programme_text`) reads
every format the same way. Pure functions, no database.

PDFs are read with pypdf: pure Python (no system library, so `pip install` is all it needs),
BSD-licensed, actively maintained, and its layout mode keeps the vertical gaps between
paragraphs as blank lines, which the parser needs to tell a page break from a new paragraph.
"""

import io
import re
from dataclasses import dataclass
from pathlib import PurePath

import pypdf
from pypdf.errors import PdfReadError

from quiz.programme_text import ProgrammeFormatError, SourceLine, decode

PDF_MAGIC = b"%PDF-"
MARKDOWN_SUFFIXES = {".md", ".markdown"}
# Fewer letters than this per page on average: a scan with at most page numbers as text.
MIN_LETTERS = 20
FORMATS = {"pdf": "PDF", "text": "tekst", "markdown": "Markdown"}

# Markdown that is layout, not text: emphasis, links, inline code (the words stay).
MARKDOWN_INLINE = [
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])"), r"\1"),
    (re.compile(r"`([^`]+)`"), r"\1"),
]
MARKDOWN_BULLET = re.compile(r"^(\s*)[*+](\s+)")


@dataclass(frozen=True)
class Source:
    format: str  # a key of FORMATS
    lines: list[SourceLine]
    pages: int | None  # the number of pages, where the source has them


def source_format(data: bytes, filename: str = "") -> str:
    """ "pdf", "markdown" or "text": a PDF by its first bytes, Markdown by its file name."""
    if data.lstrip()[:5] == PDF_MAGIC:
        return "pdf"
    if PurePath(filename).suffix.lower() in MARKDOWN_SUFFIXES:
        return "markdown"
    return "text"


def read_source(data: bytes, filename: str = "") -> Source:
    """The lines of a programme file; ProgrammeFormatError when there is no text to read."""
    if not data.strip():
        raise ProgrammeFormatError(1, "het bestand is leeg")
    kind = source_format(data, filename)
    if kind == "pdf":
        return _read_pdf(data)
    text = decode(data).removeprefix("\ufeff")
    if kind == "markdown":
        return Source("markdown", _markdown_lines(text), None)
    return _read_text(text)


def _read_text(text: str) -> Source:
    """Lines of a text file; form feeds, where the text has them, separate its pages."""
    paged = "\f" in text
    page = 1
    lines: list[SourceLine] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        *breaks, last = raw.rstrip("\r").split("\f")
        page += len(breaks)
        lines.append(
            SourceLine(
                number,
                last,
                page=page if paged else None,
                page_start=bool(breaks),
            )
        )
    return Source("text", lines, page if paged else None)


def _markdown_lines(text: str) -> list[SourceLine]:
    lines = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = MARKDOWN_BULLET.sub(r"\1-\2", raw)
        for pattern, replacement in MARKDOWN_INLINE:
            line = pattern.sub(replacement, line)
        lines.append(SourceLine(number, line))
    return lines


def _read_pdf(data: bytes) -> Source:
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ProgrammeFormatError(1, "de PDF is versleuteld: bewaar hem zonder wachtwoord")
        texts = [page.extract_text(extraction_mode="layout") for page in reader.pages]
    except ProgrammeFormatError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
        raise ProgrammeFormatError(1, f"de PDF is niet te lezen ({error})") from error
    if sum(char.isalpha() for text in texts for char in text) < MIN_LETTERS * len(texts):
        raise ProgrammeFormatError(
            1,
            "de PDF heeft geen tekstlaag: hij bevat alleen afbeeldingen. Exporteer hem opnieuw "
            "met tekst, of laat er eerst tekstherkenning (OCR) op lopen",
        )
    lines: list[SourceLine] = []
    for page, text in enumerate(texts, start=1):
        raws = [raw.rstrip() for raw in text.replace("\x00", "").split("\n")]
        while raws and not raws[-1]:
            raws.pop()
        indent = min((len(raw) - len(raw.lstrip()) for raw in raws if raw.strip()), default=0)
        first = True
        for number, raw in enumerate(raws, start=1):
            if not raw.strip() and first:
                continue
            lines.append(SourceLine(number, raw[indent:], page=page, page_start=first))
            first = False
        lines.append(SourceLine(len(raws) + 1, "", page=page))  # a page ends a paragraph line
    return Source("pdf", lines, len(texts))
