"""Immutable, in-memory snapshots of live quizzes, so that voters never wait on the database.

A snapshot holds everything the voter pages show: the statements in order with their theme and
uitleg, and per party its stance, justification and the cited resolutions (number, full text,
link into the programme). It is built with a handful of queries the first time a quiz is asked
for and kept in a module-level dict, keyed by quiz slug and the content version.

The content version is a row in the database (`quiz.models.ContentVersion`). Saving or deleting
any model a snapshot reads from bumps it in the same transaction (see `quiz.signals`), and so
does `bump_version()`, which writers that bypass signals (`.update()`, `bulk_create`) call. Each
process reads the version at most once per VERSION_TTL, so every process shows a change within
a second, with one small query a second and none per voter request. When the database cannot
be read, voters keep the snapshots this process has, and a process that starts meanwhile loads
the last ones from disk (SNAPSHOT_DIR).
"""

import dataclasses
import logging
import os
import pickle
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
from django.conf import settings
from django.db import Error as DatabaseFailure
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _

from quiz import scoring
from quiz.models import (
    ORIGINAL_LANGUAGE,
    STATEMENT_TRANSLATED,
    TRANSLATIONS,
    Citation,
    ContentVersion,
    Position,
    Quiz,
    Stance,
    Statement,
    content_language,
    fictional_name,
)
from quiz.programme_text import readable_title
from stemtest.locale import address_in

SCORING_CODES: dict[str, int] = {
    Stance.EENS: scoring.AGREE,
    Stance.ONEENS: scoring.DISAGREE,
    Stance.NEUTRAAL: scoring.NEUTRAL,
}


def _translations(obj: Any, names: tuple[str, ...]) -> tuple[tuple[str, str, str], ...]:
    """(language, field, text) for every translation `obj` has."""
    return tuple(
        (language, name, getattr(obj, f"{name}_{language}").strip())
        for language in TRANSLATIONS
        for name in names
        if getattr(obj, f"{name}_{language}").strip()
    )


def _pick(
    info: Any, language: str, names: tuple[str, ...]
) -> tuple[dict[str, str], frozenset[str]]:
    """`names` of `info` in `language` from its translations, and those left in Dutch."""
    text = {(lang, name): value for lang, name, value in info.translations}
    values = {name: text.get((language, name)) or getattr(info, name) for name in names}
    original = frozenset(
        name for name in names if getattr(info, name) and not text.get((language, name))
    )
    return values, original


def scoring_code(opinion: str) -> int:
    """A party's stance or a voter's answer as `quiz.scoring` counts it: eens, oneens and
    neutraal as AGREE, DISAGREE and NEUTRAL; geen standpunt and overslaan as NONE."""
    return SCORING_CODES.get(opinion, scoring.NONE)


@dataclass(frozen=True)
class CitedResolution:
    number: int
    label: str  # as the programme numbers it ("3.4" where it counts per chapter)
    language: str  # the programme's: a quote stays in its own language
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
    translations: tuple[tuple[str, str, str], ...] = field(default=(), compare=False)
    original: bool = False  # the justification is shown in Dutch: no translation yet

    @property
    def quote_language(self) -> str:
        """The language of the programme its justification quotes (`quotes_lang`)."""
        return self.citations[0].language if self.citations else ""

    def in_language(self, language: str) -> "PartyPosition":
        text = {(lang, name): value for lang, name, value in self.translations}
        justification = text.get((language, "justification"), "")
        return dataclasses.replace(
            self,
            label=str(Stance(self.stance).label),  # translated: in_language overrides
            justification=justification or self.justification,
            original=bool(self.justification) and not justification,
            citations=tuple(
                dataclasses.replace(citation, url=address_in(citation.url, language))
                for citation in self.citations
            ),
        )


@dataclass(frozen=True)
class Theme:
    name: str
    slug: str
    translations: tuple[tuple[str, str, str], ...] = field(default=(), compare=False)

    def in_language(self, language: str) -> "Theme":
        text = {lang: value for lang, _name, value in self.translations}
        return dataclasses.replace(self, name=text.get(language, self.name))


