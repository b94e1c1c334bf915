"""Spreadsheets: export, import back, row errors, dry runs; the command and the admin pages."""

import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from django.contrib.admin.models import LogEntry
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from quiz.exporting import export_quizzes
from quiz.models import Citation, Party, Position, Quiz, Statement, Theme
from quiz.spreadsheets import COLUMNS, import_rows, import_spreadsheet


def snapshot():
    """Everything an import could touch, to compare before and after."""
    return (
        list(Statement.objects.order_by("pk").values()),
        list(Position.objects.order_by("pk").values()),
        list(Citation.objects.order_by("pk").values()),
        list(Theme.objects.order_by("pk").values()),
    )


def rows(*overrides, **common):
    """A frame in the import format: one row per dict, on top of a valid Vooruit row."""
    base = {
        "quiz": "vooruit-2024",
        "order": "1",
        "theme": "Werk",
        "short_title": "Maatregel 1",
        "statement": "De overheid moet maatregel 1 invoeren.",
        "uitleg": "",
        "status": "concept",
        "party": "vooruit",
        "stance": "eens",
        "justification": "",
        "resolutions": "1",
        "excerpts": "",
        "source": "",
    }
    return pd.DataFrame([{**base, **common, **row} for row in overrides or [{}]], columns=COLUMNS)


@pytest.fixture
def quiz(make_quiz):
    return make_quiz(statements=3, parties=2)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_round_trip_changes_nothing(quiz, file_format):
    Citation.objects.filter(position__statement__order=1).update(excerpt="maatregel 1")
    before = snapshot()
    content, _ = export_quizzes(Quiz.objects.all(), file_format=file_format)

    report = import_spreadsheet(io.BytesIO(content), name=f"quiz.{file_format}")

    assert report.ok, report.errors
    assert {change.action for change in report.changes} == {"ongewijzigd"}
    assert len(report.changes) == 3 + 3 * 2
    assert snapshot() == before


def test_the_export_has_one_row_per_statement_and_party(quiz):
    content, content_type = export_quizzes(Quiz.objects.all(), file_format="csv")
    frame = pd.read_csv(io.BytesIO(content), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert content_type.startswith("text/csv")
    assert list(frame.columns) == COLUMNS
    assert len(frame) == 6
    first = frame.iloc[0].to_dict()
    assert first | {"justification": ""} == {
        "quiz": "vooruit-2024",
        "order": "1",
        "theme": "Werk",
        "short_title": "Maatregel 1",
        "statement": "De overheid moet maatregel 1 invoeren.",
        "uitleg": "Uitleg bij maatregel 1.",
        "status": "gepubliceerd",
        "party": "partij-2",
        "stance": "oneens",
        "justification": "",
        "resolutions": "",
        "excerpts": "",
        "source": "Eigen antwoord van de partij",
        **dict.fromkeys(COLUMNS[COLUMNS.index("source") + 1 :], ""),  # no translations
    }
    assert frame.iloc[1]["resolutions"] == "1"


def test_a_new_statement_is_created_with_its_position_citations_and_theme(make_quiz):
    make_quiz(statements=2)
    frame = rows(
        {
            "order": "3",
            "theme": "Wonen",
            "status": "gepubliceerd",
            "resolutions": "2; 1",
            "excerpts": "2: maatregel 2\n1: maatregel 1",
            "justification": "Zie resoluties 1 en 2.",
        }
    )
    report = import_rows(frame)
    assert report.ok, report.errors
    assert [(c.what, c.action) for c in report.changes] == [
        ("stelling 3", "nieuw"),
        ("stelling 3, Vooruit", "nieuw"),
    ]
    statement = Statement.objects.get(order=3)
    assert (statement.theme.name, statement.is_published) == ("Wonen", True)
    citations = statement.positions.get().citations.all()
    assert [(c.resolution.number, c.excerpt) for c in citations] == [
        (2, "maatregel 2"),
        (1, "maatregel 1"),
    ]


def test_a_changed_row_updates_in_place_and_names_the_columns(make_quiz):
    quiz = make_quiz(statements=1)
    position = Position.objects.get()
    frame = rows(
        {
            "short_title": "Nieuw",
            "stance": "oneens",
            "status": "gepubliceerd",
            "uitleg": "Uitleg bij maatregel 1.",
            "justification": position.justification,
        }
    )
    report = import_rows(frame)
    assert [(c.action, c.fields) for c in report.changes] == [
        ("gewijzigd", ("short_title",)),
        ("gewijzigd", ("stance",)),
    ]
    position.refresh_from_db()
    assert position.stance == "oneens"
    assert quiz.statements.get().short_title == "Nieuw"


def test_a_dry_run_reports_the_changes_and_writes_nothing(make_quiz):
    make_quiz(statements=1)
    before = snapshot()
    report = import_rows(rows({"order": "2"}), dry_run=True)
    assert report.ok
    assert not report.written
    assert [c.action for c in report.changes] == ["nieuw", "nieuw"]
    assert "proefdraai" in report.summary()
    assert snapshot() == before


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ({"quiz": "onbekend"}, "quiz", "Geen stemtest"),
        ({"order": "een"}, "order", "geheel getal"),
        ({"status": "misschien"}, "status", "concept, klaar voor nazicht"),
        ({"party": "onbekend"}, "party", "Geen partij"),
        ({"stance": "ja"}, "stance", "eens, oneens"),
        ({"resolutions": "1, 2"}, "resolutions", "gescheiden door ‘;’"),
        ({"resolutions": "999"}, "resolutions", "Resolutie 999 staat niet"),
        ({"resolutions": ""}, "resolutions", "citeert minstens één resolutie"),
        ({"excerpts": "1: iets anders"}, "excerpts", "niet letterlijk"),
        ({"excerpts": "2: maatregel 2"}, "excerpts", "staat niet in ‘resolutions’"),
        ({"short_title": "x" * 61}, "short_title", "61"),
        ({"statement": ""}, "statement", ""),
        ({"theme": ""}, "theme", "Verplicht"),
    ],
)
def test_every_problem_names_its_row_and_column(make_quiz, row, column, message):
    make_quiz(statements=1)
    before = snapshot()
    frame = rows({"order": "2"}, {"order": "3", **row})
    report = import_rows(frame)
    assert not report.ok
    assert not report.written
    [error] = report.errors
    assert (error.row, error.column) == (3, column)
    assert message in error.message
    assert snapshot() == before


