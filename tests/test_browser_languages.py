"""The quiz in French and English in a browser: taken on the device at /fr/ from the landing
page to the results, every screen in French (quiz.js and results.js with the French catalogue);
the switcher on the results page leads to the English results with the same answers (the
fragment); axe finds nothing on the French and English pages."""

import os
import re

import pytest
from playwright.sync_api import expect

from tests.test_browser_access import violations
from tests.test_translations import in_

pytestmark = pytest.mark.browser


def fr(text: str, context: str = "") -> str:
    return in_("fr", text, context)


def test_a_whole_quiz_in_french_then_the_results_in_english(page, live_server, quiz):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{live_server.url}/fr/stemtest/{quiz.slug}/")
    expect(page.locator("html")).to_have_attribute("lang", "fr-BE")
    page.get_by_role("link", name=fr("Start de stemtest")).click()
    page.wait_for_load_state("load")
    expect(page.locator("#quiz-step .answer-form[data-local]")).to_be_attached()  # on the device
    agree = fr("Eens", "standpunt of antwoord")
    disagree = fr("Oneens", "standpunt of antwoord")
    for number, label in enumerate([agree, agree, disagree, agree, disagree], start=1):
        progress = fr("Stelling %(number)s van %(total)s") % {"number": number, "total": 5}
        expect(page.locator("#progress-label")).to_contain_text(progress)
        if number == 2:  # a statement drawn by quiz.js from the French bundle, its title too
            expect(page).to_have_title(re.compile(re.escape(progress)))
        page.get_by_role("button", name=label, exact=True).click()
    expect(page.get_by_role("heading", name=fr("Wat vind je belangrijk?"))).to_be_visible()
    page.get_by_role("button", name=fr("Naar je resultaat")).click()
    page.wait_for_url(re.compile(r"/fr/stemtest/[^/]+/resultaat/(\?[^#]*)?#antwoorden="))
    expect(page.locator("#results[data-device]")).to_be_attached()
    headline = page.locator(".headline, h1").first
    expect(headline).to_contain_text(fr("Je resultaat"))
    score = page.locator(".ranking-row").first.inner_text()
    assert "%" in score
    assert f"{live_server.url}/fr/vertalingen.js" in requests
    if folder := os.environ.get("STEMTEST_SCREENSHOTS"):
        page.screenshot(path=f"{folder}/results-fr-{page.viewport_size['width']}.png")

    page.get_by_role("link", name=re.compile(r"^EN\b")).click()
    page.wait_for_url(re.compile(r"/en/stemtest/[^/]+/resultaat/(\?[^#]*)?#antwoorden="))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#results[data-device]")).to_be_attached()
    expect(page.locator(".ranking-row").first).to_have_text(
        re.compile(re.escape(score.split("%")[0].split()[-1]) + r"\s*%")
    )
    expect(page.locator("h1").first).to_contain_text(in_("en", "Je resultaat"))


def test_axe_finds_no_violations_on_french_and_english_pages(page, live_server, quiz):
    reports = {}
    for prefix in ("/fr", "/en"):
        for name, path in {
            "landing": f"/stemtest/{quiz.slug}/",
            "statement": f"/stemtest/{quiz.slug}/stelling/1/",
            "about": f"/stemtest/{quiz.slug}/over/",
            "method": "/hoe-berekenen/",
            "results": f"/stemtest/{quiz.slug}/resultaat/",
            "not found": "/bestaat-niet/",
        }.items():
            page.goto(live_server.url + prefix + path)
            reports[f"{prefix} {name}"] = violations(page)
    assert not any(reports.values()), "\n".join(f"{k}: {v}" for k, v in reports.items() if v)
