"""What a stranger can send: bodies voters never send, NUL characters, a forged
X-Forwarded-For; HEAD requests; and the log lines they leave."""

import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIHandler
from django.test import RequestFactory
from django.urls import reverse

from stemtest.logs import ClientErrorsInOneLine
from stemtest.middleware import client_ip_behind_proxy


@pytest.fixture
def quiz(make_quiz):
    return make_quiz(statements=3)


@pytest.mark.parametrize("name", ["statement", "results"])
def test_a_voter_endpoint_refuses_an_upload_unread(client, quiz, name, monkeypatch):
    args = [quiz.slug, 1] if name == "statement" else [quiz.slug]
    upload = SimpleUploadedFile("groot.bin", b"x" * 200_000)
    read = []
    monkeypatch.setattr("django.http.request.HttpRequest._load_post_and_files", read.append)
    response = client.post(reverse(name, args=args), {"bestand": upload})
    assert response.status_code == 413
    assert "we lezen het niet" in response.content.decode()
    assert read == []  # the body was never parsed


def test_a_voter_endpoint_refuses_a_form_larger_than_all_answers(client, quiz):
    response = client.post(
        reverse("results", args=[quiz.slug]),
        "antwoorden=1." + "1e" * 20_000,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413


def test_every_answer_of_a_long_quiz_still_fits(client, quiz):
    ids = list(quiz.statements.values_list("pk", flat=True))
    payload = "1." + "".join(f"{pk}e" for pk in ids) + "".join(f"{10**9 + n}o" for n in range(1500))
    first = ids[0]
    response = client.post(
        reverse("statement", args=[quiz.slug, 1]),
        f"antwoorden={payload}&stelling={first}&answer=eens",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 303


@pytest.mark.parametrize(
    "path",
    [
        "/admin/quiz/section/?deel=%00",
        "/admin/quiz/statement/?standpunt=%00",
        "/admin/quiz/resolution/?hoofdstuk=1%00",
        "/admin/quiz/statement/?q=%00",
        "/programma/vooruit-2024/zoeken/?q=a%00b",
    ],
)
def test_a_nul_in_the_address_is_a_400_page(admin_client, quiz, path):
    response = admin_client.get(path)
    assert response.status_code == 400
    assert "Vraag niet begrepen" in response.content.decode()  # the friendly 400 page


@pytest.mark.parametrize(
    ("forwarded", "address"),
    [
        ("203.0.113.9", "203.0.113.9"),
        ("198.51.100.1, 203.0.113.9", "203.0.113.9"),
        ("2001:db8::1", "2001:db8::1"),
        ("niet-een-adres", "10.0.0.1"),
        ("203.0.113.9, '; DROP TABLE", "10.0.0.1"),
        ("", "10.0.0.1"),
    ],
)
def test_behind_a_proxy_only_a_real_address_is_taken(forwarded, address):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip_behind_proxy(request) == address


def test_a_login_with_a_forged_forwarded_for_is_a_normal_refusal(client, db, settings):
    settings.AXES_CLIENT_IP_CALLABLE = "stemtest.middleware.client_ip_behind_proxy"
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "redactie", "password": "fout"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="geen adres",
    )
    assert response.status_code == 200  # the login form again, with its error


@pytest.mark.parametrize("name", ["home", "method"])
def test_a_head_response_has_the_length_of_the_page_and_no_body(client, quiz, name):
    """As the WSGI server gets it (the test client would drop the body itself)."""
    page = client.get(reverse(name), HTTP_HOST="127.0.0.1")  # the host is in the page
    started = {}

    def start_response(status, headers, exc_info=None):
        started.update(status=status, headers=dict(headers))

    environ = RequestFactory().head(reverse(name), HTTP_HOST="127.0.0.1").environ
    body = b"".join(WSGIHandler()(environ, start_response))
    assert started["status"] == "200 OK"
    assert started["headers"]["Content-Length"] == str(len(page.content))
    assert body == b""


def record(name: str, level: int, exc: bool) -> logging.LogRecord:
    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        info = sys.exc_info() if exc else None
    return logging.LogRecord(name, level, __file__, 1, "message", (), info)


def test_a_clients_mistake_is_one_warning_line_and_our_error_keeps_its_traceback():
    one_line = ClientErrorsInOneLine()
    bad_host = record("django.security.DisallowedHost", logging.ERROR, exc=True)
    assert one_line.filter(bad_host)
    assert (bad_host.levelname, bad_host.exc_info) == ("WARNING", None)
    bad_request = record("django.request", logging.WARNING, exc=True)
    one_line.filter(bad_request)
    assert bad_request.exc_info is None
    ours = record("django.request", logging.ERROR, exc=True)
    one_line.filter(ours)
    assert ours.exc_info is not None
    assert ours.levelname == "ERROR"


def test_the_console_uses_the_one_line_filter(settings):
    assert "one_line" in settings.LOGGING["handlers"]["console"]["filters"]
