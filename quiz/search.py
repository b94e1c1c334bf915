"""Full-text search over a programme's resolutions, ranked with BM25.

One in-memory index per programme, built from a single query and kept per process until the
programme's `imported_at` changes, so a warm search needs no database. Words are folded (lower
case, accents stripped), Dutch stopwords dropped and the rest stemmed with Snowball's
`dutch_porter`: the same algorithm as PostgreSQL's `dutch` configuration, and the one that keeps
gezondheid/gezond and investeringen/investeren/investering together (Snowball's newer `dutch`
turns gezondheid into 'zon'). Only stems are indexed: a bonus for the query's exact word form
favoured words with one form ('omhoog') over the topic of a sentence ('minimumlonen').

A query is OR-ed: the best resolutions share the most, and the rarest, terms with it, which is
what a whole sentence needs (the editors' suggestions for a draft statement use `suggest`).
The same code runs on SQLite and PostgreSQL: the database only hands over the texts.
"""

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import lru_cache

import snowballstemmer
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from quiz import semantic
from quiz.models import Programme

K1 = 1.2
B = 0.75
HEAD_WEIGHT = 0.5  # the last part of a compound in a query ('loon' in 'minimumloon')
MIN_PART = 4
MAX_QUERY_LENGTH = 300  # a statement is at most 300 characters
SENTENCE_WORDS = 6  # a query this long is a sentence: ranked by meaning too (`find`)

# Function words that say nothing about a resolution (PostgreSQL's Dutch list, folded).
STOPWORDS = frozenset(
    """
    aan al alles als altijd andere ben bij daar dan dat de der deze die dit doch doen door dus
    een eens en er ge geen geweest haar had heb hebben heeft hem het hier hij hoe hun iemand iets
    ik in is ja je kan kon kunnen maar me meer men met mij mijn moet na naar niet niets nog nu of
    om omdat onder ons onze ook op over reeds te tegen toch toen tot u uit uw van veel voor want
    waren was wat we werd wezen wie wij wil wordt worden zal ze zelf zich zij zijn zo zonder zou
    """.split()
)

WORD = re.compile(r"[^\W_](?:[^\W_]|[\u0300-\u036f])*")
NUMBER_QUERY = re.compile(r"\s*(?:resolutie\s*|nr\.?\s*|r|#)?(\d{1,6})\s*", re.IGNORECASE)

# French function words (PostgreSQL's French list, folded); a programme in French is searched
# with these and Snowball's French stemmer (the algorithm of PostgreSQL's `french`).
FRENCH_STOPWORDS = frozenset(
    """
    a ai aie aient aies ait as au aura aurai auraient aurais aurait auras aurez auriez aurions
    aurons auront aux avaient avais avait avec avez aviez avions avons ayant ayez ayons c ce ceci
    cela ces cet cette d dans de des du elle en es est et etaient etais etait etant ete etes etiez
    etions eu eue eues eurent eus eusse eut eux fut furent fus fusse il ils j je l la le les leur
    leurs lui m ma mais me meme mes moi mon n ne nos notre nous on ont ou par pas pour qu que qui s
    sa sans se sera serai seraient serais serait seras serez seriez serions serons seront ses si
    son sont sur t ta te tes toi ton tu un une vos votre vous y
    """.split()
)
LANGUAGES = {  # programme language: (Snowball stemmer, stopwords, compounds split)
    "nl": ("dutch_porter", STOPWORDS, True),
    "fr": ("french", FRENCH_STOPWORDS, False),
    "en": ("english", frozenset(), False),
    "de": ("german", frozenset(), True),
}
_stemmers = {language: snowballstemmer.stemmer(name) for language, (name, *_) in LANGUAGES.items()}


