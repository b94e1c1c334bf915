"""The demo election ("Oefenverkiezing"): four fictional programmes in four layouts imported
with no hints, through the command and through the admin, and a 20-statement quiz whose every
position cites its own party's programme; voters see "fictief" on every page with its parties."""

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from quiz.management.commands.load_demo import PARTIES, PROGRAMMES
from quiz.models import Position, Programme, ProgrammeUpload, Quiz
from tests.helpers import run_quiz, visible_text

# Passages per programme, counted in the files with grep (bullets, "Voorstel N:", "N)", "RN.").
EXPECTED = {"horizon": 89, "anker": 85, "wilg": 78, "phare": 73}
LAYOUTS = {
    "horizon": ("bullet", "importer"),
    "anker": ("voorstel", "straight"),
    "wilg": ("paren", "per-chapter"),
    "phare": ("r", "straight"),
}


@pytest.fixture
def demo(db):
    call_command("load_demo")
    return Quiz.objects.get(slug="oefenstemtest")


def test_the_four_programmes_import_with_no_hints_in_their_own_layouts(demo):
    for slug, _name, _short, _colour, filename, language in PARTIES:
        programme = Programme.objects.get(party__slug=slug)
        assert programme.resolutions.count() == EXPECTED[slug], slug
        assert programme.layout == {}  # no hints were needed
        assert programme.language == language
        assert programme.party.is_fictional
        assert (programme.source_format == "pdf") == filename.endswith(".pdf")
    wilg = Programme.objects.get(party__slug="wilg")
    assert not wilg.resolutions.filter(page=None).exists()  # a PDF gives every passage its page
    assert wilg.resolutions.get(number=16).label == "2.1"


