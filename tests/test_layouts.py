"""Programmes in layouts other than Vooruit's: one small text per layout and per trap of an
extracted text, PDFs written here from known text, bad files, and a re-import of an edited
version that keeps every citation on its passage."""

import pytest
from django.core.management import CommandError, call_command
from fpdf import FPDF

from quiz.importing import import_source
from quiz.models import Citation, Party, Position, Programme, Resolution
from quiz.programme_sources import read_source
from quiz.programme_text import ProgrammeFormatError, parse_programme


def parse_file(text: str, filename: str = "programma.txt", **options):
    source = read_source(text.encode(), filename)
    return parse_programme(source.lines, markdown=source.format == "markdown", **options)


def passages(parsed) -> list[tuple[int, str, str, str]]:
    return [(r.number, r.label, r.section, r.text) for r in parsed.resolutions]


def tree(parsed) -> list[tuple[str, str, str | None]]:
    return [(s.number, s.title, s.parent) for s in parsed.sections]


# --- Layouts ---------------------------------------------------------------------------------

MARKDOWN = """# Horizon: morgen begint vandaag (fictief)

Een verzonnen partij voor een demo.

## Klimaat

Het klimaat wacht niet.

### Energie

We kiezen voor **zon en wind**.

- We sluiten de laatste kerncentrale in 2030 en bouwen
  geen nieuwe.
- We schaffen de btw op [warmtepompen](https://example.org) af.

### Mobiliteit

- Het openbaar vervoer wordt gratis tot 25 jaar.

## Wonen

- We voeren een huurprijsrem in.
"""


def test_markdown_without_numbers_numbers_its_bullets_in_document_order():
    parsed = parse_file(MARKDOWN, "horizon.md")
    assert parsed.layout.as_hints() == {
        "proposals": "bullet",
        "numbering": "importer",
        "capitals": "none",
        "markdown": True,
    }
    assert parsed.title == "Horizon: morgen begint vandaag (fictief)"
    assert parsed.opening == "Een verzonnen partij voor een demo."
    assert tree(parsed) == [
        ("1", "Klimaat", None),
        ("1.1", "Energie", "1"),
        ("1.2", "Mobiliteit", "1"),
        ("2", "Wonen", None),
    ]
    assert parsed.sections[0].intro == "Het klimaat wacht niet."
    assert parsed.sections[1].intro == "We kiezen voor zon en wind."
    assert passages(parsed) == [
        (1, "", "1.1", "We sluiten de laatste kerncentrale in 2030 en bouwen geen nieuwe."),
        (2, "", "1.1", "We schaffen de btw op warmtepompen af."),
        (3, "", "1.2", "Het openbaar vervoer wordt gratis tot 25 jaar."),
        (4, "", "2", "We voeren een huurprijsrem in."),
    ]


KEYWORDS = """ANKER: VRIJHEID DIE WERKT (FICTIEF)

Een verzonnen partij voor een demo.

Hoofdstuk 1. Werk en economie

Werk moet lonen.

1.1 Belastingen

Voorstel 1: We verlagen de personenbelasting voor wie werkt, vanaf
2027. Daarna volgt een tweede stap in 2029.

Voorstel 2: We schaffen de belasting op grote vermogens niet in, want
2030. Is het jaar van de begroting in evenwicht.

Hoofdstuk 2
Wonen

Voorstel 3: De huurprijzen blijven vrij.
"""


def test_keyword_chapters_numbered_sections_and_voorstel_numbers_straight_through():
    parsed = parse_file(KEYWORDS)
    assert parsed.layout.as_hints() == {
        "proposals": "voorstel",
        "numbering": "straight",
        "capitals": "section",
        "markdown": False,
    }
    assert parsed.title == "ANKER: VRIJHEID DIE WERKT (FICTIEF)"
    assert tree(parsed) == [
        ("1", "Werk en economie", None),
        ("1.1", "Belastingen", "1"),
        ("2", "Wonen", None),
    ]
    assert parsed.sections[0].intro == "Werk moet lonen."
    # "2027." and "2030." start wrapped lines: they continue the proposal.
    assert passages(parsed) == [
        (
            1,
            "",
            "1.1",
            "We verlagen de personenbelasting voor wie werkt, vanaf 2027. Daarna volgt een "
            "tweede stap in 2029.",
        ),
        (
            2,
            "",
            "1.1",
            "We schaffen de belasting op grote vermogens niet in, want 2030. Is het jaar van de "
            "begroting in evenwicht.",
        ),
        (3, "", "2", "De huurprijzen blijven vrij."),
    ]


