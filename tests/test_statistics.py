"""Statistics only with consent: a voter's one choice adds to per-statement counters per day and
to the day's count of consenting voters; without it nothing is sent or stored. With Redis the
counters are added up there and flushed to the database."""

import datetime
import os
import re

import pytest
import redis
from django.urls import reverse
from django.utils import timezone

from quiz import statistics
from quiz.models import AnswerTally, ConsentTally
from quiz.snapshot import get_snapshot
from tests.helpers import answer_all, row_counts, run_quiz, start, token_of

REDIS_URL = os.environ.get("STEMTEST_TEST_REDIS", "redis://127.0.0.1:6379/15")


@pytest.fixture
def quiz(make_quiz):
    return make_quiz(statements=3)


def counted(quiz) -> dict:
    return {
        (t.statement.order, t.answer): t.count
        for t in AnswerTally.objects.filter(statement__quiz=quiz).select_related("statement")
    }


def test_whole_quizzes_without_consent_store_nothing(client, quiz):
    before = row_counts()
    for choices in (["eens", "oneens", "neutraal"], ["overslaan", "eens", "eens"]):
        url = run_quiz(client, quiz, choices)
        assert client.get(url).status_code == 200
    assert row_counts() == before


def test_a_consent_adds_one_to_each_answers_counter_and_to_the_days_voters(client, quiz):
    url = run_quiz(client, quiz, ["eens", "oneens", "overslaan"])
    token = token_of(url)
    before = row_counts()
    response = client.post(reverse("count_answers", args=[quiz.slug]), {"a": token})
    assert response.status_code == 200
    assert "Je 3 antwoorden tellen anoniem mee" in response.content.decode()
    client.post(
        reverse("count_answers", args=[quiz.slug]),
        {"a": token},
        headers={"Accept": "application/json"},
    )
    assert counted(quiz) == {(1, "eens"): 2, (2, "oneens"): 2, (3, "overslaan"): 2}
    [day] = ConsentTally.objects.filter(quiz=quiz)
    assert (day.day, day.count) == (timezone.localdate(), 2)
    # Counters only: one row per statement, answer and day, one per quiz and day; nothing else.
    after = row_counts()
    grown = {
        label: after[label] - before[label] for label in after if after[label] != before[label]
    }
    assert grown == {"quiz.AnswerTally": 3, "quiz.ConsentTally": 1}
    assert {f.name for f in AnswerTally._meta.fields} == {
        "id",
        "statement",
        "day",
        "answer",
        "count",
    }


def test_the_devices_answers_count_too_and_bad_ones_are_a_friendly_400(client, quiz):
    ids = list(quiz.statements.order_by("order").values_list("pk", flat=True))
    url = reverse("count_answers", args=[quiz.slug])
    json = {"Accept": "application/json"}
    response = client.post(url, {"antwoorden": f"1.{ids[0]}E{ids[1]}n"}, headers=json)
    assert response.json() == {"geteld": 2}
    assert counted(quiz) == {(1, "eens"): 1, (2, "neutraal"): 1}
    for bad in ["", "1.zzz", "9.1e"]:
        response = client.post(url, {"antwoorden": bad})
        assert response.status_code == 400
        assert "<h1" in response.content.decode()
    assert client.get(url).status_code == 405
    assert ConsentTally.objects.get().count == 1


def test_the_preview_has_no_consent_and_the_results_page_offers_it(admin_client, client, quiz):
    page = client.get(run_quiz(client, quiz, ["eens", "eens", "eens"])).content.decode()
    assert "Tel mijn antwoorden anoniem mee" in page
    assert re.search(r'data-consent>\s*<input type="hidden" name="a" value="[^"]+">', page)
    preview = admin_client.get(reverse("preview:results", args=[quiz.slug])).content.decode()
    assert "Tel mijn antwoorden anoniem mee" not in preview