@lru_cache(maxsize=100_000)
def fold(word: str) -> str:
    """Lower case without accents: 'België' -> 'belgie'."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@lru_cache(maxsize=200_000)
def term(word: str, language: str = "nl") -> str | None:
    """The index term of one word: its folded stem; None for stopwords and single letters."""
    folded = fold(word)
    stopwords = LANGUAGES.get(language, LANGUAGES["nl"])[1]
    if folded in stopwords or (len(folded) == 1 and not folded.isdigit()):
        return None
    if folded.isdigit():
        return folded
    return _stemmers.get(language, _stemmers["nl"]).stemWord(folded)


def query_terms(query: str, language: str = "nl") -> list[str]:
    """The distinct terms of a query, in the order they appear."""
    terms = (term(word, language) for word in WORD.findall(query[:MAX_QUERY_LENGTH]))
    return list(dict.fromkeys(t for t in terms if t))


def number_in(query: str) -> int | None:
    """The resolution number a query asks for ('1198', '#1198', 'resolutie 1198'), if any."""
    match = NUMBER_QUERY.fullmatch(query)
    return int(match.group(1)) if match else None


@dataclass(frozen=True)
class SectionInfo:
    number: str
    title: str
    parent: str | None  # the parent's number


@dataclass(frozen=True)
class Document:
    number: int
    text: str
    section: str  # the section's number
    length: int


@dataclass(frozen=True)
class Hit:
    number: int
    score: float
    text: str
    section_number: str
    section_path: tuple[SectionInfo, ...]  # from the part down to the resolution's section
    terms: frozenset[str]  # the query's terms, for highlighting
    index: "Index" = field(repr=False, compare=False)
    sentence: tuple[int, int] | None = (
        None  # the best-matching sentence's span, if ranked by meaning
    )

    @property
    def highlighted_html(self) -> SafeString:
        """The text with the query's words marked and, for a suggestion, its best-matching
        sentence in a `<span class="best-sentence">`."""
        if self.sentence is None:
            return _highlight(self.text, self.terms, self.index)
        start, end = self.sentence
        return mark_safe(
            _highlight(self.text[:start], self.terms, self.index)
            + '<strong class="best-sentence">'
            + _highlight(self.text[start:end], self.terms, self.index)
            + "</strong>"
            + _highlight(self.text[end:], self.terms, self.index)
        )


class Index:
    """BM25 postings over the resolutions of one programme.

    Dutch writes compounds as one word, so a compound also counts for its last part when that
    part is a word of its own in the programme: 'nettolonen' is indexed as 'nettolon' and 'lon',
    and the query 'minimumloon' asks for 'minimumlon' and, at half weight, 'lon'."""

    def __init__(
        self,
        sections: list[SectionInfo],
        documents: list[tuple[int, str, str]],
        language: str = "nl",
    ):
        self.language = language if language in LANGUAGES else "nl"
        self.compounds = LANGUAGES[self.language][2]
        self.sections = {section.number: section for section in sections}
        self.documents: dict[int, Document] = {}
        self.postings: dict[str, dict[int, int]] = {}
        found = [(number, WORD.findall(text), text, section) for number, text, section in documents]
        self.vocabulary = Counter(fold(word) for _, words, _, _ in found for word in words)
        self._heads: dict[str, str | None] = {}
        for number, words, text, section in found:
            stems = [t for t in map(self.term, words) if t]
            counts = Counter(stems) + Counter(t for t in map(self.head_term, words) if t)
            self.documents[number] = Document(number, text, section, len(stems))
            for term_, count in counts.items():
                self.postings.setdefault(term_, {})[number] = count
        total = len(self.documents)
        average = sum(doc.length for doc in self.documents.values()) / total if total else 1.0
        self.norm = {
            number: K1 * (1 - B + B * max(doc.length, 1) / average)
            for number, doc in self.documents.items()
        }
        self.idf = {
            term_: math.log(1 + (total - len(posting) + 0.5) / (len(posting) + 0.5))
            for term_, posting in self.postings.items()
        }

    def term(self, word: str) -> str | None:
        return term(word, self.language)

    def head_term(self, word: str) -> str | None:
        """The term of a compound's longest last part that occurs at least twice on its own in
        the programme, both parts at least four letters; None if the word is no such compound
        (or the language does not write compounds as one word)."""
        if not self.compounds:
            return None
        folded = fold(word)
        if folded in self._heads:
            return self._heads[folded]
        own, head = self.term(folded), None
        for start in range(MIN_PART, len(folded) - MIN_PART + 1):
            part = folded[start:]
            if self.vocabulary[part] >= 2 and (head := self.term(part)) and head != own:
                break
            head = None
        head = head if own else None
        if folded in self.vocabulary:  # only the programme's own words: queries would grow it
            self._heads[folded] = head
        return head

    def query(self, query: str) -> dict[str, float]:
        """The query's terms with their weights: 1 for a word's own stem, ½ for the last part
        of a compound."""
        weights: dict[str, float] = {}
        for word in WORD.findall(query[:MAX_QUERY_LENGTH]):
            if head := self.head_term(word):
                weights.setdefault(head, HEAD_WEIGHT)
            if own := self.term(word):
                weights[own] = 1.0
        return weights

    def ranked(self, weights: dict[str, float]) -> list[tuple[float, int]]:
        """(score, number) of every resolution sharing a term with the query, best first;
        ties go to the lower number."""
        scored = ((self.score(number, weights), number) for number in self.candidates(weights))
        return sorted(((score, number) for score, number in scored if score > 0), key=_rank)

    def candidates(self, terms: Iterable[str]) -> set[int]:
        return {number for term_ in terms for number in self.postings.get(term_, ())}

    def score(self, number: int, weights: dict[str, float]) -> float:
        score = 0.0
        for term_, weight in weights.items():
            count = self.postings.get(term_, {}).get(number)
            if count:
                score += weight * self.idf[term_] * count * (K1 + 1) / (count + self.norm[number])
        return score

    def marks(self, word: str, wanted: frozenset[str]) -> bool:
        return self.term(word) in wanted or self.head_term(word) in wanted

    def section_path(self, number: str) -> tuple[SectionInfo, ...]:
        path = []
        section = self.sections.get(number)
        while section is not None:
            path.append(section)
            section = self.sections.get(section.parent) if section.parent else None
        return tuple(reversed(path))


_indexes: dict[int, tuple[tuple[datetime | None, str], Index]] = {}


def index_for(programme: Programme) -> Index:
    """The programme's index, built with one query and kept until the programme is imported
    again. A programme without an import time (built by hand) is indexed on every call."""
    key = (programme.imported_at, programme.language)
    cached = _indexes.get(programme.pk)
    if cached and programme.imported_at and cached[0] == key:
        return cached[1]
    rows = programme.sections.order_by("order", "resolutions__number").values_list(
        "number", "title", "parent__number", "resolutions__number", "resolutions__text"
    )
    sections: dict[str, SectionInfo] = {}
    documents: list[tuple[int, str, str]] = []
    for number, title, parent, resolution, text in rows:
        sections.setdefault(number, SectionInfo(number, title, parent))
        if resolution is not None:
            documents.append((resolution, text, number))
    index = Index(list(sections.values()), documents, programme.language)
    if programme.imported_at:
        _indexes[programme.pk] = (key, index)
    return index


def search(programme: Programme, query: str, *, limit: int | None = 20) -> list[Hit]:
    """Resolutions ranked by relevance to the query; a resolution number asked for comes first.
    Ties go to the lower resolution number."""
    index = index_for(programme)
    wanted = index.query(query)
    ranked = _asked_first(index, query, index.ranked(wanted))
    return [_hit(index, number, score, frozenset(wanted)) for score, number in ranked[:limit]]


def _asked_first(
    index: Index, query: str, ranked: list[tuple[float, int]]
) -> list[tuple[float, int]]:
    """The ranking with the resolution whose number the query is (if any) in front."""
    asked = number_in(query)
    if asked not in index.documents:
        return ranked
    score = next((score for score, number in ranked if number == asked), 0.0)
    return [(score, asked)] + [item for item in ranked if item[1] != asked]


def find(programme: Programme, query: str, *, limit: int | None = 20) -> list[Hit]:
    """The public programme search: a whole sentence (`SENTENCE_WORDS` words or more) is ranked
    as the editors' suggestions are, a few words or a number by BM25 alone."""
    if len(WORD.findall(query[:MAX_QUERY_LENGTH])) >= SENTENCE_WORDS:
        return suggest(programme, query, limit=limit)
    return search(programme, query, limit=limit)


