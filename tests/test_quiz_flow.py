"""The quiz flow without a browser: landing, one statement per screen, answers in a signed
token (plain POST-redirect-GET), friendly 400s, the snapshot cache and its queries."""

import re
import time

import pytest
from django.core import signing
from django.db import OperationalError
from django.urls import reverse

from quiz import snapshot
from quiz.answers import Answer, decode
from quiz.models import ContentVersion, Statement
from quiz.snapshot import get_snapshot
from tests.helpers import HTMX, run_quiz, token_of, visible_text


def answer(client, quiz, number, choice, token="", important=False, **headers):
    statement = quiz.statements.order_by("order")[number - 1]
    data = {"a": token, "stelling": statement.pk, "answer": choice}
    if important:
        data["belangrijk"] = "1"
    return client.post(reverse("statement", args=[quiz.slug, number]), data, headers=headers)


def test_landing_says_what_the_test_is_and_that_nothing_is_stored(client, make_quiz):
    quiz = make_quiz(statements=3)
    response = client.get(reverse("quiz", args=[quiz.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "3 stellingen" in html
    assert "We bewaren je antwoorden niet." in html
    assert f'href="{reverse("statement", args=[quiz.slug, 1])}"' in html


def test_home_shows_the_only_live_quiz(client, make_quiz):
    quiz = make_quiz()
    response = client.get("/")
    assert quiz.title in response.content.decode()
    assert "Start de stemtest" in response.content.decode()


def test_a_quiz_that_is_not_live_is_not_found(client, make_quiz):
    quiz = make_quiz()
    quiz.is_live = False
    quiz.save()
    assert client.get(reverse("quiz", args=[quiz.slug])).status_code == 404


def test_statement_screen_shows_progress_uitleg_answers_and_belangrijk(client, make_quiz):
    quiz = make_quiz(statements=3)
    response = client.get(reverse("statement", args=[quiz.slug, 2]))
    html = response.content.decode()
    assert "Stelling 2 van 3" in html
    assert '<progress max="3" value="2"' in html
    assert "De overheid moet maatregel 2 invoeren." in html
    assert "Uitleg bij maatregel 2." in html
    for label in ["Eens", "Oneens", "Neutraal", "Overslaan"]:
        assert re.search(
            rf'<button type="submit" name="answer" value="\w+"[^>]*>{label}</button>', html
        )
    assert '<label for="belangrijk">Belangrijk</label>' in html
    assert "Vorige" in html


def test_plain_post_redirects_to_the_next_statement_with_the_answer_in_the_token(client, make_quiz):
    quiz = make_quiz(statements=3)
    response = answer(client, quiz, 1, "eens", important=True)
    assert response.status_code == 303
    assert response.url.startswith(reverse("statement", args=[quiz.slug, 2]) + "?a=")
    page = client.get(response.url).content.decode()
    assert "Je antwoord op stelling 1 is bewaard: Eens (belangrijk)." in page
    assert token_of(response.url) in page  # carried on in the hidden field


def test_going_back_or_reloading_confirms_nothing(client, make_quiz):
    quiz = make_quiz(statements=6)
    token = ""
    for number in range(1, 6):
        token = token_of(answer(client, quiz, number, "eens", token).url)
    back = client.get(reverse("statement", args=[quiz.slug, 5]) + f"?a={token}").content.decode()
    assert "stelling 4 is bewaard" not in back
    forged = reverse("statement", args=[quiz.slug, 5]) + f"?a={token}&bewaard=2"
    assert "stelling 4 is bewaard" not in client.get(forged).content.decode()
    redirected = answer(client, quiz, 4, "oneens", token)
    assert "&bewaard=4" in redirected.url  # a number, not an answer
    assert "stelling 4 is bewaard: Oneens." in client.get(redirected.url).content.decode()


def test_an_answered_statement_offers_volgende_and_an_unanswered_one_does_not(client, make_quiz):
    quiz = make_quiz(statements=3)
    token = token_of(answer(client, quiz, 1, "eens").url)
    token = token_of(answer(client, quiz, 2, "oneens", token).url)
    first = client.get(reverse("statement", args=[quiz.slug, 1]) + f"?a={token}").content.decode()
    # "Volgende" posts the same answer again, with "Belangrijk" as the voter left it.
    volgende = (
        '<button type="submit" form="answer-form" name="answer" value="eens" '
        'class="button secondary next">Volgende</button>'
    )
    assert volgende in first
    third = client.get(reverse("statement", args=[quiz.slug, 3]) + f"?a={token}").content.decode()
    assert ">Volgende</" not in third  # not answered yet
    after_all = token_of(answer(client, quiz, 3, "eens", token).url)
    last = client.get(reverse("statement", args=[quiz.slug, 3]) + f"?a={after_all}").content
    assert b">Volgende</" not in last  # the last one leads to the results instead
    assert b"Naar je resultaat" in last


def test_belangrijk_can_be_marked_after_answering_with_volgende(client, make_quiz):
    quiz = make_quiz(statements=3)
    token = token_of(answer(client, quiz, 1, "oneens").url)
    again = answer(client, quiz, 1, "oneens", token, important=True)  # Volgende, box ticked
    assert again.url.startswith(reverse("statement", args=[quiz.slug, 2]))
    page = client.get(again.url).content.decode()
    assert "Je antwoord op stelling 1 is bewaard: Oneens (belangrijk)." in page


def test_going_back_shows_the_earlier_answer(client, make_quiz):
    quiz = make_quiz(statements=3)
    token = token_of(answer(client, quiz, 1, "oneens", important=True).url)
    html = client.get(reverse("statement", args=[quiz.slug, 1]) + f"?a={token}").content.decode()
    assert "Je antwoordde eerder: <strong>Oneens</strong> (belangrijk)" in html
    assert (
        'id="belangrijk" name="belangrijk" value="1" aria-describedby="belangrijk-hint" checked'
        in html
    )


def test_the_last_answer_leads_to_the_overview_and_from_there_to_the_results(client, make_quiz):
    quiz = make_quiz(statements=3)
    first, second, third = quiz.statements.order_by("order")
    token = token_of(answer(client, quiz, 1, "eens", important=True).url)
    token = token_of(answer(client, quiz, 2, "oneens", token).url)
    response = answer(client, quiz, 3, "overslaan", token)
    assert response.status_code == 303
    review = reverse("review", args=[quiz.slug])
    assert response.url.startswith(review + "?a=")
    assert response.url.endswith("&bewaard=3")
    page = client.get(response.url)
    html = page.content.decode()
    assert "public" not in page["Cache-Control"]
    assert "Je antwoord op stelling 3 is bewaard: Overslaan." in html
    assert '<h1 id="review-heading" tabindex="-1" autofocus>Wat vind je belangrijk?</h1>' in html
    text = visible_text(html)
    assert "Je beantwoordde 2 van de 3 stellingen ." in text  # all reached: no note
    assert first.text in text
    assert second.text in text
    assert f"{third.text} Jouw antwoord: Overslaan" in text  # listed, nothing to weigh
    assert f'name="belangrijk-{first.pk}" value="1" checked' in html
    assert f'name="belangrijk-{second.pk}" value="1">' in html
    boxes = re.findall(r'<p class="important" data-important-box( hidden)?>', html)
    assert boxes == ["", "", " hidden"]
    # A link back to each statement, with the answers.
    assert f'href="{reverse("statement", args=[quiz.slug, 2])}?a=' in html
    # Belangrijk as ticked there: statement 2 now, statement 1 no longer.
    data = {"a": token_of(response.url), f"belangrijk-{second.pk}": "1"}
    results = client.post(review, data)
    assert results.status_code == 303
    assert results.url.startswith(reverse("results", args=[quiz.slug]) + "?a=")
    answers = decode(token_of(results.url), get_snapshot(quiz.slug))
    assert answers == {
        first.pk: Answer("eens", False),
        second.pk: Answer("oneens", True),
        third.pk: Answer("overslaan", False),
    }


def test_the_overview_without_answers_says_so_and_is_the_same_for_everyone(client, make_quiz):
    quiz = make_quiz(statements=2)
    page = client.get(reverse("review", args=[quiz.slug]))
    assert page.status_code == 200
    assert "public" in page["Cache-Control"]
    text = visible_text(page.content.decode())
    assert "Je beantwoordde 0 van de 2 stellingen ; wat je nog niet beantwoordde" in text
    assert text.count("nog niet beantwoord · beantwoord") == 2
    assert "Belangrijk" not in text  # nothing answered, nothing to weigh
    assert client.get(reverse("review", args=[quiz.slug]) + "?a=kapot").status_code == 400


def test_the_voter_side_has_no_htmx_flow_and_an_htmx_header_changes_nothing(client, make_quiz):
    quiz = make_quiz(statements=2)
    response = answer(client, quiz, 1, "neutraal", **HTMX)
    assert response.status_code == 303
    assert response.url.startswith(reverse("statement", args=[quiz.slug, 2]))
    page = client.get(response.url, headers=HTMX)
    html = page.content.decode()
    assert html.startswith("<!doctype html>")
    assert "htmx" not in html
    assert "data-hx-" not in html
    assert "HX-Request" not in page.get("Vary", "")
    last = answer(client, quiz, 2, "eens", token_of(response.url), **HTMX)
    assert last.status_code == 303
    assert last.url.startswith(reverse("review", args=[quiz.slug]) + "?a=")


def test_answers_are_keyed_by_statement_so_a_reordered_quiz_keeps_them(client, make_quiz):
    quiz = make_quiz(statements=3)
    first = quiz.statements.order_by("order").first()
    token = token_of(answer(client, quiz, 1, "eens").url)  # answers statement `first`
    # Editors move the first statement to the end and add a new one in front.
    Statement.objects.filter(pk=first.pk).update(order=10)
    new = Statement.objects.create(
        quiz=quiz,
        order=0,
        text="Een nieuwe stelling.",
        short_title="Nieuw",
        theme=first.theme,
        status=Statement.Status.PUBLISHED,
    )
    snapshot.bump_version()  # .update() sends no signals
    html = client.get(reverse("statement", args=[quiz.slug, 4]) + f"?a={token}").content.decode()
    assert "Stelling 4 van 4" in html
    assert first.text in html
    assert "Je antwoordde eerder: <strong>Eens</strong>" in html
    assert new.pk


def test_answers_to_a_removed_statement_are_dropped_without_an_error(client, make_quiz):
    quiz = make_quiz(statements=3)
    token = token_of(answer(client, quiz, 1, "eens").url)
    quiz.statements.order_by("order").first().delete()
    response = client.get(reverse("results", args=[quiz.slug]) + f"?a={token}")
    assert response.status_code == 200
    assert "Je beantwoordde 0 van de 2 stellingen" in visible_text(response.content.decode())


@pytest.mark.parametrize(
    "mangle",
    [
        pytest.param(lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"), id="tampered-signature"),
        pytest.param(lambda t: t.replace("e", "o", 1), id="tampered-answer"),
        pytest.param(lambda t: t[: len(t) // 2], id="truncated"),
        pytest.param(lambda t: "nonsense", id="garbage"),
    ],
)
def test_it_rejects_a_bad_token_with_a_friendly_dutch_400(client, make_quiz, mangle):
    quiz = make_quiz(statements=2)
    token = token_of(answer(client, quiz, 1, "eens").url)
    for url in [reverse("statement", args=[quiz.slug, 2]), reverse("results", args=[quiz.slug])]:
        response = client.get(url + f"?a={mangle(token)}")
        assert response.status_code == 400
        assert "Dat lukte niet" in response.content.decode()


def test_it_rejects_a_stale_token_format(client, make_quiz):
    quiz = make_quiz(statements=2)
    statement = quiz.statements.first()
    stale = signing.Signer(salt=f"stemtest.answers:live:{quiz.slug}").sign(f"0.{statement.pk}e")
    response = client.get(reverse("statement", args=[quiz.slug, 1]) + f"?a={stale}")
    assert response.status_code == 400
    assert "oudere versie" in response.content.decode()


def test_it_rejects_a_token_from_another_quiz(client, make_quiz):
    quiz = make_quiz(statements=2)
    statement = quiz.statements.first()
    other = signing.Signer(salt="stemtest.answers:live:andere").sign(f"1.{statement.pk}e")
    response = client.get(reverse("statement", args=[quiz.slug, 1]) + f"?a={other}")
    assert response.status_code == 400


def test_it_rejects_an_unknown_statement_number(client, make_quiz):
    quiz = make_quiz(statements=2)
    response = client.get(reverse("statement", args=[quiz.slug, 3]))
    assert response.status_code == 400
    assert "Stelling 3 bestaat niet" in response.content.decode()
    assert client.get(reverse("statement", args=[quiz.slug, 0])).status_code == 400


@pytest.mark.parametrize(
    "data",
    [
        {"stelling": "999999", "answer": "eens"},
        {"stelling": "abc", "answer": "eens"},
        {"stelling": "", "answer": "eens"},
        {"answer": "eens"},
    ],
)
def test_it_rejects_an_unknown_statement_in_a_post(client, make_quiz, data):
    quiz = make_quiz(statements=2)
    response = client.post(reverse("statement", args=[quiz.slug, 1]), data)
    assert response.status_code == 400
    assert "Dat lukte niet" in response.content.decode()


@pytest.mark.parametrize("value", ["misschien", " ", "EENS"])
def test_it_rejects_an_unknown_answer_value(client, make_quiz, value):
    quiz = make_quiz(statements=2)
    response = answer(client, quiz, 1, value)
    assert response.status_code == 400
    assert "Dat antwoord kennen we niet" in response.content.decode()


def test_the_forms_hidden_first_button_answers_nothing(client, make_quiz):
    """Without JavaScript, Enter in the "Belangrijk" checkbox presses a form's first submit
    button. That is a hidden one with an empty answer, not "Eens": the voter stays where they
    were, with the answers they had, back at the checkbox."""
    quiz = make_quiz(statements=3)
    first = answer(client, quiz, 1, "oneens")
    token = token_of(first.url)
    page = client.get(first.url).content.decode()
    first_button = r'<form class="answer-form"[^>]*>\s*<button type="submit" name="answer" value=""'
    assert re.search(first_button + " hidden", page)
    statement = quiz.statements.order_by("order")[1]
    data = {"a": token, "stelling": statement.pk, "answer": "", "belangrijk": "1"}
    for headers in [{}, {"HX-Request": "true"}]:
        response = client.post(reverse("statement", args=[quiz.slug, 2]), data, headers=headers)
        assert response.status_code == 303
        expected = reverse("statement", args=[quiz.slug, 2]) + f"?a={token}#belangrijk"
        assert response.url == expected


def test_preview_is_for_staff_only_and_includes_unpublished_statements(
    client, admin_client, make_quiz
):
    quiz = make_quiz(statements=2)
    Statement.objects.create(
        quiz=quiz,
        order=3,
        text="Nog niet gepubliceerd.",
        short_title="Concept",
        theme=quiz.statements.first().theme,
    )
    url = reverse("preview:quiz", args=[quiz.slug])
    assert client.get(url).status_code == 302
    assert "3 stellingen" in admin_client.get(url).content.decode()
    step = admin_client.get(reverse("preview:statement", args=[quiz.slug, 3]))
    assert "Nog niet gepubliceerd." in step.content.decode()
    assert client.get(reverse("statement", args=[quiz.slug, 3])).status_code == 400


def test_voters_get_no_cookies(client, make_quiz):
    quiz = make_quiz(statements=2)
    url = answer(client, quiz, 1, "eens").url
    for response in [client.get(reverse("quiz", args=[quiz.slug])), client.get(url)]:
        assert not response.cookies
    assert not client.cookies


def test_warm_quiz_steps_do_no_database_queries(client, make_quiz, django_assert_num_queries):
    quiz = make_quiz(statements=3)
    first, second, _ = quiz.statements.order_by("order")
    client.get(reverse("statement", args=[quiz.slug, 1]))  # warms the snapshot
    with django_assert_num_queries(0):
        response = client.post(
            reverse("statement", args=[quiz.slug, 1]), {"stelling": first.pk, "answer": "eens"}
        )
        client.get(response.url)
        data = {"a": token_of(response.url), "stelling": second.pk, "answer": "oneens"}
        client.post(reverse("statement", args=[quiz.slug, 2]), data)


def test_a_full_quiz_and_its_results_are_served_with_the_database_blocked(
    client, make_quiz, django_db_blocker
):
    quiz = make_quiz(statements=3, parties=2)
    ids = list(quiz.statements.order_by("order").values_list("pk", flat=True))
    client.get(reverse("quiz", args=[quiz.slug]))  # warm
    with django_db_blocker.block():
        assert client.get("/").status_code == 200
        url, token = reverse("statement", args=[quiz.slug, 1]), ""
        for number, choice in zip([1, 2, 3], ["eens", "neutraal", "oneens"], strict=True):
            assert client.get(url).status_code == 200
            data = {"a": token, "stelling": ids[number - 1], "answer": choice}
            response = client.post(reverse("statement", args=[quiz.slug, number]), data)
            url, token = response.url, token_of(response.url)
        assert client.get(url).status_code == 200  # the overview
        url = client.post(reverse("review", args=[quiz.slug]), {"a": token}).url
        results = client.get(url)
        assert results.status_code == 200
        assert "Per stelling" in results.content.decode()
        assert (
            client.get(reverse("results_json", args=[quiz.slug]) + f"?a={token}").status_code == 200
        )


def test_publishing_an_edit_refreshes_the_cached_quiz(client, make_quiz):
    quiz = make_quiz(statements=2)
    url = reverse("statement", args=[quiz.slug, 1])
    client.get(url)
    statement = quiz.statements.order_by("order").first()
    statement.text = "De overheid moet iets heel anders doen."
    statement.save()
    assert "iets heel anders" in client.get(url).content.decode()


def test_voters_keep_their_quiz_when_the_database_is_down(client, make_quiz, monkeypatch):
    quiz = make_quiz(statements=3)
    assert client.get(reverse("statement", args=[quiz.slug, 1])).status_code == 200

    def unreachable(*args, **kwargs):
        raise OperationalError("the database is down")

    monkeypatch.setattr(ContentVersion, "current", unreachable)
    monkeypatch.setitem(snapshot._version, "fresh_until", 0.0)  # the version is due a re-read
    response = client.get(reverse("statement", args=[quiz.slug, 2]))
    assert response.status_code == 200
    assert "Stelling 2 van 3" in response.content.decode()
    # It asks again only after a pause, not on every request.
    assert snapshot._version["fresh_until"] > time.monotonic() + snapshot.VERSION_TTL


def take_the_database_down(monkeypatch) -> None:
    """From now on every read the voter pages would make fails, as in an outage."""

    def down(*args, **kwargs):
        raise OperationalError("the database is down")

    monkeypatch.setattr(ContentVersion, "current", down)
    monkeypatch.setattr(snapshot, "build", down)
    monkeypatch.setattr(snapshot.Quiz.objects, "live", down)
    monkeypatch.setitem(snapshot._version, "fresh_until", 0.0)


def start_a_new_process(monkeypatch) -> None:
    """This process as if it had just started: nothing in memory."""
    monkeypatch.setattr(snapshot, "_snapshots", {})
    monkeypatch.setattr(snapshot, "_live", {})
    monkeypatch.setattr(snapshot, "_retry_at", {})
    monkeypatch.setattr(snapshot, "_version", {"value": 0, "fresh_until": 0.0})


def test_a_change_while_the_database_goes_down_keeps_the_last_snapshot(
    client, make_quiz, monkeypatch
):
    quiz = make_quiz(statements=3)
    assert client.get(reverse("statement", args=[quiz.slug, 1])).status_code == 200
    monkeypatch.setattr(ContentVersion, "current", lambda: 1)  # an editor changed something
    monkeypatch.setitem(snapshot._version, "fresh_until", 0.0)
    builds = []

    def down(*args, **kwargs):
        builds.append(args)
        raise OperationalError("the database is down")

    monkeypatch.setattr(snapshot, "build", down)
    for number in (1, 2, 3):
        response = client.get(reverse("statement", args=[quiz.slug, number]))
        assert response.status_code == 200
    assert len(builds) == 1  # tried once, then the old snapshot until RETRY_AFTER


def test_a_process_started_while_the_database_is_down_serves_the_snapshot_on_disk(
    client, make_quiz, monkeypatch
):
    quiz = make_quiz(statements=3)
    results = run_quiz(client, quiz, ["eens", "oneens", "neutraal"])
    start_a_new_process(monkeypatch)
    take_the_database_down(monkeypatch)
    assert client.get("/").status_code == 200
    page = client.get(reverse("statement", args=[quiz.slug, 2])).content.decode()
    assert "Stelling 2 van 3" in page
    response = client.get(results)
    assert response.status_code == 200
    assert "Per stelling" in response.content.decode()


def test_without_a_snapshot_anywhere_the_voter_gets_the_unavailable_page(client, db, monkeypatch):
    start_a_new_process(monkeypatch)
    take_the_database_down(monkeypatch)
    response = client.get(reverse("quiz", args=["vooruit-2024"]))
    assert response.status_code == 503
    assert "Even niet bereikbaar" in response.content.decode()
    assert response["Retry-After"] == "30"


def test_every_voter_page_has_a_plain_title(client, make_quiz):
    """The tab's title is text: a tag in it (as `</div>` once was on the landing page) shows."""
    quiz = make_quiz(statements=2)
    programme = quiz.election.programmes.get()
    urls = [
        reverse("quiz", args=[quiz.slug]),
        reverse("about", args=[quiz.slug]),
        reverse("statement", args=[quiz.slug, 1]),
        reverse("results", args=[quiz.slug]),
        reverse("method"),
        reverse("programmes"),
        reverse("programme", args=[programme.slug]),
    ]
    for url in urls:
        html = client.get(url).content.decode()
        title = re.search(r"<title>(.*?)</title>", html, re.DOTALL)[1]
        assert "<" not in title, (url, title)
        assert title.endswith(" – Stemtest"), (url, title)
        assert "\n" not in title, (url, title)
    landing = client.get(reverse("quiz", args=[quiz.slug])).content.decode()
    assert f"<title>{quiz.title} – Stemtest</title>" in landing
