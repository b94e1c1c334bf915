"""The programme importer: the parser's repairs on small snippets, its errors, and the real
Vooruit 2024 programme imported in full."""

import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from quiz.importing import import_programme
from quiz.models import Election, Party, Programme, Resolution, Section
from quiz.programme_text import ProgrammeFormatError, parse_programme

PROGRAMME_FILE = Path(__file__).resolve().parent.parent / "fixtures/programmes/vooruit-2024.txt"

PART = " VOORUIT MET ONZE  \nWELVAART EN KOOPKRACHT \n\n"
SECTION = "1.1. EEN GLOBAAL PLAN VOOR DE TOEKOMST \n\n"


def parse(*lines: str):
    """A programme made of one part, one section and the given lines."""
    return parse_programme(PART + SECTION + "\n".join(lines) + "\n")


def resolution_texts(*lines: str) -> dict[int, str]:
    return {resolution.number: resolution.text for resolution in parse(*lines).resolutions}


@pytest.fixture(scope="module")
def vooruit():
    return parse_programme(PROGRAMME_FILE.read_text(encoding="utf-8"))


# --- Repairs, one trap of the extracted text each -------------------------------------------


def test_a_word_hyphenated_at_a_line_end_is_joined():
    texts = resolution_texts("1.\t Wij beschermen uw koopkracht en gezond-", "heid.")
    assert texts[1] == "Wij beschermen uw koopkracht en gezondheid."


def test_real_hyphens_at_a_line_end_are_kept():
    texts = resolution_texts(
        "1.\t Een sociaal- ",
        "economische aanpak met de- ",
        "escalatie-technieken en EU- ",
        "landen, voor de energie- ",
        "en telecomsector.",
    )
    assert texts[1] == (
        "Een sociaal-economische aanpak met de-escalatie-technieken en EU-landen, "
        "voor de energie- en telecomsector."
    )


def test_the_text_itself_decides_a_hyphen_it_uses_elsewhere():
    texts = resolution_texts(
        "1.\t We betrekken zij-instromers en bouwen een databank.",
        "",
        "2.\t Meer zij- ",
        "instromers en een betere data-",
        "bank.",
    )
    assert texts[2] == "Meer zij-instromers en een betere databank."


def test_dashes_at_a_line_end_are_not_hyphens():
    texts = resolution_texts("1.\t Een gedachte -", "of twee -- ", "en een derde.")
    assert texts[1] == "Een gedachte - of twee -- en een derde."


def test_a_vowel_clash_at_a_compound_boundary_keeps_its_hyphen():
    texts = resolution_texts("1.\t Betere data- ", "uitwisseling en meer privé- ", "investeerders.")
    assert texts[1] == "Betere data-uitwisseling en meer privé-investeerders."


def test_page_footers_and_part_markers_disappear():
    texts = resolution_texts(
        "1.\t De eigenaar is verantwoordelijk voor de sociale gevolgen van",
        "",
        "18 VOORUIT MET ONZE WELVAART EN KOOPKRACHT",
        "",
        "05",
        " zijn artificiële intelligentie.",
    )
    assert texts[1] == (
        "De eigenaar is verantwoordelijk voor de sociale gevolgen van zijn artificiële "
        "intelligentie."
    )


def test_a_footer_glued_to_the_last_line_is_cut_off():
    parsed = parse(
        "1.\t Tekst.",
        "",
        "286 VOORUIT MET ONZE WELVAART EN KOOPKRACHT",  # the page before had its footer
        " SLOTWOORD",
        "Melissa Depraetere ",
        "Voorzitter Vooruit287 UITLEIDING",
    )
    assert parsed.closing == "SLOTWOORD\n\nMelissa Depraetere Voorzitter Vooruit"


def test_a_blank_line_inside_a_resolution_does_not_cut_it():
    texts = resolution_texts(
        "1.\t Op die manier kan het overgrote deel van die shelf companies ",
        "",
        "“onschadelijk” gemaakt worden.",
        " 2.\t We verlagen de limiet",
        " voor cashbetalingen.",
    )
    assert texts == {
        1: "Op die manier kan het overgrote deel van die shelf companies “onschadelijk” gemaakt "
        "worden.",
        2: "We verlagen de limiet voor cashbetalingen.",
    }