def suggest(
    programme: Programme,
    text: str,
    *,
    limit: int | None = 10,
    fusion: "Fusion | None" = None,
) -> list[Hit]:
    """Resolutions that best match a draft statement (a whole sentence): BM25's ranking and the
    sentence embeddings' (`quiz.semantic`) fused by reciprocal rank. Without stored vectors (a
    programme built by hand) BM25's alone."""
    fusion = fusion or Fusion()
    space = semantic.space_for(programme) if fusion.semantic_weight else None
    if space is None or not text.strip():
        return search(programme, text, limit=limit)
    index = index_for(programme)
    wanted = index.query(text)
    lexical = [number for _, number in index.ranked(wanted)]
    meaning = space.rank(text[:MAX_QUERY_LENGTH], section_weight=fusion.section_weight)
    scores: dict[int, float] = {}
    for rank, number in enumerate(lexical[: fusion.depth], start=1):
        scores[number] = fusion.lexical_weight / (fusion.k + rank)
    sentence: dict[int, tuple[int, int] | None] = {}
    for rank, match in enumerate(meaning[: fusion.depth], start=1):
        scores[match.number] = scores.get(match.number, 0.0) + fusion.semantic_weight / (
            fusion.k + rank
        )
        sentence[match.number] = match.sentence
    ranked = _asked_first(
        index, text, sorted(((score, number) for number, score in scores.items()), key=_rank)
    )
    return [
        replace(_hit(index, number, score, frozenset(wanted)), sentence=sentence.get(number))
        for score, number in ranked[:limit]
    ]