def test_loading_it_again_changes_nothing(demo, capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    assert out.count("already imported, unchanged") == 4
    assert "0 nieuw, 0 gewijzigd" in out


@pytest.mark.parametrize(("slug", "filename"), [(p[0], p[4]) for p in PARTIES])
def test_each_programme_imports_through_the_admin_with_no_hints(
    redacteur_client, election, slug, filename
):
    data = (PROGRAMMES / filename).read_bytes()
    response = redacteur_client.post(
        reverse("admin:quiz_programme_import"),
        {
            "file": SimpleUploadedFile(filename, data),
            "new_party": slug.title(),
            "new_party_fictional": "on",
            "new_party_colour": "#555555",
            "election": election.pk,
            "language": "fr" if slug == "phare" else "nl",
        },
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    assert f"<dt>Passages</dt><dd>{EXPECTED[slug]}</dd>" in response.content.decode()
    redacteur_client.post(
        reverse("admin:quiz_programme_import"),
        {"token": ProgrammeUpload.objects.get().token, "confirm": "1"},
    )
    programme = Programme.objects.get(party__slug=slug)
    assert (programme.resolutions.count(), programme.layout) == (EXPECTED[slug], {})


def test_the_quiz_has_20_statements_and_every_position_cites_its_own_programme(demo):
    assert demo.is_live
    assert set(demo.parties.values_list("slug", flat=True)) == set(EXPECTED)
    statements = demo.statements.published()
    assert statements.count() == 20
    positions = Position.objects.filter(statement__quiz=demo)
    assert positions.count() == 80
    for position in positions.prefetch_related("citations__resolution__programme"):
        citations = list(position.citations.all())
        if position.takes_a_stance:
            assert citations, f"{position.statement}: {position.party} cites nothing"
        for citation in citations:
            assert citation.resolution.programme.party_id == position.party_id
            assert citation.excerpt in citation.resolution.text
    stances = {
        statement.pk: set(statement.positions.values_list("stance", flat=True))
        for statement in statements
    }
    assert all(len(found) > 1 for found in stances.values())  # every statement tells apart


def test_voters_see_fictief_on_every_page_with_the_parties(client, demo):
    landing = client.get(reverse("quiz", args=["oefenstemtest"])).content.decode()
    statement = client.get(reverse("statement", args=["oefenstemtest", 1])).content.decode()
    results = client.get(run_quiz(client, demo, ["eens"] * 20)).content.decode()
    wilg = Programme.objects.get(party__slug="wilg")
    programme = client.get(reverse("programme", args=[wilg.slug])).content.decode()
    section = client.get(reverse("section", args=[wilg.slug, "2"])).content.decode()
    passage = client.get(reverse("resolution", args=[wilg.slug, 16])).content.decode()
    listing = client.get(reverse("programmes")).content.decode()
    for page in (landing, statement, results, programme, section, passage):
        assert "<strong>Fictief" in page
    assert "Horizon (fictief)" in landing
    assert "Horizon (fictief)" in results
    assert "Resolutie 2.1" in passage
    assert "blz. " in passage
    assert "Wilg (fictief)" in listing
    assert "Vooruit" not in listing
    phare = Programme.objects.get(party__slug="phare")
    french = client.get(reverse("resolution", args=[phare.slug, 1])).content.decode()
    assert 'lang="fr"' in french


def test_the_quiz_is_open_data(client, demo):
    data = client.get(reverse("quiz_json", args=["oefenstemtest"])).json()
    assert len(data["statements"]) == 20
    assert {p["slug"] for p in data["parties"]} == set(EXPECTED)


def test_make_run_loads_the_demo_and_make_serve_only_when_asked():
    root = Path(__file__).resolve().parent.parent

    def recipe(target, **environ):
        import os
        import subprocess

        env = {k: v for k, v in os.environ.items() if k != "DEMO_ELECTION"} | environ
        result = subprocess.run(
            ["make", "-n", target], cwd=root, env=env, capture_output=True, text=True, check=True
        )
        return result.stdout

    assert '"${DEMO_ELECTION:-1}" = 1' in recipe("run")  # make run: yes, unless told not to
    assert '"${DEMO_ELECTION:-}" = 1' in recipe("data")  # make serve runs `make data`: no


def test_the_open_data_says_which_parties_are_fictional(client, demo):
    data = client.get(reverse("quiz_json", args=["oefenstemtest"])).json()
    assert all(party["fictional"] for party in data["parties"])
    wilg = Programme.objects.get(party__slug="wilg")
    assert client.get(reverse("programme_json", args=[wilg.slug])).json()["party"]["fictional"]


def test_an_uploaded_logo_is_served_from_this_site_and_shown_with_the_party(
    redacteur_client, client, demo, settings, tmp_path
):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from quiz.models import Party

    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), "#0f766e").save(buffer, "PNG")
    party = Party.objects.get(slug="horizon")
    response = redacteur_client.post(
        reverse("admin:quiz_party_change", args=[party.pk]),
        {
            "name": party.name,
            "short_name": party.short_name,
            "slug": party.slug,
            "colour": party.colour,
            "is_fictional": "on",
            "logo": SimpleUploadedFile("horizon.png", buffer.getvalue(), "image/png"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    party.refresh_from_db()
    assert party.logo.url.startswith("/media/partijen/")
    results = client.get(run_quiz(client, demo, ["eens"] * 20)).content.decode()
    assert f'<img class="party-logo" src="{party.logo.url}"' in results

    not_an_image = redacteur_client.post(
        reverse("admin:quiz_party_change", args=[party.pk]),
        {
            "name": party.name,
            "slug": party.slug,
            "colour": party.colour,
            "logo": SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>", "image/png"),
        },
    )
    assert not_an_image.status_code == 200
    assert "Upload een geldige afbeelding" in not_an_image.content.decode()


def test_the_demo_pages_are_valid_html(client, demo, html_errors):
    wilg = Programme.objects.get(party__slug="wilg")
    phare = Programme.objects.get(party__slug="phare")
    urls = [
        reverse("programmes"),
        reverse("quiz", args=["oefenstemtest"]),
        reverse("statement", args=["oefenstemtest", 1]),
        reverse("programme", args=[wilg.slug]),
        reverse("section", args=[wilg.slug, "1"]),
        reverse("resolution", args=[phare.slug, 1]),
        reverse("search", args=[phare.slug]) + "?q=logement",
        reverse("side_by_side", args=["oefenstemtest"]),
        reverse("side_by_side_pair", args=["oefenstemtest", "horizon", "phare"]),
        reverse("review", args=["oefenstemtest"]),
        reverse("results", args=["oefenstemtest"]),
    ]
    pages = [client.get(url).content.decode() for url in urls]
    pages.append(client.get(run_quiz(client, demo, ["oneens"] * 20)).content.decode())
    assert html_errors(*pages) == []


def test_over_deze_stemtest_says_who_how_when_what_sources_and_that_nothing_is_stored(
    client, demo, html_errors
):
    landing = client.get(reverse("quiz", args=["oefenstemtest"])).content.decode()
    url = reverse("about", args=["oefenstemtest"])
    assert f'href="{url}"' in landing
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert "Een tweede lezer die de stellingen niet schreef" in page  # how: from the quiz's JSON
    assert "De uitleg bij de stellingen beschrijft de toestand op <strong>1 januari 2025" in page
    for party in ("Anker", "Horizon", "Phare", "Wilg"):
        programme = Programme.objects.get(party__name=party)
        assert (
            f'<a href="{reverse("programme", args=[programme.slug])}">{party} (fictief)</a>' in page
        )
    assert "Wat we bewaren: niets" in page
    assert reverse("method") in page
    assert reverse("quiz_json", args=["oefenstemtest"]) in page
    assert html_errors(page) == []


def test_over_deze_stemtest_of_an_unknown_or_offline_quiz_is_not_found(client, demo):
    assert client.get(reverse("about", args=["bestaat-niet"])).status_code == 404
    demo.is_live = False
    demo.save()
    assert client.get(reverse("about", args=["oefenstemtest"])).status_code == 404


def test_the_theme_chart_has_a_line_per_party_with_its_short_name(client, demo):
    page = client.get(run_quiz(client, demo, ["eens"] * 20)).content.decode()
    assert '<table class="themes"' not in page  # no table to scroll sideways on a phone
    assert (
        page.count('<section class="theme-block"')
        == demo.statements.values("theme").distinct().count()
    )
    for short, name in [("HOR", "Horizon"), ("ANK", "Anker"), ("WLG", "Wilg"), ("PHA", "Phare")]:
        assert f'<span class="theme-party" title="{name} (fictief)">{short}</span>' in page


def test_filters_partly_per_party_and_belangrijk_first(client, demo):
    statements = list(demo.statements.order_by("order"))
    url = run_quiz(client, demo, ["eens"] * 20, important={19, 20})

    def shown(query):
        page = client.get(url + query).content.decode()
        return [
            int(n)
            for n in re.findall(r'<span class="row-head"><span class="muted">(\d+)\.</span>', page)
        ]

    def expected(party, stances):
        return [s.order for s in statements if s.positions.get(party__slug=party).stance in stances]

    # Eens against a party's neutraal is "partly"; against its oneens "different".
    assert expected("wilg", {"neutraal"})  # the demo has some: the filter shows exactly those
    assert shown("&toon=deels&partij=wilg") == expected("wilg", {"neutraal"})
    assert shown("&toon=oneens&partij=anker") == expected("anker", {"oneens"})
    assert shown("&toon=eens&partij=horizon") == expected("horizon", {"eens"})
    # The statements marked belangrijk (19 and 20) first, then the rest in order.
    assert shown("&volgorde=belangrijk")[:3] == [19, 20, 1]
    page = client.get(url + "&toon=deels&partij=wilg").content.decode()
    assert "Vergeleken met Wilg (fictief) ." in visible_text(page)
    assert 'data-partij="wilg" aria-current="true">WLG' in page
    assert client.get(url + "&partij=bestaat-niet").status_code == 400