PER_CHAPTER = """WILG - PROGRAMMA VOOR DE OEFENVERKIEZING (FICTIEF)

1 GEZIN EN ZORG

Zorg begint thuis.

1.1 Kinderopvang

1) We maken kinderopvang betaalbaar voor elk gezin.

2) We verhogen het kindergeld.

1.1.1 Ouderschapsverlof

3) Vaders krijgen tien weken geboorteverlof.

2 ONDERWIJS

1) De leerplicht begint op vijf jaar.

2) Elke school krijgt een gratis middagmaal.
"""


def test_numbered_chapters_and_proposals_numbered_per_chapter_keep_their_own_labels():
    parsed = parse_file(PER_CHAPTER)
    assert (parsed.layout.proposals, parsed.layout.numbering) == ("paren", "per-chapter")
    assert tree(parsed) == [
        ("1", "GEZIN EN ZORG", None),
        ("1.1", "Kinderopvang", "1"),
        ("1.1.1", "Ouderschapsverlof", "1.1"),
        ("2", "ONDERWIJS", None),
    ]
    assert [(r.number, r.label, r.section) for r in parsed.resolutions] == [
        (1, "1.1", "1.1"),
        (2, "1.2", "1.1"),
        (3, "1.3", "1.1.1"),
        (4, "2.1", "2"),
        (5, "2.2", "2"),
    ]


FRENCH = """PHARE : LA LUMIÈRE POUR TOUS (FICTIF)

Un parti fictif pour une démonstration.

Chapitre 1 – Logement

Se loger est un droit.

LOGEMENT ABORDABLE

Le loyer pèse trop lourd.

Nos propositions :

R1. Nous instaurons une grille des loyers contraignante.

R2. Nous construisons 10 000 logements sociaux par an.

Chapitre 2 – Mobilité

TRANSPORTS PUBLICS

R3. Les transports publics deviennent gratuits pour les moins de 25 ans.
"""


def test_french_chapitres_capitals_sections_and_r_numbers_after_a_header():
    parsed = parse_file(FRENCH)
    assert (parsed.layout.proposals, parsed.layout.capitals) == ("r", "section")
    assert tree(parsed) == [
        ("1", "Logement", None),
        ("1.1", "LOGEMENT ABORDABLE", "1"),
        ("2", "Mobilité", None),
        ("2.1", "TRANSPORTS PUBLICS", "2"),
    ]
    assert parsed.sections[1].intro == "Le loyer pèse trop lourd."
    assert [r.text for r in parsed.resolutions] == [
        "Nous instaurons une grille des loyers contraignante.",
        "Nous construisons 10 000 logements sociaux par an.",
        "Les transports publics deviennent gratuits pour les moins de 25 ans.",
    ]


PARAGRAPHS = """BAKEN (FICTIEF)

WERK

We willen dat iedereen die kan werken, ook werkt. Wie een job zoekt, krijgt hulp op maat.

De werkloosheidsuitkering wordt beperkt in de tijd, tot twee jaar.

ZORG

Het remgeld bij de huisarts verdwijnt voor iedereen.
"""


def test_a_programme_without_numbers_or_bullets_makes_every_paragraph_a_passage():
    parsed = parse_file(PARAGRAPHS)
    assert parsed.layout.proposals == "paragraph"
    assert "elke alinea onder een titel is een passage" in parsed.notices[0].message
    assert tree(parsed) == [("1", "WERK", None), ("2", "ZORG", None)]
    assert [(r.number, r.section) for r in parsed.resolutions] == [(1, "1"), (2, "1"), (3, "2")]
    assert parsed.resolutions[1].text == (
        "De werkloosheidsuitkering wordt beperkt in de tijd, tot twee jaar."
    )


def test_hints_override_what_the_detection_found():
    # Told that its capitals are not headings, the text has nothing to place passages in.
    with pytest.raises(ProgrammeFormatError, match="geen titels gevonden"):
        parse_file(PARAGRAPHS, hints={"capitals": "none"})
    parsed = parse_file(KEYWORDS, hints={"proposals": "paragraph"})
    assert [r.text[:22] for r in parsed.resolutions] == [
        "Werk moet lonen.",
        "Voorstel 1: We verlage",
        "Voorstel 2: We schaffe",
        "Voorstel 3: De huurpri",
    ]
    with pytest.raises(ValueError, match="onbekende opmaakaanwijzing"):
        parse_file(PARAGRAPHS, hints={"proposals": "sterretjes"})


