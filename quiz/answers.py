"""A voter's answers travel with the voter, never stored on the server: a short signed token
in the address (`?a=<token>`) and in a hidden form field.

Token format: `1.` (format version) then, per answered statement, its id in decimal and one
letter: `e` eens, `o` oneens, `n` neutraal, `s` overslaan; upper case means belangrijk. For
example `1.12e13O15s:<signature>`. Statements not answered yet are absent. Keying answers by
statement id, not by position, means a quiz that editors reorder or extend mid-session keeps
each answer on its statement; answers to statements that have since been removed are dropped.

The same text without its signature (`1.12e13O15s`) is what quiz.js keeps on the voter's device
while they answer, and POSTs at the end (`parse`); the server then signs it. So anyone can have any
answers signed, as anyone can by answering: the signature only vouches that a token is well formed
and belongs to this quiz.

The signature (django.core.signing, salted per quiz and per preview mode) makes any edit,
truncation or token from another quiz a `BadAnswers`, which views show as a friendly 400.
There is no expiry: a share link must reproduce the same result forever.
"""

import functools
import re
from typing import Any, NamedTuple

import numpy as np
from django.core import signing
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from quiz import scoring
from quiz.models import Stance
from quiz.snapshot import QuizSnapshot, scoring_code


class Choice(models.TextChoices):
    """A voter's answer: a party's stances but "geen standpunt", and skipping the statement."""

    EENS = Stance.EENS.value, Stance.EENS.label
    ONEENS = Stance.ONEENS.value, Stance.ONEENS.label
    NEUTRAAL = Stance.NEUTRAAL.value, Stance.NEUTRAAL.label
    OVERSLAAN = "overslaan", pgettext_lazy("answer", "Overslaan")


FORMAT = "1"
LETTERS = {Choice.EENS: "e", Choice.ONEENS: "o", Choice.NEUTRAAL: "n", Choice.OVERSLAAN: "s"}
_LETTER = "[" + "".join(LETTERS.values()) + "".join(LETTERS.values()).upper() + "]"
PAIR = re.compile(rf"([0-9]{{1,10}})({_LETTER})")  # ASCII digits: int() reads others too
PAIRS = re.compile(rf"(?:[0-9]{{1,10}}{_LETTER})*")
MAX_PAIRS_LENGTH = 20_000  # over 1,800 answers: far more than any quiz, little work to refuse
# Translators: quiz.js fills in {number} and {answer} too (str.format placeholders, keep them
# as they are); {answer} is an answer label, followed by the " (belangrijk)" below if marked so.
SAVED = gettext_lazy("Je antwoord op stelling {number} is bewaard: {answer}.")
# Translators: put right after an answer label ("Eens (belangrijk)"): keep the leading space.
IMPORTANT = pgettext_lazy("answer marked", " (belangrijk)")


def codec() -> dict[str, Any]:
    """What quiz.js needs to read and write answers, and to say it saved one, as the server
    does: handed to it in the statement page (json_script), never typed again in JavaScript.
    Its words in the language of the request, as plain text (JSON)."""
    return {
        "format": FORMAT,
        "letters": {str(choice): letter for choice, letter in LETTERS.items()},
        "labels": {str(value): str(label) for value, label in Choice.choices},
        "important": str(IMPORTANT),
        "saved": str(SAVED),
    }


class BadAnswers(ValueError):
    """A token or answer that we cannot trust or do not know."""


class Answer(NamedTuple):
    choice: str  # a Choice value
    important: bool

    @property
    def label(self) -> str:
        return str(Choice(self.choice).label)

    @property
    def described(self) -> str:
        """ "Eens", or "Eens (belangrijk)"."""
        return self.label + (str(IMPORTANT) if self.important else "")

    def saved(self, number: int) -> str:
        """The confirmation that this answer to statement `number` was kept."""
        return str(SAVED).format(number=number, answer=self.described)


# The eight possible answers, by their letter in a token, and back.
ANSWER_OF = {
    (letter.upper() if important else letter): Answer(str(choice), important)
    for choice, letter in LETTERS.items()
    for important in (False, True)
}
LETTER_OF = {answer: letter for letter, answer in ANSWER_OF.items()}


@functools.cache
def _signer_for(salt: str) -> signing.Signer:
    return signing.Signer(salt=salt)


def _signer(snapshot: QuizSnapshot) -> signing.Signer:
    mode = "preview" if snapshot.preview else "live"
    return _signer_for(f"stemtest.answers:{mode}:{snapshot.slug}")


def decode(token: str | None, snapshot: QuizSnapshot) -> dict[int, Answer]:
    """Statement id → Answer, for the statements still in the quiz. Empty for no token."""
    if not token:
        return {}
    try:
        payload = _signer(snapshot).unsign(token)
    except signing.BadSignature as error:
        raise BadAnswers(
            _("Deze link met antwoorden is veranderd of onvolledig: we kunnen hem niet lezen.")
        ) from error
    return parse(payload, snapshot)


def parse(payload: str, snapshot: QuizSnapshot) -> dict[int, Answer]:
    """Statement id → Answer from an unsigned payload (`1.12e13O`), for the statements still in
    the quiz. quiz.js keeps the answers on the voter's device in this form and sends them all at
    once; `decode` reads it from a verified token. BadAnswers when it is not well formed."""
    version, dot, pairs = payload.partition(".")
    if version != FORMAT or not dot:
        raise BadAnswers(_("Deze antwoorden komen uit een oudere versie van de stemtest."))
    if len(pairs) > MAX_PAIRS_LENGTH or not PAIRS.fullmatch(pairs):
        raise BadAnswers(_("Je antwoorden zijn onleesbaar."))
    index_of = snapshot.index_of
    return {
        int(statement_id): ANSWER_OF[letter]
        for statement_id, letter in PAIR.findall(pairs)
        if int(statement_id) in index_of
    }


def encode(answers: dict[int, Answer], snapshot: QuizSnapshot, *, previous: str = "") -> str:
    """The signed token for `answers`, in quiz order; "" when there are none. `previous`, the
    (valid) token the answers were decoded from, is returned as is when they did not change."""
    if not answers:
        return ""
    ids = sorted(answers, key=snapshot.index_of.__getitem__)
    payload = f"{FORMAT}." + "".join(f"{id}{LETTER_OF[answers[id]]}" for id in ids)
    if previous.rpartition(":")[0] == payload:
        return previous
    return _signer(snapshot).sign(payload)


def parse_answer(choice: str | None, important: str | None) -> Answer:
    """An Answer from form fields; BadAnswers for an unknown choice."""
    if choice not in Choice.values:
        raise BadAnswers(
            # Translators: eens, oneens, neutraal and overslaan: the answer buttons' labels.
            _("Dat antwoord kennen we niet. Kies eens, oneens, neutraal of overslaan.")
        )
    return Answer(choice, bool(important))


def as_arrays(answers: dict[int, Answer], snapshot: QuizSnapshot) -> tuple[np.ndarray, np.ndarray]:
    """Scoring codes and belangrijk flags per statement, in quiz order."""
    codes = np.full(len(snapshot), scoring.NONE, dtype=np.int8)
    important = np.zeros(len(snapshot), dtype=bool)
    for statement_id, answer in answers.items():
        index = snapshot.index_of[statement_id]
        codes[index] = scoring_code(answer.choice)
        important[index] = answer.important
    return codes, important
