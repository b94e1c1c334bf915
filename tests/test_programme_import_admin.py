"""Importing a programme from the admin: upload, a preview of what the import found, confirm;
bad files answered in Dutch with nothing written; a new version shows what it changes."""

import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from quiz.models import Citation, Party, Position, Programme, ProgrammeUpload, Resolution
from tests.test_layouts import MARKDOWN, PER_CHAPTER, make_pdf

URL = reverse("admin:quiz_programme_import")


def upload(client, name, data, **fields):
    form = {"language": "nl", "new_party_colour": "#1a6b3c", **fields}
    return client.post(URL, {"file": SimpleUploadedFile(name, data), **form})


@pytest.fixture
def admin_client_(redacteur_client, election):
    return redacteur_client


def test_the_form_is_linked_from_the_programmes_and_shows_its_fields(admin_client_):
    listing = admin_client_.get(reverse("admin:quiz_programme_changelist"))
    assert URL in listing.content.decode()
    page = admin_client_.get(URL).content.decode()
    for label in ["Programma (PDF, tekst of Markdown)", "Naam van de nieuwe partij", "Opmaak"]:
        assert label in page


def test_a_markdown_programme_for_a_new_party_is_previewed_then_imported(admin_client_, election):
    response = upload(
        admin_client_,
        "horizon.md",
        MARKDOWN.encode(),
        new_party="Horizon",
        new_party_short="HOR",
        new_party_fictional="on",
        election=election.pk,
    )
    page = response.content.decode()
    assert response.status_code == 200, page
    assert "Proefdraai: horizon.md" in page
    assert "<dt>Passages</dt><dd>4</dd>" in page
    assert "een opsommingsteken" in page  # the layout found
    assert "Klimaat" in page
    assert "We voeren een huurprijsrem in." in page
    assert not Programme.objects.exists()
    assert not Party.objects.filter(name="Horizon").exists()

    token = ProgrammeUpload.objects.get().token
    confirmed = admin_client_.post(URL, {"token": token, "confirm": "1"})
    programme = Programme.objects.get()
    assert confirmed.status_code == 302
    assert confirmed["Location"] == reverse("admin:quiz_programme_change", args=[programme.pk])
    assert (programme.party.name, programme.party.short_name) == ("Horizon", "HOR")
    assert programme.party.is_fictional
    assert programme.resolutions.count() == 4
    assert not ProgrammeUpload.objects.exists()
    assert LogEntry.objects.filter(object_id=str(programme.pk)).exists()

    again = admin_client_.post(URL, {"token": token, "confirm": "1"})
    assert again.status_code == 400
    assert "verlopen of al gedaan" in again.content.decode()


def test_a_pdf_preview_shows_pages_labels_and_its_notices(admin_client_, election):
    response = upload(admin_client_, "wilg.pdf", make_pdf(), new_party="Wilg", election=election.pk)
    page = response.content.decode()
    assert response.status_code == 200, page
    assert "PDF, 3 bladzijden" in page
    assert "per hoofdstuk opnieuw vanaf 1" in page
    assert "<strong>2.3</strong> (p. 3)" in page
    assert "loopt over een paginagrens (bladzijde 1–2)" in page


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("leeg.txt", b"   \n", "het bestand is leeg"),
        ("scan.pdf", make_pdf(text=False), "geen tekstlaag"),
        ("geheim.pdf", make_pdf(encrypt=True), "versleuteld"),
        (
            "tekst.txt",
            "TITEL\n\nHOOFDSTUK EEN\n\nÉen zin.\n".encode(),
            "niets lijkt op een voorstel",
        ),
        ("foto.png", b"\x89PNG", "Kies een PDF"),
    ],
)
def test_bad_files_get_a_clear_answer_and_nothing_is_written(
    admin_client_, election, name, data, message
):
    response = upload(admin_client_, name, data, new_party="Anker", election=election.pk)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "Er is niets ingelezen" in response.content.decode() or name == "foto.png"
    assert not Programme.objects.exists()
    assert not Party.objects.filter(name="Anker").exists()
    assert not ProgrammeUpload.objects.exists()