def test_a_party_without_programme_needs_a_source(make_quiz):
    make_quiz(statements=1, parties=2)
    report = import_rows(
        rows({"party": "partij-2", "resolutions": "", "justification": "Eigen antwoord."})
    )
    [error] = report.errors
    assert (error.row, error.column) == (2, "source")
    report = import_rows(
        rows(
            {
                "party": "partij-2",
                "resolutions": "",
                "justification": "Eigen antwoord.",
                "source": "Mail van de partij, 2 mei 2024",
                "uitleg": "Uitleg bij maatregel 1.",
                "status": "gepubliceerd",
            }
        )
    )
    assert report.ok, report.errors


def test_a_published_statement_without_every_party_is_an_error_on_its_first_row(make_quiz):
    make_quiz(statements=1, parties=2)
    Party.objects.create(name="Partij 3", slug="partij-3")
    Quiz.objects.get().parties.add(Party.objects.get(slug="partij-3"))
    report = import_rows(rows({"order": "5", "status": "gepubliceerd"}))
    [error] = report.errors
    assert (error.row, error.column) == (2, "status")
    assert "ontbreekt: Partij 2, Partij 3" in error.message


def test_statement_columns_must_agree_across_its_rows(make_quiz):
    make_quiz(statements=1, parties=2)
    frame = rows(
        {},
        {
            "party": "partij-2",
            "short_title": "Anders",
            "source": "x",
            "justification": "y",
            "resolutions": "",
        },
    )
    [error] = import_rows(frame).errors
    assert (error.row, error.column) == (3, "short_title")
    assert "Verschilt van rij 2" in error.message


def test_a_party_twice_for_one_statement_is_an_error(make_quiz):
    make_quiz(statements=1)
    [error] = import_rows(rows({}, {})).errors
    assert (error.row, error.column) == (3, "party")


def test_one_bad_row_blocks_every_row(make_quiz):
    make_quiz(statements=1)
    before = snapshot()
    report = import_rows(rows({"order": "2"}, {"order": "3", "stance": "?"}))
    assert len(report.errors) == 1
    assert snapshot() == before


