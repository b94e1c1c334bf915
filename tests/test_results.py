"""The results page: ranking, themes, per-statement comparison with quoted resolutions,
filters, changing an answer, the share link and its JSON, the method page."""

from django.test import Client
from django.urls import reverse

from tests.helpers import HTMX, run_quiz, token_of, visible_text


def text(response) -> str:
    return visible_text(response.content.decode())


def test_one_party_gets_a_sentence_with_the_percentage_and_the_count(client, make_quiz):
    # Vooruit: eens, oneens, neutraal. Voter: eens (2), eens (0), eens (1) → 3/6 = 50 %.
    quiz = make_quiz(statements=3)
    response = client.get(run_quiz(client, quiz, ["eens", "eens", "eens"]))
    assert response.status_code == 200
    assert "Je bent het voor 50 % eens met Vooruit." in text(response)
    assert "op basis van 3 stellingen" in text(response)


def test_the_guides_worked_example_shows_38_percent(client, make_quiz):
    quiz = make_quiz(stances=[["eens"], ["eens"], ["oneens"]], statements=3)
    url = run_quiz(client, quiz, ["eens", "oneens", "neutraal"], important={2})
    assert "Je bent het voor 38 % eens met Vooruit." in text(client.get(url))


def test_parties_are_ranked_and_ties_are_shown_as_ties(client, make_quiz):
    quiz = make_quiz(statements=2, parties=3, stances=[["eens", "eens", "oneens"]] * 2)
    page = text(client.get(run_quiz(client, quiz, ["eens", "eens"])))
    assert "1. Partij 2 (gelijk) 100 %" in page
    assert "1. Vooruit (gelijk) 100 %" in page
    assert "3. Partij 3 0 %" in page
    assert page.index("Partij 2 (gelijk)") < page.index("Vooruit (gelijk)") < page.index("Partij 3")


def test_all_skipped_gives_a_clear_message_and_no_percentage(client, make_quiz):
    quiz = make_quiz(statements=2)
    page = text(client.get(run_quiz(client, quiz, ["overslaan", "overslaan"])))
    assert "Er is nog geen resultaat." in page
    assert "NaN" not in page
    assert "%" not in page.split("Er is nog geen resultaat.")[1].split("Per stelling")[0]


def test_a_party_without_a_stance_is_not_compared_on_that_statement(client, make_quiz):
    quiz = make_quiz(statements=2, stances=[["geen"], ["eens"]])
    page = text(client.get(run_quiz(client, quiz, ["eens", "eens"])))
    assert "Vooruit: Geen standpunt Niet vergeleken" in page
    assert "op basis van 1 stelling " in page


def test_each_statement_quotes_the_cited_resolution_in_full_with_its_number_and_link(
    client, make_quiz
):
    quiz = make_quiz(statements=2)
    response = client.get(run_quiz(client, quiz, ["eens", "eens"], important={1}))
    html = response.content.decode()
    page = text(response)
    assert "Jij: Eens ★ belangrijk" in page
    assert "Vooruit: Eens Zelfde mening" in page
    assert "Vooruit: Oneens Andere mening" in page
    assert "Vooruit zegt eens over maatregel 1." in page
    assert "<p>Resolutie 1: we doen maatregel 1 voor iedereen.</p>" in html
    link = reverse("resolution", args=["vooruit-2024", 1])
    assert f'<a href="{link}">Resolutie 1</a>' in html


def test_the_theme_breakdown_is_an_svg_chart_rendered_on_the_server(client, make_quiz):
    quiz = make_quiz(statements=2)  # statement 1 theme Werk (eens: match), 2 Zorg (oneens: no)
    response = client.get(run_quiz(client, quiz, ["eens", "eens"]))
    page = text(response)
    assert "Werk 100 %" in page
    assert "Zorg 0 %" in page
    assert '<rect data-bar width="100" height="10" fill="#ff2900"/>' in response.content.decode()
    assert "<script" not in response.content.decode().split("<main")[1]


def test_filters_show_where_you_agree_or_disagree(client, make_quiz):
    quiz = make_quiz(statements=3)  # eens, oneens, neutraal
    url = run_quiz(client, quiz, ["eens", "eens", "eens"])
    agree = text(client.get(url + "&toon=eens"))
    disagree = text(client.get(url + "&toon=oneens"))
    assert "Maatregel 1" in agree
    assert "Maatregel 2" not in agree
    assert "Maatregel 3" not in agree
    assert "Maatregel 2" in disagree
    assert "Maatregel 1" not in disagree
    everything = text(client.get(url + "&toon=alles"))
    assert all(f"Maatregel {n}" in everything for n in (1, 2, 3))


def test_an_htmx_header_gets_the_whole_page_the_voter_side_has_no_htmx(client, make_quiz):
    quiz = make_quiz(statements=3)
    url = run_quiz(client, quiz, ["eens", "eens", "eens"])
    html = client.get(url + "&toon=oneens", headers=HTMX).content.decode()
    assert html.startswith("<!doctype html>")
    assert "htmx" not in html
    page = visible_text(html)
    assert "Maatregel 2" in page
    assert "Maatregel 1" not in page


def test_an_unknown_filter_is_a_friendly_400(client, make_quiz):
    quiz = make_quiz(statements=1)
    url = run_quiz(client, quiz, ["eens"])
    assert client.get(url + "&toon=alles-behalve").status_code == 400