def test_list_items_inside_a_resolution_start_on_their_own_line():
    texts = resolution_texts(
        "1.\t Dit doen we door:",
        "",
        "a.\t De uitstootrechten te beperken. ",
        "",
        "b.\t Investeringssteun in te zetten.",
        "",
        "2.\t Volgende.",
    )
    assert texts[1] == (
        "Dit doen we door:\na. De uitstootrechten te beperken.\nb. Investeringssteun in te zetten."
    )


def test_prose_after_a_resolution_goes_to_its_section_not_into_the_resolution():
    parsed = parse(
        "Inleiding.",
        "",
        "Resoluties:",
        "",
        "1.\t Eerste resolutie.",
        "",
        "Het Israëlisch-Palestijnse conflict. We veroordelen de aanval.",
        "",
        "Resoluties: ",
        "",
        "2.\t Tweede resolutie.",
        " Betrekkingen met Afrika. Een goed partnerschap.",
        "",
        "Resoluties:",
        "",
        "3.\t Derde resolutie.",
    )
    assert [resolution.text for resolution in parsed.resolutions] == [
        "Eerste resolutie.",
        "Tweede resolutie.",
        "Derde resolutie.",
    ]
    assert parsed.sections[1].intro == (
        "Inleiding.\n\nHet Israëlisch-Palestijnse conflict. We veroordelen de aanval.\n\n"
        "Betrekkingen met Afrika. Een goed partnerschap."
    )
    assert {resolution.section for resolution in parsed.resolutions} == {"1.1"}


def test_the_last_resolution_does_not_swallow_the_closing_text():
    parsed = parse(
        "1.\t Landen die het recht schenden, sluiten we uit van  ",
        "wapenleveringen. ",
        " ONGELIJKHEID TERUGDRINGEN!",
        "De ongelijkheid bestrijden is een taak van de ",
        "",
        "politiek.",
    )
    assert parsed.resolutions[-1].text == (
        "Landen die het recht schenden, sluiten we uit van wapenleveringen."
    )
    assert parsed.closing == (
        "ONGELIJKHEID TERUGDRINGEN!\n\nDe ongelijkheid bestrijden is een taak van de politiek."
    )


def test_wrapped_titles_are_joined():
    parsed = parse_programme(
        " HET IS VOORUIT. OF HET IS ACHTERUIT. \nKIES MAAR .\n\nOpening.\n"
        " VOORUIT MET ONS KLIMAAT, \nMAAR DAN WEL VOOR EN  \nMET IEDEREEN\n\n"
        "1.1. EEN SAMENLEVING WAAR IEDEREEN AAN KAN DEEL- \n         NEMEN\n\n"
        " 1.1.1. Productiviteitsgroei door innovatie, digitalisering en  \n"
        "\t        Artificial Intelligence (AI)\n\nTekst.\n\nResoluties:\n\n1.\t Een.\n"
    )
    assert parsed.title == "HET IS VOORUIT. OF HET IS ACHTERUIT. KIES MAAR."
    assert parsed.opening == "Opening."
    assert [(section.number, section.title) for section in parsed.sections] == [
        ("1", "VOORUIT MET ONS KLIMAAT, MAAR DAN WEL VOOR EN MET IEDEREEN"),
        ("1.1", "EEN SAMENLEVING WAAR IEDEREEN AAN KAN DEELNEMEN"),
        (
            "1.1.1",
            "Productiviteitsgroei door innovatie, digitalisering en Artificial Intelligence (AI)",
        ),
    ]


def test_a_heading_without_a_blank_line_after_it_keeps_the_prose_out_of_its_title():
    parsed = parse_programme(
        " VOORUIT MET ONZE  \nGEZONDHEID\n1.1. VOORKOMEN IS BETER\n"
        "1.1.1. Vroegtijdige zorg\nWe investeren in preventie.\n1.\t Een.\n"
    )
    assert [(section.title, section.intro) for section in parsed.sections] == [
        ("VOORUIT MET ONZE GEZONDHEID", ""),
        ("VOORKOMEN IS BETER", ""),
        ("Vroegtijdige zorg", "We investeren in preventie."),
    ]


