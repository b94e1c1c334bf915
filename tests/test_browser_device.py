"""The quiz on the voter's device, in a browser (static/js/quiz.js and results.js, the default
with JavaScript): every statement and the results from one bundle and no request that carries an
answer, the answers in the address's fragment through back, "Vorige", forward and reload, an
address with answers opened anew, "Naar je resultaat", carrying on from answers the server
signed, answers given while the statements still load, a double click, the skip link, a
statement deleted mid-quiz, and what the browser keeps (no answers or cookies) on the device and
with the plain forms."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from quiz.answers import Answer, encode
from quiz.models import Statement
from quiz.snapshot import get_snapshot
from tests.helpers import (
    BUNDLE,
    MODES,
    answer,
    answer_all,
    answers_in,
    block_bundle,
    on_device,
    record_dynamic,
    results_shown,
    start,
    statement_url,
    to_results,
    to_the_results,
    wait_for,
)

pytestmark = pytest.mark.browser


def carries_an_answer(request, ids) -> bool:
    """Whether a request tells the server anything of the voter's answers: a body, an answer
    token or payload in its address, or a statement id with an answer letter."""
    if request.method != "GET" or request.post_data:
        return True
    url = request.url
    return "a=" in urlsplit(url).query or "antwoorden" in url or "#" in url


def test_a_whole_quiz_on_the_device_sends_no_request_with_an_answer(
    page, no_js_page, live_server, quiz, ids
):
    answers = [
        ("Eens", True),
        ("Eens", False),
        ("Neutraal", False),
        ("Overslaan", True),
        ("Neutraal", True),
    ]
    requests = []
    page.on("request", lambda request: requests.append(request))  # static files too
    start(page, live_server, quiz)  # the landing page, statement 1 and the bundle
    answer_all(page, answers)
    # eens×2 (2×2), eens/oneens 0, neutraal 2, skipped, neutraal/oneens×2 (1×2) → 8 of 12
    expect(page.get_by_text("Je bent het voor 67 % eens met Vooruit.")).to_be_visible()
    payload = f"1.{ids[0]}E{ids[1]}e{ids[2]}n{ids[3]}S{ids[4]}N"
    results = f"{live_server.url}/stemtest/{quiz.slug}/resultaat/"
    assert page.url == results + "#antwoorden=" + payload
    # On the results: a filter, another order, a changed answer, all on the device.
    page.get_by_role("link", name="Oneens", exact=True).click()
    expect(page.locator(".statement-result")).to_have_count(1)  # statement 2
    page.get_by_role("link", name="Alle", exact=True).click()
    row = page.locator(".statement-result").nth(1)
    row.locator(".row > summary").click()
    row.get_by_text("Wijzig je antwoord").click()
    row.get_by_label("Oneens").check()
    row.get_by_role("button", name="Bewaar en herbereken").click()
    expect(page.get_by_text("Je bent het voor 83 % eens met Vooruit.")).to_be_visible()
    page.reload()
    expect(page.locator("#results[data-device]")).to_be_attached()
    expect(page.get_by_text("Je bent het voor 83 % eens met Vooruit.")).to_be_visible()

    dynamic = {(r.method, r.url) for r in requests if "/static/" not in r.url}
    assert dynamic == {
        ("GET", f"{live_server.url}/stemtest/{quiz.slug}/"),
        ("GET", f"{live_server.url}/stemtest/{quiz.slug}/stelling/1/"),
        ("GET", f"{live_server.url}/stemtest/{quiz.slug}/stellingen/"),
        ("GET", results),
    }
    assert len(requests) > len(dynamic)  # the static files were recorded too
    assert [r.url for r in requests if carries_an_answer(r, ids)] == []

    # The server, one request per answer without JavaScript, gives the same result.
    start(no_js_page, live_server, quiz, device=False)
    answer_all(no_js_page, answers, device=False)
    assert answers_in(no_js_page.url, quiz) == answers_in(results + "#antwoorden=" + payload, quiz)
    page.goto(results + "#antwoorden=" + payload)
    expect(page.locator("#results[data-device]")).to_be_attached()
    for part in ["[data-summary]", ".theme-chart", ".statement-results", "[data-score-bar]"]:
        assert page.locator(part).inner_text() == no_js_page.locator(part).inner_text(), part


def test_the_share_link_shows_the_same_result_on_another_device(browser, page, live_server, quiz):
    start(page, live_server, quiz)
    answer_all(
        page,
        [("Eens", False), ("Oneens", True), ("Eens", False), ("Neutraal", False), ("Eens", True)],
    )
    link = page.locator("#share-link").input_value()
    assert link == page.url
    other = browser.new_context(viewport={"width": 375, "height": 800}).new_page()
    requests = []
    other.on("request", lambda request: requests.append(request))
    other.goto(link)
    expect(other.locator("#results[data-device]")).to_be_attached()
    for part in ["[data-summary]", ".theme-chart", ".statement-results"]:
        # A phone lays the same words out in other lines.
        theirs, mine = (p.locator(part).inner_text().split() for p in (other, page))
        assert theirs == mine, part
    assert all(request.method == "GET" and "#" not in request.url for request in requests)
    other.context.close()


def test_the_quiz_keeps_one_history_entry_whose_address_holds_the_answers(
    page, live_server, quiz, ids
):
    start(page, live_server, quiz)
    assert page.url == statement_url(live_server, quiz, 1)  # no answers, no fragment
    entries = page.evaluate("history.length")
    page.get_by_label("Belangrijk").check()
    answer(page, "Eens", 1)
    assert page.url == statement_url(live_server, quiz, 2) + f"#antwoorden=1.{ids[0]}E"
    answer(page, "Oneens", 2)
    assert page.url == statement_url(live_server, quiz, 3) + f"#antwoorden=1.{ids[0]}E{ids[1]}o"
    answer(page, "Neutraal", 3)
    everything = f"#antwoorden=1.{ids[0]}E{ids[1]}o{ids[2]}n"
    assert page.url == statement_url(live_server, quiz, 4) + everything
    # One entry for the whole quiz: no address with answers stays behind in the history.
    assert page.evaluate("history.length") == entries
    heading = page.get_by_role("heading", level=1)
    earlier = page.locator("#current-answer")

    page.get_by_role("link", name="Vorige").click()
    expect(page.get_by_text("Stelling 3 van 5")).to_be_visible()
    expect(earlier).to_have_text("Je antwoordde eerder: Neutraal.")
    neutraal = page.get_by_role("button", name="Neutraal", exact=True)
    expect(neutraal).to_have_text("Neutraal")  # its icon, and a ring: no second tick
    expect(neutraal).to_have_class(re.compile(r"\bcurrent\b"))
    expect(neutraal).to_have_accessible_description("Je antwoordde eerder: Neutraal.")
    expect(heading).to_be_focused()
    assert page.url == statement_url(live_server, quiz, 3) + everything
    assert page.title() == "Stelling 3 van 5 – Stemtest"
    page.get_by_role("link", name="Vorige").click()
    expect(page.get_by_text("Stelling 2 van 5")).to_be_visible()
    expect(earlier).to_have_text("Je antwoordde eerder: Oneens.")
    expect(page.get_by_label("Belangrijk")).not_to_be_checked()
    assert page.evaluate("history.length") == entries

    # Back leaves the quiz (to the page before it); Forward returns to where the voter was.
    page.go_back()
    expect(page.get_by_role("link", name="Start de stemtest")).to_be_visible()
    page.go_forward()
    expect(page.get_by_text("Stelling 2 van 5")).to_be_visible()
    on_device(page)
    assert page.url == statement_url(live_server, quiz, 2) + everything
    expect(earlier).to_have_text("Je antwoordde eerder: Oneens.")

    page.reload()
    on_device(page)
    expect(page.get_by_text("Stelling 2 van 5")).to_be_visible()
    assert page.url == statement_url(live_server, quiz, 2) + everything
    page.get_by_role("link", name="Vorige").click()
    expect(page.get_by_text("Stelling 1 van 5")).to_be_visible()
    expect(heading).to_be_focused()
    expect(earlier).to_have_text("Je antwoordde eerder: Eens (belangrijk).")
    expect(page.get_by_label("Belangrijk")).to_be_checked()
    assert page.url == statement_url(live_server, quiz, 1) + everything

    answer(page, "Eens", 1)  # "Belangrijk" is still ticked from before
    page.get_by_role("button", name="Eens", exact=True).click()  # statement 2: was oneens
    for number, label in [(3, "Neutraal"), (4, "Eens"), (5, "Oneens")]:
        answer(page, label, number)
    to_the_results(page)
    results_shown(page)
    expect(page.get_by_text("Je beantwoordde 5 van de 5 stellingen.", exact=False)).to_be_visible()
    assert answers_in(page.url, quiz) == {
        ids[0]: Answer("eens", True),
        ids[1]: Answer("eens", False),
        ids[2]: Answer("neutraal", False),
        ids[3]: Answer("eens", False),
        ids[4]: Answer("oneens", False),
    }


def test_an_address_with_answers_opened_anew_restores_the_step_and_the_answers(
    page, no_js_page, live_server, quiz, ids
):
    page.goto(statement_url(live_server, quiz, 3) + f"#antwoorden=1.{ids[0]}e{ids[1]}O")
    on_device(page)
    expect(page.get_by_text("Stelling 3 van 5")).to_be_visible()
    expect(page.locator("#current-answer")).to_have_count(0)
    expect(to_results(page)).to_be_visible()
    page.get_by_role("link", name="Vorige").click()
    expect(page.get_by_text("Je antwoordde eerder: Oneens (belangrijk).")).to_be_visible()
    # The same screen as the server's for the same answers.
    token = encode(
        {ids[0]: Answer("eens", False), ids[1]: Answer("oneens", True)}, get_snapshot(quiz.slug)
    )
    no_js_page.goto(statement_url(live_server, quiz, 2) + f"?a={token}")
    for shown in (page, no_js_page):
        expect(shown.get_by_label("Belangrijk")).to_be_checked()
    assert page.locator("#quiz-step").inner_text() == no_js_page.locator("#quiz-step").inner_text()
    page.get_by_role("link", name="Vorige").click()
    expect(page.get_by_text("Je antwoordde eerder: Eens.")).to_be_visible()
    expect(page.get_by_label("Belangrijk")).not_to_be_checked()
    to_results(page).click()
    results_shown(page)
    expect(page.get_by_text("Je beantwoordde 2 van de 5 stellingen.", exact=False)).to_be_visible()
    assert answers_in(page.url, quiz) == {
        ids[0]: Answer("eens", False),
        ids[1]: Answer("oneens", True),
    }


def test_naar_je_resultaat_shows_the_answers_so_far_and_waits_for_a_first_answer(
    page, live_server, quiz, ids
):
    start(page, live_server, quiz)
    expect(to_results(page)).to_be_hidden()
    page.get_by_label("Belangrijk").check()
    answer(page, "Oneens", 1)
    expect(to_results(page)).to_be_visible()
    answer(page, "Neutraal", 2)
    with page.expect_request(re.compile("/resultaat/")) as opened:
        to_results(page).click()
    assert (opened.value.method, opened.value.post_data) == ("GET", None)
    assert opened.value.url == f"{live_server.url}/stemtest/{quiz.slug}/resultaat/"
    results_shown(page)
    assert page.url.endswith(f"#antwoorden=1.{ids[0]}O{ids[1]}n")
    expect(page.get_by_text("Je beantwoordde 2 van de 5 stellingen.", exact=False)).to_be_visible()
    # oneens×2 against eens (0), neutraal against oneens (1) → 1 of 6
    expect(page.get_by_text("Je bent het voor 17 % eens met Vooruit.")).to_be_visible()
    page.go_back()  # to the quiz, where the voter left it
    on_device(page)
    expect(page.get_by_text("Stelling 3 van 5")).to_be_visible()


def test_the_device_carries_on_from_answers_the_server_signed(page, live_server, quiz, ids):
    token = encode(
        {ids[0]: Answer("eens", True), ids[1]: Answer("oneens", False)}, get_snapshot(quiz.slug)
    )
    page.goto(statement_url(live_server, quiz, 3) + f"?a={token}")
    on_device(page)
    expect(page.get_by_text("Stelling 3 van 5")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("")  # opening an address saves nothing
    # The answers move from the query, which a server sees, to the fragment, which none does.
    assert page.url == statement_url(live_server, quiz, 3) + f"#antwoorden=1.{ids[0]}E{ids[1]}o"
    answer(page, "Neutraal", 3)
    page.get_by_role("link", name="Vorige").click()
    page.get_by_role("link", name="Vorige").click()
    expect(page.get_by_text("Je antwoordde eerder: Oneens.")).to_be_visible()
    to_results(page).click()
    results_shown(page)
    assert answers_in(page.url, quiz) == {
        ids[0]: Answer("eens", True),
        ids[1]: Answer("oneens", False),
        ids[2]: Answer("neutraal", False),
    }


def test_an_answer_given_while_the_statements_load_waits_for_them(page, live_server, quiz, ids):
    held = []
    page.route(BUNDLE, lambda route: held.append(route))  # slow to come, as on a phone on 3G
    start(page, live_server, quiz, device=False)
    requests = []
    page.on("request", lambda request: record_dynamic(requests, request))
    page.get_by_label("Belangrijk").check()
    page.get_by_role("button", name="Oneens", exact=True).click()
    wait_for(page, lambda: held)
    expect(page.get_by_text("Stelling 1 van 5")).to_be_visible()
    held[0].continue_()
    expect(page.get_by_text("Stelling 2 van 5")).to_be_visible()
    on_device(page)
    expect(page.get_by_role("status")).to_have_text(
        "Je antwoord op stelling 1 is bewaard: Oneens (belangrijk)."
    )
    assert page.url == statement_url(live_server, quiz, 2) + f"#antwoorden=1.{ids[0]}O"
    bundle = f"{live_server.url}/stemtest/{quiz.slug}/stellingen/"
    assert {request.url for request in requests} <= {bundle}  # no POST of the answer


def test_what_the_voter_did_before_the_statements_arrived_stays(page, live_server, quiz):
    held = []
    page.route(BUNDLE, lambda route: held.append(route))  # slow to come
    start(page, live_server, quiz, device=False)
    page.get_by_text("Uitleg bij deze stelling").click()
    page.get_by_label("Belangrijk").check()
    wait_for(page, lambda: held)
    held[0].continue_()
    on_device(page)
    expect(page.get_by_label("Belangrijk")).to_be_checked()
    expect(page.get_by_text("Uitleg bij maatregel 1.")).to_be_visible()
    expect(page.get_by_label("Belangrijk")).to_be_focused()


def test_a_double_click_answers_one_statement(page, live_server, quiz, ids):
    start(page, live_server, quiz)
    answer(page, "Oneens", 1)  # from here on the confirmation keeps the buttons in place
    page.get_by_role("button", name="Eens", exact=True).dblclick()
    expect(page.get_by_text("Stelling 3 van 5")).to_be_visible()
    page.wait_for_timeout(300)  # a second answer would show statement 4 by now
    expect(page.get_by_text("Stelling 3 van 5")).to_be_visible()
    assert page.url == statement_url(live_server, quiz, 3) + f"#antwoorden=1.{ids[0]}o{ids[1]}e"


def test_the_skip_link_mid_quiz_keeps_the_answers_in_the_address(page, live_server, quiz, ids):
    start(page, live_server, quiz)
    answer(page, "Eens", 1)
    answer(page, "Oneens", 2)
    address = statement_url(live_server, quiz, 3) + f"#antwoorden=1.{ids[0]}e{ids[1]}o"
    assert page.url == address
    length = page.evaluate("history.length")
    page.get_by_role("link", name="Naar de inhoud").focus()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    expect(page).to_have_url(address)
    assert page.evaluate("history.length") == length  # no entry for Back to land on in vain
    page.reload()
    on_device(page)
    page.get_by_role("link", name="Vorige").click()
    expect(page.get_by_text("Je antwoordde eerder: Oneens.")).to_be_visible()


def test_a_statement_deleted_while_the_voter_answers_is_left_out_of_the_results(
    page, live_server, quiz, ids
):
    start(page, live_server, quiz)
    answer(page, "Eens", 1)
    answer(page, "Oneens", 2)
    # An editor deletes statement 2 (answered) and statement 4 (still to come).
    Statement.objects.filter(pk__in=[ids[1], ids[3]]).delete()
    for number, label in [(3, "Neutraal"), (4, "Eens"), (5, "Oneens")]:
        answer(page, label, number)
    to_the_results(page)
    results_shown(page)
    expect(page.get_by_text("Je beantwoordde 3 van de 3 stellingen.", exact=False)).to_be_visible()
    expect(page.get_by_text("Je bent het voor 100 % eens met Vooruit.")).to_be_visible()
    assert answers_in(page.url, quiz) == {
        ids[0]: Answer("eens", False),
        ids[2]: Answer("neutraal", False),
        ids[4]: Answer("oneens", False),
    }


KEPT = """() => ({
    localStorage: Object.entries(localStorage),
    sessionStorage: Object.entries(sessionStorage),
    cookie: document.cookie,
})"""


@pytest.mark.parametrize("mode", MODES)
def test_nothing_is_kept_beyond_the_tab_during_a_quiz_and_its_results(
    page, live_server, quiz, mode
):
    if mode == "forms":
        block_bundle(page)
    start(page, live_server, quiz, device=mode == "device")
    for number, label in [(1, "Eens"), (2, "Oneens"), (3, "Neutraal")]:
        answer(page, label, number)
    page.get_by_role("link", name="Vorige").click()
    expect(page.get_by_text("Stelling 3 van 5")).to_be_visible()
    nothing = {"localStorage": [], "sessionStorage": [], "cookie": ""}
    assert page.evaluate(KEPT) == nothing  # on the device, the answers are in the fragment
    answer(page, "Neutraal", 3)
    answer(page, "Eens", 4)
    answer(page, "Eens", 5)
    to_the_results(page)
    results_shown(page, device=mode == "device")
    page.get_by_role("link", name="Oneens", exact=True).click()
    expect(page).to_have_url(re.compile("toon=oneens"))
    assert page.evaluate(KEPT) == nothing
    assert page.context.cookies() == []


def test_volgende_moves_on_over_answered_statements_without_answering_again(
    page, live_server, quiz
):
    start(page, live_server, quiz)
    answer(page, "Eens", 1)
    answer(page, "Oneens", 2)
    volgende = page.get_by_role("link", name="Volgende")
    expect(volgende).to_be_hidden()  # statement 3: not answered yet
    page.get_by_role("link", name="Vorige").click()
    page.get_by_role("link", name="Vorige").click()
    expect(page.get_by_text("Stelling 1 van 5")).to_be_visible()
    page.get_by_role("link", name="Volgende").click()
    expect(page.get_by_text("Stelling 2 van 5")).to_be_visible()
    expect(page.get_by_text("Je antwoordde eerder: Oneens.")).to_be_visible()
    page.get_by_role("link", name="Volgende").click()
    expect(page.get_by_text("Stelling 3 van 5")).to_be_visible()
    expect(page.get_by_role("link", name="Volgende")).to_be_hidden()


def test_belangrijk_ticked_after_answering_is_saved_on_the_device_at_once(
    page, live_server, quiz, ids
):
    start(page, live_server, quiz)
    answer(page, "Eens", 1)
    page.get_by_role("link", name="Vorige").click()
    page.get_by_label("Belangrijk").check()
    expect(page.get_by_role("status")).to_have_text(
        "Je antwoord op stelling 1 is bewaard: Eens (belangrijk)."
    )
    expect(page.get_by_text("Je antwoordde eerder: Eens (belangrijk).")).to_be_visible()
    assert page.url.endswith(f"#antwoorden=1.{ids[0]}E")  # upper case: belangrijk
    page.get_by_label("Belangrijk").uncheck()
    assert page.url.endswith(f"#antwoorden=1.{ids[0]}e")


def test_the_overview_asks_what_matters_and_leads_back_to_any_statement_on_the_device(
    page, live_server, quiz, ids
):
    start(page, live_server, quiz)
    requests = []
    page.on("request", lambda request: record_dynamic(requests, request))
    for number, label in enumerate(["Eens", "Eens", "Neutraal", "Overslaan", "Oneens"], start=1):
        answer(page, label, number)
    heading = page.get_by_role("heading", name="Wat vind je belangrijk?")
    expect(heading).to_be_focused()
    expect(page.get_by_role("status")).to_have_text("Je antwoord op stelling 5 is bewaard: Oneens.")
    review = f"{live_server.url}/stemtest/{quiz.slug}/overzicht/"
    assert page.url == review + f"#antwoorden=1.{ids[0]}e{ids[1]}e{ids[2]}n{ids[3]}s{ids[4]}o"
    items = page.locator(".review-item")
    expect(items).to_have_count(5)
    expect(page.locator("[data-important-box]:visible")).to_have_count(
        4
    )  # skipped: nothing to weigh
    expect(page.get_by_role("link", name="Terug naar stelling 5")).to_be_visible()
    page.get_by_label("Belangrijk: stelling 2").check()
    assert page.url.endswith(f"{ids[1]}E{ids[2]}n{ids[3]}s{ids[4]}o")
    page.reload()  # the overview's own address, from the bundle again
    expect(page.get_by_label("Belangrijk: stelling 2")).to_be_checked()
    page.get_by_role("link", name="wijzig stelling 3").click()
    expect(page.get_by_text("Stelling 3 van 5")).to_be_visible()
    expect(page.get_by_text("Je antwoordde eerder: Neutraal.")).to_be_visible()
    page.get_by_role("button", name="Eens", exact=True).click()
    expect(heading).to_be_visible()  # straight back to the overview
    expect(items.nth(2)).to_contain_text("Jouw antwoord: Eens")
    page.get_by_role("link", name="Terug naar stelling 3").click()
    expect(page.get_by_text("Stelling 3 van 5")).to_be_visible()
    page.get_by_role("link", name="Overzicht van alle stellingen").click()
    expect(heading).to_be_visible()
    page.get_by_role("button", name="Naar je resultaat").click()
    results_shown(page)
    # eens 2 · eens against oneens 0 (belangrijk: 0 of 4) · eens against neutraal 1 · oneens 2
    # → 5 of 10
    expect(page.get_by_text("Je bent het voor 50 % eens met Vooruit.")).to_be_visible()
    assert {(r.method, r.url) for r in requests} <= {
        ("GET", review),  # the reload
        ("GET", f"{live_server.url}/stemtest/{quiz.slug}/stellingen/"),
        ("GET", f"{live_server.url}/stemtest/{quiz.slug}/resultaat/"),
    }
