"""What a voter sees after bad input: the friendly Dutch 400 as a page, never a silent failure
(the voter side has no htmx; the programme search, which has, swaps 400s: htmx_head.html).
Public pages set no cookie, not even a CSRF one."""

import json
import re

from django.urls import reverse

from tests.helpers import HTMX


def test_a_bad_answer_post_without_javascript_is_the_full_400_page(client, make_quiz):
    quiz = make_quiz(statements=2)
    statement = quiz.statements.order_by("order").first()
    response = client.post(
        reverse("statement", args=[quiz.slug, 1]), {"stelling": statement.pk, "answer": "ja"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "<html" in html
    assert "Dat antwoord kennen we niet" in html
    assert "HX-Retarget" not in response.headers


def test_a_bad_answer_post_with_an_htmx_header_gets_the_whole_friendly_page(client, make_quiz):
    quiz = make_quiz(statements=2)
    statement = quiz.statements.order_by("order").first()
    response = client.post(
        reverse("statement", args=[quiz.slug, 1]),
        {"stelling": statement.pk, "answer": "ja"},
        headers=HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "HX-Retarget" not in response.headers
    assert html.startswith("<!doctype html>")
    assert "Dat antwoord kennen we niet" in html
    assert f'href="{reverse("statement", args=[quiz.slug, 1])}"' in html  # "Ga verder"


def test_a_tampered_token_in_a_results_change_is_the_friendly_400(client, make_quiz):
    quiz = make_quiz(statements=2)
    statement = quiz.statements.order_by("order").first()
    data = {"a": "1.1e:vervalst", "stelling": statement.pk, f"answer-{statement.pk}": "eens"}
    response = client.post(reverse("results", args=[quiz.slug]), data)
    assert response.status_code == 400
    assert "Deze link met antwoorden is veranderd of onvolledig" in response.content.decode()


def test_voter_pages_load_no_htmx_and_the_programme_search_swaps_400s(client, make_quiz):
    quiz = make_quiz(statements=1)
    for url in [reverse("quiz", args=[quiz.slug]), reverse("statement", args=[quiz.slug, 1])]:
        assert "htmx" not in client.get(url).content.decode()
    programme = quiz.election.programmes.get()
    html = client.get(reverse("programme", args=[programme.slug])).content.decode()
    config = json.loads(re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", html)[1])
    handling = {rule["code"]: rule for rule in config["responseHandling"]}
    assert handling["400"]["swap"] is True
    assert handling["[45].."]["swap"] is False  # other errors still leave the page alone
    assert config["responseHandling"].index(handling["400"]) < config["responseHandling"].index(
        handling["[45].."]
    )
    assert "/static/django_htmx/" in html or "htmx.min" in html


def test_a_post_to_the_results_json_is_refused_with_405(client, make_quiz):
    quiz = make_quiz(statements=1)
    assert client.post(reverse("results_json", args=[quiz.slug])).status_code == 405


def test_programme_and_error_pages_set_no_cookie(client, make_quiz):
    make_quiz(statements=1)
    for url in [
        reverse("programme", args=["vooruit-2024"]),
        reverse("section", args=["vooruit-2024", "1.1"]),
        reverse("resolution", args=["vooruit-2024", 1]),
        reverse("search", args=["vooruit-2024"]) + "?q=maatregel",
        reverse("search", args=["vooruit-2024"]) + "?q=" + "x" * 301,  # Django's 400 page
        "/bestaat-niet/",  # Django's 404 page
    ]:
        response = client.get(url)
        assert response.status_code in {200, 400, 404}
        assert not response.cookies, url
    assert not client.cookies


def test_a_refused_form_gets_the_dutch_csrf_page(db):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/admin/login/", {"username": "x"})
    assert response.status_code == 403
    assert "Dit formulier kunnen we niet aanvaarden" in response.content.decode()
    assert '<html lang="nl-BE">' in response.content.decode()


def test_a_server_error_gets_the_dutch_500_page(client, settings):
    from django.urls import path

    def broken(request):
        raise RuntimeError("boom")

    settings.ROOT_URLCONF = type("Urls", (), {"urlpatterns": [path("kapot/", broken)]})
    client.raise_request_exception = False
    response = client.get("/kapot/")
    assert response.status_code == 500
    assert "Er ging iets mis bij ons" in response.content.decode()
