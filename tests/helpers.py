"""Plain helpers that several test modules share (fixtures are in conftest.py): the htmx request
header, the answer token of an address, the rows in the database, the per-answer quiz through the
Django test client, the text a reader sees, and, for the browser tests, driving the quiz in a
Playwright page (quiz.js on the device, or the plain forms when the bundle is refused)."""

import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

from django.apps import apps
from django.urls import reverse
from playwright.sync_api import expect

from quiz.answers import Answer, decode, parse
from quiz.snapshot import get_snapshot

HTMX = {"HX-Request": "true"}


def token_of(url: str) -> str:
    """The answer token in an address's `a` query parameter."""
    return parse_qs(urlsplit(url).query)["a"][0]


class _VisibleText(HTMLParser):
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
    UNSEEN = {"head", "script", "style", "template"}

    def __init__(self):
        super().__init__()
        self.depth = 0  # open elements inside one that is not shown
        self.words: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        if self.depth or tag in self.UNSEEN or any(name == "hidden" for name, _ in attrs):
            self.depth += 1

    def handle_startendtag(self, tag, attrs):
        pass  # <rect/> and the like hold no text

    def handle_endtag(self, tag):
        if self.depth and tag not in self.VOID:
            self.depth -= 1

    def handle_data(self, data):
        if not self.depth:
            self.words.append(data)


def visible_text(html: str) -> str:
    """The text a reader sees in `html`, whitespace collapsed: without what is `hidden` (the
    states results.js may switch to), the head, scripts and templates."""
    parser = _VisibleText()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.words))


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
    if "/overzicht/" in response.url:  # the overview: "Naar je resultaat", belangrijk as given
        ids = quiz.statements.order_by("order").values_list("pk", flat=True)
        ticked = {f"belangrijk-{pk}": "1" for n, pk in enumerate(ids, 1) if n in important}
        response = client.post(reverse("review", args=[quiz.slug]), {"a": token, **ticked})
        assert response.status_code == 303
    return response.url


# --- In the browser: the quiz on the device (quiz.js, results.js), or the plain forms ----------

BUNDLE = "**/stellingen/"
# quiz.js shows its own copy of each screen, marked so.
ON_DEVICE = "#quiz-step .answer-form[data-local]"
MODES = ["device", "forms"]  # forms: JavaScript on, but the bundle cannot be had


def block_bundle(page, failure="abort") -> list:
    """quiz.js cannot fetch the bundle (offline, a server error), so the plain forms carry on
    with a request per answer. Returns the bundle requests refused, filled in as they come."""
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


def start(page, live_server, quiz, *, device=True, total=5):
    page.goto(f"{live_server.url}/stemtest/{quiz.slug}/")
    page.get_by_role("link", name="Start de stemtest").click()
    expect(page.get_by_text(f"Stelling 1 van {total}")).to_be_visible()
    # A click before the deferred scripts run is a plain form POST, a navigation of its own.
    page.wait_for_load_state("load")
    if device:
        on_device(page)


def answer(page, label, number, total=5):
    page.get_by_role("button", name=label, exact=True).click()
    if number < total:
        expect(page.get_by_text(f"Stelling {number + 1} van {total}")).to_be_visible()


def results_shown(page, *, device=True):
    """Wait for the results: computed on the device (the answers in the fragment), or the
    server's page for a signed token."""
    if device:
        page.wait_for_url(re.compile(r"/resultaat/(\?[^#]*)?#antwoorden="))
        expect(page.locator("#results[data-device]")).to_be_attached()
    else:
        page.wait_for_url(re.compile(r"/resultaat/\?a="))
        expect(page.locator("#results")).to_be_attached()


def answer_all(page, answers, *, device=True, total=5):
    """Answer every statement: (button, belangrijk) per statement; waits for the results."""
    for number, (label, important) in enumerate(answers, start=1):
        page.get_by_label("Belangrijk").set_checked(important)
        answer(page, label, number, total)
    to_the_results(page)
    results_shown(page, device=device)


def to_the_results(page):
    """From the overview after the last statement, with belangrijk as it is ticked there."""
    expect(page.get_by_role("heading", name="Wat vind je belangrijk?")).to_be_visible()
    page.get_by_role("button", name="Naar je resultaat").click()


def record_dynamic(requests: list, request) -> None:
    """Keep the requests that reach Django: not the static files (the favicon, fetched after
    the page), which are the same for everyone and tell the server nothing."""
    if "/static/" not in request.url:
        requests.append(request)


def answers_in(url: str, quiz) -> dict[int, Answer]:
    """The answers in an address, as the server reads them: in its fragment (the device's),
    else in its signed token."""
    _, hash, kept = url.partition("#antwoorden=")
    if hash:
        return parse(kept, get_snapshot(quiz.slug))
    return decode(token_of(url), get_snapshot(quiz.slug))


def wait_for(page, condition, timeout=5.0):
    """Let Playwright run its handlers until `condition()` holds."""
    for _ in range(int(timeout / 0.05)):
        if condition():
            return
        page.wait_for_timeout(50)
    raise TimeoutError(f"still not {condition}")


def to_results(page):
    """ "Naar je resultaat": on the device a link to the results with the answers in its
    fragment."""
    return page.get_by_role("link", name="Naar je resultaat")


def statement_url(live_server, quiz, number):
    return f"{live_server.url}/stemtest/{quiz.slug}/stelling/{number}/"
