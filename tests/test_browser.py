"""What only a browser shows: the quiz on the voter's device (static/js/quiz.js: every statement
from one bundle, no request per answer, the answers in the address's fragment), the htmx flow
that takes over when that bundle cannot be fetched, the same flow without JavaScript, keyboard
use, the back button and reload mid-quiz, changing an answer from the results, what the browser
keeps (no answers, page copies or cookies), and axe (WCAG 2.2 A and AA) on every voter page and
the programme pages."""

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from quiz.answers import Answer, decode, encode
from quiz.models import Statement
from quiz.snapshot import get_snapshot
from tests.test_quiz_flow import token_of

pytestmark = pytest.mark.browser

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BUNDLE = "**/stellingen/"
# quiz.js shows its own copy of each screen, a form without htmx attributes.
ON_DEVICE = "#quiz-step .answer-form:not([data-hx-post])"
MODES = ["device", "htmx"]


@pytest.fixture
def quiz(transactional_db, make_quiz):
    """Five statements; Vooruit says eens, oneens, neutraal, eens, oneens."""
    return make_quiz(statements=5)


@pytest.fixture
def ids(quiz):
    """The statements' ids, in quiz order."""
    return list(quiz.statements.order_by("order").values_list("pk", flat=True))


@pytest.fixture
def no_js_page(browser):
    context = browser.new_context(locale="nl-BE", java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()


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


# --- On the voter's device (the default with JavaScript) -------------------------------------


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


def test_the_address_keeps_the_answers_through_back_vorige_forward_and_reload(
    page, live_server, quiz, ids
):
    start(page, live_server, quiz)
    assert page.url == statement_url(live_server, quiz, 1)  # no answers, no fragment
    page.get_by_label("Belangrijk").check()
    answer(page, "Eens", 1)
    assert page.url == statement_url(live_server, quiz, 2) + f"#antwoorden=1.{ids[0]}E"
    answer(page, "Oneens", 2)
    assert page.url == statement_url(live_server, quiz, 3) + f"#antwoorden=1.{ids[0]}E{ids[1]}o"
    answer(page, "Neutraal", 3)
    everything = f"#antwoorden=1.{ids[0]}E{ids[1]}o{ids[2]}n"
    assert page.url == statement_url(live_server, quiz, 4) + everything
    heading = page.get_by_role("heading", level=1)
    earlier = page.locator("#current-answer")

    page.go_back()
    expect(page.get_by_text("Stelling 3 van 5")).to_be_visible()
    expect(earlier).to_have_text("Je antwoordde eerder: Neutraal.")
    neutraal = page.get_by_role("button", name="Neutraal", exact=True)
    expect(neutraal).to_have_text("Neutraal ✓")
    expect(neutraal).to_have_accessible_description("Je antwoordde eerder: Neutraal.")
    expect(heading).to_be_focused()
    assert page.url == statement_url(live_server, quiz, 3) + everything
    assert page.title() == "Stelling 3 van 5 – Stemtest"
    page.go_back()
    expect(page.get_by_text("Stelling 2 van 5")).to_be_visible()
    expect(earlier).to_have_text("Je antwoordde eerder: Oneens.")
    expect(page.get_by_label("Belangrijk")).not_to_be_checked()
    page.go_forward()
    page.go_forward()
    expect(page.get_by_text("Stelling 4 van 5")).to_be_visible()
    expect(earlier).to_have_count(0)  # not answered yet
    expect(page.get_by_role("button", name="Eens", exact=True)).to_have_text("Eens")

    page.reload()
    on_device(page)
    expect(page.get_by_text("Stelling 4 van 5")).to_be_visible()
    assert page.url == statement_url(live_server, quiz, 4) + everything
    for number in (3, 2, 1):
        page.get_by_role("link", name="Vorige").click()
        expect(page.get_by_text(f"Stelling {number} van 5")).to_be_visible()
        expect(heading).to_be_focused()
    expect(earlier).to_have_text("Je antwoordde eerder: Eens (belangrijk).")
    expect(page.get_by_label("Belangrijk")).to_be_checked()
    assert page.url == statement_url(live_server, quiz, 1) + everything
    page.go_back()  # "Vorige" is a step in the history too
    expect(page.get_by_text("Stelling 2 van 5")).to_be_visible()

    page.get_by_role("button", name="Eens", exact=True).click()  # changed from oneens
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
    expect(page.get_by_role("status")).to_have_text("Je antwoord op stelling 2 is bewaard: Oneens.")
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


def test_an_answer_given_while_the_statements_fail_to_load_goes_to_htmx(page, live_server, quiz):
    held = []

    def hold_then_refuse(route):
        if held:
            route.abort()  # asked again: still offline
        else:
            held.append(route)

    page.route(BUNDLE, hold_then_refuse)
    start(page, live_server, quiz, device=False)
    page.get_by_label("Belangrijk").check()
    page.get_by_role("button", name="Oneens", exact=True).click()
    wait_for(page, lambda: held)
    held[0].abort()
    expect(page.get_by_text("Stelling 2 van 5")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text(
        "Je antwoord op stelling 1 is bewaard: Oneens (belangrijk)."
    )
    expect(page).to_have_url(re.compile(r"/stelling/2/\?a="))  # htmx's address
    answer(page, "Eens", 2)
    expect(page).to_have_url(re.compile(r"/stelling/3/\?a="))


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


@pytest.mark.parametrize("mode", MODES)
def test_enter_in_the_belangrijk_box_does_not_answer(page, live_server, quiz, mode):
    refused = block_bundle(page) if mode == "htmx" else None
    start(page, live_server, quiz, device=mode == "device")
    if refused is not None:
        wait_for(page, lambda: refused)  # quiz.js has run, and given up: its listeners are in
    page.get_by_label("Belangrijk").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Space")
    page.wait_for_timeout(300)  # an answer would show statement 2 by now
    expect(page.get_by_text("Stelling 1 van 5")).to_be_visible()
    expect(page.get_by_label("Belangrijk")).to_be_checked()


def test_enter_in_the_belangrijk_box_does_not_answer_without_javascript(
    no_js_page, live_server, quiz
):
    no_js_page.goto(statement_url(live_server, quiz, 1))
    no_js_page.get_by_label("Belangrijk").focus()
    no_js_page.keyboard.press("Enter")  # presses the form's hidden first button, not "Eens"
    expect(no_js_page).to_have_url(statement_url(live_server, quiz, 1) + "#belangrijk")
    expect(no_js_page.get_by_text("Stelling 1 van 5")).to_be_visible()
    expect(no_js_page.get_by_text("Je antwoordde eerder")).to_have_count(0)


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


def test_without_the_statements_htmx_carries_on_with_the_answers_in_the_address(
    page, live_server, quiz, ids
):
    refused = block_bundle(page)
    kept = f"1.{ids[0]}E{ids[1]}n"
    page.goto(statement_url(live_server, quiz, 3) + f"#antwoorden={kept}")
    wait_for(page, lambda: refused)
    answer(page, "Oneens", 3)
    expect(page).to_have_url(re.compile(r"/stelling/4/\?a="))
    assert token_of(page.url).split(":")[0] == f"{kept}{ids[2]}o"


def test_a_browser_without_what_quiz_js_needs_gets_the_htmx_flow(page, live_server, quiz):
    page.add_init_script("delete AbortSignal.timeout")  # as in Safari 15
    requests = []
    page.on("request", lambda request: record_dynamic(requests, request))
    start(page, live_server, quiz, device=False)
    answer(page, "Eens", 1)
    expect(page).to_have_url(re.compile(r"/stelling/2/\?a="))
    assert not [request.url for request in requests if "/stellingen/" in request.url]


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
    page.go_back()
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


# --- The htmx flow: when quiz.js cannot get the statements -----------------------------------


@pytest.mark.parametrize("failure", ["abort", "500"])
def test_without_the_bundle_htmx_swaps_each_statement_in_place(page, live_server, quiz, failure):
    refused = block_bundle(page, failure)
    start(page, live_server, quiz, device=False)
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_label("Belangrijk").check()
    answer(page, "Eens", 1)
    expect(page.get_by_role("status")).to_have_text(
        "Je antwoord op stelling 1 is bewaard: Eens (belangrijk)."
    )
    assert re.search(r"/stelling/2/\?a=", page.url)
    assert page.evaluate("window.stillTheSamePage") is True  # swapped by htmx, no reload
    assert page.title().startswith("Stelling 2 van 5")
    for number, label in [(2, "Oneens"), (3, "Neutraal"), (4, "Overslaan")]:
        answer(page, label, number)
    answer(page, "Oneens", 5)
    page.wait_for_url(re.compile(r"/resultaat/\?a="))
    # 2×2 + 2 + 2 + 2 of 2×2 + 2 + 2 + 2 (statement 4 skipped): 100 %
    expect(page.get_by_text("Je bent het voor 100 % eens met Vooruit.")).to_be_visible()
    expect(page.get_by_text("op basis van 4 stellingen")).to_be_visible()
    assert set(refused) == {f"{live_server.url}/stemtest/{quiz.slug}/stellingen/"}  # it tried


def test_back_button_and_reload_keep_the_voter_where_they_were_with_htmx(page, live_server, quiz):
    block_bundle(page)
    start(page, live_server, quiz, device=False)
    answer(page, "Eens", 1)
    answer(page, "Oneens", 2)
    answer(page, "Neutraal", 3)
    page.go_back()
    expect(page.get_by_text("Stelling 3 van 5")).to_be_visible()
    assert "/stelling/3/" in page.url
    page.reload()
    expect(page.get_by_text("Stelling 3 van 5")).to_be_visible()
    expect(page.get_by_text("Je antwoord op stelling 2 is bewaard: Oneens.")).to_be_visible()
    page.go_back()
    expect(page.get_by_text("Stelling 2 van 5")).to_be_visible()
    page.go_forward()
    page.go_forward()
    expect(page.get_by_text("Stelling 4 van 5")).to_be_visible()
    answer(page, "Eens", 4)
    answer(page, "Oneens", 5)
    page.wait_for_url(re.compile("/resultaat/"))
    expect(page.get_by_text("Je beantwoordde 5 van de 5 stellingen.", exact=False)).to_be_visible()


def test_a_hand_edited_form_with_htmx_shows_the_friendly_message(page, live_server, quiz):
    block_bundle(page)
    start(page, live_server, quiz, device=False)
    page.evaluate("window.stillTheSamePage = true")
    page.locator("input[name=stelling]").evaluate("input => input.value = '999999'")
    page.get_by_role("button", name="Eens", exact=True).click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Dat lukte niet")
    expect(heading).to_be_focused()
    expect(page.get_by_text("Deze stelling staat niet (meer) in de stemtest.")).to_be_visible()
    assert page.title() == "Dat lukte niet – Stemtest"
    assert page.evaluate("window.stillTheSamePage") is True  # swapped by htmx, no reload
    page.get_by_role("link", name="Ga verder").click()
    expect(page.get_by_text("Stelling 1 van 5")).to_be_visible()


# --- Without JavaScript, and in every mode ---------------------------------------------------


def test_the_same_quiz_works_without_javascript(no_js_page, live_server, quiz):
    page = no_js_page
    start(page, live_server, quiz, device=False)
    page.get_by_label("Belangrijk").check()
    for number, label in [(1, "Eens"), (2, "Eens"), (3, "Eens"), (4, "Eens")]:
        answer(page, label, number)
    expect(page.get_by_text("Je antwoord op stelling 4 is bewaard: Eens.")).to_be_visible()
    page.get_by_role("link", name="Vorige").click()
    expect(page.get_by_text("Stelling 4 van 5")).to_be_visible()
    expect(page.get_by_text("Je antwoordde eerder: Eens.")).to_be_visible()
    answer(page, "Eens", 4)
    answer(page, "Eens", 5)
    page.wait_for_url(re.compile(r"/resultaat/\?a="))
    # eens×2 (2×2), eens/oneens 0, eens/neutraal 1, eens 2, eens/oneens 0 → 7 of 12 = 58 %
    expect(page.get_by_text("Je bent het voor 58 % eens met Vooruit.")).to_be_visible()
    page.get_by_role("link", name="Waar je het oneens bent").click()
    expect(page.locator(".statement-result")).to_have_count(2)


@pytest.mark.parametrize("mode", MODES)
def test_keyboard_only_with_visible_focus_and_a_live_confirmation(page, live_server, quiz, mode):
    if mode == "htmx":
        block_bundle(page)
    page.goto(statement_url(live_server, quiz, 1))
    if mode == "device":
        on_device(page)
    page.keyboard.press("Tab")  # skip link
    expect(page.get_by_role("link", name="Naar de inhoud")).to_be_focused()
    page.keyboard.press("Enter")
    seen = []
    for _ in range(12):
        page.keyboard.press("Tab")
        seen.append(
            page.evaluate("document.activeElement.textContent.trim() || document.activeElement.id")
        )
        if page.get_by_label("Belangrijk").evaluate("el => el === document.activeElement"):
            break
    assert "Uitleg bij deze stelling" in seen
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # visible focus
    page.keyboard.press("Space")
    expect(page.get_by_label("Belangrijk")).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Eens", exact=True)).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Oneens", exact=True)).to_be_focused()
    page.keyboard.press("Enter")
    status = page.get_by_role("status")
    expect(status).to_have_text("Je antwoord op stelling 1 is bewaard: Oneens (belangrijk).")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("De overheid moet maatregel 2 invoeren.")
    expect(heading).to_be_focused()  # focus moves to the new statement
    expect(page).to_have_title("Stelling 2 van 5 – Stemtest")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    for _ in range(6):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Neutraal":
            break
    page.keyboard.press("Space")
    expect(page.get_by_text("Stelling 3 van 5")).to_be_visible()
    expect(status).to_have_text("Je antwoord op stelling 2 is bewaard: Neutraal.")
    expect(heading).to_be_focused()
    expect(page).to_have_title("Stelling 3 van 5 – Stemtest")
    for _ in range(10):  # on to "Vorige", after the answers
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Vorige":
            break
    page.keyboard.press("Enter")
    expect(page.get_by_text("Stelling 2 van 5")).to_be_visible()
    expect(page.get_by_text("Je antwoordde eerder: Neutraal.")).to_be_visible()
    expect(heading).to_be_focused()


