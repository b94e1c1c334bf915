"""The editors' forms: the statement form of the admin with its position rows (each citing
resolutions), the list's reorder column, the citations of a position, and the forms of the
editor pages in `quiz.views.editor` (citing a suggestion, uploading a spreadsheet or a
programme)."""

import base64
import binascii
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Max
from django.forms.formsets import DELETION_FIELD_NAME
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.text import slugify

from quiz.models import (
    LANGUAGES,
    STATEMENT_TRANSLATED,
    TRANSLATIONS,
    Citation,
    Election,
    Party,
    Position,
    Resolution,
    Statement,
    with_translations,
)


class StatementForm(forms.ModelForm[Statement]):
    """The statement (its review status is moved by `quiz.review`, not by this form)."""

    class Meta:
        model = Statement
        fields = [
            "quiz",
            "order",
            "text",
            "short_title",
            "theme",
            "uitleg",
            *(f"{name}_{language}" for language in TRANSLATIONS for name in STATEMENT_TRANSLATED),
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 2, "cols": 80})
            for name in with_translations("text")
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Typing the statement (or choosing its quiz) refreshes the suggestions beside it
        # (htmx), before the first save too.
        url = (
            reverse("admin:quiz_statement_suggestions", args=[self.instance.pk])
            if self.instance.pk
            else reverse("admin:quiz_statement_draft_suggestions")
        )
        refresh = {
            "data-hx-get": url,
            "data-hx-target": "#suggestions",
            "data-hx-swap": "outerHTML",
            "data-hx-include": "#id_text, #id_quiz",
            "data-hx-sync": "#id_text:replace",
        }
        self.fields["text"].widget.attrs |= refresh | {
            "data-hx-trigger": "input changed delay:600ms"
        }
        if not self.instance.pk:
            self.fields["quiz"].widget.attrs |= refresh | {"data-hx-trigger": "change"}


class PositionForm(forms.ModelForm[Position]):
    """A party's position, with the cited resolutions picked by number or words.

    Citations already on the position keep their order and excerpt; new ones are appended.
    Excerpts and order are edited on the position's own page.
    """

    cited = forms.ModelMultipleChoiceField(
        label="Resoluties",
        queryset=Resolution.objects.all(),
        required=False,
        widget=AutocompleteSelectMultiple(Position._meta.get_field("resolutions"), admin.site),
        help_text="Typ een nummer (1198) of woorden uit de resolutie.",
    )

    class Meta:
        model = Position
        fields = [
            "party",
            "stance",
            "cited",
            *with_translations("justification"),
            "source",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3, "cols": 80})
            for name in with_translations("justification")
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["cited"] = [c.resolution_id for c in self.instance.citations.all()]

    def _save_m2m(self) -> None:
        """Django calls this once the position is saved, by `save()` or by the `save_m2m()`
        that follows a `save(commit=False)`: the citations are saved with the rest."""
        super()._save_m2m()  # type: ignore[misc]  # not in django-stubs
        self.save_citations()

    def cited_after_save(self) -> list[Resolution]:
        """The resolutions this position will cite: those chosen in the row, plus any cited
        meanwhile from the suggestions panel (in the database, but not in the form)."""
        wanted = list(self.cleaned_data.get("cited", []))
        if self.instance.pk:
            shown = set(self.initial.get("cited", [])) | {r.pk for r in wanted}
            wanted += [
                c.resolution
                for c in self.instance.citations.select_related("resolution")
                if c.resolution_id not in shown
            ]
        return wanted

    def save_citations(self) -> None:
        if "cited" not in self.changed_data:
            return
        position = self.instance
        wanted = list(self.cleaned_data["cited"])
        removed = set(self.initial.get("cited", [])) - {r.pk for r in wanted}
        position.citations.filter(resolution__in=removed).delete()
        kept = set(position.citations.values_list("resolution_id", flat=True))
        order = (position.citations.aggregate(Max("order"))["order__max"] or 0) + 1
        for resolution in wanted:
            if resolution.pk not in kept:
                citation = Citation(position=position, resolution=resolution, order=order)
                citation.full_clean()
                citation.save()
                order += 1


