"""The scoring on the device is the published method: one table of cases
(tests/data/scoring_cases.json) through quiz/scoring.py and through static/js/scoring.js in
Chromium gives the same percentages, ranks, ties and theme scores, and both give what was worked
out by hand where the table says."""

import json
from pathlib import Path

import numpy as np
import pytest

from quiz import scoring
from quiz.snapshot import scoring_code

ROOT = Path(__file__).resolve().parent.parent
CASES = json.loads((ROOT / "tests/data/scoring_cases.json").read_text(encoding="utf-8"))["cases"]
SCRIPT = (ROOT / "static/js/scoring.js").read_text(encoding="utf-8")


def coded(case):
    answers = [scoring_code(answer) for answer in case["answers"]]
    important = [index in case["important"] for index in range(len(answers))]
    stances = [[scoring_code(stance) for stance in row] for row in case["stances"]]
    return answers, important, stances


def in_python(case):
    answers, important, stances = coded(case)
    result = scoring.score(answers, important, stances)
    percentages = result.percentages()
    groups = max(case["groups"]) + 1
    return {
        "percentages": percentages,
        "used": [int(used) for used in result.used],
        "ranks": [
            [r.index, r.percentage, r.rank, r.tied]
            for r in scoring.rank(percentages, case["parties"])
        ],
        "themes": scoring.by_group(result, np.array(case["groups"]), groups),
    }


@pytest.fixture(scope="module")
def scoring_page(browser):
    page = browser.new_page()
    page.set_content("<!doctype html><title>scoring</title>")
    page.add_script_tag(content=SCRIPT)
    yield page
    page.close()


def in_javascript(page, case):
    answers, important, stances = coded(case)
    return page.evaluate(
        """([answers, important, stances, groups, names]) => {
            const S = window.StemtestScoring;
            const result = S.score(answers, important, stances);
            const count = Math.max(...groups) + 1;
            return {
                percentages: result.percentages,
                used: result.used,
                ranks: S.rank(result.percentages, names)
                    .map((r) => [r.index, r.percentage, r.rank, r.tied]),
                themes: S.byGroup(answers, important, stances, groups, count),
            };
        }""",
        [answers, important, stances, case["groups"], case["parties"]],
    )


@pytest.mark.browser
@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_python_and_javascript_score_every_case_alike(scoring_page, case):
    python = in_python(case)
    assert in_javascript(scoring_page, case) == python
    for key, value in case["expected"].items():
        assert python[key] == value, key


def test_the_codes_are_the_same_in_both():
    for name, value in [("AGREE", 1), ("NEUTRAL", 0), ("DISAGREE", -1), ("NONE", 9)]:
        assert getattr(scoring, name) == value
        assert f"const {name} = {value};" in SCRIPT
