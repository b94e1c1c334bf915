"""The public programme pages and open data: table of contents, sections, resolutions, search."""

import json

import pytest
from django.urls import reverse

from quiz.templatetags.programme import readable

SECTIONS = {
    "1": "VOORUIT MET ONZE WELVAART EN KOOPKRACHT",
    "1.1": "Een gezonde begroting",
    "1.1.1": "Investeren in de toekomst",
    "1.2": "Werk dat loont",
    "2": "VOORUIT MET ONZE GEZONDHEID",
    "2.1": "Betaalbare zorg",
}
RESOLUTIONS = [
    (1, "1.1", "We brengen de begroting in evenwicht tegen 2030."),
    (2, "1.1.1", "We verhogen de publieke investeringen met 1% BBP."),
    (3, "1.1.1", "Vooruit wil investeren in scholen & openbaar vervoer <nu>."),
    (4, "1.2", "Het minimumloon gaat omhoog naar 17 euro per uur."),
    (5, "2.1", "We maken de tandarts betaalbaar voor iedereen in België."),
]


@pytest.fixture
def programme(make_programme):
    programme = make_programme(sections=SECTIONS, resolutions=RESOLUTIONS)
    programme.sections.filter(number="1.1").update(
        intro="Een gezonde begroting is nodig.\n\nDus sparen we."
    )
    return programme


def get(client, name, *args, **kwargs):
    return client.get(reverse(name, args=args), **kwargs)


