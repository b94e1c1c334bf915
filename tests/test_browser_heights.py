"""The results of a big election fit a few screens: 40 statements and 10 parties, collapsed (every
row one line, the themes and the friend's comparison closed), at most 4 screens tall at 1280×900
and at most 10 at 375×800, computed on the device."""

import os

import pytest
from playwright.sync_api import expect

from quiz.models import Party, Statement

pytestmark = pytest.mark.browser

# Belgian-length short names and statement titles (all fictional here).
SHORT_NAMES = ["VRT", "ANK", "HOR", "WLG", "PHA", "BRG", "DUIN", "MAAS", "POL", "ZON"]


@pytest.fixture
def big(make_quiz):
    quiz = make_quiz(statements=40, parties=10)
    for party, short in zip(quiz.parties.order_by("pk"), SHORT_NAMES, strict=True):
        Party.objects.filter(pk=party.pk).update(short_name=short)
    for statement in quiz.statements.all():
        Statement.objects.filter(pk=statement.pk).update(
            short_title=f"Maatregel {statement.order} voor betaalbaar wonen",
            text=f"De overheid moet maatregel {statement.order} invoeren, zodat huren en "
            "energiefacturen voor gezinnen met een gewoon inkomen betaalbaar blijven.",
        )
    return quiz


@pytest.mark.parametrize(("width", "height", "screens"), [(1280, 900, 4), (375, 800, 10)])
def test_the_collapsed_results_fit_the_screens(browser, live_server, big, width, height, screens):
    ids = big.statements.order_by("order").values_list("pk", flat=True)
    letters = "eonse"
    payload = "1." + "".join(f"{pk}{letters[n % 5]}" for n, pk in enumerate(ids))
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    page.goto(f"{live_server.url}/stemtest/{big.slug}/resultaat/#antwoorden={payload}")
    expect(page.locator("#results[data-device]")).to_be_attached()
    expect(page.locator(".statement-result")).to_have_count(40)
    expect(page.locator(".ranking-row")).to_have_count(10)
    if folder := os.environ.get("STEMTEST_SCREENSHOTS"):  # for a person to look at
        page.screenshot(path=f"{folder}/results-40x10-{width}.png", full_page=True)
    tall = page.evaluate("document.documentElement.scrollHeight")
    assert tall <= screens * height, f"{tall} px at {width} px: {tall / height:.1f} screens"
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scroll
    page.context.close()