# --- Traps of an extracted text ----------------------------------------------------------------


PAGED = (
    "LIJST TEST (FICTIEF)\n\nHoofdstuk 1. Werk\n\n"
    "1.\tWe verhogen het minimumloon tot veertien euro per uur voor alle werkne-\n"
    "mers in de privésector en bij de overheid, en daarna\n"
    "Lijst Test – programma 2026 (fictief)   1\n"
    "\f"
    "Lijst Test – programma 2026 (fictief)   2\n"
    "koppelen we het aan de welvaart.\n\n"
    "2.\tDe pensioenleeftijd blijft 67 jaar.\n"
    "Lijst Test – programma 2026 (fictief)   2\n"
    "\f"
    "Lijst Test – programma 2026 (fictief)   3\n"
    "3.\tWie 42 jaar werkte, gaat met pensioen.\n"
    "Lijst Test – programma 2026 (fictief)   3\n"
)


def test_running_headers_and_footers_go_and_a_passage_runs_on_across_a_page_break():
    parsed = parse_file(PAGED)
    assert parsed.removed_lines == 5
    assert [(r.number, r.page, r.text) for r in parsed.resolutions] == [
        (
            1,
            1,
            "We verhogen het minimumloon tot veertien euro per uur voor alle werknemers in de "
            "privésector en bij de overheid, en daarna koppelen we het aan de welvaart.",
        ),
        (2, 2, "De pensioenleeftijd blijft 67 jaar."),
        (3, 3, "Wie 42 jaar werkte, gaat met pensioen."),
    ]
    assert [str(notice) for notice in parsed.notices] == [
        "bladzijde 1, regel 5: passage 1 loopt over een paginagrens (bladzijde 1–2)"
    ]
    assert parsed.running_lines == (("Lijst Test – programma 2026 (fictief)   1", 5),)


def test_wrapped_lines_that_start_with_a_number_stay_in_their_proposal():
    parsed = parse_file(
        "TITEL (FICTIEF)\n\nHoofdstuk 1. Geld\n\n"
        "1. We brengen de begroting in evenwicht tegen\n"
        "2030. Daarna bouwen we de schuld af tot\n"
        "60 procent.\n"
        "2. Een tweede voorstel zonder punt op het einde\n"
        "3. Een derde voorstel.\n"
    )
    # The next number starts the next proposal even after a line without a full stop;
    # any other number there ("2030.", "60") continues the line before it.
    assert [r.text for r in parsed.resolutions] == [
        "We brengen de begroting in evenwicht tegen 2030. Daarna bouwen we de schuld af tot "
        "60 procent.",
        "Een tweede voorstel zonder punt op het einde",
        "Een derde voorstel.",
    ]
    # "2030." is a year; a small number out of place is listed for the editor.
    listed = parse_file(
        "TITEL (FICTIEF)\n\nHoofdstuk 1. Geld\n\n1. Een eerste voorstel dat doorloopt op\n"
        "4. plaatsen.\n\n2. Een tweede.\n\n3. Een derde.\n"
    )
    assert [n.message for n in listed.notices if "midden in een zin" in n.message] == [
        "‘4. plaatsen.’ leest als voorstel 4, maar volgt midden in een zin: het blijft bij het "
        "voorstel ervoor"
    ]


# --- PDF -------------------------------------------------------------------------------------

PDF_PAGES = [
    [
        ("title", "WILG - PROGRAMMA (FICTIEF)"),
        ("text", "Een verzonnen partij voor een demo van Stemtest."),
        ("head", "1 GEZIN EN ZORG"),
        ("text", "Zorg begint thuis, bij de mensen zelf."),
        ("head", "1.1 Kinderopvang"),
        (
            "text",
            "1) We maken kinderopvang betaalbaar voor elk gezin, met een prijs die het "
            "inkomen volgt en een plaats voor elk kind binnen de drie maanden na de vraag, en",
        ),
    ],
    [
        ("text", "dat ook in de kleinste gemeenten van het land."),
        ("text", "2) We verhogen het kindergeld voor gezinnen met een laag inkomen."),
        ("head", "2 ONDERWIJS"),
        ("text", "1) Elke basisschool krijgt een gratis en gezond middagmaal."),
    ],
    [
        ("text", "2) De leerplicht begint op vijf jaar."),
        ("text", "3) Leraren krijgen een loopbaan met meer ondersteuning."),
    ],
]


