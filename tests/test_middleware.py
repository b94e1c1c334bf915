"""Sessions, users and messages are for editors' pages only; voters' pages skip them."""

from django.urls import reverse


def test_an_editor_browsing_voter_pages_gets_no_cookies_and_stays_logged_in(
    admin_client, make_quiz
):
    quiz = make_quiz(statements=2)
    for url in [reverse("quiz", args=[quiz.slug]), reverse("statement", args=[quiz.slug, 1])]:
        response = admin_client.get(url)
        assert response.status_code == 200
        assert not response.cookies
    assert admin_client.get(reverse("preview:quiz", args=[quiz.slug])).status_code == 200
    assert admin_client.get(reverse("admin:index")).status_code == 200


def test_the_preview_still_asks_a_visitor_to_log_in(client, make_quiz):
    quiz = make_quiz(statements=2)
    response = client.get(reverse("preview:quiz", args=[quiz.slug]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
