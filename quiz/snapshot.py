"""Immutable, in-memory snapshots of live quizzes, so that voters never wait on the database.

A snapshot holds everything the voter pages show: the statements in order with their theme and
uitleg, and per party its stance, justification and the cited resolutions (number, full text,
link into the programme). It is built with a handful of queries the first time a quiz is asked
for and kept in a module-level dict, keyed by quiz slug and the content version.

The content version lives in Django's cache under `VERSION_KEY`. Saving or deleting any model a
snapshot reads from bumps it (see `quiz.signals`), and so does `bump_version()`, which bulk
writers that bypass signals (importers using `bulk_create`) can call when they finish. Reading
the version is a cache get (at most once per VERSION_TTL per process), not a query: a warm voter
request does no database work at all.
With several processes the cache must be shared (REDIS_URL) for a bump to reach all of them;
with the local-memory cache each process only sees its own bumps.
"""

import logging
import time
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
from django.core.cache import cache
from django.db.models import Prefetch
from django.http import Http404

from quiz import scoring
from quiz.models import Citation, Position, Quiz, Stance, Statement
from quiz.programme_text import readable_title

VERSION_KEY = "stemtest:content-version"

SCORING_CODES: dict[str, int] = {
    Stance.EENS: scoring.AGREE,
    Stance.ONEENS: scoring.DISAGREE,
    Stance.NEUTRAAL: scoring.NEUTRAL,
}


def scoring_code(opinion: str) -> int:
    """A party's stance or a voter's answer as `quiz.scoring` counts it: eens, oneens and
    neutraal as AGREE, DISAGREE and NEUTRAL; geen standpunt and overslaan as NONE."""
    return SCORING_CODES.get(opinion, scoring.NONE)


@dataclass(frozen=True)
class CitedResolution:
    number: int
    text: str
    excerpt: str
    url: str
    section: str
    page: int | None


@dataclass(frozen=True)
class PartyPosition:
    stance: str  # a Position.Stance value; "geen" also when the party has no position yet
    label: str
    justification: str
    source: str
    citations: tuple[CitedResolution, ...]


@dataclass(frozen=True)
class Theme:
    name: str
    slug: str


@dataclass(frozen=True)
class PartyInfo:
    name: str
    slug: str
    colour: str


@dataclass(frozen=True)
class StatementInfo:
    id: int
    number: int  # 1-based place in the quiz as the voter sees it
    text: str
    short_title: str
    uitleg: str
    theme: Theme
    positions: tuple[PartyPosition, ...]  # in the order of QuizSnapshot.parties


@dataclass(frozen=True)
class QuizSnapshot:
    slug: str
    title: str
    intro: str
    election: str
    version: int
    preview: bool
    statements: tuple[StatementInfo, ...]
    parties: tuple[PartyInfo, ...]
    themes: tuple[Theme, ...]
    stances: np.ndarray  # (statements, parties) scoring codes, read-only
    theme_of: np.ndarray  # (statements,) index into themes
    index_of: MappingProxyType  # statement id → 0-based index
    # Rendered HTML that depends only on this snapshot and a few answer states (see
    # quiz.views.voter.cached_fragment); dropped with the snapshot when the content changes.
    fragments: dict = field(default_factory=dict, compare=False, repr=False)

    def __len__(self) -> int:
        return len(self.statements)


logger = logging.getLogger(__name__)

_snapshots: dict[tuple[str, bool], QuizSnapshot] = {}
_live: dict[str, object] = {}


# The version read from the cache is trusted for this long, so that a voter request does not
# even need a cache round trip (Redis); a bump in this process takes effect at once.
VERSION_TTL = 1.0
_version: dict[str, float] = {"value": 0, "read_at": -VERSION_TTL}


def current_version() -> int:
    now = time.monotonic()
    if now - _version["read_at"] < VERSION_TTL:
        return int(_version["value"])
    try:
        version = cache.get(VERSION_KEY)
        if version is None:
            cache.add(VERSION_KEY, time.time_ns(), timeout=None)
            version = cache.get(VERSION_KEY)
    except Exception:  # the shared cache (Redis) is down: keep serving what this process has
        logger.warning("Content version unreadable from the cache; serving cached snapshots")
        version = _version["value"]
    _version.update(value=version, read_at=now)
    return int(version)