def test_irregular_section_numbers_find_their_place():
    parsed = parse(
        "1.1.1. Twee basisvragen",
        "",
        "1.1.1.3 Meer bijdragen = meer pensioen",
        "",
        "1.1.3.1. Meer gelijkheid in de pensioenen ",
        "",
        "Resolutie:",
        "",
        "1.\t Tekst.",
    )
    sections = {section.number: section for section in parsed.sections}
    assert sections["1.1.1.3"].title == "Meer bijdragen = meer pensioen"
    assert sections["1.1.1.3"].parent == "1.1.1"
    assert (sections["1.1.3.1"].parent, sections["1.1.3.1"].depth) == ("1.1", 3)
    assert parsed.resolutions[0].section == "1.1.3.1"


def test_intro_paragraphs_survive_but_page_breaks_mid_sentence_do_not_split_them():
    parsed = parse(
        "Een eerste alinea die over een pagina ",
        "",
        "heen loopt. ",
        "",
        "Een tweede alinea met “aanhalingstekens”, één accent en risico’s.",
        "Resoluties",
        "",
        "1.\t Tekst.",
    )
    assert parsed.sections[1].intro == (
        "Een eerste alinea die over een pagina heen loopt.\n\n"
        "Een tweede alinea met “aanhalingstekens”, één accent en risico’s."
    )


# --- Malformed input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "line", "reason"),
    [
        (["1.\t Een.", "1.\t Nog eens een."], 7, "voorstel 1 komt twee keer voor"),
        (["1.\t Een.", "2.\t Twee.", "", "1.\t Een."], 9, "voorstel 1 staat niet op zijn plaats"),
        (["2.1. ANDER DEEL"], 6, "hoofdstuk 2.1 hoort niet bij deel 1"),
        (["1.1. EEN GLOBAAL PLAN"], 6, "hoofdstuk 1.1 komt twee keer voor"),
    ],
)
def test_malformed_input_is_refused_with_its_line_number(lines, line, reason):
    with pytest.raises(ProgrammeFormatError) as error:
        parse(*lines)
    assert error.value.line == line
    assert reason in error.value.reason


def test_a_gap_in_the_numbering_is_a_notice_for_the_editor_not_a_refusal():
    parsed = parse(
        "1.\t Een eerste voorstel van vijf woorden.",
        "",
        "3.\t Een derde voorstel van vijf woorden.",
        "",
        "7.\t Kort.",
    )
    assert [resolution.number for resolution in parsed.resolutions] == [1, 3, 7]
    assert [(notice.line, notice.message) for notice in parsed.notices] == [
        (8, "gat in de nummering: 2 ontbreekt voor 3"),
        (10, "gat in de nummering: 4–6 ontbreekt voor 7"),
        (10, "passage 7 is heel kort (1 woord)"),
    ]


def test_a_resolution_before_any_section_cannot_be_placed():
    with pytest.raises(ProgrammeFormatError) as error:
        parse_programme("TITEL VAN HET PROGRAMMA\n\nOpening.\n\n1.\t Verdwaalde resolutie.\n")
    assert (error.value.line, error.value.reason) == (
        5,
        "voorstel 1 staat voor het eerste hoofdstuk: het kan nergens onder",
    )


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("Geen programma.\n", 1, "geen titels gevonden"),
        (PART + SECTION + "Alleen proza.\n", 1, "niets lijkt op een voorstel"),
        (PART + SECTION + "1.\t Een.\n SLOTWOORD\n\n2.\t Twee.\n", 9, "na de slottekst"),
    ],
)
def test_a_text_without_structure_or_with_structure_after_the_end_is_refused(text, line, reason):
    with pytest.raises(ProgrammeFormatError) as error:
        parse_programme(text)
    assert error.value.line == line
    assert reason in error.value.reason


@pytest.mark.django_db
def test_the_command_reports_file_and_line_and_writes_nothing(tmp_path):
    source = tmp_path / "kapot.txt"
    source.write_text(PART + SECTION + "1.\t Een.\n\n1.\t Nog eens een.\n", encoding="utf-8")
    with pytest.raises(CommandError, match=rf"^{source}:8: voorstel 1 komt twee keer voor$"):
        call_command("import_programme", source, "--party", "vooruit")
    assert not Programme.objects.exists()
    assert not Section.objects.exists()
    assert not Party.objects.exists()


