"""Accessibility in a browser: keyboard only (visible focus, a live confirmation, focus on each
new statement) and Enter in the "Belangrijk" box, on the device and with the plain forms; axe
(WCAG 2.2 A and AA) on every voter page, the results in each of their states, and the programme
pages; every voter screen fits a phone's and a
desktop's width, saved as screenshots. (Enter without JavaScript: test_browser_nojs.py.)"""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.helpers import (
    MODES,
    answer,
    block_bundle,
    on_device,
    results_shown,
    start,
    statement_url,
    to_the_results,
    wait_for,
)

pytestmark = pytest.mark.browser

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.mark.parametrize("mode", MODES)
def test_enter_in_the_belangrijk_box_does_not_answer(page, live_server, quiz, mode):
    refused = block_bundle(page) if mode == "forms" else None
    start(page, live_server, quiz, device=mode == "device")
    if refused is not None:
        wait_for(page, lambda: refused)  # quiz.js has run, and given up: its listeners are in
    page.get_by_label("Belangrijk").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Space")
    page.wait_for_timeout(300)  # an answer would show statement 2 by now
    expect(page.get_by_text("Stelling 1 van 5")).to_be_visible()
    expect(page.get_by_label("Belangrijk")).to_be_checked()


@pytest.mark.parametrize("mode", MODES)
def test_keyboard_only_with_visible_focus_and_a_live_confirmation(page, live_server, quiz, mode):
    if mode == "forms":
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
    if mode == "device":  # with the forms, "Vorige" is a link: a page of its own, focus at its top
        expect(heading).to_be_focused()


def violations(page) -> str:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
    return results.generate_report() if results.violations_count else ""


def test_axe_finds_no_violations_on_voter_and_programme_pages(page, live_server, quiz):
    pages = {
        "landing": f"/stemtest/{quiz.slug}/",
        "method": "/hoe-berekenen/",
        "about": f"/stemtest/{quiz.slug}/over/",
        "programmes": "/programma/",
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
    to_the_results(page)
    results_shown(page)
    page.locator(".row > summary").first.click()  # a row opened
    page.locator(".change summary").first.click()
    reports["results"] = violations(page)
    own = page.url
    page.get_by_text("Vergelijk met een vriend").click()
    page.get_by_label("Deellink van je vriend").fill("kapot")
    page.get_by_role("button", name="Vergelijk").click()
    reports["results, a friend's link refused"] = violations(page)
    page.get_by_label("Deellink van je vriend").fill(own)
    page.get_by_role("button", name="Vergelijk").click()
    expect(page.locator("[data-friend-score]")).to_be_visible()
    page.get_by_label("Alleen je scores, zonder je antwoorden").check()
    reports["results, compared with a friend"] = violations(page)
    page.goto(page.locator("#share-link").input_value())
    expect(page.get_by_text("Een gedeeld resultaat:")).to_be_visible()
    reports["results, the scores only"] = violations(page)
    block_bundle(page)
    start(page, live_server, quiz, device=False)
    page.get_by_role("button", name="Eens", exact=True).click()
    expect(page.get_by_text("Stelling 2 van 5")).to_be_visible()
    page.locator("summary").click()
    reports["statement after a form POST"] = violations(page)
    for number, label in [(2, "Oneens"), (3, "Neutraal"), (4, "Overslaan"), (5, "Eens")]:
        answer(page, label, number)
    to_the_results(page)
    results_shown(page, device=False)
    reports["results without the bundle"] = violations(page)
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
    to_the_results(page)
    results_shown(page)
    page.locator(".row > summary").first.click()  # a row opened
    page.locator(".change summary").first.click()
    shoot("results")
    context.close()
    assert overflowing == []