def bump_version() -> None:
    """Make every process rebuild its snapshots (this one at once, others within VERSION_TTL)."""
    version = time.time_ns()
    cache.set(VERSION_KEY, version, timeout=None)
    _version.update(value=version, read_at=time.monotonic())


def live_quizzes() -> dict[str, str]:
    """Slug → title of the live quizzes, ordered by title."""
    version = current_version()
    if _live.get("version") != version:
        titles = dict(Quiz.objects.live().order_by("title").values_list("slug", "title"))
        _live.update(version=version, titles=MappingProxyType(titles))
    return _live["titles"]  # type: ignore[return-value]


def get_snapshot(slug: str, *, preview: bool = False) -> QuizSnapshot:
    """The snapshot of a live quiz (or, for `preview`, any quiz with its unpublished
    statements); Http404 if there is none."""
    version = current_version()
    snapshot = _snapshots.get((slug, preview))
    if snapshot is not None and snapshot.version == version:
        return snapshot
    if not preview and slug not in live_quizzes():
        raise Http404("Deze stemtest bestaat niet of is niet meer online.")
    snapshot = build(slug, version=version, preview=preview)
    _snapshots[(slug, preview)] = snapshot
    return snapshot


def build(slug: str, *, version: int, preview: bool = False) -> QuizSnapshot:
    quizzes = Quiz.objects.select_related("election")
    if not preview:
        quizzes = quizzes.live()
    quiz = quizzes.filter(slug=slug).first()
    if quiz is None:
        raise Http404("Deze stemtest bestaat niet.")
    parties = list(quiz.parties.order_by("name"))
    statements = Statement.objects.for_quiz(quiz).select_related("theme").order_by("order")
    if not preview:
        statements = statements.published()
    citations = Citation.objects.select_related(
        "resolution__programme", "resolution__section"
    ).order_by("order", "resolution__number")
    positions = Position.objects.prefetch_related(Prefetch("citations", queryset=citations))
    statements = statements.prefetch_related(Prefetch("positions", queryset=positions))

    themes: dict[int, Theme] = {}
    infos, stances, theme_of = [], [], []
    for number, statement in enumerate(statements, start=1):
        by_party = {position.party_id: position for position in statement.positions.all()}
        row = tuple(_party_position(by_party.get(party.pk)) for party in parties)
        theme = themes.setdefault(
            statement.theme_id, Theme(statement.theme.name, statement.theme.slug)
        )
        infos.append(
            StatementInfo(
                id=statement.pk,
                number=number,
                text=statement.text,
                short_title=statement.short_title,
                uitleg=statement.uitleg,
                theme=theme,
                positions=row,
            )
        )
        stances.append([scoring_code(position.stance) for position in row])
        theme_of.append(list(themes).index(statement.theme_id))

    stance_matrix = np.array(stances, dtype=np.int8).reshape(len(infos), len(parties))
    theme_index = np.array(theme_of, dtype=np.intp)
    stance_matrix.flags.writeable = theme_index.flags.writeable = False
    return QuizSnapshot(
        slug=quiz.slug,
        title=quiz.title,
        intro=quiz.intro,
        election=quiz.election.name,
        version=version,
        preview=preview,
        statements=tuple(infos),
        parties=tuple(PartyInfo(p.name, p.slug, p.colour) for p in parties),
        themes=tuple(themes.values()),
        stances=stance_matrix,
        theme_of=theme_index,
        index_of=MappingProxyType({info.id: index for index, info in enumerate(infos)}),
    )


def _party_position(position: Position | None) -> PartyPosition:
    if position is None:
        return PartyPosition(Position.Stance.GEEN, Position.Stance.GEEN.label, "", "", ())
    return PartyPosition(
        stance=position.stance,
        label=position.get_stance_display(),
        justification=position.justification,
        source=position.source,
        citations=tuple(
            CitedResolution(
                number=citation.resolution.number,
                text=citation.resolution.text,
                excerpt=citation.excerpt,
                url=citation.resolution.get_absolute_url(),
                section=(
                    f"{citation.resolution.section.number}. "
                    f"{readable_title(citation.resolution.section.title)}"
                ),
                page=citation.resolution.page,
            )
            for citation in position.citations.all()
        ),
    )