# --- The real programme ---------------------------------------------------------------------


def test_the_real_programme_has_1199_resolutions_in_order_in_seven_parts(vooruit):
    assert [resolution.number for resolution in vooruit.resolutions] == list(range(1, 1200))
    assert [(part.number, part.title) for part in vooruit.parts] == [
        ("1", "VOORUIT MET ONZE WELVAART EN KOOPKRACHT"),
        ("2", "VOORUIT MET ONZE GEZONDHEID"),
        ("3", "VOORUIT MET ONZE KINDEREN EN JONGEREN"),
        ("4", "VOORUIT MET ONS KLIMAAT, MAAR DAN WEL VOOR EN MET IEDEREEN"),
        ("5", "VOORUIT MET ONZE VEILIGHEID"),
        ("6", "VOORUIT MET ONS SAMEN LEVEN"),
        ("7", "VOORUIT MET ONZE INTERNATIONALE SOLIDARITEIT"),
    ]
    # 181 headings in the text: 7 parts and 174 numbered sections (counted with grep).
    assert len(vooruit.sections) == 181
    sections = {section.number: section for section in vooruit.sections}
    first_in_part = {}
    for resolution in vooruit.resolutions:
        first_in_part.setdefault(resolution.section.split(".")[0], resolution.number)
    # The first resolution after each part heading, found with grep.
    assert first_in_part == {"1": 1, "2": 354, "3": 506, "4": 643, "5": 808, "6": 919, "7": 1080}
    assert sections["1.1.4"].title == (
        "Productiviteitsgroei door innovatie, digitalisering en Artificial Intelligence (AI)"
    )
    assert sections["6.2"].title == "EEN SAMENLEVING WAAR IEDEREEN AAN KAN DEELNEMEN"
    assert vooruit.title == "HET IS VOORUIT. OF HET IS ACHTERUIT. KIES MAAR."
    assert vooruit.closing.startswith("ONGELIJKHEID TERUGDRINGEN!\n\nDe ongelijkheid bestrijden")
    assert vooruit.closing.endswith(
        "het blijven terugdringen van ongelijkheid.\n\nMelissa Depraetere Voorzitter Vooruit"
    )