@dataclass(frozen=True)
class PartyInfo:
    name: str  # with "(fictief)" for an invented party: voters always see it
    slug: str
    colour: str
    fictional: bool = False
    logo: str = ""  # the uploaded logo's address on this site, if there is one
    short: str = ""  # the short name for narrow places (charts), else the name
    own_name: str = ""  # the name without "(fictief)"

    def in_language(self) -> "PartyInfo":
        """With "(fictief)" in the active language."""
        if not self.fictional:
            return self
        return dataclasses.replace(self, name=fictional_name(self.own_name or self.name))


@dataclass(frozen=True)
class StatementInfo:
    id: int
    number: int  # 1-based place in the quiz as the voter sees it
    text: str
    short_title: str
    uitleg: str
    theme: Theme
    positions: tuple[PartyPosition, ...]  # in the order of QuizSnapshot.parties
    translations: tuple[tuple[str, str, str], ...] = field(default=(), compare=False)
    # The fields (text, short_title, uitleg) shown in Dutch for want of a translation.
    original: frozenset[str] = frozenset()

    def in_language(self, language: str, themes: dict[str, Theme]) -> "StatementInfo":
        values, original = _pick(self, language, STATEMENT_TRANSLATED)
        return dataclasses.replace(
            self,
            text=values["text"],
            short_title=values["short_title"],
            uitleg=values["uitleg"],
            theme=themes[self.theme.slug],
            positions=tuple(position.in_language(language) for position in self.positions),
            original=original,
        )


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
    # The partners' sites that may frame the live quiz (Quiz.embed_origins); none for the preview.
    embed_origins: tuple[str, ...] = ()
    # The language of this view of the quiz (`in_language`): nl, or fr or en where editors
    # translated, with `original` the quiz's fields still shown in Dutch (title, intro).
    language: str = ORIGINAL_LANGUAGE
    translations: tuple[tuple[str, str, str], ...] = field(default=(), compare=False)
    original: frozenset[str] = frozenset()
    # Rendered HTML that depends only on this snapshot and a few answer states (see
    # quiz.views.voter.cached_fragment); dropped with the snapshot when the content changes.
    fragments: dict = field(default_factory=dict, compare=False, repr=False)
    # This snapshot in the other languages, made when first asked for (`in_language`).
    languages: dict = field(default_factory=dict, compare=False, repr=False)

    def __len__(self) -> int:
        return len(self.statements)

    @property
    def fictional(self) -> bool:
        """Whether any party of the quiz is invented (a demo): every page says so."""
        return any(party.fictional for party in self.parties)

    @property
    def untranslated(self) -> bool:
        """Whether anything of the quiz is shown in Dutch on a French or English page."""
        return bool(
            self.original
            or any(statement.original for statement in self.statements)
            or any(p.original for statement in self.statements for p in statement.positions)
        )

    def in_language(self, language: str) -> "QuizSnapshot":
        """This quiz as voters read it in `language`: the editors' translations where there are
        any, the Dutch elsewhere (marked in `original`), stance labels and addresses in that
        language. Made once per language and snapshot, with fragments of its own."""
        if language == self.language or self.language != ORIGINAL_LANGUAGE:
            return self
        view = self.languages.get(language)
        if view is None:
            values, original = _pick(self, language, ("title", "intro"))
            with translation.override(language):
                themes = {theme.slug: theme.in_language(language) for theme in self.themes}
                view = dataclasses.replace(
                    self,
                    title=values["title"],
                    intro=values["intro"],
                    language=language,
                    original=original,
                    statements=tuple(s.in_language(language, themes) for s in self.statements),
                    themes=tuple(themes.values()),
                    parties=tuple(party.in_language() for party in self.parties),
                    fragments={},
                    languages={},
                )
            self.languages[language] = view
        return view

    def __getstate__(self) -> dict[str, Any]:
        """For the copy on disk (`_keep`): without the rendered fragments."""
        return {**self.__dict__, "index_of": dict(self.index_of), "fragments": {}, "languages": {}}

    def __setstate__(self, state: dict[str, Any]) -> None:
        state["index_of"] = MappingProxyType(state["index_of"])
        for array in (state["stances"], state["theme_of"]):
            array.flags.writeable = False
        self.__dict__.update(state)