def test_changing_an_answer_from_the_results_updates_the_score(page, live_server, quiz):
    start(page, live_server, quiz)
    for number, label in enumerate(["Eens", "Eens", "Neutraal", "Eens", "Oneens"], start=1):
        answer(page, label, number)
    page.wait_for_url(re.compile("/resultaat/"))
    expect(page.get_by_text("Je bent het voor 80 % eens met Vooruit.")).to_be_visible()
    before = page.url
    item = page.locator(".statement-result").nth(1)
    item.get_by_text("Wijzig je antwoord").click()
    item.get_by_label("Oneens").check()
    item.get_by_role("button", name="Bewaar en herbereken").click()
    expect(page.get_by_text("Je bent het voor 100 % eens met Vooruit.")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text(
        "Je antwoord op stelling 2 is gewijzigd in Oneens."
    )
    assert page.url != before
    page.reload()
    expect(page.get_by_text("Je bent het voor 100 % eens met Vooruit.")).to_be_visible()


def violations(page) -> str:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
    return results.generate_report() if results.violations_count else ""


def test_axe_finds_no_violations_on_voter_and_programme_pages(page, live_server, quiz):
    pages = {
        "landing": f"/stemtest/{quiz.slug}/",
        "method": "/hoe-berekenen/",
        "programme": "/programma/vooruit-2024/",
        "section": "/programma/vooruit-2024/1.1/",
        "bad request": f"/stemtest/{quiz.slug}/stelling/99/",
    }
    reports = {}
    for name, path in pages.items():
        page.goto(live_server.url + path)
        reports[name] = violations(page)
    start(page, live_server, quiz)
    reports["statement"] = violations(page)
    page.get_by_label("Belangrijk").check()
    answer(page, "Eens", 1)
    page.get_by_role("link", name="Vorige").click()
    expect(page.get_by_text("Je antwoordde eerder: Eens (belangrijk).")).to_be_visible()
    page.locator("summary").click()
    reports["statement with an earlier answer, on the device"] = violations(page)
    answer(page, "Oneens", 1)
    for number in range(2, 6):
        answer(page, "Eens", number)
    page.wait_for_url(re.compile("/resultaat/"))
    page.locator(".change summary").first.click()
    reports["results"] = violations(page)
    block_bundle(page)
    start(page, live_server, quiz, device=False)
    page.get_by_role("button", name="Eens", exact=True).click()
    expect(page.get_by_text("Stelling 2 van 5")).to_be_visible()
    page.locator("summary").click()
    reports["statement after htmx swap"] = violations(page)
    assert {name: report for name, report in reports.items() if report} == {}


@pytest.mark.parametrize("width", [375, 1280])
def test_every_voter_screen_fits_the_width_and_is_saved_as_a_screenshot(
    browser, live_server, quiz, width, tmp_path
):
    """Screenshots go to $STEMTEST_SCREENSHOTS (or a temporary directory) for a person to look
    at; the test fails when a screen scrolls sideways."""
    folder = Path(os.environ.get("STEMTEST_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(locale="nl-BE", viewport={"width": width, "height": 900})
    page = context.new_page()
    overflowing = []

    def shoot(name):
        page.screenshot(path=folder / f"{name}-{width}.png", full_page=True)
        if page.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
            overflowing.append(name)

    for name, path in [
        ("landing", f"/stemtest/{quiz.slug}/"),
        ("method", "/hoe-berekenen/"),
        ("bad-request", f"/stemtest/{quiz.slug}/stelling/99/"),
        ("programme", "/programma/vooruit-2024/"),
    ]:
        page.goto(live_server.url + path)
        shoot(name)
    start(page, live_server, quiz)
    page.get_by_label("Belangrijk").check()
    answer(page, "Eens", 1)
    page.locator("summary").click()
    shoot("statement")
    answer(page, "Oneens", 2)
    page.get_by_role("link", name="Vorige").click()
    expect(page.get_by_text("Je antwoordde eerder: Oneens.")).to_be_visible()
    shoot("statement-answered")
    for number, label in [(2, "Oneens"), (3, "Neutraal"), (4, "Overslaan"), (5, "Eens")]:
        answer(page, label, number)
    page.wait_for_url(re.compile("/resultaat/"))
    page.locator(".change summary").first.click()
    shoot("results")
    context.close()
    assert overflowing == []