@dataclass(frozen=True)
class Fusion:
    """How `suggest` fuses its two rankings: score = lexical_weight / (k + BM25 rank) +
    semantic_weight / (k + meaning rank), over each ranking's first `depth`. Tuned on the
    development part of tests/data/suggestion_eval.csv only (`bench/suggestions.py --tune`)."""

    k: int = 10
    lexical_weight: float = 1.0
    semantic_weight: float = 0.75
    section_weight: float = semantic.SECTION_WEIGHT
    depth: int = 100


def highlight(text: str, query: str) -> SafeString:
    """The text, escaped, with every word that has the stem of a query word in <mark>.
    (Hits also mark compounds by their last part, which needs the programme's index.)"""
    return _highlight(text, frozenset(query_terms(query)))


def _rank(item: tuple[float, int]) -> tuple[float, int]:
    score, number = item
    return (-round(score, 9), number)


def _highlight(text: str, wanted: frozenset[str], index: Index | None = None) -> SafeString:
    parts: list[str] = []
    position = 0
    for match in WORD.finditer(text):
        word = match.group()
        if index.marks(word, wanted) if index else term(word) in wanted:
            parts.append(escape(text[position : match.start()]))
            parts.append(f"<mark>{escape(match.group())}</mark>")
            position = match.end()
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))


def _hit(index: Index, number: int, score: float, wanted: frozenset[str]) -> Hit:
    document = index.documents[number]
    return Hit(
        number=number,
        score=score,
        text=document.text,
        section_number=document.section,
        section_path=index.section_path(document.section),
        terms=wanted,
        index=index,
    )