logger = logging.getLogger(__name__)

_snapshots: dict[tuple[str, bool], QuizSnapshot] = {}
_live: dict[str, Any] = {}
# When the database failed to give what a key needs (("live",), (slug, preview)): until when to
# serve what there is without asking it again.
_retry_at: dict[tuple[object, ...], float] = {}


# A process trusts the version it read for this long; after the database could not be read, it
# asks again only after RETRY_AFTER, serving what it has meanwhile.
VERSION_TTL = 1.0
RETRY_AFTER = 5.0
_version = {"value": 0, "fresh_until": 0.0}


def current_version() -> int:
    now = time.monotonic()
    if now < _version["fresh_until"]:
        return int(_version["value"])
    try:
        _version.update(value=ContentVersion.current(), fresh_until=now + VERSION_TTL)
    except Exception:  # the database is down or refuses: voters keep what this process has
        logger.warning("Content version unreadable; serving the quizzes this process has")
        _version["fresh_until"] = now + RETRY_AFTER
    return int(_version["value"])


def bump_version() -> None:
    """Make every process rebuild its snapshots once the caller's transaction commits: this one
    at once, the others within VERSION_TTL."""
    ContentVersion.bump()
    _version["fresh_until"] = 0.0  # read it again, here too
    transaction.on_commit(lambda: _version.update(fresh_until=0.0))


def live_quizzes() -> Mapping[str, str]:
    """Slug → title of the live quizzes in the active language (Dutch where editors wrote no
    translation), ordered by the Dutch title."""
    version = current_version()
    if not (_live.get("version") == version or _waiting(("live",), "rows" in _live)):
        try:
            rows = {
                slug: {"nl": title, "fr": title_fr, "en": title_en}
                for slug, title, title_fr, title_en in Quiz.objects.live()
                .order_by("title")
                .values_list("slug", "title", "title_fr", "title_en")
            }
        except DatabaseFailure:
            kept = _live.get("rows") or _kept("live")
            if kept is None:
                raise
            # A copy from before the translations held slug → title.
            rows = {
                slug: row if isinstance(row, dict) else {"nl": row} for slug, row in kept.items()
            }
            _live.update(rows=rows, titles={})
            _failed(("live",))
        else:
            _live.update(version=version, rows=rows, titles={})
            _keep("live", rows)
    language = content_language()
    titles = _live["titles"].get(language)
    if titles is None:
        titles = MappingProxyType(
            {slug: row.get(language) or row["nl"] for slug, row in _live["rows"].items()}
        )
        _live["titles"][language] = titles
    return titles


def get_snapshot(slug: str, *, preview: bool = False) -> QuizSnapshot:
    """The snapshot of a live quiz (or, for `preview`, any quiz with its unpublished
    statements) in the active language (`QuizSnapshot.in_language`); Http404 if there is none.
    While the database cannot be read, the last good one: this process's, or for a live quiz
    the one on disk (a process started meanwhile)."""
    return _snapshot(slug, preview).in_language(content_language())


def _snapshot(slug: str, preview: bool) -> QuizSnapshot:
    key = (slug, preview)
    version = current_version()
    snapshot = _snapshots.get(key)
    if snapshot is not None and (snapshot.version == version or _waiting(key, True)):
        return snapshot
    try:
        if not preview and slug not in live_quizzes():
            raise Http404(_("Deze stemtest bestaat niet of is niet meer online."))
        with translation.override(settings.LANGUAGE_CODE):  # Dutch; other languages: in_language
            snapshot = build(slug, version=version, preview=preview)
    except DatabaseFailure:
        snapshot = snapshot or (None if preview else _kept(f"quiz-{slug}"))
        if snapshot is None:
            raise
        logger.warning("Database unreadable: serving the last snapshot of %s", slug)
        _failed(key)
    else:
        if not preview:
            _keep(f"quiz-{slug}", snapshot)
    _snapshots[key] = snapshot
    return snapshot