def test_missing_columns_are_reported_on_the_header_row(make_quiz):
    make_quiz(statements=1)
    report = import_rows(rows().drop(columns=["stance", "party"]))
    assert [(e.row, e.column) for e in report.errors] == [(1, "party"), (1, "stance")]


def zipped(**files: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "content",
    [
        b"\x00\x01 not a spreadsheet",
        b"PK\x03\x04 a damaged zip",
        zipped(**{"readme.txt": "a zip without a workbook"}),
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512),  # an old .xls renamed to .xlsx
    ],
    ids=["garbage", "damaged zip", "zip without workbook", "xls as xlsx"],
)
def test_a_file_that_is_no_workbook_is_an_error_not_a_crash(db, content):
    report = import_spreadsheet(io.BytesIO(content), name="quiz.xlsx")
    assert [(e.row, e.column) for e in report.errors] == [(1, "-")]
    assert "geen geldig .xlsx-bestand" in report.errors[0].message


def test_only_csv_and_xlsx_are_read(db):
    assert "csv" in import_spreadsheet(io.BytesIO(b""), name="quiz.pdf").errors[0].message


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("resolutions", "²", "Nummers gescheiden door ‘;’"),
        ("resolutions", "99999999999999999999", "Nummers gescheiden door ‘;’"),
        ("order", "99999999999999999999", "Een geheel getal vanaf 1."),
        ("uitleg", "een\x00nul", "NUL-teken"),
        ("theme", "t" * 150, "niet meer dan 100 tekens"),
    ],
)
def test_a_bad_cell_is_a_row_and_column_error_in_the_dry_run(quiz, column, value, message):
    before = snapshot()
    report = import_rows(rows({column: value}), dry_run=True)
    assert [(e.row, e.column) for e in report.errors] == [(2, column)]
    assert message in report.errors[0].message
    assert not import_rows(rows({column: value})).written
    assert snapshot() == before


@pytest.mark.parametrize("name", ["quiz.csv", "quiz.xlsx"])
def test_more_rows_than_a_quiz_can_have_are_refused_before_they_are_read(db, name):
    from quiz.spreadsheets import MAX_ROWS

    frame = rows(*[{"order": str(n)} for n in range(1, MAX_ROWS + 2)])
    buffer = io.BytesIO()
    if name.endswith(".csv"):
        frame.to_csv(buffer, index=False)
    else:
        frame.to_excel(buffer, index=False)
    report = import_spreadsheet(io.BytesIO(buffer.getvalue()), name=name)
    assert [(e.row, e.column) for e in report.errors] == [(1, "-")]
    assert "Meer dan 5.000 rijen" in report.errors[0].message


def test_a_workbook_that_unpacks_to_more_than_a_quiz_can_hold_is_refused_unread(db):
    huge = zipped(**{"xl/sharedStrings.xml": " " * (21 * 1024 * 1024)})
    report = import_spreadsheet(io.BytesIO(huge), name="quiz.xlsx")
    assert "uitgepakt groter dan 20 MB" in report.errors[0].message


FORMULAS = ['=HYPERLINK("http://example.org")', "=cmd|' /C calc'!A0", "+1", "-2", "@SUM(A1)"]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_no_exported_cell_is_a_formula_and_an_untouched_export_comes_back_unchanged(
    make_quiz, file_format
):
    make_quiz(statements=4, parties=2)
    texts = [*FORMULAS, "'= al met een apostrof", "''twee apostroffen", "'s Avonds gewoon"]
    positions = list(Position.objects.order_by("pk"))
    for position, text in zip(positions, texts, strict=True):
        position.justification = text
        position.save()
    before = snapshot()
    content, _ = export_quizzes(Quiz.objects.all(), file_format=file_format)

    if file_format == "xlsx":
        import openpyxl

        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        cells = [cell for row in sheet.iter_rows() for cell in row]
        assert not [cell.value for cell in cells if cell.data_type == "f"]
        assert not [c.value for c in cells if isinstance(c.value, str) and c.value[:1] in "=+-@"]
    else:
        text = content.decode("utf-8-sig")
        assert "'=HYPERLINK" in text
        assert ",=" not in text
    report = import_spreadsheet(io.BytesIO(content), name=f"quiz.{file_format}")
    assert report.ok, report.errors
    assert report.count("gewijzigd") == 0
    assert snapshot() == before
    assert Position.objects.filter(justification="'s Avonds gewoon").exists()


