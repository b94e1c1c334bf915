"""A quiz changed while a voter is answering: editors edit, reorder, unpublish and add
statements in the admin and the programme is re-imported; the voter's next step, results and
share link keep working, with every answer on its own statement.
(tests/test_quiz_flow.py covers a reorder and a deletion on their own.)"""

import json

import pytest
from django.test import Client
from django.urls import reverse

from quiz.importing import import_programme
from quiz.models import Citation, Position, Resolution, Statement
from tests.helpers import token_of, visible_text

PROGRAMME = " VOORUIT MET ONZE  \nWELVAART EN KOOPKRACHT \n\n1.1. WERK \n\nResoluties:\n" + "".join(
    f"{n}.\tResolutie {n}: we doen maatregel {n} voor iedereen.\n" for n in range(1, 7)
)


def answered(voter, quiz, token) -> dict[str, tuple[str | None, bool]]:
    """Statement text → (the voter's answer, belangrijk), from the results as JSON."""
    response = voter.get(reverse("results_json", args=[quiz.slug]), {"a": token})
    assert response.status_code == 200
    statements = json.loads(response.content)["statements"]
    return {s["text"]: (s["answer"], s["belangrijk"]) for s in statements}


@pytest.fixture
def voter():
    return Client()


@pytest.fixture
def quiz(make_quiz, party, election, tmp_path):
    """Five statements, "maatregel 1" to "maatregel 5"; the programme, imported from a text, has
    resolutions 1 to 6 (resolution n decides statement n)."""
    quiz = make_quiz(statements=5)
    source = tmp_path / "programma.txt"
    source.write_text(PROGRAMME, "utf-8")
    import_programme(source, party=party, election=election, slug="vooruit-2024")
    return quiz


def test_a_voter_halfway_through_survives_edits_reorder_unpublish_add_and_reimport(
    voter, redacteur_client, quiz, party, election, tmp_path
):
    s1, s2, s3, s4, s5 = quiz.statements.order_by("order")

    def step(number):
        return reverse("statement", args=[quiz.slug, number])

    # The voter answers statements 1 to 3 and is shown statement 4.
    token = ""
    for number, statement, choice, important in [
        (1, s1, "eens", False),
        (2, s2, "oneens", True),
        (3, s3, "neutraal", False),
    ]:
        data = {"a": token, "stelling": statement.pk, "answer": choice}
        if important:
            data["belangrijk"] = "1"
        response = voter.post(step(number), data)
        assert response.status_code == 303
        token = token_of(response.url)
    share_link = reverse("results", args=[quiz.slug]) + f"?a={token}"
    assert s4.text in voter.get(response.url).content.decode()

    # Meanwhile, in the admin: statement 2 gets a new text, statement 3 goes offline,
    # statements 1 and 4 swap places, a sixth statement is added ...
    s2.text = "De overheid moet maatregel 2 sneller invoeren."
    s2.save()
    changelist = reverse("admin:quiz_statement_changelist")
    offline = redacteur_client.post(
        changelist, {"action": "unpublish", "_selected_action": [s3.pk]}
    )
    assert offline.status_code == 302
    swap = {
        "form-TOTAL_FORMS": 2,
        "form-INITIAL_FORMS": 2,
        "form-MIN_NUM_FORMS": 0,
        "form-MAX_NUM_FORMS": 1000,
        "form-0-id": s1.pk,
        "form-0-order": 4,
        "form-1-id": s4.pk,
        "form-1-order": 1,
    }
    reorder = reverse("admin:quiz_quiz_reorder", args=[quiz.pk])
    assert redacteur_client.post(reorder, swap).status_code == 302
    s6 = Statement.objects.create(
        quiz=quiz,
        order=6,
        text="De overheid moet maatregel 6 invoeren.",
        short_title="Maatregel 6",
        theme=s1.theme,
        status=Statement.Status.PUBLISHED,
    )
    position = Position.objects.create(statement=s6, party=party, stance="eens")
    Citation.objects.create(position=position, resolution=Resolution.objects.get(number=6))
    # ... and the programme is re-imported with a sharper resolution 1.
    source = tmp_path / "programma-v2.txt"
    source.write_text(PROGRAMME.replace("maatregel 1 voor iedereen", "maatregel 1 meteen"), "utf-8")
    import_programme(source, party=party, election=election, slug="vooruit-2024")

    # The quiz is now: s4, s2, s1, s5, s6. The voter's next step (number 4) is s5.
    page = voter.get(f"{step(4)}?a={token}")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Stelling 4 van 5" in html
    assert s5.text in html

    # Answering it from that page moves on to s6, the new one.
    response = voter.post(step(4), {"a": token, "stelling": s5.pk, "answer": "oneens"})
    assert response.status_code == 303
    token = token_of(response.url)
    assert "De overheid moet maatregel 6 invoeren." in voter.get(response.url).content.decode()

    # A screen loaded before the edits still posts: s4's answer lands on s4.
    response = voter.post(step(4), {"a": token, "stelling": s4.pk, "answer": "eens"})
    assert response.status_code == 303
    token = token_of(response.url)

    # The last answer leads to the overview, and on to the results (belangrijk as it was).
    response = voter.post(step(5), {"a": token, "stelling": s6.pk, "answer": "eens"})
    assert response.status_code == 303
    token = token_of(response.url)
    so_far = voter.get(reverse("results_json", args=[quiz.slug]), {"a": token})
    statements = json.loads(so_far.content)["statements"]
    keep = {f"belangrijk-{s['id']}": "1" for s in statements if s["belangrijk"]}
    response = voter.post(reverse("review", args=[quiz.slug]), {"a": token, **keep})
    token = token_of(response.url)
    results = voter.get(response.url)
    html = results.content.decode()
    assert results.status_code == 200
    assert "Je beantwoordde 5 van de 5 stellingen" in visible_text(html)
    assert "De overheid moet maatregel 2 sneller invoeren." in html
    assert s3.text not in html
    assert "Resolutie 1: we doen maatregel 1 meteen." in html
    assert answered(voter, quiz, token) == {
        s4.text: ("eens", False),
        "De overheid moet maatregel 2 sneller invoeren.": ("oneens", True),
        s1.text: ("eens", False),
        s5.text: ("oneens", False),
        s6.text: ("eens", False),
    }

    # The share link made before the edits still opens, without the offline statement.
    shared = voter.get(share_link)
    assert shared.status_code == 200
    assert "Je beantwoordde 2 van de 5 stellingen" in visible_text(shared.content.decode())
    old = answered(voter, quiz, token_of(share_link))
    assert old[s1.text] == ("eens", False)
    assert old["De overheid moet maatregel 2 sneller invoeren."] == ("oneens", True)
    assert old[s6.text] == (None, False)

    # Back online, statement 3 has its answer again: answers are kept by statement.
    redacteur_client.post(changelist, {"action": "publish", "_selected_action": [s3.pk]})
    assert answered(voter, quiz, token_of(share_link))[s3.text] == ("neutraal", False)