# Compared by hand with fixtures/programmes/vooruit-2024.txt (line of the number in brackets).
HAND_CHECKED = {
    # [102] "gezond-/heid" joined
    1: "Vooruit wil de welvaartsstaat versterken. Daar hebben we een gezonde begroting voor "
    "nodig. Daarmee kunnen we vandaag en morgen uw koopkracht en gezondheid beschermen én de "
    "ongelijkheid terugdringen. Daarom willen we tegen het einde van de volgende legislatuur de "
    "lopende uitgaven en inkomsten in evenwicht brengen en zo de overheidsschuld stabiliseren "
    "tegen 2030. Daarna begint de afbouw.",
    # [165] the number line starts with a space; "kleuter- en basisonderwijs" mid-line
    4: "Vooruit maakt een einde aan decennia van onderinvestering in scholen, openbaar vervoer en "
    "energie. Daarom verhogen we het niveau van de (publieke) investeringen met 1% BBP. We "
    "investeren eerst en vooral in de toekomst van onze kenniseconomie: in kinderopvang, kleuter- "
    "en basisonderwijs. Ons onderwijs moet opnieuw het beste van Europa worden! Daarnaast moeten "
    "we in de komende jaren ons vervoer en onze energieproductie proper maken. Tegelijk moeten we "
    "onze (mobiliteits)infrastructuur klaarmaken voor de toekomst en onze huizen wijk per wijk "
    "renoveren.",
    # [447] four hyphenations, single quotes, ends right above the footer of page 18
    29: "Artificiële intelligentie biedt grote kansen om onze welvaart en welzijn te verbeteren, "
    "maar er zijn risico’s. Daarom moet er een dwingend ethisch en juridisch kader komen voor de "
    "omgang met AI. AI moet ingezet worden met respect voor de menselijke waardigheid, autonomie, "
    "diversiteit en privacy. Op Belgisch en Europees niveau is Vooruit voorstander van het niet "
    "afdwingen van patenten die gericht zijn op het indringend monitoren van werknemers. "
    "Daarnaast moet er ten opzichte van werknemers transparantie gelden en moeten ze inspraak "
    "krijgen over het gebruik van artificiële intelligentie op het werk. "
    "De ‘eigenaar’/’organisator’ van de gebruikte artificiële intelligentie is als rechtspersoon "
    "verantwoordelijk voor de sociale gevolgen.",
    # [1558] a page that starts with a space continues it; the prose after it is not part of it
    148: "Wie meer bijdraagt, moet ook een hoger pensioen kunnen krijgen. Daarom trekken we het "
    "berekeningsplafond van werknemers gelijk met het (hogere) plafond van zelfstandigen. "
    "Aanvullend op de wettelijke pensioenen maken we de aanvullende pensioenen verplicht in alle "
    "sectoren. Dat garandeert een extra bescherming, bovenop het minimum voor werkenden. Om te "
    "komen tot een minimale bijdrage van 3% voor alle werknemers, moeten de verhogingen buiten de "
    "loonnorm vallen. Omdat mensen steeds langer leven, stimuleren we uitbetaling in rente in "
    "plaats van in kapitaal.",
    # [1942] "energie- en telecomsector"
    191: "We zorgen ervoor dat bij prijsvergelijkers in de energie- en telecomsector de "
    "verbruiksgegevens van de consument automatisch worden ingevuld op basis van het verbruik van "
    "het afgelopen jaar. Dienstverleners informeren hun klanten jaarlijks dat ze via die "
    "prijsvergelijker het beste aanbod vinden op basis van hun verbruik. Op die manier vindt de "
    "consument makkelijker het voor hem voordeligste tarief terug.",
    # [3041] a blank line (page break) before “onschadelijk”
    325: "Om witwassen bij onder andere drugsmisdrijven en faillissementenfraude tegen te gaan, "
    "nemen we maatregelen tegen zogeheten shelf companies. Slapende vennootschappen die "
    "administratief geschrapt zijn in het KBO, worden automatisch juridisch ontbonden. Op die "
    "manier kan het overgrote deel van die shelf companies “onschadelijk” gemaakt worden voor "
    "eventueel frauduleus misbruik.",
    # [4376] a blank line before “geheime contracten”
    493: "Om de toegang tot de nieuwste geneesmiddelen te verzekeren zijn hervormingen van de "
    "bestaande procedures nodig. We moderniseren de werking van de Commissie Tegemoetkoming "
    "Geneesmiddelen en het systeem van de zogenoemde “geheime contracten”. We leggen ook een "
    "budgettair inspanningenkader met de geneesmiddelenindustrie vast.",
    # [4495] part 3; a continuation line that starts with a space
    506: "We geven ouders meer ouderschapsverlof en zorgen voor een betere vergoeding, met "
    "bijzondere aandacht voor ouders met een laag inkomen. We breiden het systeem van "
    "ouderschapsverlof uit naar zelfstandigen.",
    # [5845] part 4; a list of two items
    671: "We verminderen de uitstoot van broeikasgassen in de landbouwsector en ondersteunen de "
    "overstap naar een duurzaam landbouwmodel door maximaal in te zetten op innovatie, reconversie "
    "van veeteeltbedrijven en de afbouw van de veestapel. Dit doen we door:\n"
    "a. De uitstootrechten van veehouders te beperken. We geven geen investeringssteun meer aan "
    "landbouwers met een grote klimaatimpact doordat ze bijvoorbeeld veevoeder importeren (ten "
    "koste van het Amazonewoud) en vlees produceren om het daarna te exporteren.\n"
    "b. Deze investeringssteun maximaal in te zetten voor investeringen die de uitstoot van "
    "broeikasgassen bij landbouwbedrijven beperken en investeringen om de overstap naar duurzame "
    "landbouw te ondersteunen.",
    # [7027] part 5; after the part marker "05"; "veiligheids- of hulpdien-/sten"
    811: "Geweld tegen politie of andere hulpverleners, zoals brandweer of zorgpersoneel, wordt "
    "nooit getolereerd. Agressie, verbaal of fysiek, is onacceptabel en blijft een prioriteit in "
    "het vervolgingsbeleid van justitie. Deze regering heeft een nultolerantie ingevoerd voor "
    "mensen die geweld gebruiken tegen onze veiligheids- of hulpdiensten. Wie een politieagent, "
    "brandweerman, cipier of ambulancier aanvalt, moet altijd worden vervolgd en bestraft. Dit "
    "geldt ook voor iedereen in een publieke functie, zoals chauffeurs van De Lijn, personeel van "
    "de NMBS, parkeerwachters, enz. Daar staan wij nu en in de toekomst voor.",
    # [8968] part 6; no space after the tab; "fact-/checking" as "factchecking-organisaties"
    1045: "Om de strijd tegen fake news en desinformatie aan te gaan, bevorderen we factchecking, "
    "mediawijsheid en onderzoeksjournalistiek. We garanderen Europese financiering voor "
    "factchecking-organisaties, initiatieven vanuit het middenveld of academische instellingen "
    "die fake news en desinformatie bestrijden.",
    # [9578] part 7; the page that follows starts with section prose ("Betrekkingen met Afrika")
    1115: "Ons land dient een grondige doorlichting te doen op de aanwezigheid van Chinese actoren "
    "in onze kritieke infrastructuur (havens, energievoorziening, informatiesystemen,...).",
    # [10423] the last one, followed directly by the closing text
    1199: "Via een toetsingskader voor wapenleveringen verstrengen we de controle op de "
    "tussenhandel en het effectieve eindgebruik van wapens vanuit ons land. Landen die op "
    "systematische wijze het internationaal recht schenden, sluiten we uit van wapenleveringen.",
}


