"""The quiz on the voter's device, in a browser (static/js/quiz.js, the default with
JavaScript): every statement from one bundle and no request per answer until the results, the
answers in the address's fragment through back, "Vorige", forward and reload, an address with
answers opened anew, "Naar je resultaat", carrying on from answers the server signed, answers
given while the statements still load, a double click, the skip link, a statement deleted
mid-quiz, and what the browser keeps (no answers, page copies or cookies) on the device and with
htmx."""

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
    start,
    statement_url,
    to_results,
    wait_for,
)

pytestmark = pytest.mark.browser


def test_a_whole_quiz_on_the_device_asks_the_server_nothing_until_the_results(
    page, no_js_page, live_server, quiz, ids
):
    answers = [
        ("Eens", True),
        ("Eens", False),
        ("Neutraal", False),
        ("Overslaan", True),
        ("Neutraal", True),
    ]
    start(page, live_server, quiz)  # statement 1 and the bundle
    requests = []
    page.on("request", lambda request: record_dynamic(requests, request))
    answer_all(page, answers)
    first = requests[0]  # nothing between statement 1 and the POST of all answers
    results = f"{live_server.url}/stemtest/{quiz.slug}/resultaat/"
    assert (first.method, first.url) == ("POST", results)
    assert first.post_data == f"antwoorden=1.{ids[0]}E{ids[1]}e{ids[2]}n{ids[3]}S{ids[4]}N"
    # eens×2 (2×2), eens/oneens 0, neutraal 2, skipped, neutraal/oneens×2 (1×2) → 8 of 12
    expect(page.get_by_text("Je bent het voor 67 % eens met Vooruit.")).to_be_visible()
    assert answers_in(page.url, quiz) == {
        ids[0]: Answer("eens", True),
        ids[1]: Answer("eens", False),
        ids[2]: Answer("neutraal", False),
        ids[3]: Answer("overslaan", True),
        ids[4]: Answer("neutraal", True),
    }
    # The server, one request per answer, gives the same share link and result.
    start(no_js_page, live_server, quiz, device=False)
    answer_all(no_js_page, answers)
    assert no_js_page.url == page.url
    expect(no_js_page.get_by_text("Je bent het voor 67 % eens met Vooruit.")).to_be_visible()


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
    expect(neutraal).to_have_text("Neutraal ✓")
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
    page.wait_for_url(re.compile(r"/resultaat/\?a="))
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
    page.wait_for_url(re.compile(r"/resultaat/\?a="))
    expect(page.get_by_text("Je beantwoordde 2 van de 5 stellingen.", exact=False)).to_be_visible()
    assert answers_in(page.url, quiz) == {
        ids[0]: Answer("eens", False),
        ids[1]: Answer("oneens", True),
    }


def test_naar_je_resultaat_sends_the_answers_so_far_and_waits_for_a_first_answer(
    page, live_server, quiz, ids
):
    start(page, live_server, quiz)
    expect(to_results(page)).to_be_hidden()
    page.get_by_label("Belangrijk").check()
    answer(page, "Oneens", 1)
    expect(to_results(page)).to_be_visible()
    answer(page, "Neutraal", 2)
    with page.expect_request(lambda request: request.method == "POST") as posted:
        to_results(page).click()
    assert posted.value.post_data == f"antwoorden=1.{ids[0]}O{ids[1]}n"
    page.wait_for_url(re.compile(r"/resultaat/\?a="))
    expect(page.get_by_text("Je beantwoordde 2 van de 5 stellingen.", exact=False)).to_be_visible()
    # oneens×2 against eens (0), neutraal against oneens (1) → 1 of 6
    expect(page.get_by_text("Je bent het voor 17 % eens met Vooruit.")).to_be_visible()


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
    page.wait_for_url(re.compile(r"/resultaat/\?a="))
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
    assert {request.url for request in requests} <= {bundle}  # no htmx POST


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
    page.wait_for_url(re.compile(r"/resultaat/\?a="))
    expect(page.get_by_text("Je beantwoordde 3 van de 3 stellingen.", exact=False)).to_be_visible()
    expect(page.get_by_text("Je bent het voor 100 % eens met Vooruit.")).to_be_visible()
    assert answers_in(page.url, quiz) == {
        ids[0]: Answer("eens", False),
        ids[2]: Answer("neutraal", False),
        ids[4]: Answer("oneens", False),
    }


# htmx 2 notes the address of the last page it loaded or pushed in this tab's sessionStorage,
# whatever its configuration; that address is in the browser's history anyway.
HTMX_PATH = "htmx-current-path-for-history"
KEPT = f"""() => ({{
    localStorage: Object.entries(localStorage),
    // htmx's own, tab-scoped: the current address and copies of the pages it swapped away
    sessionStorage: Object.entries(sessionStorage).filter(
        ([key]) => !["{HTMX_PATH}", "htmx-history-cache"].includes(key)
    ),
    htmxPath: sessionStorage.getItem("{HTMX_PATH}"),
    cookie: document.cookie,
}})"""


@pytest.mark.parametrize("mode", MODES)
def test_nothing_is_kept_beyond_the_tab_during_a_quiz_and_its_results(
    page, live_server, quiz, mode
):
    if mode == "htmx":
        block_bundle(page)
    start(page, live_server, quiz, device=mode == "device")
    for number, label in [(1, "Eens"), (2, "Oneens"), (3, "Neutraal")]:
        answer(page, label, number)
    page.get_by_role("link", name="Vorige").click()
    expect(page.get_by_text("Stelling 3 van 5")).to_be_visible()
    kept = page.evaluate(KEPT)
    # Nothing beyond the tab and htmx's history of it: on the device, answers are in the fragment.
    assert (kept["localStorage"], kept["sessionStorage"], kept["cookie"]) == ([], [], "")
    if mode == "device":
        assert kept["htmxPath"] == f"/stemtest/{quiz.slug}/stelling/1/"  # the page loaded
    else:
        address = urlsplit(page.url)
        assert kept["htmxPath"] == f"{address.path}?{address.query}"
    answer(page, "Neutraal", 3)
    answer(page, "Eens", 4)
    answer(page, "Eens", 5)
    page.wait_for_url(re.compile(r"/resultaat/\?a="))
    page.get_by_role("link", name="Waar je het oneens bent").click()
    expect(page).to_have_url(re.compile("toon=oneens"))
    kept = page.evaluate(KEPT)
    assert (kept["localStorage"], kept["sessionStorage"], kept["cookie"]) == ([], [], "")
    address = urlsplit(page.url)
    assert kept["htmxPath"] == f"{address.path}?{address.query}"
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
