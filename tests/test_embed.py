"""Embedding on partners' sites: /embed/<quiz>/ and the quiz's pages may be framed by the sites
the editors listed (Quiz.embed_origins), and by no one else; the frame tells its height to the
partner's page; no cookies. The browser tests embed the quiz in a page of another origin."""

import html
import http.server
import os
import re
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from quiz.models import Quiz, embed_origin_list
from quiz.snapshot import bump_version
from tests.helpers import answer

PARTNERS = "https://www.vrt.be\nhttp://127.0.0.1:8123"


def frame_ancestors(response) -> str:
    policy = response["Content-Security-Policy"]
    return re.search(r"frame-ancestors ([^;]*)", policy)[1]


@pytest.fixture
def quiz(make_quiz):
    quiz = make_quiz(statements=3)
    quiz.embed_origins = PARTNERS
    quiz.full_clean()
    quiz.save()
    bump_version()
    return quiz


def voter_pages(quiz) -> list[str]:
    return [
        reverse("embed", args=[quiz.slug]),
        reverse("quiz", args=[quiz.slug]),
        reverse("statement", args=[quiz.slug, 1]),
        reverse("review", args=[quiz.slug]),
        reverse("results", args=[quiz.slug]),
    ]


def test_the_quiz_may_be_framed_by_the_listed_sites_only_and_sets_no_cookie(client, quiz):
    for url in voter_pages(quiz):
        response = client.get(url)
        assert response.status_code == 200, url
        assert frame_ancestors(response) == "'self' https://www.vrt.be http://127.0.0.1:8123"
        assert "X-Frame-Options" not in response, url
        assert not response.cookies, url
    page = client.get(reverse("embed", args=[quiz.slug])).content.decode()
    assert 'data-quiz-path="/stemtest/vooruit-2024/"' in page
    assert "js/embed.js" in page


def test_the_french_and_english_quiz_may_be_framed_by_the_same_sites(client, quiz):
    for prefix in ("/fr", "/en"):
        for url in voter_pages(quiz):
            response = client.get(prefix + url)
            assert response.status_code == 200, prefix + url
            assert frame_ancestors(response) == "'self' https://www.vrt.be http://127.0.0.1:8123"
            assert not response.cookies
    page = client.get(f"/fr/embed/{quiz.slug}/").content.decode()
    # embed.js keeps in the frame what is under the quiz's Dutch path, in any language.
    assert 'data-quiz-path="/stemtest/vooruit-2024/"' in page
    assert 'href="/embed/vooruit-2024/" lang="nl-BE"' in page


def test_without_listed_sites_nobody_frames_it(client, make_quiz):
    quiz = make_quiz(statements=3)
    for url in voter_pages(quiz):
        response = client.get(url)
        assert frame_ancestors(response) == "'none'"
        assert response["X-Frame-Options"] == "DENY"
    assert "js/embed.js" not in client.get(reverse("embed", args=[quiz.slug])).content.decode()


def test_other_pages_and_the_preview_stay_unframable(admin_client, quiz):
    for url in [
        reverse("preview:quiz", args=[quiz.slug]),
        reverse("preview:statement", args=[quiz.slug, 1]),
        reverse("programmes"),
        reverse("home"),
        reverse("admin:index"),
    ]:
        response = admin_client.get(url)
        assert frame_ancestors(response) == "'none'", url
        assert response["X-Frame-Options"] == "DENY", url


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("*", "geen jokers"),
        ("https://*.vrt.be", "geen jokers"),
        ("https://www.vrt.be/nieuws", "geen site-adres"),
        ("http://www.vrt.be", "http:// alleen voor localhost"),
        ("vrt.be", "geen site-adres"),
        ("https://www.vrt.be; script-src *", "geen"),
    ],
)
def test_an_editor_gets_a_field_error_for_anything_but_a_site(make_quiz, line, message):
    quiz = make_quiz(statements=1)
    quiz.embed_origins = f"https://www.standaard.be\n{line}"
    with pytest.raises(ValidationError) as error:
        quiz.full_clean()
    assert message in error.value.message_dict["embed_origins"][0]
    assert line.split(";")[0] in error.value.message_dict["embed_origins"][0]


def test_sites_are_normalised_one_a_line():
    text = " HTTPS://WWW.VRT.BE/ \n\nhttps://www.vrt.be\nhttp://localhost:8000"
    assert embed_origin_list(text) == ["https://www.vrt.be", "http://localhost:8000"]


def test_the_quiz_form_offers_the_snippet_to_copy(admin_client, quiz):
    url = reverse("admin:quiz_quiz_change", args=[quiz.pk])
    page = admin_client.get(url).content.decode()
    assert "Insluiten op de site van een partner" in page
    assert f"http://testserver{reverse('embed', args=[quiz.slug])}" in page
    assert "stemtest:height" in page
    Quiz.objects.filter(pk=quiz.pk).update(embed_origins="")
    assert "Nog geen enkele site mag" in admin_client.get(url).content.decode()


# --- In the browser: a partner's page on another origin --------------------------------------