@pytest.mark.parametrize("number", sorted(HAND_CHECKED))
def test_resolution_text_matches_the_source_checked_by_hand(vooruit, number):
    assert vooruit.resolutions[number - 1].text == HAND_CHECKED[number]


def test_resolutions_sit_in_their_sections(vooruit):
    sections = {resolution.number: resolution.section for resolution in vooruit.resolutions}
    assert [sections[n] for n in (1, 148, 149, 152, 153, 506, 811, 1115, 1121, 1199)] == [
        "1.1.1",
        "1.3.1.3",
        "1.3.1.3",
        "1.3.2",
        "1.3.3.1",
        "3.1",
        "5.1.1",
        "7.1.4",
        "7.1.4",
        "7.5",
    ]


def test_pages_come_from_the_footers_around_a_resolution(vooruit):
    lines = PROGRAMME_FILE.read_text(encoding="utf-8").splitlines()
    footers = [  # "18 VOORUIT MET ONZE WELVAART EN KOOPKRACHT", "…Vooruit287 UITLEIDING"
        (number, int(footer.group(1)))
        for number, line in enumerate(lines, 1)
        if (footer := re.search(r"(\d+) (VOORUIT MET [A-Z ,]+|UITLEIDING)$", line))
    ]
    assert len(footers) == 17
    with_page = [resolution for resolution in vooruit.resolutions if resolution.page]
    assert len(with_page) > 300
    for resolution in with_page:
        before = max(page for line, page in footers if line < resolution.line)
        after = min(page for line, page in footers if line > resolution.line)
        assert before < resolution.page <= after
    # Page 234 ends at line 8496 and the next footer left is 282's: between them every page
    # starts with a space, so a resolution there gets its page; before the first footer not.
    assert vooruit.resolutions[1114].page == 263
    assert vooruit.resolutions[0].page is None


# --- Writing to the database ----------------------------------------------------------------


@pytest.fixture
def imported(party, election):
    return import_programme(PROGRAMME_FILE, party=party, election=election)


def test_the_import_writes_every_section_and_resolution(imported, vooruit):
    programme = imported.programme
    assert (str(imported.sections), str(imported.resolutions)) == (
        "181 created, 0 updated, 0 unchanged",
        "1199 created, 0 updated, 0 unchanged",
    )
    assert programme.title == "Het is Vooruit. Of het is achteruit. Kies maar."
    assert programme.slug == "vooruit-2024"
    assert len(programme.source_sha256) == 64
    assert programme.imported_at
    stored = dict(programme.resolutions.values_list("number", "text"))
    assert stored == {resolution.number: resolution.text for resolution in vooruit.resolutions}
    resolution = programme.resolutions.select_related("section__parent").get(number=153)
    assert (resolution.section.number, resolution.section.parent.number) == ("1.3.3.1", "1.3")
    assert Section.objects.filter(programme=programme, depth=0).count() == 7