def _waiting(key: tuple[object, ...], have: bool) -> bool:
    """Whether the database failed `key` a moment ago and there is something to serve."""
    return have and time.monotonic() < _retry_at.get(key, 0.0)


def _failed(key: tuple[object, ...]) -> None:
    _retry_at[key] = time.monotonic() + RETRY_AFTER


# A copy of the live quizzes and their snapshots on disk (settings.SNAPSHOT_DIR), for a process
# that starts while the database is down. Written by this code only, into a folder of its own.


def _keep(name: str, value: object) -> None:
    directory = Path(settings.SNAPSHOT_DIR)
    temporary = directory / f".{name}.{os.getpid()}.{threading.get_ident()}"
    try:
        directory.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        temporary.replace(directory / f"{name}.pickle")
    except OSError:
        logger.warning("Could not keep %s in %s", name, directory, exc_info=True)


def _kept(name: str) -> Any:
    try:
        return pickle.loads((Path(settings.SNAPSHOT_DIR) / f"{name}.pickle").read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
        return None


def build(slug: str, *, version: int, preview: bool = False) -> QuizSnapshot:
    quizzes = Quiz.objects.select_related("election")
    if not preview:
        quizzes = quizzes.live()
    quiz = quizzes.filter(slug=slug).first()
    if quiz is None:
        raise Http404(_("Deze stemtest bestaat niet."))
    parties = list(quiz.parties.order_by("name"))
    statements = Statement.objects.for_quiz(quiz).select_related("theme").order_by("order")
    if not preview:
        statements = statements.published()
    citations = Citation.objects.select_related(
        "resolution__programme", "resolution__section"
    ).order_by("order", "resolution__number")
    positions = Position.objects.select_related("party").prefetch_related(
        Prefetch("citations", queryset=citations)
    )
    statements = statements.prefetch_related(Prefetch("positions", queryset=positions))

    themes: dict[int, Theme] = {}
    infos, stances, theme_of = [], [], []
    for number, statement in enumerate(statements, start=1):
        by_party = {position.party_id: position for position in statement.positions.all()}
        row = tuple(_party_position(by_party.get(party.pk)) for party in parties)
        theme = themes.setdefault(
            statement.theme_id,
            Theme(
                statement.theme.name,
                statement.theme.slug,
                _translations(statement.theme, ("name",)),
            ),
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
                translations=_translations(statement, STATEMENT_TRANSLATED),
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
        embed_origins=() if preview else tuple(quiz.allowed_embed_origins),
        statements=tuple(infos),
        parties=tuple(
            PartyInfo(
                str(p),
                p.slug,
                p.colour,
                p.is_fictional,
                p.logo.url if p.logo else "",
                p.label,
                p.name,
            )
            for p in parties
        ),
        themes=tuple(themes.values()),
        stances=stance_matrix,
        theme_of=theme_index,
        index_of=MappingProxyType({info.id: index for index, info in enumerate(infos)}),
        translations=_translations(quiz, ("title", "intro")),
    )


def _party_position(position: Position | None) -> PartyPosition:
    if position is None:
        return PartyPosition(Position.Stance.GEEN, str(Position.Stance.GEEN.label), "", "", ())
    return PartyPosition(
        stance=position.stance,
        label=position.get_stance_display(),
        justification=position.justification,
        source=position.source,
        translations=_translations(position, ("justification",)),
        citations=tuple(
            CitedResolution(
                number=citation.resolution.number,
                label=citation.resolution.display_number,
                language=citation.resolution.programme.language,
                text=citation.resolution.text,
                excerpt=citation.excerpt,
                url=citation.resolution.get_absolute_url(),  # in Dutch: build()
                section=(
                    f"{citation.resolution.section.number}. "
                    f"{readable_title(citation.resolution.section.title, position.party.name)}"
                ),
                page=citation.resolution.page,
            )
            for citation in position.citations.all()
        ),
    )
