"""Search over a programme's resolutions: Dutch word forms, BM25 ranking, numbers, highlighting.

These tests run on SQLite and on PostgreSQL (CI runs the suite on both); the expected orders are
the same on both because every candidate is ranked by the same BM25 in memory.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quiz import search

SECTIONS = {
    "1": "VOORUIT MET ONZE WELVAART",
    "1.1": "Investeren",
    "1.2": "Koopkracht",
    "2": "VOORUIT MET ONZE GEZONDHEID",
    "2.1": "Zorg",
}
RESOLUTIONS = [
    (1, "1.1", "We investeren in scholen en in openbaar vervoer."),
    (2, "1.1", "Meer investeringen in fietspaden."),
    (3, "1.2", "Het minimumloon gaat omhoog naar 17 euro per uur, en de lonen stijgen."),
    (4, "1.2", "We verlagen de belastingen op arbeid en belasten vermogen."),
    (5, "2.1", "Een betere gezondheid voor iedereen in België: de tandarts wordt betaalbaar."),
    (6, "2.1", "Gezonde voeding op school, want gezondheid begint jong."),
    (7, "2.1", "We investeren in de gezondheidszorg."),
    (8, "2.1", "Zorg dichtbij: wijkcentra en zorg aan huis."),
]


@pytest.fixture
def programme(make_programme):
    return make_programme(sections=SECTIONS, resolutions=RESOLUTIONS)


def numbers(hits):
    return [hit.number for hit in hits]


@pytest.mark.parametrize(
    "forms",
    [
        ("gezondheid", "gezond", "gezonde"),
        ("investeringen", "investeren", "investering"),
        ("belastingen", "belasting", "belasten"),
        ("België", "belgie", "BELGIË"),
    ],
)
def test_word_forms_share_one_term(forms):
    assert len({search.term(form) for form in forms}) == 1


def test_stopwords_and_single_letters_have_no_term():
    assert search.query_terms("De het een en van ’s x") == []
    assert search.query_terms("17 euro") == ["17", "euro"]


def test_word_forms_find_each_other_and_short_resolutions_rank_first(programme):
    # 2 and 7 are equally short and say it once: the lower number first; 1 is longer.
    assert numbers(search.search(programme, "investeringen")) == [2, 7, 1]


def test_a_resolution_saying_it_twice_ranks_above_once(programme):
    assert numbers(search.search(programme, "gezondheid")) == [6, 5]
    assert numbers(search.search(programme, "belasting")) == [4]


def test_case_and_accents_are_ignored(programme):
    for query in ("belgie", "BELGIË", "België"):
        assert numbers(search.search(programme, query)) == [5]


def test_a_whole_sentence_finds_the_resolutions_sharing_most_rare_words(programme):
    assert numbers(search.search(programme, "Het minimumloon moet omhoog")) == [3]
    # 1 shares two words; 2 and 7 share 'investeren' and are short; 6 says 'school' in a
    # longer text.
    assert numbers(search.suggest(programme, "De overheid moet investeren in scholen")) == [
        1,
        2,
        7,
        6,
    ]


def test_or_semantics_one_shared_word_is_enough(programme):
    assert numbers(search.search(programme, "tandarts fietspaden")) == [2, 5]


def test_a_number_returns_that_resolution_first(programme):
    assert numbers(search.search(programme, "4")) == [4]
    assert numbers(search.search(programme, "resolutie 6")) == [6]
    assert numbers(search.search(programme, "#2")) == [2]


def test_a_number_that_is_no_resolution_searches_the_text(programme):
    assert numbers(search.search(programme, "17")) == [3]


def test_no_match_and_empty_query_give_nothing(programme):
    assert search.search(programme, "kernenergie") == []
    assert search.search(programme, "") == []
    assert search.search(programme, "de het een") == []


def test_limit_cuts_the_ranking(programme):
    assert numbers(search.search(programme, "investeringen", limit=2)) == [2, 7]


def test_a_hit_carries_its_text_section_path_and_score(programme):
    hit = search.search(programme, "minimumloon")[0]
    assert hit.text == RESOLUTIONS[2][2]
    assert hit.section_number == "1.2"
    assert [(s.number, s.title) for s in hit.section_path] == [
        ("1", "VOORUIT MET ONZE WELVAART"),
        ("1.2", "Koopkracht"),
    ]
    assert hit.score > 0


def test_a_compound_counts_for_its_last_part(programme):
    # 'zorg' stands on its own twice in the programme, so 'gezondheidszorg' also counts as 'zorg'.
    assert numbers(search.search(programme, "zorg")) == [8, 7]
    # The compound itself: its own stem first, its last part at half weight.
    assert numbers(search.search(programme, "gezondheidszorg")) == [7, 8]
    assert search.search(programme, "zorg")[1].highlighted_html == (
        "We investeren in de <mark>gezondheidszorg</mark>."
    )


def test_a_last_part_must_be_a_word_of_its_own_in_the_programme(programme):
    index = search.index_for(programme)
    assert index.head_term("gezondheidszorg") == search.term("zorg")
    assert index.head_term("fietspaden") is None  # 'paden' is not in the programme
    assert index.head_term("zorg") is None


def test_highlight_marks_word_forms_and_escapes_the_rest():
    html = search.highlight("<b>Investeringen</b> & we investeren in België.", "investering belgie")
    assert html == (
        "&lt;b&gt;<mark>Investeringen</mark>&lt;/b&gt; &amp; we <mark>investeren</mark> "
        "in <mark>België</mark>."
    )


def test_highlight_leaves_stopwords_and_other_words_alone():
    assert (
        search.highlight("De zorg en de school", "de zorg") == "De <mark>zorg</mark> en de school"
    )


def test_hits_highlight_their_text(programme):
    hit = search.search(programme, "gezond")[0]
    assert hit.highlighted_html == (
        "<mark>Gezonde</mark> voeding op school, want <mark>gezondheid</mark> begint jong."
    )


def test_an_imported_programme_is_indexed_once_until_it_is_imported_again(programme):
    programme.imported_at = datetime.datetime(2024, 5, 1, tzinfo=datetime.UTC)
    programme.save()
    assert numbers(search.search(programme, "fietspaden")) == [2]
    with CaptureQueriesContext(connection) as warm:
        assert numbers(search.search(programme, "fietspaden")) == [2]
    assert not [q for q in warm.captured_queries if "quiz_section" in q["sql"]]

    programme.resolutions.filter(number=1).update(text="Veilige fietspaden overal.")
    assert numbers(search.search(programme, "fietspaden")) == [2]  # still the old index
    programme.imported_at = datetime.datetime(2024, 5, 2, tzinfo=datetime.UTC)
    assert numbers(search.search(programme, "fietspaden")) == [2, 1]  # 2 is shorter


def test_real_programme_word_forms_numbers_and_sentences(vooruit_programme):
    hits = search.search(vooruit_programme, "investeringen", limit=None)
    by_number = {hit.number: hit for hit in hits}
    # 616 says 'investeren' and never 'investering(en)'.
    assert "investeren" in by_number[616].text
    assert "investering" not in by_number[616].text
    assert "<mark>investeren</mark>" in by_number[616].highlighted_html

    first = search.search(vooruit_programme, "1198")[0]
    assert first.number == 1198
    assert first.text.startswith(
        "Ons land moet pleiten voor een wereldwijde nucleaire ontwapening."
    )

    # 69 and 281 (the same text, in two sections) and 261 continue the rise of the minimum wages.
    top = search.search(vooruit_programme, "Het minimumloon moet omhoog", limit=3)
    assert [hit.number for hit in top] == [69, 281, 261]
    assert all("groeipad voor de minimumlonen" in hit.text for hit in top)
    suggested = search.suggest(vooruit_programme, "Het minimumloon moet omhoog", limit=3)
    assert suggested[0].number == 69
    assert 281 in {hit.number for hit in suggested}


def test_searching_any_words_keeps_no_more_per_programme_than_its_own_words(programme):
    programme.imported_at = datetime.datetime(2024, 5, 1, tzinfo=datetime.UTC)  # index kept
    index = search.index_for(programme)
    assert search.index_for(programme) is index
    remembered = len(index._heads)
    for number in range(2_000):
        search.search(programme, f"woord{number}kolom onbekendewoordenreeks{number}")
    assert len(index._heads) == remembered
    assert numbers(search.search(programme, "gezondheidszorg"))[0] == 7  # compounds still work


@pytest.mark.django_db
def test_a_french_programme_is_searched_with_french_stems_and_stopwords(party, election):
    from quiz.importing import import_source
    from tests.test_layouts import FRENCH

    import_source(
        FRENCH.encode(), filename="phare.txt", party=party, election=election, language="fr"
    )
    programme = party.programmes.get()
    # "logement" finds "logements", "transport" finds "transports"; "les" and "pour" are
    # function words and find nothing on their own.
    assert [hit.number for hit in search.search(programme, "logement social")] == [2]
    assert [hit.number for hit in search.search(programme, "transport gratuit")] == [3]
    assert search.search(programme, "les pour") == []
    assert "<mark>logements</mark>" in search.search(programme, "logement")[0].highlighted_html
    # French plurals in -aux: one stem in French, two in Dutch.
    assert search.term("sociaux", "fr") == search.term("social", "fr")
    assert search.term("sociaux", "nl") != search.term("social", "nl")
    assert [hit.number for hit in search.search(programme, "logement social")] == [2]
