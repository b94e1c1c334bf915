"""Open data: /stemtest/<slug>.json, the published statements and every party's position."""

from quiz.models import Citation, Position, Statement


def test_it_lists_published_statements_with_positions_and_cited_numbers(client, make_quiz):
    quiz = make_quiz(statements=3, parties=2)
    Statement.objects.filter(order=3).update(status=Statement.Status.CONCEPT)
    response = client.get(f"/stemtest/{quiz.slug}.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert (data["title"], data["slug"]) == ("Stemtest Vooruit 2024", "vooruit-2024")
    assert [s["order"] for s in data["statements"]] == [1, 2]
    first = data["statements"][0]
    assert {k: first[k] for k in ["text", "short_title", "uitleg", "theme"]} == {
        "text": "De overheid moet maatregel 1 invoeren.",
        "short_title": "Maatregel 1",
        "uitleg": "Uitleg bij maatregel 1.",
        "theme": "Werk",
    }
    assert first["positions"] == [
        {
            "party": "partij-2",
            "stance": "oneens",
            "justification": "Partij 2 zegt oneens over maatregel 1.",
            "resolutions": [],
        },
        {
            "party": "vooruit",
            "stance": "eens",
            "justification": "Vooruit zegt eens over maatregel 1.",
            "resolutions": [1],
        },
    ]


def test_cited_numbers_keep_the_citation_order(client, make_quiz):
    quiz = make_quiz(statements=2)
    position = Position.objects.get(statement__order=1)
    position.citations.update(order=2)
    Citation.objects.create(
        position=position,
        resolution=quiz.parties.get().programmes.get().resolutions.get(number=2),
        order=1,
    )
    data = client.get(f"/stemtest/{quiz.slug}.json").json()
    assert data["statements"][0]["positions"][0]["resolutions"] == [2, 1]


def test_a_quiz_that_is_not_live_or_unknown_is_not_found(client, make_quiz):
    quiz = make_quiz(statements=1)
    assert client.get("/stemtest/onbekend.json").status_code == 404
    quiz.is_live = False
    quiz.save()
    assert client.get(f"/stemtest/{quiz.slug}.json").status_code == 404