def test_a_second_import_changes_nothing_and_keeps_primary_keys(imported, party, election):
    before = dict(Resolution.objects.values_list("number", "pk"))
    sections_before = dict(Section.objects.values_list("number", "pk"))
    report = import_programme(PROGRAMME_FILE, party=party, election=election)
    assert (str(report.sections), str(report.resolutions)) == (
        "0 created, 0 updated, 181 unchanged",
        "0 created, 0 updated, 1199 unchanged",
    )
    assert dict(Resolution.objects.values_list("number", "pk")) == before
    assert dict(Section.objects.values_list("number", "pk")) == sections_before


def test_a_changed_text_is_updated_in_place_and_a_removed_one_reported(
    imported, party, election, tmp_path
):
    source = PROGRAMME_FILE.read_text(encoding="utf-8")
    source = source.replace("Daarna begint de  \nafbouw.", "Daarna begint de  \nafbouw niet.")
    ending = source.index("1199.\t")
    closing = source.index(" ONGELIJKHEID TERUGDRINGEN!")
    source = source[:ending] + source[closing:]
    changed = tmp_path / "vooruit.txt"
    changed.write_text(source, encoding="utf-8")
    pk = Resolution.objects.get(number=1).pk

    report = import_programme(changed, party=party, election=election)

    assert str(report.resolutions) == "0 created, 1 updated, 1197 unchanged"
    assert report.missing_resolutions == [1199]
    assert report.summary().endswith("missing from the source (kept): resolutions 1199")
    first = Resolution.objects.get(number=1)
    assert (first.pk, first.text.endswith("Daarna begint de afbouw niet.")) == (pk, True)
    assert Resolution.objects.filter(number=1199).exists()


def test_a_dry_run_of_a_changed_text_reports_the_changes_and_keeps_every_row(
    imported, party, election, tmp_path
):
    source = PROGRAMME_FILE.read_text(encoding="utf-8")
    changed = tmp_path / "vooruit.txt"
    changed.write_text(source.replace("begint de  \nafbouw.", "begint de  \nafbouw niet."))
    before = list(Resolution.objects.order_by("number").values_list("pk", "text", "section"))
    imported_at = Programme.objects.get().imported_at

    report = import_programme(changed, party=party, election=election, dry_run=True)

    assert str(report.resolutions) == "0 created, 1 updated, 1198 unchanged"
    assert report.summary().endswith("(dry run, nothing written)")
    after = list(Resolution.objects.order_by("number").values_list("pk", "text", "section"))
    assert after == before
    assert Programme.objects.get().imported_at == imported_at


def test_a_new_section_in_the_middle_shifts_the_others_in_place(party, election, tmp_path):
    source = tmp_path / "programma.txt"
    before = PART + SECTION + "1.\t Een.\n\n1.2. TWEEDE\n\n2.\t Twee.\n"
    source.write_text(before, encoding="utf-8")
    with pytest.raises(ProgrammeFormatError, match="geen titel"):
        import_programme(source, party=party, election=election)
    import_programme(source, party=party, election=election, title="Programma")
    pks = dict(Section.objects.values_list("number", "pk"))

    inserted = before.replace("1.\t Een.", "1.1.1. Nieuw\n\n1.\t Een.")
    source.write_text(inserted, encoding="utf-8")
    report = import_programme(source, party=party, election=election)

    assert (str(report.sections), str(report.resolutions)) == (
        "1 created, 1 updated, 2 unchanged",
        "0 created, 1 updated, 1 unchanged",
    )
    sections = Section.objects.order_by("order")
    assert [(s.number, s.order, s.parent and s.parent.number) for s in sections] == [
        ("1", 0, None),
        ("1.1", 1, "1"),
        ("1.1.1", 2, "1.1"),
        ("1.2", 3, "1"),
    ]
    assert {number: pks[number] for number in pks} == {
        s.number: s.pk for s in sections if s.number in pks
    }
    assert Resolution.objects.get(number=1).section.number == "1.1.1"

    source.write_text(before, encoding="utf-8")
    report = import_programme(source, party=party, election=election)
    assert report.missing_sections == ["1.1.1"]
    assert report.summary().endswith("missing from the source (kept): sections 1.1.1")
    assert [s.number for s in Section.objects.order_by("order")] == ["1", "1.1", "1.2", "1.1.1"]
    assert Resolution.objects.get(number=1).section.number == "1.1"