@pytest.fixture
def counting_in_redis(settings):
    """quiz.statistics on a Redis database of its own (number 15 of the local server)."""
    settings.STATISTICS_REDIS_URL = REDIS_URL
    statistics._redis.cache_clear()
    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    yield client
    client.flushdb()
    statistics._redis.cache_clear()


def test_with_redis_consents_are_counted_there_and_flushed_to_the_database(counting_in_redis, quiz):
    snapshot = get_snapshot(quiz.slug)
    ids = list(quiz.statements.order_by("order").values_list("pk", flat=True))
    day = datetime.date(2024, 6, 9)
    for choice in ["eens", "eens", "oneens"]:
        statistics.count(snapshot, {ids[0]: _answer(choice)}, day=day)
    assert not AnswerTally.objects.exists()  # nothing in the database until the flush
    assert counting_in_redis.hgetall(f"{statistics.PREFIX}{quiz.slug}:2024-06-09") == {
        b"toestemmingen": b"3",
        f"{ids[0]}:eens".encode(): b"2",
        f"{ids[0]}:oneens".encode(): b"1",
    }
    assert statistics.flush() == 1
    assert counted(quiz) == {(1, "eens"): 2, (1, "oneens"): 1}
    assert ConsentTally.objects.get().count == 3
    statistics.count(snapshot, {ids[0]: _answer("eens")}, day=day)
    statistics.flush()
    assert counted(quiz)[(1, "eens")] == 3  # added to the same row
    assert not counting_in_redis.keys("*")


def test_when_redis_is_unreachable_a_consent_goes_to_the_database(settings, quiz):
    settings.STATISTICS_REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    statistics._redis.cache_clear()
    try:
        ids = list(quiz.statements.order_by("order").values_list("pk", flat=True))
        statistics.count(get_snapshot(quiz.slug), {ids[1]: _answer("neutraal")})
    finally:
        statistics._redis.cache_clear()
    assert counted(quiz) == {(2, "neutraal"): 1}


def test_editors_see_the_counts_per_statement(redacteur_client, client, quiz):
    token = token_of(run_quiz(client, quiz, ["eens", "oneens", "eens"]))
    client.post(reverse("count_answers", args=[quiz.slug]), {"a": token})
    page = redacteur_client.get(reverse("admin:quiz_quiz_statistics", args=[quiz.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "<strong>1</strong> kiezer kozen ervoor" in html
    assert "Eens: 1 (100 %), Oneens: 0 (0 %), Neutraal: 0 (0 %), Overgeslagen: 0 (0 %)" in html
    assert '<rect class="answer-eens" x="0.00" width="100.00" height="6"/>' in html
    assert "style=" not in html.split('class="statistics-rows"')[1]  # the CSP allows none


def _answer(choice):
    from quiz.answers import Answer, Choice

    return Answer(Choice(choice), important=False)


@pytest.mark.browser
def test_in_the_browser_only_the_consent_sends_the_answers_once(
    page, live_server, transactional_db, quiz
):
    from playwright.sync_api import expect

    posts = []
    page.on("request", lambda r: posts.append(r) if r.method == "POST" else None)
    start(page, live_server, quiz, total=3)
    answer_all(page, [("Eens", False), ("Oneens", True), ("Neutraal", False)], total=3)
    assert posts == []  # the whole quiz on the device: nothing sent
    assert row_counts()["quiz.AnswerTally"] == 0
    page.get_by_text("Anoniem meetellen?").click()
    page.get_by_role("button", name="Tel mijn antwoorden anoniem mee").click()
    expect(page.locator("[data-consent-done]")).to_have_text(
        "Bedankt: je 3 antwoorden tellen anoniem mee."
    )
    [post] = posts
    assert post.url.endswith(f"/stemtest/{quiz.slug}/statistieken/")
    assert counted(quiz) == {(1, "eens"): 1, (2, "oneens"): 1, (3, "neutraal"): 1}
    expect(page.get_by_role("button", name="Tel mijn antwoorden anoniem mee")).to_be_hidden()