class PositionFormSet(forms.BaseInlineFormSet[Position, Statement, forms.ModelForm[Position]]):
    """One row per party of the quiz: missing parties get a pre-filled row.

    Checks every position with `Position.check_grounding` against the resolutions chosen in its
    row. (A published statement whose positions change goes back to review: `quiz.review`.)
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        statement = self.instance
        self.quiz = statement.quiz if statement.quiz_id else None
        taken = set(self.get_queryset().values_list("party_id", flat=True))
        missing = self.quiz.parties.exclude(pk__in=taken) if self.quiz else Party.objects.none()
        self.initial_extra = [{"party": party.pk} for party in missing]

    def add_fields(self, form: forms.ModelForm[Position], index: int | None) -> None:
        super().add_fields(form, index)
        if self.quiz:
            party = form.fields["party"]
            assert isinstance(party, forms.ModelChoiceField)
            party.queryset = self.quiz.parties.all()

    def clean(self) -> None:
        super().clean()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.cleaned_data:
                continue
            if self.can_delete and form.cleaned_data.get(DELETION_FIELD_NAME):
                continue
            if form.errors:
                continue
            assert isinstance(form, PositionForm)  # PositionInline.form
            try:
                form.instance.check_grounding(form.cited_after_save())
            except ValidationError as error:
                form.add_error("cited", error)


class OrderForm(forms.ModelForm[Statement]):
    """A statement's number on the quiz's order page (`quiz.views.editor.reorder`)."""

    order = forms.IntegerField(
        label="Nummer", min_value=1, widget=forms.NumberInput(attrs={"class": "vIntegerField"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["order"].widget.attrs["aria-label"] = f"Nummer van {self.instance.short_title}"


class ReorderFormSet(forms.BaseModelFormSet[Statement, OrderForm]):
    """The quiz's order page: numbers may be swapped, but must end up unique per quiz."""

    def clean(self) -> None:
        super().clean()
        final: dict[int, tuple[int, int]] = {}  # statement → (quiz, order)
        edited = set()
        for form in self.forms:
            if hasattr(form, "cleaned_data") and "order" in form.cleaned_data:
                final[form.instance.pk] = (form.instance.quiz_id, form.cleaned_data["order"])
                edited.add(form.instance.pk)
        quiz_ids = {quiz_id for quiz_id, _ in final.values()}
        for pk, quiz_id, order in (
            Statement.objects.filter(quiz__in=quiz_ids)
            .exclude(pk__in=edited)
            .values_list("pk", "quiz_id", "order")
        ):
            final[pk] = (quiz_id, order)
        seen = set()
        for key in final.values():
            if key in seen:
                raise ValidationError(f"Nummer {key[1]} komt twee keer voor in dezelfde stemtest.")
            seen.add(key)


class CitationFormSet(forms.BaseInlineFormSet[Citation, Position, forms.ModelForm[Citation]]):
    """A position's citations, checked with `Position.check_grounding` before they are saved."""

    def clean(self) -> None:
        super().clean()
        resolutions = [
            form.cleaned_data["resolution"]
            for form in self.forms
            if getattr(form, "cleaned_data", None)
            and form.cleaned_data.get("resolution")
            and not form.cleaned_data.get(DELETION_FIELD_NAME)
        ]
        self.instance.check_grounding(resolutions)


# The editor pages (quiz.views.editor)