def test_a_new_party_needs_a_name_and_an_existing_one_is_not_made_twice(admin_client_, election):
    Party.objects.create(name="Anker", slug="anker")
    missing = upload(admin_client_, "p.txt", PER_CHAPTER.encode(), election=election.pk)
    assert "Kies een partij, of geef de naam van een nieuwe." in missing.content.decode()
    twice = upload(
        admin_client_, "p.txt", PER_CHAPTER.encode(), new_party="anker", election=election.pk
    )
    assert "Anker bestaat al" in twice.content.decode()
    assert missing.status_code == twice.status_code == 400


def test_a_new_version_lists_the_citations_whose_passage_changes(
    admin_client_, election, make_quiz
):
    party = Party.objects.create(name="Wilg", slug="wilg", is_fictional=True)
    upload(admin_client_, "wilg.txt", PER_CHAPTER.encode(), party=party.pk, election=election.pk)
    admin_client_.post(URL, {"token": ProgrammeUpload.objects.get().token, "confirm": "1"})
    programme = Programme.objects.get()
    quiz = make_quiz(statements=1)
    quiz.parties.add(party)
    statement = quiz.statements.get()
    position = Position.objects.create(statement=statement, party=party, stance="eens")
    cited = Resolution.objects.get(programme=programme, label="2.1")
    citation = Citation.objects.create(position=position, resolution=cited)

    start = admin_client_.get(URL + f"?programma={programme.pk}").content.decode()
    assert f'<option value="{party.pk}" selected>' in start
    edited = PER_CHAPTER.replace("begint op vijf jaar.", "begint op drie jaar.")
    response = upload(
        admin_client_, "wilg.txt", edited.encode(), party=party.pk, election=election.pk
    )
    page = response.content.decode()
    assert "1 nieuw" not in page
    assert "0 nieuw, 1 met een andere tekst" in page
    assert "1 citaat verwijst naar een passage waarvan de tekst verandert" in page
    assert "De leerplicht begint op vijf jaar." in page
    assert "De leerplicht begint op drie jaar." in page
    citation.refresh_from_db()
    assert not citation.needs_review  # only a preview

    admin_client_.post(URL, {"token": ProgrammeUpload.objects.get().token, "confirm": "1"})
    citation.refresh_from_db()
    assert (citation.resolution_id, citation.needs_review) == (cited.pk, True)


def test_only_editors_with_the_programme_permissions_may_import(
    client, django_user_model, election
):
    user = django_user_model.objects.create_user("kijker", is_staff=True)
    client.force_login(user)
    assert client.get(URL).status_code == 403


def test_a_version_that_lacks_many_passages_needs_the_editor_to_say_so(admin_client_, election):
    party = Party.objects.create(name="Wilg", slug="wilg")
    upload(admin_client_, "wilg.txt", PER_CHAPTER.encode(), party=party.pk, election=election.pk)
    admin_client_.post(URL, {"token": ProgrammeUpload.objects.get().token, "confirm": "1"})
    short = PER_CHAPTER[: PER_CHAPTER.index("2 ONDERWIJS")]  # chapter 2 missing: 2 of 5
    refused = upload(
        admin_client_, "wilg.txt", short.encode(), party=party.pk, election=election.pk
    )
    assert refused.status_code == 400
    assert "mist 2 van de 5 passages" in refused.content.decode()
    allowed = upload(
        admin_client_,
        "wilg.txt",
        short.encode(),
        party=party.pk,
        election=election.pk,
        allow_missing="on",
    )
    assert allowed.status_code == 200
    assert "2 niet meer in de tekst (die blijven bewaard)" in allowed.content.decode()


def test_a_flagged_citation_is_a_warning_on_its_statement(redacteur_client, quiz):
    citation = Citation.objects.filter(position__statement__quiz=quiz).first()
    citation.needs_review = True
    citation.save()
    listing = redacteur_client.get(reverse("admin:quiz_statement_changelist")).content.decode()
    assert "veranderde bij een nieuwe import van het programma" in listing


def test_the_import_pages_are_valid_html(admin_client_, election, html_errors):
    form = admin_client_.get(URL).content.decode()
    preview = upload(
        admin_client_, "wilg.pdf", make_pdf(), new_party="Wilg", election=election.pk
    ).content.decode()
    refused = upload(
        admin_client_, "leeg.txt", b"  ", new_party="Wilg", election=election.pk
    ).content.decode()
    assert html_errors(form, preview, refused) == []
