"""The quiz in a browser without JavaScript: plain forms and redirects from statement 1 to the
filtered results, and Enter in the "Belangrijk" box, which does not answer."""

import re

import pytest
from playwright.sync_api import expect

from tests.helpers import answer, start, statement_url, to_the_results

pytestmark = pytest.mark.browser


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
    to_the_results(page)
    page.wait_for_url(re.compile(r"/resultaat/\?a="))
    # eens×2 (2×2), eens/oneens 0, eens/neutraal 1, eens 2, eens/oneens 0 → 7 of 12 = 58 %
    expect(page.get_by_text("Je bent het voor 58 % eens met Vooruit.")).to_be_visible()
    page.get_by_role("link", name="Oneens", exact=True).click()
    expect(page.locator(".statement-result")).to_have_count(2)


def test_enter_in_the_belangrijk_box_does_not_answer_without_javascript(
    no_js_page, live_server, quiz
):
    no_js_page.goto(statement_url(live_server, quiz, 1))
    no_js_page.get_by_label("Belangrijk").focus()
    no_js_page.keyboard.press("Enter")  # presses the form's hidden first button, not "Eens"
    expect(no_js_page).to_have_url(statement_url(live_server, quiz, 1) + "#belangrijk")
    expect(no_js_page.get_by_text("Stelling 1 van 5")).to_be_visible()
    expect(no_js_page.get_by_text("Je antwoordde eerder")).to_have_count(0)


def test_volgende_without_javascript(no_js_page, live_server, quiz):
    page = no_js_page
    start(page, live_server, quiz, device=False)
    answer(page, "Eens", 1)
    answer(page, "Neutraal", 2)
    page.get_by_role("link", name="Vorige").click()
    page.get_by_role("link", name="Vorige").click()
    page.get_by_label("Belangrijk").check()  # marked after answering
    page.get_by_role("button", name="Volgende").click()
    expect(page.get_by_text("Stelling 2 van 5")).to_be_visible()
    expect(
        page.get_by_text("Je antwoord op stelling 1 is bewaard: Eens (belangrijk).")
    ).to_be_visible()
    expect(page.get_by_text("Je antwoordde eerder: Neutraal.")).to_be_visible()


def test_the_overview_without_javascript_sets_belangrijk_and_leads_back(
    no_js_page, live_server, quiz
):
    page = no_js_page
    start(page, live_server, quiz, device=False)
    for number, label in enumerate(["Eens", "Eens", "Neutraal", "Eens", "Oneens"], start=1):
        answer(page, label, number)
    expect(page.get_by_role("heading", name="Wat vind je belangrijk?")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("Je antwoord op stelling 5 is bewaard: Oneens.")
    page.get_by_role("link", name="wijzig stelling 2").click()
    expect(page.get_by_text("Stelling 2 van 5")).to_be_visible()
    page.go_back()
    page.get_by_label("Belangrijk: stelling 2").check()
    page.get_by_role("button", name="Naar je resultaat").click()
    page.wait_for_url(re.compile(r"/resultaat/\?a="))
    # eens 2 · eens against oneens 0 (belangrijk: 0 of 4) · neutraal 2 · eens 2 · oneens 2 → 8/12
    expect(page.get_by_text("Je bent het voor 67 % eens met Vooruit.")).to_be_visible()
