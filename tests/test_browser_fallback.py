"""The plain forms in a browser with JavaScript, a request per answer, when quiz.js cannot have
the bundle: it fails while the voter answers, is refused or gets a server error, or the browser
lacks what quiz.js needs; the answers kept on the device carried on, the back button and
reload, and a hand-edited form's friendly message. The voter side has no htmx any more."""

import re

import pytest
from playwright.sync_api import expect

from tests.helpers import (
    BUNDLE,
    answer,
    block_bundle,
    record_dynamic,
    start,
    statement_url,
    to_the_results,
    token_of,
    wait_for,
)

pytestmark = pytest.mark.browser


def test_an_answer_given_while_the_statements_fail_to_load_goes_to_the_form(
    page, live_server, quiz
):
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
    expect(page).to_have_url(re.compile(r"/stelling/2/\?a="))  # the server's address
    answer(page, "Eens", 2)
    expect(page).to_have_url(re.compile(r"/stelling/3/\?a="))


def test_without_the_statements_the_forms_carry_on_with_the_answers_in_the_address(
    page, live_server, quiz, ids
):
    refused = block_bundle(page)
    kept = f"1.{ids[0]}E{ids[1]}n"
    page.goto(statement_url(live_server, quiz, 3) + f"#antwoorden={kept}")
    wait_for(page, lambda: refused)
    answer(page, "Oneens", 3)
    expect(page).to_have_url(re.compile(r"/stelling/4/\?a="))
    assert token_of(page.url).split(":")[0] == f"{kept}{ids[2]}o"


def test_a_browser_without_what_quiz_js_needs_gets_the_forms(page, live_server, quiz):
    page.add_init_script("delete AbortSignal.timeout")  # as in Safari 15
    requests = []
    page.on("request", lambda request: record_dynamic(requests, request))
    start(page, live_server, quiz, device=False)
    answer(page, "Eens", 1)
    expect(page).to_have_url(re.compile(r"/stelling/2/\?a="))
    assert not [request.url for request in requests if "/stellingen/" in request.url]


@pytest.mark.parametrize("failure", ["abort", "500"])
def test_without_the_bundle_each_answer_is_a_form_post_to_the_next_statement(
    page, live_server, quiz, failure
):
    refused = block_bundle(page, failure)
    start(page, live_server, quiz, device=False)
    page.get_by_label("Belangrijk").check()
    with page.expect_request(lambda request: request.method == "POST") as posted:
        answer(page, "Eens", 1)
    assert "answer=eens" in posted.value.post_data
    expect(page.get_by_role("status")).to_have_text(
        "Je antwoord op stelling 1 is bewaard: Eens (belangrijk)."
    )
    assert re.search(r"/stelling/2/\?a=", page.url)
    assert page.title().startswith("Stelling 2 van 5")
    for number, label in [(2, "Oneens"), (3, "Neutraal"), (4, "Overslaan")]:
        answer(page, label, number)
    answer(page, "Oneens", 5)
    to_the_results(page)
    page.wait_for_url(re.compile(r"/resultaat/\?a="))
    # 2×2 + 2 + 2 + 2 of 2×2 + 2 + 2 + 2 (statement 4 skipped): 100 %
    expect(page.get_by_text("Je bent het voor 100 % eens met Vooruit.")).to_be_visible()
    expect(page.get_by_text("op basis van 4 stellingen")).to_be_visible()
    bundle = f"{live_server.url}/stemtest/{quiz.slug}/stellingen/"
    assert set(refused) == {bundle}  # it tried, on the statements and on the results
    expect(page.locator("#results[data-device]")).to_have_count(0)  # the server's page stays


def test_vorige_reload_and_back_and_forward_keep_the_voter_where_they_were_with_the_forms(
    page, live_server, quiz
):
    block_bundle(page)
    start(page, live_server, quiz, device=False)
    answer(page, "Eens", 1)
    answer(page, "Oneens", 2)
    answer(page, "Neutraal", 3)
    page.get_by_role("link", name="Vorige").click()
    expect(page.get_by_text("Stelling 3 van 5")).to_be_visible()
    assert "/stelling/3/" in page.url
    page.reload()
    expect(page.get_by_text("Stelling 3 van 5")).to_be_visible()
    expect(page.get_by_text("Je antwoordde eerder: Neutraal.")).to_be_visible()
    # A reload or "Vorige" saved nothing, so nothing says so.
    expect(page.get_by_role("status").first).to_have_text("")
    page.go_back()
    expect(page.get_by_text("Stelling 4 van 5")).to_be_visible()
    page.go_forward()
    expect(page.get_by_text("Stelling 3 van 5")).to_be_visible()
    answer(page, "Neutraal", 3)
    answer(page, "Eens", 4)
    answer(page, "Oneens", 5)
    to_the_results(page)
    page.wait_for_url(re.compile("/resultaat/"))
    expect(page.get_by_text("Je beantwoordde 5 van de 5 stellingen.", exact=False)).to_be_visible()


def test_a_hand_edited_form_shows_the_friendly_message(page, live_server, quiz):
    block_bundle(page)
    start(page, live_server, quiz, device=False)
    page.locator("input[name=stelling]").evaluate("input => input.value = '999999'")
    page.get_by_role("button", name="Eens", exact=True).click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Dat lukte niet")
    expect(page.get_by_text("Deze stelling staat niet (meer) in de stemtest.")).to_be_visible()
    assert page.title() == "Dat lukte niet – Stemtest"
    page.get_by_role("link", name="Ga verder").click()
    expect(page.get_by_text("Stelling 1 van 5")).to_be_visible()
