"""The voter side as static files (`manage.py export_site DIR`, quiz/static_export.py): every
page a voter with JavaScript needs, at the address Django serves it and with the same bytes, a
gzip copy of each, the static files, nothing that needs the server; and in Chromium, the whole
quiz taken from a plain static file server."""

import gzip
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from quiz.static_export import CONSENT, export_site, exported_path
from tests.helpers import answer_all, visible_text


@pytest.fixture
def exported(tmp_path, quiz):
    directory = tmp_path / "site"
    return directory, export_site(directory)


def test_every_voter_page_is_written_at_its_address_with_the_servers_bytes(client, exported, quiz):
    directory, result = exported
    slug = quiz.slug
    programme = quiz.election.programmes.get()
    addresses = [
        "/",
        reverse("quiz", args=[slug]),
        reverse("about", args=[slug]),
        reverse("statements", args=[slug]),
        reverse("results", args=[slug]),
        reverse("method"),
        reverse("quiz_json", args=[slug]),
        reverse("programmes"),
        reverse("programme", args=[programme.slug]),
        reverse("programme_json", args=[programme.slug]),
        *(reverse("statement", args=[slug, n]) for n in range(1, 6)),
        *(
            reverse("resolution", args=[programme.slug, r.number])
            for r in programme.resolutions.all()
        ),
    ]
    for address in addresses:
        file = exported_path(directory, address)
        assert file.is_file(), address
        assert address in result.pages
        served = client.get(
            address, headers={"Accept-Encoding": "identity"}, SERVER_NAME="localhost"
        )
        if address == reverse("programme", args=[programme.slug]):
            continue  # without the search form: below
        if address in {reverse("results", args=[slug]), reverse("statements", args=[slug])}:
            # without the statistics' consent, which posts to the server
            assert b"statistieken/" in served.content
            assert file.read_bytes() == CONSENT.sub(b"", served.content), address
            assert b"statistieken/" not in file.read_bytes()
            continue
        assert file.read_bytes() == served.content, address
        assert gzip.decompress(file.with_name(file.name + ".gz").read_bytes()) == served.content
    assert exported_path(directory, reverse("quiz", args=[slug])).name == "index.html"
    assert (directory / "404.html").is_file()
    assert (
        "Deze pagina bestaat niet" in (directory / "404.html").read_text()
        or "404" in (directory / "404.html").read_text()
    )


def test_what_needs_the_server_is_left_out(exported, quiz):
    directory, result = exported
    programme = quiz.election.programmes.get()
    assert not any("/zoeken" in page for page in result.pages)
    assert not any(page.startswith(("/admin", "/voorbeeld")) for page in result.pages)
    assert not (directory / "admin").exists()
    page = exported_path(directory, reverse("programme", args=[programme.slug])).read_text()
    assert "search-form" not in page  # the search needs the server
    assert programme.title in visible_text(page)


def test_the_static_files_the_pages_name_are_there(exported):
    directory, result = exported
    for name in [
        "css/stemtest.css",
        "js/quiz.js",
        "js/results.js",
        "js/scoring.js",
        "js/device.js",
    ]:
        assert f"/static/{name}" in result.files
        assert (directory / "static" / name).is_file()
    assert (directory / "static" / "js" / "quiz.js.gz").is_file()


def test_the_command_says_what_it_wrote_and_empties_the_directory_first(tmp_path, quiz, capsys):
    directory = tmp_path / "site"
    directory.mkdir()
    (directory / "oud.html").write_text("van een vorige export")
    call_command("export_site", str(directory), "--origin", "https://stemtest.example")
    assert "pages and" in capsys.readouterr().out
    assert not (directory / "oud.html").exists()
    assert (directory / "index.html").is_file()


class QuietHandler(SimpleHTTPRequestHandler):
    """A plain static file server that does not log every request to the test output."""

    def log_message(self, *args):
        return None


@pytest.mark.browser
def test_the_whole_quiz_runs_from_a_plain_static_file_server(page, tmp_path, quiz, ids):
    directory = tmp_path / "site"
    export_site(directory)
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    statuses = []
    page.on("response", lambda response: statuses.append((response.status, response.url)))
    try:
        page.goto(f"{base}/stemtest/{quiz.slug}/")
        page.get_by_role("link", name="Start de stemtest").click()
        page.wait_for_load_state("load")
        expect(page.locator("#quiz-step .answer-form[data-local]")).to_be_attached()
        answer_all(
            page,
            [
                ("Eens", True),
                ("Eens", False),
                ("Neutraal", False),
                ("Overslaan", False),
                ("Oneens", False),
            ],
        )
        # eens×2 (2×2) · eens/oneens 0 · neutraal 2 · skipped · oneens/oneens 2 → 8 of 10
        expect(page.get_by_text("Je bent het voor 80 % eens met Vooruit.")).to_be_visible()
        payload = f"1.{ids[0]}E{ids[1]}e{ids[2]}n{ids[3]}s{ids[4]}o"
        assert page.url == f"{base}/stemtest/{quiz.slug}/resultaat/#antwoorden={payload}"
        page.get_by_role("link", name="Oneens", exact=True).click()
        expect(page.locator(".statement-result")).to_have_count(1)
        page.reload()  # ?toon=oneens: the static server ignores it, results.js does not
        expect(page.locator(".statement-result")).to_have_count(1)
    finally:
        server.shutdown()
    assert [url for status, url in statuses if status not in {200, 304}] == []
