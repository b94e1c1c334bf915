"""The results page in a browser: changing an answer there updates the score, the address and
the live confirmation, and the new result survives a reload."""

import re

import pytest
from playwright.sync_api import expect

from tests.helpers import answer, start

pytestmark = pytest.mark.browser


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


def test_enter_in_a_statements_change_form_changes_that_statement_without_javascript(
    no_js_page, live_server, quiz
):
    page = no_js_page
    start(page, live_server, quiz, device=False)
    for number, label in enumerate(["Eens", "Eens", "Neutraal", "Eens", "Oneens"], start=1):
        answer(page, label, number)
    page.wait_for_url(re.compile("/resultaat/"))
    item = page.locator(".statement-result").nth(2)
    item.get_by_text("Wijzig je antwoord").click()
    item.get_by_label("Oneens").check()
    page.keyboard.press("Enter")  # submits statement 3's form, not statement 1's
    page.wait_for_url(re.compile(r"#s\d+$"))
    third = page.locator(".statement-result").nth(2)
    expect(third.locator(".your-answer")).to_have_text("Jouw antwoord: Oneens")
    first = page.locator(".statement-result").nth(0)
    expect(first.locator(".your-answer")).to_have_text("Jouw antwoord: Eens")


def test_kopieer_link_copies_the_share_link_and_says_so(browser, live_server, quiz):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    start(page, live_server, quiz)
    for number, label in enumerate(["Eens", "Oneens", "Neutraal", "Eens", "Eens"], start=1):
        answer(page, label, number)
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
    page.wait_for_url(re.compile("/resultaat/"))
    expect(page.get_by_role("button", name="Kopieer link")).to_be_hidden()
    expect(page.get_by_label("Deellink")).to_be_visible()
