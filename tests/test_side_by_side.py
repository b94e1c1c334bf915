"""Two parties side by side (/stemtest/<slug>/naast-elkaar/<a>/<b>/): each statement with both
positions and the passages that decide them, how often they take the same position; the choice
of two parties, a friendly 400 for a party that does not take part; the same for everyone."""

from django.urls import reverse

from tests.helpers import visible_text


def test_the_pair_shows_both_positions_per_statement_and_how_often_they_agree(client, make_quiz):
    # Vooruit: eens, oneens, neutraal, geen; Partij 2: eens, eens, eens, eens.
    stances = [["eens", "eens"], ["oneens", "eens"], ["neutraal", "eens"], ["geen", "eens"]]
    quiz = make_quiz(statements=4, parties=2, stances=stances)
    url = reverse("side_by_side_pair", args=[quiz.slug, "vooruit", "partij-2"])
    response = client.get(url)
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    html = response.content.decode()
    text = visible_text(html)
    assert "Zelfde standpunt over 1 van de 3 stellingen" in text
    rows = html.split('<li class="pair-row ')[1:]
    assert [row.split('"', 1)[0] for row in rows] == [
        "outcome-match",
        "outcome-nomatch",
        "outcome-half",
        "outcome-none",
    ]
    assert "Niet te vergelijken" in rows[3]
    assert "Resolutie 1: we doen maatregel 1 voor iedereen." in rows[0]  # Vooruit's citation
    assert 'href="/programma/vooruit-2024/resolutie/1/"' in rows[0]
    assert "Partij 2 zegt eens over maatregel 2." in rows[1]


def test_the_choice_of_two_leads_to_the_pairs_address(client, make_quiz):
    quiz = make_quiz(statements=2, parties=3)
    index = reverse("side_by_side", args=[quiz.slug])
    page = client.get(index)
    assert page.status_code == 200
    html = page.content.decode()
    for a, b in [("vooruit", "partij-2"), ("vooruit", "partij-3"), ("partij-2", "partij-3")]:
        links = [reverse("side_by_side_pair", args=[quiz.slug, *pair]) for pair in ((a, b), (b, a))]
        assert sum(html.count(f'href="{link}"') for link in links) == 1, (a, b)  # each pair once
    chosen = client.get(index, {"links": "partij-3", "rechts": "vooruit"})
    assert chosen.status_code == 302
    assert chosen["Location"] == reverse(
        "side_by_side_pair", args=[quiz.slug, "partij-3", "vooruit"]
    )


def test_a_party_not_in_the_quiz_or_twice_the_same_is_the_friendly_400(client, make_quiz):
    quiz = make_quiz(statements=2, parties=2)
    for args in [("vooruit", "bestaat-niet"), ("vooruit", "vooruit")]:
        response = client.get(reverse("side_by_side_pair", args=[quiz.slug, *args]))
        assert response.status_code == 400
        assert "Dat lukte niet" in response.content.decode()
    same = client.get(
        reverse("side_by_side", args=[quiz.slug]), {"links": "vooruit", "rechts": "vooruit"}
    )
    assert same.status_code == 400
    assert "Kies twee verschillende partijen." in same.content.decode()


def test_with_one_party_there_is_nothing_to_put_side_by_side(client, make_quiz):
    quiz = make_quiz(statements=2)
    text = visible_text(client.get(reverse("side_by_side", args=[quiz.slug])).content.decode())
    assert "maar één partij" in text
    results = client.get(reverse("results", args=[quiz.slug])).content.decode()
    assert reverse("side_by_side", args=[quiz.slug]) not in results


def test_the_results_of_several_parties_link_to_it(client, make_quiz):
    quiz = make_quiz(statements=2, parties=2)
    results = client.get(reverse("results", args=[quiz.slug])).content.decode()
    assert f'href="{reverse("side_by_side", args=[quiz.slug])}"' in results
