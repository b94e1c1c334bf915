"""Redis is never on the way: with a Redis that accepts connections and never answers, voters
get their pages and editors save and publish, with their history, and no request even opens a
connection to it."""

import socket

import pytest
from django.contrib.admin.models import LogEntry
from django.test import override_settings
from django.urls import reverse

from tests.helpers import run_quiz


@pytest.fixture
def hanging_redis():
    """A listening socket that nobody accepts from: a connection is made and never answered."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        listener.setblocking(False)
        cache = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{listener.getsockname()[1]}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
        with override_settings(CACHES={"default": cache}):
            yield listener


def connections_to(listener) -> int:
    count = 0
    while True:
        try:
            connection, _ = listener.accept()
        except BlockingIOError:
            return count
        connection.close()
        count += 1


def test_voters_and_editors_never_wait_on_a_hanging_redis(
    client, redacteur_client, redacteur, make_quiz, hanging_redis
):
    quiz = make_quiz(statements=3)
    results = run_quiz(client, quiz, ["eens", "oneens", "neutraal"])
    assert client.get(results).status_code == 200
    assert client.get(reverse("statements", args=[quiz.slug])).status_code == 200

    ids = list(quiz.statements.values_list("pk", flat=True))
    response = redacteur_client.post(
        reverse("admin:quiz_statement_changelist"),
        {"action": "unpublish", "_selected_action": ids[:1]},
    )
    assert response.status_code == 302
    assert not quiz.statements.get(pk=ids[0]).is_published
    assert LogEntry.objects.filter(object_id=str(ids[0]), user=redacteur).exists()
    page = client.get(reverse("statement", args=[quiz.slug, 1])).content.decode()
    assert "Stelling 1 van 2" in page

    assert connections_to(hanging_redis) == 0