# --- The commands ------------------------------------------------------------------------


def test_the_command_creates_the_quiz_and_loads_the_file_once(
    tmp_path, make_programme, party, capsys
):
    make_programme(resolutions=[(1, "1.1", "De overheid moet maatregel 1 invoeren.")])
    meta = tmp_path / "quiz.json"
    meta.write_text(
        '{"title": "Stemtest Vooruit 2024", "slug": "vooruit-2024", "election_date": "2024-06-09",'
        ' "intro": "Welkom.", "parties": ["vooruit"], "is_live": true}',
        encoding="utf-8",
    )
    csv = tmp_path / "quiz.csv"
    rows({"status": "gepubliceerd"}).to_csv(csv, index=False)

    call_command("import_quiz", str(csv), "--quiz", str(meta), "--dry-run")
    assert not Quiz.objects.exists()
    call_command("import_quiz", str(csv), "--quiz", str(meta))
    call_command("import_quiz", str(csv), "--quiz", str(meta))
    output = capsys.readouterr().out
    assert "2 nieuw, 0 gewijzigd, 0 ongewijzigd (geschreven)" in output
    assert "0 nieuw, 0 gewijzigd, 2 ongewijzigd (niets te schrijven)" in output
    quiz = Quiz.objects.get()
    assert (quiz.title, quiz.is_live, list(quiz.parties.all())) == (
        "Stemtest Vooruit 2024",
        True,
        [party],
    )
    assert quiz.statements.published().count() == 1


def test_the_command_prints_row_errors_and_fails(tmp_path, make_quiz, capsys):
    make_quiz(statements=1)
    csv = tmp_path / "quiz.csv"
    rows({"stance": "misschien"}).to_csv(csv, index=False)
    with pytest.raises(CommandError, match="1 fout"):
        call_command("import_quiz", str(csv))
    assert "rij 2, kolom stance" in capsys.readouterr().err


def test_the_export_command_writes_a_file_the_import_accepts_unchanged(tmp_path, make_quiz, capsys):
    make_quiz(statements=2)
    path = tmp_path / "export.xlsx"
    call_command("export_quiz", "vooruit-2024", str(path))
    call_command("import_quiz", str(path))
    assert "0 nieuw, 0 gewijzigd, 4 ongewijzigd" in capsys.readouterr().out


# --- The admin pages ---------------------------------------------------------------------