def test_a_dry_run_writes_nothing(party, election):
    report = import_programme(PROGRAMME_FILE, party=party, election=election, dry_run=True)
    assert str(report.resolutions) == "1199 created, 0 updated, 0 unchanged"
    assert not Programme.objects.exists()
    assert not Resolution.objects.exists()


@pytest.mark.django_db
def test_the_command_imports_then_skips_an_unchanged_file(capsys):
    call_command("import_programme", PROGRAMME_FILE, "--party", "vooruit")
    out = capsys.readouterr().out
    assert "sections 181 created, 0 updated, 0 unchanged" in out
    assert "resolutions 1199 created, 0 updated, 0 unchanged" in out
    programme = Programme.objects.get(slug="vooruit-2024")
    assert (programme.party.name, programme.election.name, str(programme.election.date)) == (
        "Vooruit",
        "Verkiezingen 9 juni 2024",
        "2024-06-09",
    )

    call_command("import_programme", PROGRAMME_FILE, "--party", "vooruit", "--skip-unchanged")
    assert capsys.readouterr().out.strip() == "vooruit-2024: already imported, unchanged"


@pytest.mark.django_db
def test_the_command_takes_slug_title_and_election(capsys):
    call_command(
        "import_programme",
        PROGRAMME_FILE,
        "--party",
        "groen-links",
        "--slug",
        "groen-2029",
        "--title",
        "Groen programma",
        "--election-date",
        "2029-05-27",
        "--election-name",
        "Verkiezingen 2029",
    )
    programme = Programme.objects.get()
    assert (programme.slug, programme.title, programme.party.name) == (
        "groen-2029",
        "Groen programma",
        "Groen Links",
    )
    assert (programme.election.name, str(programme.election.date)) == (
        "Verkiezingen 2029",
        "2029-05-27",
    )
    assert programme.resolutions.count() == 1199


def test_a_second_programme_for_the_same_party_and_election_is_refused(imported, party, election):
    with pytest.raises(ValueError, match="Vooruit heeft al programma vooruit-2024"):
        import_programme(PROGRAMME_FILE, party=party, election=election, slug="ander")
    assert Programme.objects.count() == 1


@pytest.mark.django_db
def test_the_command_dry_run_writes_nothing(capsys):
    call_command("import_programme", PROGRAMME_FILE, "--party", "vooruit", "--dry-run")
    assert "(dry run, nothing written)" in capsys.readouterr().out
    assert not Party.objects.exists()
    assert not Election.objects.exists()
    assert not Programme.objects.exists()


def test_a_text_cut_short_is_refused_with_the_count_unless_allowed(imported, tmp_path, capsys):
    source = PROGRAMME_FILE.read_text(encoding="utf-8")
    half = tmp_path / "vooruit-half.txt"
    half.write_text(source[: source.index("600.\t")], encoding="utf-8")
    before = list(Resolution.objects.order_by("number").values_list("pk", "text"))

    with pytest.raises(CommandError, match=r"mist 600 van de 1199 passages .*\(50%\)"):
        call_command("import_programme", str(half), "--party", "vooruit")
    assert list(Resolution.objects.order_by("number").values_list("pk", "text")) == before
    assert Programme.objects.get().source_file == str(PROGRAMME_FILE)  # not the cut file's

    call_command("import_programme", str(half), "--party", "vooruit", "--allow-missing")
    assert "missing from the source (kept): resolutions 600, 601" in capsys.readouterr().out
    assert Resolution.objects.count() == 1199


def test_a_nul_character_is_refused_with_its_line(db, tmp_path):
    source = tmp_path / "nul.txt"
    source.write_text("HET PROGRAMMA\n\nEen regel\nmet een \x00 erin\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"nul.txt:4: het bestand bevat een NUL-teken"):
        call_command("import_programme", str(source), "--party", "vooruit")
    assert not Programme.objects.exists()
