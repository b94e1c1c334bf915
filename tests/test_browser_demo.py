"""The demo election in Chromium: axe finds nothing on its pages, and no page scrolls sideways
on a phone with four parties side by side."""

import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from quiz.models import Programme
from tests.helpers import answer, on_device, to_the_results
from tests.test_browser_access import violations

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo")
    from quiz.models import Quiz

    return Quiz.objects.get(slug="oefenstemtest")


@pytest.mark.parametrize("width", [375, 1280])
def test_the_demo_passes_axe_and_fits_the_width(browser, live_server, demo, width, tmp_path):
    folder = Path(os.environ.get("STEMTEST_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(locale="nl-BE", viewport={"width": width, "height": 900})
    page = context.new_page()
    wilg = Programme.objects.get(party__slug="wilg")
    phare = Programme.objects.get(party__slug="phare")
    reports, overflowing = {}, []

    def check(name):
        page.screenshot(path=folder / f"demo-{name}-{width}.png", full_page=True)
        reports[name] = violations(page)
        if page.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
            overflowing.append(name)

    for name, path in [
        ("programmes", "/programma/"),
        ("landing", "/stemtest/oefenstemtest/"),
        ("programme", f"/programma/{wilg.slug}/"),
        ("section", f"/programma/{wilg.slug}/2/"),
        ("french-passage", f"/programma/{phare.slug}/resolutie/1/"),
        ("side-by-side", "/stemtest/oefenstemtest/naast-elkaar/horizon/phare/"),
        ("overview-empty", "/stemtest/oefenstemtest/overzicht/"),
    ]:
        page.goto(live_server.url + path)
        check(name)
    page.goto(f"{live_server.url}/stemtest/oefenstemtest/")
    page.get_by_role("link", name="Start de stemtest").click()
    expect(page.get_by_text("Stelling 1 van 20")).to_be_visible()
    on_device(page)
    check("statement")
    for number in range(1, 21):
        answer(page, "Eens" if number % 3 else "Oneens", number, total=20)
    check("overview")
    to_the_results(page)
    page.wait_for_url(re.compile("/resultaat/"))
    expect(page.locator("#results[data-device]")).to_be_attached()
    check("results")
    page.locator(".row > summary").first.click()
    page.locator(".themes-section > summary").click()
    check("results-opened")
    context.close()
    assert {name: report for name, report in reports.items() if report} == {}
    assert overflowing == []