def upload(content, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def test_the_admin_import_previews_then_writes_on_confirm_with_history(
    redacteur_client, redacteur, make_quiz
):
    make_quiz(statements=1)
    buffer = io.BytesIO()
    rows({"order": "2", "short_title": "Nieuw"}).to_excel(buffer, index=False)
    url = reverse("admin:quiz_quiz_import")

    preview = redacteur_client.post(url, {"file": upload(buffer.getvalue(), "quiz.xlsx")})
    assert preview.status_code == 200
    assert "Proefdraai" in preview.content.decode()
    assert [c.action for c in preview.context["changed"]] == ["nieuw", "nieuw"]
    assert Statement.objects.count() == 1

    confirm = redacteur_client.post(
        url, {"confirm": "1", "name": "quiz.xlsx", "content": preview.context["content"]}
    )
    assert confirm.status_code == 302
    statement = Statement.objects.get(order=2)
    assert LogEntry.objects.filter(object_id=str(statement.pk), user=redacteur).exists()


def test_the_admin_import_lists_row_errors_and_writes_nothing(redacteur_client, make_quiz):
    make_quiz(statements=1)
    content = rows({"order": "2", "resolutions": "77"}).to_csv(index=False).encode()
    response = redacteur_client.post(
        reverse("admin:quiz_quiz_import"), {"file": upload(content, "quiz.csv")}
    )
    assert response.status_code == 400
    page = response.content.decode()
    error = "Resolutie 77 staat niet in het programma van Vooruit."
    assert f"<td>2</td><td>resolutions</td><td>{error}</td>" in page
    assert 'name="confirm"' not in page
    assert Statement.objects.count() == 1


def test_the_quiz_list_exports_xlsx_and_csv(redacteur_client, make_quiz):
    quiz = make_quiz(statements=2)
    url = reverse("admin:quiz_quiz_changelist")
    for action, suffix in [("export_xlsx", "xlsx"), ("export_csv", "csv")]:
        response = redacteur_client.post(url, {"action": action, "_selected_action": [quiz.pk]})
        assert response["Content-Disposition"] == f'attachment; filename="vooruit-2024.{suffix}"'
        report = import_spreadsheet(io.BytesIO(response.content), name=f"x.{suffix}", dry_run=True)
        assert report.ok
        assert report.count("ongewijzigd") == 4


def test_the_import_page_needs_the_editors_permissions(client, django_user_model):
    staff = django_user_model.objects.create_user("staf", is_staff=True)
    client.force_login(staff)
    assert client.get(reverse("admin:quiz_quiz_import")).status_code == 403


def test_the_curated_quiz_loads_is_published_and_round_trips(vooruit_programme, tmp_path, capsys):
    fixtures = Path(__file__).resolve().parent.parent / "fixtures/quizzes"
    call_command(
        "import_quiz",
        str(fixtures / "vooruit-2024.csv"),
        "--quiz",
        str(fixtures / "vooruit-2024.json"),
    )
    quiz = Quiz.objects.get(slug="vooruit-2024")
    assert quiz.is_live
    assert quiz.statements.published().count() >= 30
    assert all(
        s.positions.get().citations.exists() or s.positions.get().stance == "geen"
        for s in quiz.statements.all()
    )
    before = snapshot()
    content, _ = export_quizzes(Quiz.objects.all(), file_format="xlsx")
    report = import_spreadsheet(io.BytesIO(content), name="export.xlsx")
    assert report.ok
    assert report.count("ongewijzigd") == len(report.changes)
    assert snapshot() == before


def test_a_file_over_the_limit_is_refused_before_it_is_read_with_the_limit_stated(
    redacteur_client, make_quiz
):
    from quiz.forms import MAX_UPLOAD

    make_quiz(statements=1)
    url = reverse("admin:quiz_quiz_import")
    limit = "1,8\xa0MB"  # Django's filesizeformat, which keeps number and unit together
    assert f"Hoogstens {limit}." in redacteur_client.get(url).content.decode()
    response = redacteur_client.post(url, {"file": upload(b"x" * (MAX_UPLOAD + 1), "quiz.csv")})
    assert response.status_code == 400
    assert f"Het bestand is groter dan {limit}." in response.content.decode()
    assert Statement.objects.count() == 1


def test_a_file_at_the_limit_still_fits_in_its_confirmation(redacteur_client, make_quiz):
    """The dry run sends the file back in a form field; Django refuses a form body over
    DATA_UPLOAD_MAX_MEMORY_SIZE, so the largest accepted file must still fit in it."""
    from quiz.forms import MAX_UPLOAD, SpreadsheetConfirmForm

    make_quiz(statements=1)
    content = rows({"order": "2"}).to_csv(index=False).encode()
    content += b"\n" * (MAX_UPLOAD - len(content))  # blank lines are skipped
    confirm = redacteur_client.post(
        reverse("admin:quiz_quiz_import"),
        {"confirm": "1", "name": "quiz.csv", "content": SpreadsheetConfirmForm.encode(content)},
    )
    assert confirm.status_code == 302
    assert Statement.objects.filter(order=2).exists()


def test_a_confirmation_that_is_not_the_file_sent_back_gets_a_friendly_page(
    redacteur_client, make_quiz
):
    make_quiz(statements=1)
    response = redacteur_client.post(
        reverse("admin:quiz_quiz_import"), {"confirm": "1", "name": "quiz.csv", "content": "%%"}
    )
    assert response.status_code == 400
    assert "Ongeldige inhoud: laad het bestand opnieuw op." in response.content.decode()
    assert Statement.objects.count() == 1


def test_the_dry_run_lists_at_most_200_changes_and_counts_the_rest(redacteur_client, make_quiz):
    make_quiz(statements=1)
    frame = rows(*[{"order": str(n)} for n in range(2, 132)])  # 130 statements, 260 changes
    response = redacteur_client.post(
        reverse("admin:quiz_quiz_import"),
        {"file": upload(frame.to_csv(index=False).encode(), "quiz.csv")},
    )
    assert response.status_code == 200
    assert len(response.context["changed"]) == 200
    assert "En nog 60 wijzigingen." in response.content.decode()
