"""What a voter sees after bad input: the friendly Dutch 400 as a page, and with htmx the same
message in place of the main content (htmx swaps 400s, see base.html), never a silent failure.
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


def test_a_bad_answer_post_with_htmx_retargets_the_message_to_the_main_content(client, make_quiz):
    quiz = make_quiz(statements=2)
    statement = quiz.statements.order_by("order").first()
    response = client.post(
        reverse("statement", args=[quiz.slug, 1]),
        {"stelling": statement.pk, "answer": "ja"},
        headers=HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert response["HX-Retarget"] == "#inhoud"
    assert response["HX-Reswap"] == "innerHTML"
    assert "<html" not in html
    assert "<title>Dat lukte niet – Stemtest</title>" in html
    assert '<h1 id="bad-request-heading" tabindex="-1" autofocus>Dat lukte niet</h1>' in html
    assert "Dat antwoord kennen we niet" in html
    assert f'href="{reverse("statement", args=[quiz.slug, 1])}"' in html  # "Ga verder"


def test_a_tampered_token_in_an_htmx_results_change_is_shown_in_place(client, make_quiz):
    quiz = make_quiz(statements=2)
    statement = quiz.statements.order_by("order").first()
    data = {"a": "1.1e:vervalst", "stelling": statement.pk, f"answer-{statement.pk}": "eens"}
    response = client.post(reverse("results", args=[quiz.slug]), data, headers=HTMX)
    assert response.status_code == 400
    assert response["HX-Retarget"] == "#inhoud"
    assert "De ondertekening van je antwoorden klopt niet." in response.content.decode()


def test_an_htmx_history_restore_of_a_bad_address_gets_the_full_page(client, make_quiz):
    quiz = make_quiz(statements=2)
    response = client.get(
        reverse("results", args=[quiz.slug]) + "?a=kapot",
        headers={**HTMX, "HX-History-Restore-Request": "true"},
    )
    assert response.status_code == 400
    assert "<html" in response.content.decode()
    assert "HX-Retarget" not in response.headers


def test_htmx_is_configured_to_swap_400_responses(client, make_quiz):
    quiz = make_quiz(statements=1)
    html = client.get(reverse("quiz", args=[quiz.slug])).content.decode()
    config = json.loads(re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", html)[1])
    handling = {rule["code"]: rule for rule in config["responseHandling"]}
    assert handling["400"]["swap"] is True
    assert handling["[45].."]["swap"] is False  # other errors still leave the page alone
    assert config["responseHandling"].index(handling["400"]) < config["responseHandling"].index(
        handling["[45].."]
    )


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
