"""The results page in a browser: changing an answer on the device updates the row in place, the
score, the sticky score bar, the address and the live confirmation, without a request; a signed
address is taken over; without JavaScript each change form is its own; the share buttons."""

import re

import pytest
from playwright.sync_api import expect

from tests.helpers import answer, answer_all, record_dynamic, start, to_the_results

pytestmark = pytest.mark.browser


def test_changing_an_answer_on_the_device_keeps_the_row_in_place_and_shows_the_new_score(
    page, live_server, quiz, ids
):
    start(page, live_server, quiz)
    answer_all(page, [(label, False) for label in ["Eens", "Eens", "Neutraal", "Eens", "Oneens"]])
    expect(page.get_by_text("Je bent het voor 80 % eens met Vooruit.")).to_be_visible()
    requests = []
    page.on("request", lambda request: record_dynamic(requests, request))
    row = page.locator(".statement-result").nth(1)
    where = "row => row.getBoundingClientRect().top + window.scrollY"
    top = row.evaluate(where)
    row.locator(".row > summary").click()  # the row opens
    row.get_by_text("Wijzig je antwoord").click()
    row.get_by_label("Oneens").check()
    row.get_by_role("button", name="Bewaar en herbereken").click()
    expect(page.get_by_text("Je bent het voor 100 % eens met Vooruit.")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text(
        "Je antwoord op stelling 2 is gewijzigd in Oneens."
    )
    row = page.locator(".statement-result").nth(1)
    assert row.get_attribute("id") == f"s{ids[1]}"  # the same row, where it was
    assert abs(row.evaluate(where) - top) < 1
    expect(row.locator(".row > summary")).to_be_focused()
    expect(row.locator(".row")).to_have_attribute("open", "")  # still open
    expect(row.locator(".your-answer")).to_have_text("Jij: Oneens", use_inner_text=True)
    expect(row.locator("[data-row-score]")).to_have_text("Je resultaat nu: Vooruit 100 %")
    expect(row.locator(".party-stance")).to_contain_text("Zelfde mening")
    expect(page.locator("[data-score-bar]")).to_have_text("Je resultaat: Vooruit 100 %")
    assert requests == []  # computed on the device
    assert page.url.endswith(f"#antwoorden=1.{ids[0]}e{ids[1]}o{ids[2]}n{ids[3]}e{ids[4]}o")
    page.reload()
    expect(page.get_by_text("Je bent het voor 100 % eens met Vooruit.")).to_be_visible()


def test_a_signed_results_address_is_taken_over_by_the_device_and_loses_its_token(
    page, no_js_page, live_server, quiz, ids
):
    start(no_js_page, live_server, quiz, device=False)
    answer_all(
        no_js_page, [("Eens", True), ("Oneens", False)] + [("Neutraal", False)] * 3, device=False
    )
    signed = no_js_page.url
    page.goto(signed)
    expect(page.locator("#results[data-device]")).to_be_attached()
    results = f"{live_server.url}/stemtest/{quiz.slug}/resultaat/"
    assert page.url == results + f"#antwoorden=1.{ids[0]}E{ids[1]}o{ids[2]}n{ids[3]}n{ids[4]}n"
    assert page.locator("#share-link").input_value() == page.url  # a reload sends no answers
    for part in ["[data-summary]", ".statement-results"]:
        assert page.locator(part).inner_text() == no_js_page.locator(part).inner_text()


def test_enter_in_a_statements_change_form_changes_that_statement_without_javascript(
    no_js_page, live_server, quiz
):
    page = no_js_page
    start(page, live_server, quiz, device=False)
    for number, label in enumerate(["Eens", "Eens", "Neutraal", "Eens", "Oneens"], start=1):
        answer(page, label, number)
    to_the_results(page)
    page.wait_for_url(re.compile("/resultaat/"))
    item = page.locator(".statement-result").nth(2)
    item.locator(".row > summary").click()
    item.get_by_text("Wijzig je antwoord").click()
    item.get_by_label("Oneens").check()
    page.keyboard.press("Enter")  # submits statement 3's form, not statement 1's
    page.wait_for_url(re.compile(r"#s\d+$"))
    third = page.locator(".statement-result").nth(2)
    expect(third.locator(".your-answer")).to_have_text("Jij: Oneens", use_inner_text=True)
    first = page.locator(".statement-result").nth(0)
    expect(first.locator(".your-answer")).to_have_text("Jij: Eens", use_inner_text=True)


def test_kopieer_link_copies_the_share_link_and_says_so(browser, live_server, quiz):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    start(page, live_server, quiz)
    for number, label in enumerate(["Eens", "Oneens", "Neutraal", "Eens", "Eens"], start=1):
        answer(page, label, number)
    to_the_results(page)
    page.wait_for_url(re.compile("/resultaat/"))
    page.get_by_role("button", name="Kopieer link").click()
    expect(page.get_by_role("status")).to_have_text("De link is gekopieerd.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.locator("#share-link").input_value()
    assert copied.endswith(page.url.split(live_server.url)[1])
    context.close()


def test_without_javascript_there_is_no_copy_button_only_the_link(no_js_page, live_server, quiz):
    page = no_js_page
    start(page, live_server, quiz, device=False)
    for number in range(1, 6):
        answer(page, "Eens", number)
    to_the_results(page)
    page.wait_for_url(re.compile("/resultaat/"))
    expect(page.get_by_role("button", name="Kopieer link")).to_be_hidden()
    expect(page.get_by_label("Deellink", exact=True)).to_be_visible()


def test_a_link_with_the_scores_only_shows_the_ranking_and_no_answer(
    browser, page, live_server, make_quiz
):
    quiz = make_quiz(statements=3, parties=3, stances=[["eens", "oneens", "eens"]] * 3)
    start(page, live_server, quiz, total=3)
    answer_all(page, [("Eens", False), ("Eens", False), ("Oneens", False)], total=3)
    expect(page.get_by_text("Alleen je scores, zonder je antwoorden")).to_be_visible()
    page.get_by_label("Alleen je scores, zonder je antwoorden").check()
    link = page.locator("#share-link").input_value()
    results = f"{live_server.url}/stemtest/{quiz.slug}/resultaat/"
    slugs = [party.slug for party in quiz.parties.order_by("name")]
    assert link.startswith(results + "#scores=")
    assert "antwoorden" not in link
    assert page.get_by_role("link", name="Open de deellink").get_attribute("href") == link
    other = browser.new_context().new_page()
    other.goto(link)
    expect(other.locator("#results[data-device]")).to_be_attached()
    expect(other.get_by_role("heading", level=1)).to_contain_text("Een gedeeld resultaat")
    ranking = other.locator(".ranking-row")
    expect(ranking).to_have_count(3)
    assert [row.inner_text().split("\n")[0] for row in ranking.all()] == [
        line.split("\n")[0] for line in page.locator(".ranking-row").all_inner_texts()
    ]
    expect(other.locator(".statement-result")).to_have_count(0)  # no answers, no rows
    expect(other.get_by_text("Per stelling")).to_be_hidden()
    expect(other.get_by_role("link", name="Doe de stemtest zelf")).to_be_visible()
    assert set(slugs) >= {item.split(".")[0] for item in link.split("#scores=")[1].split(",")}
    other.context.close()


def test_comparing_with_a_friends_link_stays_on_the_device(page, live_server, quiz, ids):
    start(page, live_server, quiz)
    answer_all(page, [(label, False) for label in ["Eens", "Eens", "Neutraal", "Eens", "Oneens"]])
    requests = []
    page.on("request", lambda request: record_dynamic(requests, request))
    page.get_by_text("Vergelijk met een vriend").click()  # it opens
    field = page.get_by_label("Deellink van je vriend")
    compare = page.get_by_role("button", name="Vergelijk")
    for link, message in [
        ("", "Plak eerst de deellink van je vriend."),
        ("https://elders.example/stemtest/x/resultaat/#antwoorden=1.1e", "niet van deze stemtest"),
        (page.url.split("#")[0] + "#scores=vooruit.80", "geen antwoorden"),
    ]:
        field.fill(link)
        compare.click()
        expect(page.locator("[data-friend-error]")).to_contain_text(message)
        expect(field).to_be_focused()
    friend = page.url.split("#")[0] + f"#antwoorden=1.{ids[0]}e{ids[1]}o{ids[2]}N{ids[4]}o"
    field.fill(friend)
    compare.click()
    # eens/eens 2 · eens/oneens 0 · neutraal/neutraal 2 · (4 skipped by the friend) · oneens 2
    score = page.locator("[data-friend-score]")
    expect(score).to_have_text(
        "Jij en je vriend zijn het voor 75\u00a0% eens, op basis van 4 stellingen."
    )
    expect(score).to_be_focused()
    expect(page.locator("[data-friend-error]")).to_be_hidden()
    rows = page.locator(".statement-result [data-friend]")
    expect(rows.nth(0)).to_have_text("Je vriend: Eens Zelfde mening")
    expect(rows.nth(1)).to_have_text("Je vriend: Oneens Andere mening")
    expect(rows.nth(3)).to_have_text("Je vriend: niet beantwoord Niet vergeleken")
    assert requests == []
    # The friend's answers are not put in this page's address.
    assert page.url.split("#antwoorden=")[1] == f"1.{ids[0]}e{ids[1]}e{ids[2]}n{ids[3]}e{ids[4]}o"
