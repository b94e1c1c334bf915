"""What only a browser shows: the htmx flow, the same flow without JavaScript, keyboard use,
the back button and reload mid-quiz, changing an answer from the results, and axe (WCAG 2.2
A and AA) on every voter page and the programme pages."""

import os
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture
def quiz(transactional_db, make_quiz):
    """Five statements; Vooruit says eens, oneens, neutraal, eens, oneens."""
    return make_quiz(statements=5)


@pytest.fixture
def no_js_page(browser):
    context = browser.new_context(locale="nl-BE", java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()


def start(page, live_server, quiz):
    page.goto(f"{live_server.url}/stemtest/{quiz.slug}/")
    page.get_by_role("link", name="Start de stemtest").click()
    expect(page.get_by_text("Stelling 1 van 5")).to_be_visible()


def answer(page, label, number, total=5):
    page.get_by_role("button", name=label, exact=True).click()
    if number < total:
        expect(page.get_by_text(f"Stelling {number + 1} van {total}")).to_be_visible()


def test_a_full_quiz_with_javascript_swaps_statements_in_place(page, live_server, quiz):
    start(page, live_server, quiz)
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


def test_the_same_quiz_works_without_javascript(no_js_page, live_server, quiz):
    page = no_js_page
    start(page, live_server, quiz)
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


def test_keyboard_only_with_visible_focus_and_a_live_confirmation(page, live_server, quiz):
    page.goto(f"{live_server.url}/stemtest/{quiz.slug}/stelling/1/")
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
    expect(page.get_by_role("status")).to_have_text(
        "Je antwoord op stelling 1 is bewaard: Oneens (belangrijk)."
    )
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("De overheid moet maatregel 2 invoeren.")
    expect(heading).to_be_focused()  # focus moves to the new statement
    for _ in range(6):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Neutraal":
            break
    page.keyboard.press("Space")
    expect(page.get_by_text("Stelling 3 van 5")).to_be_visible()


def test_back_button_and_reload_keep_the_voter_where_they_were(page, live_server, quiz):
    start(page, live_server, quiz)
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
        "statement": f"/stemtest/{quiz.slug}/stelling/1/",
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
    page.get_by_role("button", name="Eens", exact=True).click()
    expect(page.get_by_text("Stelling 2 van 5")).to_be_visible()
    page.locator("summary").click()
    reports["statement after htmx swap"] = violations(page)
    page.goto(f"{live_server.url}/stemtest/{quiz.slug}/stelling/5/?{page.url.split('?')[1]}")
    page.get_by_role("button", name="Eens", exact=True).click()
    page.wait_for_url(re.compile("/resultaat/"))
    page.locator(".change summary").first.click()
    reports["results"] = violations(page)
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
    for number, label in [(2, "Oneens"), (3, "Neutraal"), (4, "Overslaan"), (5, "Eens")]:
        answer(page, label, number)
    page.wait_for_url(re.compile("/resultaat/"))
    page.locator(".change summary").first.click()
    shoot("results")
    context.close()
    assert overflowing == []


def test_a_hand_edited_form_with_javascript_shows_the_friendly_message(page, live_server, quiz):
    start(page, live_server, quiz)
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