def make_pdf(pages=PDF_PAGES, *, encrypt: bool = False, text: bool = True) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_font("Helvetica", size=11)
    if encrypt:
        pdf.set_encryption(owner_password="eigenaar", user_password="geheim")
    for number, blocks in enumerate(pages, start=1):
        pdf.add_page()
        if number > 1 and text:  # a running header on every page but the first
            pdf.set_xy(10, 8)
            pdf.cell(0, 5, "Wilg - programma 2026 (fictief)")
        pdf.set_xy(10, 20)
        for kind, words in blocks:
            if text:
                pdf.set_font("Helvetica", style="B" if kind in ("title", "head") else "")
                pdf.multi_cell(0, 5, words)
            else:
                pdf.rect(10, pdf.get_y(), 150, 5, style="F")  # a scan: shapes, no text
                pdf.set_y(pdf.get_y() + 5)
            pdf.ln(4)
        pdf.set_xy(10, 282)
        pdf.cell(0, 5, f"{number}", align="C")  # a scan keeps its page numbers as text
    return bytes(pdf.output())


def test_a_pdf_keeps_its_passages_exact_and_each_on_its_page():
    source = read_source(make_pdf(), "wilg.pdf")
    assert (source.format, source.pages) == ("pdf", 3)
    parsed = parse_programme(source.lines)
    assert parsed.title == "WILG - PROGRAMMA (FICTIEF)"
    assert tree(parsed) == [
        ("1", "GEZIN EN ZORG", None),
        ("1.1", "Kinderopvang", "1"),
        ("2", "ONDERWIJS", None),
    ]
    assert parsed.sections[0].intro == "Zorg begint thuis, bij de mensen zelf."
    assert [(r.label, r.page, r.text) for r in parsed.resolutions] == [
        (
            "1.1",
            1,
            "We maken kinderopvang betaalbaar voor elk gezin, met een prijs die het inkomen "
            "volgt en een plaats voor elk kind binnen de drie maanden na de vraag, en dat ook "
            "in de kleinste gemeenten van het land.",
        ),
        ("1.2", 2, "We verhogen het kindergeld voor gezinnen met een laag inkomen."),
        ("2.1", 2, "Elke basisschool krijgt een gratis en gezond middagmaal."),
        ("2.2", 3, "De leerplicht begint op vijf jaar."),
        ("2.3", 3, "Leraren krijgen een loopbaan met meer ondersteuning."),
    ]
    assert parsed.removed_lines == 5  # two headers, three footers


# --- Bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "filename", "reason"),
    [
        (b"", "leeg.txt", "het bestand is leeg"),
        (b"  \n\n", "leeg.txt", "het bestand is leeg"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "logo.txt", "geen UTF-8-tekst"),
        (b"TITEL\n\nHoofdstuk 1. Iets\n\x00\x01", "binair.txt", "NUL-teken"),
        (b"%PDF-1.7\nkapot", "kapot.pdf", "de PDF is niet te lezen"),
    ],
)
def test_files_that_hold_no_programme_text_are_refused(data, filename, reason):
    with pytest.raises(ProgrammeFormatError, match=reason):
        read_source(data, filename)


def test_an_encrypted_pdf_and_one_without_a_text_layer_are_refused():
    with pytest.raises(ProgrammeFormatError, match="versleuteld"):
        read_source(make_pdf(encrypt=True), "geheim.pdf")
    with pytest.raises(ProgrammeFormatError, match="geen tekstlaag"):
        read_source(make_pdf(text=False), "scan.pdf")


def test_a_text_where_nothing_looks_like_a_proposal_is_refused():
    with pytest.raises(ProgrammeFormatError, match="niets lijkt op een voorstel"):
        parse_file("TITEL\n\nHOOFDSTUK EEN\n\nEén zin.\n")


# --- Writing, and importing a new version ----------------------------------------------------


@pytest.fixture
def other_party(db):
    return Party.objects.create(name="Horizon", slug="horizon", is_fictional=True)


def import_markdown(text, party, election, **options):
    return import_source(
        text.encode(), filename="horizon.md", party=party, election=election, **options
    )