class CiteForm(forms.Form):
    """‘Voeg toe’ in the suggestions panel: cite resolution `resolution` (its number) of the
    party's programme in the party's position on `statement`."""

    party = forms.ModelChoiceField(
        queryset=Party.objects.none(),
        error_messages={
            "required": "Kies een partij en een resolutie.",
            "invalid_choice": "Die partij doet niet mee aan deze stemtest.",
        },
    )
    resolution = forms.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        error_messages={
            "required": "Kies een partij en een resolutie.",
            "invalid": "Kies een partij en een resolutie.",
            "min_value": "Kies een partij en een resolutie.",
            "max_value": "Kies een partij en een resolutie.",
        },
    )

    def __init__(self, *args: Any, statement: Statement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.statement = statement
        party = self.fields["party"]
        assert isinstance(party, forms.ModelChoiceField)
        party.queryset = statement.quiz.parties.all()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        party, number = data.get("party"), data.get("resolution")
        if party is None or number is None:
            return data
        resolution = Resolution.objects.filter(
            programme__party=party,
            programme__election_id=self.statement.quiz.election_id,
            number=number,
        ).first()
        if resolution is None:
            raise ValidationError(f"Resolutie {number} staat niet in het programma van {party}.")
        data["resolution"] = resolution
        return data


# An upload is sent back, base64-encoded, with the confirmation (SpreadsheetConfirmForm), and
# Django refuses a form body over DATA_UPLOAD_MAX_MEMORY_SIZE: the largest file whose
# confirmation fits, with room for the other fields.
MAX_UPLOAD = (settings.DATA_UPLOAD_MAX_MEMORY_SIZE - 64 * 1024) * 3 // 4


def _check_size(size: int) -> None:
    if size > MAX_UPLOAD:
        raise ValidationError(f"Het bestand is groter dan {filesizeformat(MAX_UPLOAD)}.")


class SpreadsheetUploadForm(forms.Form):
    """The spreadsheet to check first (a dry run)."""

    file = forms.FileField(
        label="Spreadsheet (.xlsx of .csv)",
        error_messages={"required": "Kies een bestand.", "empty": "Het bestand is leeg."},
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        _check_size(upload.size or 0)
        return upload

    def uploaded(self) -> tuple[bytes, str]:
        upload: UploadedFile = self.cleaned_data["file"]
        return upload.read(), upload.name or ""


class SpreadsheetConfirmForm(forms.Form):
    """The same file again, as the dry run showed it, to import for real."""

    name = forms.CharField(max_length=255)
    content = forms.CharField(strip=False, error_messages={"required": "Kies een bestand."})

    def clean_content(self) -> bytes:
        try:
            content = base64.b64decode(
                self.cleaned_data["content"].encode("ascii"), altchars=b"-_", validate=True
            )
        except (binascii.Error, UnicodeEncodeError, ValueError):
            raise ValidationError("Ongeldige inhoud: laad het bestand opnieuw op.") from None
        _check_size(len(content))
        return content

    def uploaded(self) -> tuple[bytes, str]:
        return self.cleaned_data["content"], self.cleaned_data["name"]

    @staticmethod
    def encode(content: bytes) -> str:
        return base64.urlsafe_b64encode(content).decode("ascii")


# Programme files: a 100-page PDF is a few MB; nginx lets the import's address take this much.
MAX_PROGRAMME_UPLOAD = 20 * 1024 * 1024
PROGRAMME_SUFFIXES = (".pdf", ".txt", ".md", ".markdown")
AUTOMATIC = [("", "automatisch")]


class ProgrammeUploadForm(forms.Form):
    """A party's programme file, and for whom it is: the first step of its import."""

    file = forms.FileField(
        label="Programma (PDF, tekst of Markdown)",
        error_messages={"required": "Kies een bestand.", "empty": "Het bestand is leeg."},
    )
    party = forms.ModelChoiceField(
        label="Partij",
        queryset=Party.objects.all(),
        required=False,
        empty_label="— een nieuwe partij (hieronder) —",
    )
    new_party = forms.CharField(label="Naam van de nieuwe partij", max_length=100, required=False)
    new_party_short = forms.CharField(label="Korte naam", max_length=20, required=False)
    new_party_colour = forms.RegexField(
        label="Kleur",
        regex=r"^#[0-9a-fA-F]{6}$",
        initial="#555555",
        required=False,
        error_messages={"invalid": "Een kleur als #rrggbb, bv. #1a6b3c."},
    )
    new_party_fictional = forms.BooleanField(label="Fictieve partij (oefening)", required=False)
    election = forms.ModelChoiceField(label="Verkiezing", queryset=Election.objects.all())
    language = forms.ChoiceField(label="Taal van het programma", choices=LANGUAGES, initial="nl")
    title = forms.CharField(
        label="Titel",
        max_length=300,
        required=False,
        help_text="Leeg: de titel bovenaan de tekst (of die van de vorige versie).",
    )
    proposals = forms.ChoiceField(
        label="Een voorstel is",
        required=False,
        choices=[
            *AUTOMATIC,
            ("tab", "genummerd: ‘12.’ en een tab"),
            ("dot", "genummerd: ‘12.’"),
            ("paren", "genummerd: ‘12)’"),
            ("voorstel", "genummerd: ‘Voorstel 12:’"),
            ("r", "genummerd: ‘R12.’"),
            ("bullet", "een opsommingsteken (•, -)"),
            ("paragraph", "elke alinea"),
        ],
    )
    numbering = forms.ChoiceField(
        label="Nummering van de voorstellen",
        required=False,
        choices=[
            *AUTOMATIC,
            ("straight", "doorlopend"),
            ("per-chapter", "per hoofdstuk opnieuw vanaf 1"),
        ],
    )
    capitals = forms.ChoiceField(
        label="Een regel in hoofdletters is",
        required=False,
        choices=[
            *AUTOMATIC,
            ("part", "een deel (boven genummerde hoofdstukken)"),
            ("section", "een hoofdstuk (onder ‘Hoofdstuk 3’ en dergelijke)"),
            ("none", "gewone tekst"),
        ],
    )

    allow_missing = forms.BooleanField(
        label="Ook als er veel passages ontbreken",
        required=False,
        help_text="Een nieuwe versie mist meer dan een tiende van de passages die al ingelezen "
        "zijn: lees ze toch in (de ontbrekende blijven bewaard, hun citaten ook).",
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if (upload.size or 0) > MAX_PROGRAMME_UPLOAD:
            raise ValidationError(
                f"Het bestand is groter dan {filesizeformat(MAX_PROGRAMME_UPLOAD)}."
            )
        if not (upload.name or "").lower().endswith(PROGRAMME_SUFFIXES):
            raise ValidationError("Kies een PDF (.pdf), een tekst (.txt) of Markdown (.md).")
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("party"):
            name = (data.get("new_party") or "").strip()
            if not name:
                self.add_error("new_party", "Kies een partij, of geef de naam van een nieuwe.")
            elif existing := Party.objects.filter(name__iexact=name).first():
                self.add_error("new_party", f"{existing.name} bestaat al: kies ze in de lijst.")
            elif not slugify(name):
                self.add_error("new_party", "Een naam met letters of cijfers.")
            elif Party.objects.filter(slug=slugify(name)).exists():
                self.add_error("new_party", f"Er is al een partij met het adres ‘{slugify(name)}’.")
        return data

    def options(self) -> dict[str, Any]:
        """What the import needs besides the file, as JSON (kept with the upload)."""
        data = self.cleaned_data
        party: Party | None = data["party"]
        return {
            "party": party.pk if party else None,
            "new_party": {
                "name": data["new_party"].strip(),
                "short_name": data["new_party_short"].strip(),
                "colour": data["new_party_colour"] or "#555555",
                "is_fictional": data["new_party_fictional"],
            },
            "election": data["election"].pk,
            "language": data["language"],
            "title": data["title"].strip(),
            "hints": {name: data[name] for name in ("proposals", "numbering", "capitals")},
            "allow_missing": data["allow_missing"],
        }


class ProgrammeConfirmForm(forms.Form):
    """Import the file the preview showed, for real."""

    token = forms.CharField(max_length=64)
