"""Rules with one home: the answer codec (server and quiz.js), the stance values and the worked
example of the method page are each defined once and used from there (the statement word
limit: tests/test_warnings.py)."""

import json
import re
from pathlib import Path

import pytest
from django.urls import reverse

from quiz import answers, scoring
from quiz.answers import LETTERS, Answer, Choice, codec
from quiz.models import Position, Stance
from quiz.snapshot import get_snapshot, scoring_code
from quiz.views.voter import WORKED_EXAMPLE

QUIZ_JS = Path(__file__).resolve().parent.parent / "static/js/quiz.js"


@pytest.fixture
def quiz(make_quiz):
    return make_quiz(statements=3)


def codec_of(html: str) -> dict:
    match = re.search(r'<script id="answer-codec" type="application/json">(.*?)</script>', html)
    assert match, "the statement page hands quiz.js the codec"
    return json.loads(match.group(1))


def test_the_statement_page_hands_quiz_js_the_servers_letters_labels_and_messages(client, quiz):
    html = client.get(reverse("statement", args=[quiz.slug, 1])).content.decode()
    given = codec_of(html)
    assert given == json.loads(json.dumps(codec()))
    assert given["letters"] == {"eens": "e", "oneens": "o", "neutraal": "n", "overslaan": "s"}
    assert given["labels"]["overslaan"] == "Overslaan"


def test_quiz_js_types_no_letter_label_or_message_of_the_codec_itself():
    script = re.sub(r"//.*", "", QUIZ_JS.read_text(encoding="utf-8"))  # code, not comments
    for label in Choice.labels:
        assert f'"{label}"' not in script
    assert "eonsEONS" not in script
    assert "(belangrijk)" not in script
    assert "is bewaard" not in script


def test_what_quiz_js_keeps_the_server_reads_with_the_same_letters(quiz):
    snapshot = get_snapshot(quiz.slug)
    first, second, third = (s.id for s in snapshot.statements)
    letters = codec()["letters"]
    payload = (
        f"{codec()['format']}.{first}{letters['eens']}{second}{letters['oneens'].upper()}"
        f"{third}{letters['overslaan']}"
    )
    assert answers.parse(payload, snapshot) == {
        first: Answer("eens", False),
        second: Answer("oneens", True),
        third: Answer("overslaan", False),
    }


def test_the_confirmation_reads_the_same_on_the_server_as_in_the_codec():
    assert Answer("neutraal", True).saved(4) == codec()["saved"].format(
        number=4, answer="Neutraal" + codec()["important"]
    )
    assert Answer("eens", False).saved(1) == "Je antwoord op stelling 1 is bewaard: Eens."


def test_every_choice_has_one_letter_and_the_shared_ones_are_the_stances():
    assert set(LETTERS) == set(Choice)
    assert len(set(LETTERS.values())) == len(LETTERS)
    assert [c for c in Choice.values if c in Stance.values] == ["eens", "oneens", "neutraal"]
    assert [Choice(c).label for c in ("eens", "oneens", "neutraal")] == [
        Stance(c).label for c in ("eens", "oneens", "neutraal")
    ]


def test_answers_and_stances_are_scored_through_one_map():
    assert [scoring_code(v) for v in ("eens", "oneens", "neutraal")] == [
        scoring.AGREE,
        scoring.DISAGREE,
        scoring.NEUTRAL,
    ]
    assert scoring_code(Stance.GEEN) == scoring_code(Choice.OVERSLAAN) == scoring.NONE


def test_the_database_accepts_exactly_the_stances_of_the_model():
    [constraint] = [c for c in Position._meta.constraints if c.name == "position_stance_is_known"]
    assert constraint.condition.children == [("stance__in", Stance.values)]


def test_the_method_page_shows_the_worked_example_it_computes(client):
    page = re.sub(
        r"\s+", " ", re.sub(r"<[^>]+>", " ", client.get(reverse("method")).content.decode())
    )
    assert len(WORKED_EXAMPLE) == 3
    assert "2 oneens (belangrijk) eens 0 2 0 / 4" in page
    assert "(3 behaalde punten) / (8 mogelijke punten) = 37,5 %, afgerond 38 %" in page