def test_table_of_contents_nests_sections_with_resolution_counts(
    client, programme, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        response = get(client, "programme", "vooruit-2024")
    page = response.content.decode()
    assert response.status_code == 200
    assert "5 resoluties in 2 delen" in page
    assert "1. Vooruit met onze welvaart en koopkracht</a>" in page
    assert "VOORUIT MET ONZE WELVAART" not in page
    # Part 1 counts its sections' resolutions; 1.1 counts its own and 1.1.1's.
    counts = [part.total for part in response.context["parts"]]
    assert counts == [4, 1]
    first = response.context["parts"][0]
    assert [(s.section.number, s.total) for s in first.subsections] == [("1.1", 3), ("1.2", 1)]
    assert [s.section.number for s in first.subsections[0].subsections] == ["1.1.1"]
    assert 'href="/programma/vooruit-2024/1.1.1/"' in page


def test_section_page_shows_intro_resolutions_of_its_subsections_and_breadcrumbs(
    client, programme, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        response = get(client, "section", "vooruit-2024", "1.1")
    page = response.content.decode()
    assert response.status_code == 200
    assert '<nav class="breadcrumbs" aria-label="Kruimelpad">' in page
    assert "1 Vooruit met onze welvaart en koopkracht</a>" in page
    assert "<p>Een gezonde begroting is nodig.</p>" in page
    assert [r.number for s in response.context["subtree"] for r in s.resolutions] == [1, 2, 3]
    assert 'id="r3"' in page
    assert 'id="r4"' not in page
    assert "scholen &amp; openbaar vervoer &lt;nu&gt;." in page
    assert response.context["previous"].number == "1"
    assert response.context["next"].number == "1.2"


def test_part_page_holds_the_whole_part(client, programme):
    response = get(client, "section", "vooruit-2024", "1")
    page = response.content.decode()
    assert [s.section.number for s in response.context["subtree"]] == ["1", "1.1", "1.1.1", "1.2"]
    assert all(f'id="r{n}"' in page for n in (1, 2, 3, 4))
    assert 'id="r5"' not in page
    assert response.context["next"].number == "2"
    assert '<nav class="in-section" aria-label="In dit hoofdstuk">' in page
    assert '<a href="#h1.1.1">1.1.1 Investeren in de toekomst</a>' in page


def test_resolution_page_has_its_section_path_and_neighbours(
    client, programme, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        response = get(client, "resolution", "vooruit-2024", 3)
    page = response.content.decode()
    assert response.status_code == 200
    assert [s.number for s in response.context["path"]] == ["1", "1.1", "1.1.1"]
    assert 'href="/programma/vooruit-2024/resolutie/2/"' in page
    assert 'href="/programma/vooruit-2024/resolutie/4/"' in page
    assert 'href="/programma/vooruit-2024/1.1.1/#r3"' in page
    assert 'id="r3"' in page


def test_first_and_last_resolution_link_only_one_way(client, programme):
    first = get(client, "resolution", "vooruit-2024", 1)
    last = get(client, "resolution", "vooruit-2024", 5)
    assert (first.context["previous"], first.context["next"].number) == (None, 2)
    assert (last.context["previous"].number, last.context["next"]) == (4, None)


def test_resolution_anchor_is_on_its_section_page(client, programme):
    resolution = programme.resolutions.get(number=4)
    section_page = client.get(reverse("section", args=["vooruit-2024", "1.2"])).content.decode()
    assert f'id="{resolution.anchor}"' in section_page
    assert resolution.get_absolute_url() == "/programma/vooruit-2024/resolutie/4/"


def test_search_page_without_query_explains_and_lists_nothing(client, programme):
    response = get(client, "search", "vooruit-2024")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Typ een of meer woorden" in page
    assert 'class="resolution"' not in page


def test_search_page_is_a_plain_form_with_htmx_live_results(client, programme):
    page = get(client, "search", "vooruit-2024").content.decode()
    assert '<form class="search-form" method="get" action="/programma/vooruit-2024/zoeken/"' in page
    assert '<label for="q">' in page
    assert 'type="search" id="q" name="q"' in page
    assert 'data-hx-get="/programma/vooruit-2024/zoeken/"' in page
    assert 'data-hx-trigger="input changed delay:250ms, search"' in page
    assert 'data-hx-target="#resultaten"' in page
    assert 'data-hx-push-url="true"' in page
    # Only the short count line is live, not the list of up to 50 results.
    assert '<p id="zoekstatus" class="results-meta" role="status"></p>' in page
    assert '<div id="resultaten" class="search-results">' in page
    assert "aria-live" not in page
    assert '<button type="submit">' in page


def test_search_page_ranks_highlights_and_counts(client, programme, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = client.get("/programma/vooruit-2024/zoeken/", {"q": "investeringen"})
    page = response.content.decode()
    assert [hit.number for hit in response.context["hits"]] == [2, 3]
    assert "2 resoluties voor ‘investeringen’" in page
    assert "publieke <mark>investeringen</mark> met" in page
    assert "wil <mark>investeren</mark> in" in page
    assert 'href="/programma/vooruit-2024/resolutie/2/"' in page
    assert 'href="/programma/vooruit-2024/1.1.1/#r2"' in page
    assert response["Vary"]
    assert "HX-Request" in response["Vary"]


def test_htmx_search_returns_only_the_results(client, programme, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = client.get(
            "/programma/vooruit-2024/zoeken/", {"q": "minimumloon"}, headers={"HX-Request": "true"}
        )
    page = response.content.decode()
    assert "<html" not in page
    assert "<form" not in page
    status = '<p id="zoekstatus" data-hx-swap-oob="innerHTML">1 resolutie voor ‘minimumloon’.</p>'
    assert status in page  # the live count line, updated in place
    assert "Het <mark>minimumloon</mark> gaat omhoog" in page


def test_search_without_matches_says_so(client, programme):
    page = client.get("/programma/vooruit-2024/zoeken/", {"q": "kernenergie"}).content.decode()
    assert "Geen resoluties gevonden voor ‘kernenergie’" in page


def test_search_by_number_puts_that_resolution_first(client, programme):
    response = client.get("/programma/vooruit-2024/zoeken/", {"q": "4"})
    assert [hit.number for hit in response.context["hits"]] == [4]


def test_programme_json_lists_sections_and_resolutions(
    client, programme, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        response = get(client, "programme_json", "vooruit-2024")
    assert response["Content-Type"] == "application/json"
    assert "België" in response.content.decode()  # not \u-escaped
    data = json.loads(response.content)
    assert data["party"] == {"name": "Vooruit", "slug": "vooruit", "fictional": False}
    assert data["programme"]["slug"] == "vooruit-2024"
    assert data["sections"][:3] == [
        {"number": "1", "title": SECTIONS["1"], "parent": None},
        {"number": "1.1", "title": "Een gezonde begroting", "parent": "1"},
        {"number": "1.1.1", "title": "Investeren in de toekomst", "parent": "1.1"},
    ]
    assert data["resolutions"][1] == {"number": 2, "text": RESOLUTIONS[1][2], "section": "1.1.1"}
    assert [r["number"] for r in data["resolutions"]] == [1, 2, 3, 4, 5]


def test_search_json_returns_ranked_results(client, programme, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = client.get(
            "/programma/vooruit-2024/zoeken.json", {"q": "investeringen in scholen"}
        )
    data = json.loads(response.content)
    assert data["query"] == "investeringen in scholen"
    assert [r["number"] for r in data["results"]] == [3, 2]
    assert data["count"] == 2
    assert data["results"][0]["text"] == RESOLUTIONS[2][2]
    assert data["results"][0]["section"] == "1.1.1"
    assert data["results"][0]["score"] > data["results"][1]["score"] > 0


@pytest.mark.parametrize(
    "url",
    [
        "/programma/bestaat-niet/",
        "/programma/bestaat-niet/zoeken/?q=zorg",
        "/programma/vooruit-2024/9.9/",
        "/programma/vooruit-2024/1.1.1.1/",
        "/programma/vooruit-2024/abc/",
        "/programma/vooruit-2024/resolutie/99/",
        "/programma/vooruit-2024/resolutie/0/",
        "/programma/vooruit-2024/resolutie/99999999999999999999999/",
    ],
)
def test_unknown_programme_section_or_number_is_a_friendly_404(client, programme, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Deze pagina bestaat niet" in response.content.decode()


def test_an_over_long_query_is_a_friendly_400(client, programme):
    response = client.get("/programma/vooruit-2024/zoeken/", {"q": "zorg " * 100})
    assert response.status_code == 400
    assert "Dat begrijpen we niet" in response.content.decode()


def test_open_data_answers_errors_in_json(client, programme):
    too_long = client.get("/programma/vooruit-2024/zoeken.json", {"q": "zorg " * 100})
    assert too_long.status_code == 400
    assert too_long.json() == {"error": "Je zoekvraag is te lang: hoogstens 300 tekens."}
    for url in [
        "/programma/bestaat-niet.json",
        "/programma/bestaat-niet/zoeken.json?q=zorg",
        "/stemtest/bestaat-niet.json",
        "/stemtest/bestaat-niet/resultaat.json",
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json() == {"error": "Niet gevonden."}, url


def test_odd_characters_in_a_query_are_harmless(client, programme):
    for query in ["a & b | !c", "'; drop table", "(investeren:*", "ß ﬁ 🙂"]:
        response = client.get("/programma/vooruit-2024/zoeken/", {"q": query})
        assert response.status_code == 200
    # A NUL is never ours: refused before the search (tests/test_hardening.py).
    assert client.get("/programma/vooruit-2024/zoeken/", {"q": "\x00"}).status_code == 400


def test_every_page_type_is_valid_html(client, programme, html_errors):
    urls = [
        "/programma/vooruit-2024/",
        "/programma/vooruit-2024/1/",
        "/programma/vooruit-2024/1.1/",
        "/programma/vooruit-2024/resolutie/3/",
        "/programma/vooruit-2024/zoeken/",
        "/programma/vooruit-2024/zoeken/?q=investeringen",
        "/programma/vooruit-2024/zoeken/?q=kernenergie",
        "/programma/vooruit-2024/resolutie/99/",
        "/programma/vooruit-2024/zoeken/?q=" + "x" * 400,
    ]
    assert html_errors(*(client.get(url).content.decode() for url in urls)) == []


@pytest.mark.browser
def test_typing_a_query_shows_ranked_results_live(
    transactional_db, live_server, page, make_programme
):
    make_programme(sections=SECTIONS, resolutions=RESOLUTIONS)
    page.goto(live_server.url + "/programma/vooruit-2024/zoeken/")
    page.locator("#q").press_sequentially("investeringen", delay=20)
    page.wait_for_selector("#resultaten .resolution")
    assert page.inner_text("#zoekstatus[role=status]") == "2 resoluties voor ‘investeringen’."
    assert page.locator("#resultaten .resolution").all_inner_texts()[0].startswith("Resolutie 2")
    assert page.locator("h1").count() == 1  # the fragment was swapped in, not a whole page
    assert page.url.endswith("/zoeken/?q=investeringen")


def test_real_programme_pages_render_in_three_queries_and_validate(
    client, vooruit_programme, django_assert_max_num_queries, html_errors
):
    urls = [
        "/programma/vooruit-2024/",
        "/programma/vooruit-2024/1/",
        "/programma/vooruit-2024/1.2.2.1/",
        "/programma/vooruit-2024/resolutie/1198/",
        "/programma/vooruit-2024/zoeken/?q=Het+minimumloon+moet+omhoog",
        "/programma/vooruit-2024.json",
        "/programma/vooruit-2024/zoeken.json?q=1198",
    ]
    responses = []
    for url in urls:
        with django_assert_max_num_queries(3):
            responses.append(client.get(url))
    assert [response.status_code for response in responses] == [200] * len(urls)
    toc = responses[0]
    assert toc.context["resolution_count"] == 1199
    assert len(toc.context["parts"]) == 7
    assert "1. Vooruit met onze welvaart en koopkracht</a>" in toc.content.decode()
    assert 'id="r1198"' in responses[3].content.decode()
    data = json.loads(responses[5].content)
    assert len(data["resolutions"]) == 1199
    assert len(data["sections"]) == 181
    assert json.loads(responses[6].content)["results"][0]["number"] == 1198
    assert html_errors(*(response.content.decode() for response in responses[:5])) == []


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("VOORUIT MET ONZE GEZONDHEID", "Vooruit met onze gezondheid"),
        (
            "EUROPESE UNIE: EERST VERDIEPEN, DAN VERBREDEN",
            "Europese Unie: eerst verdiepen, dan verbreden",
        ),
        ("Artificial Intelligence (AI) en werk", "Artificial Intelligence (AI) en werk"),
        ("HET IS VOORUIT. OF HET IS ACHTERUIT.", "Het is Vooruit. Of het is achteruit."),
        ("WAT VOORUIT WIL", "Wat Vooruit wil"),  # the party's name, given by the page
    ],
)
def test_titles_in_capitals_are_shown_in_sentence_case_keeping_names(stored, shown):
    assert readable(stored, "Vooruit") == shown
