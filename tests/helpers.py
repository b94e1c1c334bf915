"""Plain helpers that several test modules share (fixtures are in conftest.py): the htmx request
header, the answer token of an address, the rows in the database, the per-answer quiz through the
Django test client, and, for the browser tests, driving the quiz in a Playwright page (quiz.js on
the device, or htmx when the statements bundle is refused)."""

import re
from urllib.parse import parse_qs, urlsplit

from django.apps import apps
from django.urls import reverse
from playwright.sync_api import expect

from quiz.answers import Answer, decode
from quiz.snapshot import get_snapshot

HTMX = {"HX-Request": "true"}


def token_of(url: str) -> str:
    """The answer token in an address's `a` query parameter."""
    return parse_qs(urlsplit(url).query)["a"][0]


def row_counts() -> dict[str, int]:
    """Rows per model in the database, to check that a request stored nothing."""
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def run_quiz(client, quiz, choices, important=()):
    """Answer the first statements with `choices` through the plain flow; returns the results
    URL (after the last statement only if `choices` answers them all)."""
    token = ""
    for number, (statement, choice) in enumerate(
        zip(quiz.statements.order_by("order"), choices, strict=False), 1
    ):
        data = {"a": token, "stelling": statement.pk, "answer": choice}
        if number in important:
            data["belangrijk"] = "1"
        response = client.post(reverse("statement", args=[quiz.slug, number]), data)
        assert response.status_code == 303
        token = token_of(response.url)
    return response.url


# --- In the browser: the quiz on the device (quiz.js), or htmx without the bundle -------------

BUNDLE = "**/stellingen/"
# quiz.js shows its own copy of each screen, a form without htmx attributes.
ON_DEVICE = "#quiz-step .answer-form:not([data-hx-post])"
MODES = ["device", "htmx"]


def block_bundle(page, failure="abort") -> list:
    """quiz.js cannot fetch the statements (offline, a server error), so htmx carries on with a
    request per answer. Returns the bundle requests refused, filled in as they come."""
    refused = []

    def refuse(route):
        refused.append(route.request.url)
        if failure == "abort":
            route.abort()
        else:
            route.fulfill(status=500, body="Serverfout")

    page.route(BUNDLE, refuse)
    return refused


def on_device(page):
    """Wait until quiz.js has the statements and shows the step itself."""
    expect(page.locator(ON_DEVICE)).to_be_attached()


def start(page, live_server, quiz, *, device=True):
    page.goto(f"{live_server.url}/stemtest/{quiz.slug}/")
    page.get_by_role("link", name="Start de stemtest").click()
    expect(page.get_by_text("Stelling 1 van 5")).to_be_visible()
    # A click before the deferred scripts run is a plain form POST, a navigation of its own.
    page.wait_for_load_state("load")
    if device:
        on_device(page)


def answer(page, label, number, total=5):
    page.get_by_role("button", name=label, exact=True).click()
    if number < total:
        expect(page.get_by_text(f"Stelling {number + 1} van {total}")).to_be_visible()


def answer_all(page, answers):
    """Answer every statement: (button, belangrijk) per statement; waits for the results."""
    for number, (label, important) in enumerate(answers, start=1):
        page.get_by_label("Belangrijk").set_checked(important)
        answer(page, label, number)
    page.wait_for_url(re.compile(r"/resultaat/\?a="))


def record_dynamic(requests: list, request) -> None:
    """Keep the requests that reach Django: not the static files (the favicon, fetched after
    the page), which are the same for everyone and tell the server nothing."""
    if "/static/" not in request.url:
        requests.append(request)


def answers_in(url: str, quiz) -> dict[int, Answer]:
    """The answers in a share link, as the server reads them."""
    return decode(token_of(url), get_snapshot(quiz.slug))


def wait_for(page, condition, timeout=5.0):
    """Let Playwright run its handlers until `condition()` holds."""
    for _ in range(int(timeout / 0.05)):
        if condition():
            return
        page.wait_for_timeout(50)
    raise TimeoutError(f"still not {condition}")


def to_results(page):
    """ "Naar je resultaat": on the device a button that POSTs the answers kept there."""
    return page.get_by_role("button", name="Naar je resultaat")


def statement_url(live_server, quiz, number):
    return f"{live_server.url}/stemtest/{quiz.slug}/stelling/{number}/"
