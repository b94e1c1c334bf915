"""The scoring model of docs/method.md, as examples and as properties (hypothesis)."""

from fractions import Fraction

import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st

from quiz.scoring import AGREE, DISAGREE, NEUTRAL, NONE, by_group, rank, score

VOTER = st.sampled_from([AGREE, NEUTRAL, DISAGREE, NONE])
PARTY = st.sampled_from([AGREE, NEUTRAL, DISAGREE, NONE])


@st.composite
def quizzes(draw, min_statements=1, max_statements=12, max_parties=4):
    statements = draw(st.integers(min_statements, max_statements))
    parties = draw(st.integers(1, max_parties))
    answers = np.array(draw(st.lists(VOTER, min_size=statements, max_size=statements)), np.int8)
    important = np.array(
        draw(st.lists(st.booleans(), min_size=statements, max_size=statements)), bool
    )
    stances = np.array(
        draw(
            st.lists(
                st.lists(PARTY, min_size=parties, max_size=parties),
                min_size=statements,
                max_size=statements,
            )
        ),
        np.int8,
    )
    return answers, important, stances


def fractions(result):
    return [
        Fraction(int(e), int(p)) if p else None
        for e, p in zip(result.earned, result.possible, strict=True)
    ]


def test_the_worked_example_of_the_guide_gives_38_percent():
    result = score(
        np.array([AGREE, DISAGREE, NEUTRAL]),
        np.array([False, True, False]),
        np.array([[AGREE], [AGREE], [DISAGREE]]),
    )
    assert result.points[:, 0].tolist() == [2, 0, 1]
    assert result.weights.tolist() == [1, 2, 1]
    assert (int(result.earned[0]), int(result.possible[0])) == (3, 8)
    assert result.percentages() == [38]


def test_a_party_without_a_stance_leaves_the_statement_out_for_that_party_only():
    result = score(
        np.array([AGREE, AGREE]),
        np.array([False, False]),
        np.array([[AGREE, NONE], [DISAGREE, AGREE]]),
    )
    assert result.percentages() == [50, 100]
    assert result.used.tolist() == [2, 1]


def test_everything_neutral_against_decided_stances_gives_half():
    result = score(np.full(4, NEUTRAL), np.zeros(4, bool), np.array([[AGREE], [DISAGREE]] * 2))
    assert result.percentages() == [50]


def test_a_single_answer_gives_a_score():
    result = score(np.array([AGREE, NONE, NONE]), np.zeros(3, bool), np.full((3, 1), AGREE))
    assert result.percentages() == [100]
    assert result.used.tolist() == [1]


def test_rounding_is_half_up():
    # 1 of 8 points = 12.5 % → 13; 5 of 8 = 62.5 % → 63
    low = score(
        np.array([AGREE, DISAGREE, AGREE]),
        np.array([False, True, False]),
        np.array([[NEUTRAL], [AGREE], [DISAGREE]]),
    )
    high = score(
        np.array([AGREE, AGREE, NEUTRAL]),
        np.array([False, True, False]),
        np.array([[AGREE], [NEUTRAL], [AGREE]]),
    )
    assert low.percentages() == [13]
    assert high.percentages() == [63]


def test_identical_parties_are_tied_and_share_a_rank():
    stances = np.array([[AGREE, AGREE, DISAGREE], [DISAGREE, DISAGREE, AGREE]])
    result = score(np.array([AGREE, DISAGREE]), np.zeros(2, bool), stances)
    ranked = rank(result.percentages(), ["Zeta", "Alfa", "Beta"])
    assert [(r.index, r.percentage, r.rank, r.tied) for r in ranked] == [
        (1, 100, 1, True),
        (0, 100, 1, True),
        (2, 0, 3, False),
    ]


def test_parties_without_a_score_rank_last_without_a_rank():
    ranked = rank([None, 40], ["Alfa", "Beta"])
    assert [(r.index, r.rank) for r in ranked] == [(1, 1), (0, None)]


def test_theme_breakdown_scores_each_group_separately():
    result = score(
        np.array([AGREE, AGREE, DISAGREE]),
        np.zeros(3, bool),
        np.array([[AGREE], [DISAGREE], [NONE]]),
    )
    assert by_group(result, np.array([0, 1, 1]), 3) == [[100], [0], [None]]


@given(quizzes())
def test_scores_lie_between_0_and_100(quiz):
    for value in score(*quiz).percentages():
        assert value is None or 0 <= value <= 100


@given(quizzes(), st.data())
def test_answering_like_a_party_gives_100(quiz, data):
    _, important, stances = quiz
    party = data.draw(st.integers(0, stances.shape[1] - 1))
    assume((stances[:, party] != NONE).any())
    answers = stances[:, party].copy()
    # Where the party has no stance the voter may answer anything.
    free = answers == NONE
    answers[free] = data.draw(st.lists(VOTER, min_size=int(free.sum()), max_size=int(free.sum())))
    assert score(answers, important, stances).percentages()[party] == 100


@given(quizzes(), st.data())
def test_the_exact_opposite_on_eens_and_oneens_gives_0(quiz, data):
    _, important, stances = quiz
    party = data.draw(st.integers(0, stances.shape[1] - 1))
    decided = np.isin(stances[:, party], [AGREE, DISAGREE])
    assume(decided.any())
    answers = np.where(decided, -stances[:, party], NONE).astype(np.int8)
    assert score(answers, important, stances).percentages()[party] == 0


@given(quizzes(), st.data())
def test_belangrijk_moves_the_score_only_towards_that_statements_outcome(quiz, data):
    answers, important, stances = quiz
    s = data.draw(st.integers(0, len(answers) - 1))
    important[s] = False
    before = score(answers, important, stances)
    important[s] = True
    after = score(answers, important, stances)
    for p, (old, new) in enumerate(zip(fractions(before), fractions(after), strict=True)):
        if not before.comparable[s, p]:
            assert new == old
            continue
        outcome = Fraction(int(before.points[s, p]), 2)
        assert min(old, outcome) <= new <= max(old, outcome)


@given(quizzes(min_statements=2), st.data())
def test_skipping_a_statement_removes_it(quiz, data):
    answers, important, stances = quiz
    s = data.draw(st.integers(0, len(answers) - 1))
    skipped = answers.copy()
    skipped[s] = NONE
    without = score(np.delete(answers, s), np.delete(important, s), np.delete(stances, s, axis=0))
    assert score(skipped, important, stances).percentages() == without.percentages()


@given(quizzes())
def test_all_skipped_gives_no_score_and_no_nan(quiz):
    _, important, stances = quiz
    result = score(np.full(len(important), NONE, np.int8), important, stances)
    assert result.percentages() == [None] * stances.shape[1]
    assert result.used.tolist() == [0] * stances.shape[1]
