"""How close a voter is to each party: the Wahl-O-Mat model of docs/method.md, for all
statements × parties at once.

Answers and stances are coded as small integers so that the points are a distance:

    AGREE = 1, NEUTRAL = 0, DISAGREE = -1   →   points = 2 - |voter - party|

which gives 2 for the same answer, 1 when one side is neutraal, 0 for eens against oneens.
`NONE` marks a skipped statement (voter) or "geen standpunt" (party); either takes the
statement out of that party's score. A statement marked belangrijk weighs 2, else 1:

    match(party) = Σ w·points / Σ w·2   over the statements both sides answered.

Percentages are kept as exact fractions (earned / possible points) and rounded half up
(37.5 → 38) with integer arithmetic, so no float ever decides a tie.
"""

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

AGREE, NEUTRAL, DISAGREE = 1, 0, -1
NONE = 9  # voter skipped, party has geen standpunt, or not answered yet

FULL, HALF, NO_MATCH = 2, 1, 0


@dataclass(frozen=True)
class ScoreResult:
    """Scores of one voter against every party.

    `points[s, p]` is 0, 1 or 2 where `comparable[s, p]`, else 0; `weights[s]` is 0 for a
    skipped statement, 1, or 2 for belangrijk. `earned` and `possible` are per party.
    """

    points: np.ndarray
    comparable: np.ndarray
    weights: np.ndarray
    earned: np.ndarray
    possible: np.ndarray
    used: np.ndarray

    def percentages(self) -> list[int | None]:
        """Whole percentages per party, rounded half up; None when nothing is comparable."""
        return [
            round_percentage(int(e), int(p))
            for e, p in zip(self.earned, self.possible, strict=True)
        ]


def round_percentage(earned: int, possible: int) -> int | None:
    if possible == 0:
        return None
    return (200 * earned + possible) // (2 * possible)


def score(answers: ArrayLike, important: ArrayLike, stances: ArrayLike) -> ScoreResult:
    """Score the voter's `answers` (S,) and `important` flags (S,) against `stances` (S, P)."""
    voter = np.asarray(answers, dtype=np.int16)
    party = np.asarray(stances, dtype=np.int16).reshape(len(voter), -1)
    answered = voter != NONE
    weights = np.where(answered, np.where(np.asarray(important, dtype=bool), 2, 1), 0)
    comparable = answered[:, None] & (party != NONE)
    distance = np.abs(voter[:, None] - party)
    points = np.where(comparable, 2 - distance, 0).astype(np.int8)
    weighted = weights[:, None] * comparable
    return ScoreResult(
        points=points,
        comparable=comparable,
        weights=weights.astype(np.int8),
        earned=(weighted * points).sum(axis=0, dtype=np.int64),
        possible=(weighted * 2).sum(axis=0, dtype=np.int64),
        used=comparable.sum(axis=0, dtype=np.int64),
    )


def by_group(result: ScoreResult, groups: np.ndarray, n_groups: int) -> list[list[int | None]]:
    """Whole percentages per group (e.g. theme) and party: `groups[s]` is statement s's group."""
    onehot = np.zeros((n_groups, len(groups)), dtype=np.int64)
    onehot[np.asarray(groups), np.arange(len(groups))] = 1
    weighted = result.weights[:, None].astype(np.int64) * result.comparable
    earned = onehot @ (weighted * result.points)
    possible = onehot @ (weighted * 2)
    return [
        [round_percentage(int(e), int(p)) for e, p in zip(erow, prow, strict=True)]
        for erow, prow in zip(earned, possible, strict=True)
    ]


@dataclass(frozen=True)
class Ranked:
    index: int  # the party's column in the stances matrix
    percentage: int | None
    rank: int | None
    tied: bool


def rank(percentages: list[int | None], names: list[str]) -> list[Ranked]:
    """Parties from best to worst match. Equal whole percentages share a rank and are marked
    tied ("gelijk"); within a tie, and among parties without a score (last), by name."""
    order = sorted(
        range(len(percentages)),
        key=lambda i: (percentages[i] is None, -(percentages[i] or 0), names[i].casefold()),
    )
    counts: dict[int, int] = {}
    for value in percentages:
        if value is not None:
            counts[value] = counts.get(value, 0) + 1
    ranked, previous, current_rank = [], None, 0
    for position, index in enumerate(order, start=1):
        value = percentages[index]
        if value is None:
            ranked.append(Ranked(index, None, None, False))
            continue
        if value != previous:
            current_rank, previous = position, value
        ranked.append(Ranked(index, value, current_rank, counts[value] > 1))
    return ranked