class _PartnerPage(http.server.BaseHTTPRequestHandler):
    body = b""

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        """Quiet: the standard library would print every request of the partner's page."""


@pytest.fixture
def partner():
    """A partner's site: another origin (its own port on 127.0.0.1), serving `page.body`."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _PartnerPage)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()


def snippet(live_server, quiz, editor) -> str:
    """The code the quiz's admin page offers to copy (fetched outside the browser, which so
    keeps no editor's cookie)."""
    client = Client(HTTP_HOST=urlsplit(live_server.url).netloc)
    client.force_login(editor)
    page = client.get(reverse("admin:quiz_quiz_change", args=[quiz.pk])).content.decode()
    return html.unescape(
        re.search(r'<textarea id="embed-code"[^>]*>(.*?)</textarea>', page, re.S)[1]
    )


@pytest.mark.browser
def test_in_a_partners_page_the_frame_grows_with_the_quiz_and_takes_it_to_the_results(
    page, live_server, transactional_db, make_quiz, redacteur, partner, tmp_path
):
    from playwright.sync_api import expect

    quiz = make_quiz(statements=3)
    origin = f"http://127.0.0.1:{partner.server_address[1]}"
    quiz.embed_origins = origin
    quiz.save()
    bump_version()
    code = snippet(live_server, quiz, redacteur)
    _PartnerPage.body = (
        "<!doctype html><html lang='nl'><title>Partner</title><h1>Nieuws van de partner</h1>"
        f"{code}</html>"
    ).encode()

    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{origin}/")
    frame_element = page.locator(f"#stemtest-{quiz.slug}")
    frame = page.frame_locator(f"#stemtest-{quiz.slug}")
    expect(frame.get_by_role("link", name="Start de stemtest")).to_be_visible()
    expect(frame_element).to_have_attribute("style", re.compile(r"height: \d+px"))
    landing_height = frame_element.bounding_box()["height"]
    frame.get_by_role("link", name="Start de stemtest").click()
    expect(frame.get_by_text("Stelling 1 van 3")).to_be_visible()
    # As tests.helpers.start: a click before the deferred scripts run is a form POST of its own.
    page.frame(url=re.compile(r"/stelling/1/")).wait_for_load_state("load")
    for number, label in enumerate(["Eens", "Oneens", "Eens"], start=1):
        answer(frame, label, number, total=3)
    frame.get_by_role("button", name="Naar je resultaat").click()
    expect(frame.get_by_role("heading", name="Je resultaat", level=1)).to_be_visible()
    # The results are taller than the landing: the partner's frame followed, no inner scrolling.
    page.wait_for_function(
        f"document.getElementById('stemtest-{quiz.slug}').getBoundingClientRect().height > "
        f"{landing_height + 100}"
    )
    # ... until it shows the whole page: results.js may still draw parts, each a new message.
    for _ in range(50):
        inner = frame.locator("html").evaluate("e => [e.scrollHeight, innerHeight]")
        if inner[0] <= inner[1] + 1:
            break
        page.wait_for_timeout(100)
    assert inner[0] <= inner[1] + 1
    # A link out of the quiz opens in a new tab: only the quiz's pages may be framed.
    assert frame.get_by_role("link", name="Programma’s").first.get_attribute("target") == "_blank"
    # The language switcher stays in the frame: the same results in French, answers and all.
    french = frame.get_by_role("link", name=re.compile(r"^FR\b"))
    assert french.get_attribute("target") is None
    french.click()
    expect(frame.locator("html")).to_have_attribute("lang", "fr-BE")
    expect(frame.locator(".ranking-row")).to_have_count(1)
    assert page.context.cookies() == []  # the whole quiz in the frame set none
    folder = Path(os.environ.get("STEMTEST_SCREENSHOTS", tmp_path))
    # A viewport as tall as the page: a full-page screenshot draws frames only where the
    # viewport was.
    tall = page.evaluate("document.documentElement.scrollHeight")
    page.set_viewport_size({"width": 375, "height": tall})
    page.screenshot(path=str(folder / "embed-partner-375.png"))


@pytest.mark.browser
def test_a_site_not_on_the_list_gets_no_quiz_in_its_frame(
    page, live_server, transactional_db, make_quiz, partner
):
    quiz = make_quiz(statements=3)
    quiz.embed_origins = "https://www.vrt.be"
    quiz.save()
    bump_version()
    refused = []
    page.on("console", lambda message: refused.append(message.text))
    _PartnerPage.body = (
        "<!doctype html><html lang='nl'><title>Partner</title>"
        f"<iframe id='frame' title='Stemtest' src='{live_server.url}/embed/{quiz.slug}/'></iframe>"
        "</html>"
    ).encode()
    page.goto(f"http://127.0.0.1:{partner.server_address[1]}/")
    page.wait_for_timeout(1000)
    frame = page.frame_locator("#frame")
    assert frame.get_by_role("link", name="Start de stemtest").count() == 0
    assert any("frame-ancestors" in text for text in refused)