def test_an_unnumbered_programme_is_written_with_its_layout_and_language(other_party, election):
    report = import_markdown(MARKDOWN, other_party, election, language="fr")
    programme = Programme.objects.get()
    assert (programme.language, programme.source_format, programme.layout) == (
        "fr",
        "markdown",
        {},
    )
    assert programme.title == "Horizon: morgen begint vandaag (fictief)"
    assert list(programme.resolutions.values_list("number", flat=True)) == [1, 2, 3, 4]
    assert report.added == [1, 2, 3, 4]


def test_hints_are_stored_and_used_again_for_the_next_version(other_party, election):
    import_source(
        PARAGRAPHS.encode(),
        filename="baken.txt",
        party=other_party,
        election=election,
        hints={"capitals": "part"},
    )
    programme = Programme.objects.get()
    assert programme.layout == {"capitals": "part"}
    report = import_source(
        PARAGRAPHS.encode(), filename="baken.txt", party=other_party, election=election
    )
    assert report.layout.capitals == "part"


def cite(statement, party, resolution):
    position = Position.objects.create(statement=statement, party=party, stance="eens")
    return Citation.objects.create(position=position, resolution=resolution)


def test_a_new_version_keeps_every_citation_on_its_passage(other_party, election, make_quiz, party):
    import_markdown(MARKDOWN, other_party, election)
    quiz = make_quiz(statements=4)
    quiz.parties.add(other_party)
    statements = list(quiz.statements.order_by("order"))
    rows = {r.text[:20]: r for r in Resolution.objects.filter(programme__party=other_party)}
    kept = cite(statements[0], other_party, rows["Het openbaar vervoer"])
    changed = cite(statements[1], other_party, rows["We schaffen de btw o"])
    gone = cite(statements[2], other_party, rows["We voeren een huurpr"])

    edited = (
        MARKDOWN.replace(
            "- We sluiten de laatste",
            "- We isoleren elke school tegen 2035.\n- We sluiten de laatste",
        )
        .replace("op [warmtepompen](https://example.org) af", "op warmtepompen en zonnepanelen af")
        .replace("- We voeren een huurprijsrem in.\n", "- Elke gemeente bouwt sociale woningen.\n")
    )
    report = import_markdown(edited, other_party, election, allow_missing=True)

    kept.refresh_from_db()
    changed.refresh_from_db()
    gone.refresh_from_db()
    assert kept.resolution.text == "Het openbaar vervoer wordt gratis tot 25 jaar."
    assert (kept.resolution.number, kept.needs_review) == (4, False)
    assert changed.resolution.text == "We schaffen de btw op warmtepompen en zonnepanelen af."
    assert (changed.resolution.number, changed.needs_review) == (3, True)
    assert gone.resolution.text == "We voeren een huurprijsrem in."  # kept, not deleted
    assert report.added == [1, 5]
    assert report.changed == [3]
    assert report.renumbered == [(1, 2), (3, 4)]
    assert [(a.statement, a.resolution) for a in report.affected] == [(str(statements[1]), 3)]
    assert report.missing_resolutions == [gone.resolution.number]
    assert gone.resolution.number > 5


def test_the_command_imports_a_pdf_with_its_pages_and_reports_page_and_line(db, tmp_path, capsys):
    path = tmp_path / "wilg.pdf"
    path.write_bytes(make_pdf())
    call_command("import_programme", path, "--party", "wilg", "--party-name", "Wilg", "--fictional")
    programme = Programme.objects.get()
    assert (programme.party.is_fictional, programme.source_format) == (True, "pdf")
    assert list(programme.resolutions.values_list("label", "page")) == [
        ("1.1", 1),
        ("1.2", 2),
        ("2.1", 2),
        ("2.2", 3),
        ("2.3", 3),
    ]
    assert "numbering=per-chapter" in capsys.readouterr().out

    broken = tmp_path / "kapot.pdf"
    pages = [list(PDF_PAGES[0]), [("text", "1) Een voorstel."), ("text", "1) Nog eens.")]]
    broken.write_bytes(make_pdf(pages))
    with pytest.raises(
        CommandError, match=r"kapot\.pdf: bladzijde 2, regel \d+: voorstel 1 komt twee keer voor"
    ):
        call_command("import_programme", broken, "--party", "kapot")
    assert Programme.objects.count() == 1