def test_changing_an_answer_redirects_to_the_updated_results(client, make_quiz):
    quiz = make_quiz(statements=2)  # eens, oneens
    url = run_quiz(client, quiz, ["eens", "eens"])
    assert "Je bent het voor 50 % eens met Vooruit." in text(client.get(url))
    second = quiz.statements.order_by("order")[1]
    data = {
        "a": token_of(url),
        "stelling": second.pk,
        f"answer-{second.pk}": "oneens",
    }
    response = client.post(reverse("results", args=[quiz.slug]), data)
    assert response.status_code == 303
    assert response.url.endswith(f"#s{second.pk}")
    assert "Je bent het voor 100 % eens met Vooruit." in text(client.get(response.url))


def test_changing_an_answer_rejects_an_unknown_value(client, make_quiz):
    quiz = make_quiz(statements=1)
    url = run_quiz(client, quiz, ["eens"])
    statement = quiz.statements.get()
    data = {
        "a": token_of(url),
        "stelling": statement.pk,
        f"answer-{statement.pk}": "ja",
    }
    assert client.post(reverse("results", args=[quiz.slug]), data).status_code == 400


def test_the_share_link_reproduces_the_result_for_anyone(client, make_quiz):
    quiz = make_quiz(statements=3, parties=2)
    url = run_quiz(client, quiz, ["eens", "neutraal", "oneens"], important={3})
    mine = client.get(url)
    theirs = Client().get(url)
    assert theirs.status_code == 200
    assert text(mine) == text(theirs)
    assert f'value="http://testserver{url}"' in mine.content.decode()


def test_the_share_link_as_json_gives_percentages_and_the_comparison(client, make_quiz):
    quiz = make_quiz(statements=3, parties=2)
    url = run_quiz(client, quiz, ["eens", "eens", "overslaan"], important={1})
    token = token_of(url)
    data = client.get(reverse("results_json", args=[quiz.slug]) + f"?a={token}").json()
    same = client.get(url + "&format=json").json()
    assert data == same
    # Vooruit: eens (2×2 of 4), oneens (0 of 2) → 4/6 = 67 %;
    # Partij 2: oneens, neutraal → 1/6 = 17 %.
    assert [(p["slug"], p["percentage"], p["statements_compared"]) for p in data["parties"]] == [
        ("vooruit", 67, 2),
        ("partij-2", 17, 2),
    ]
    first = data["statements"][0]
    assert first["answer"] == "eens"
    assert first["belangrijk"] is True
    assert first["parties"]["vooruit"] == {"stance": "eens", "outcome": "match", "resolutions": [1]}
    assert data["statements"][2]["parties"]["vooruit"]["outcome"] == "none"


def test_json_rejects_a_bad_token_with_400(client, make_quiz):
    quiz = make_quiz(statements=1)
    response = client.get(reverse("results_json", args=[quiz.slug]) + "?a=1.1e:forged")
    assert response.status_code == 400
    assert "error" in response.json()


def test_results_and_json_do_no_queries_once_warm(client, make_quiz, django_assert_num_queries):
    quiz = make_quiz(statements=3, parties=2)
    url = run_quiz(client, quiz, ["eens", "neutraal", "oneens"])
    client.get(url)
    with django_assert_num_queries(0):
        client.get(url)
        client.get(url + "&format=json")


def test_the_method_page_explains_the_formula_with_the_worked_example(client):
    page = text(client.get(reverse("method")))
    assert "Hoe berekenen we je resultaat?" in page
    assert "37,5 %, afgerond 38 %" in page
    assert "overslaat" in page
    assert "geen standpunt" in page


def test_voter_pages_are_valid_html(client, make_quiz, html_errors):
    quiz = make_quiz(statements=2, parties=2)
    url = run_quiz(client, quiz, ["eens", "neutraal"], important={1})
    pages = [
        client.get(reverse("quiz", args=[quiz.slug])),
        client.get(reverse("statement", args=[quiz.slug, 2])),
        client.get(url),
        client.get(reverse("method")),
        client.get(reverse("statement", args=[quiz.slug, 9])),
    ]
    assert html_errors(*(page.content.decode() for page in pages)) == []


def test_each_row_is_compact_and_waarom_holds_the_quotes_with_the_decisive_words_marked(
    client, make_quiz
):
    from quiz.models import Citation

    quiz = make_quiz(statements=2)
    citation = Citation.objects.filter(position__statement__quiz=quiz).first()
    citation.excerpt = "maatregel 1 voor iedereen"
    citation.save()
    html = client.get(run_quiz(client, quiz, ["eens", "eens"])).content.decode()
    row = html[html.index('<li id="s') : html.index("</li>", html.index('<details class="why">'))]
    assert (
        '<li class="party-stance outcome-match" data-party="0"><strong>Vooruit: Eens</strong>'
        in row
    )
    assert row.index('<details class="why">') < row.index('<blockquote class="citation"')
    assert "we doen <mark>maatregel 1 voor iedereen</mark>." in html


def test_an_excerpt_is_marked_once_escaped_and_never_invents_text():
    from quiz.templatetags.programme import with_excerpt_marked

    assert (
        with_excerpt_marked("A <b> & B, en C.", "& B") == "A &lt;b&gt; <mark>&amp; B</mark>, en C."
    )
    assert with_excerpt_marked("Geen <fragment>.", "") == "Geen &lt;fragment&gt;."
    assert with_excerpt_marked("Tekst.", "elders") == "Tekst."
