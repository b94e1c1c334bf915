"""The editors' admin: programmes to read and cite, quizzes and statements to write.

The statement form is where an editor spends the day: the statement, one position row per party
of the quiz with its cited resolutions (autocomplete by number or words), wording warnings, and a
panel of suggested resolutions for the draft (see `quiz.views.editor`).
"""

from __future__ import annotations  # WithAnnotations[Model, Counts] is for the type checker only

from typing import Any, TypedDict

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import InlineModelAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Case, Count, IntegerField, Max, Prefetch, Q, QuerySet, When
from django.forms import BaseModelFormSet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django_stubs_ext import WithAnnotations

from quiz import review, search
from quiz.forms import (
    CitationFormSet,
    PositionForm,
    PositionFormSet,
    StatementForm,
)
from quiz.models import (
    TRANSLATIONS,
    Citation,
    Election,
    Party,
    Position,
    Programme,
    Quiz,
    Resolution,
    Section,
    Statement,
    Theme,
    with_translations,
)
from quiz.views import editor
from quiz.warnings import shared_citations, statement_warnings

IMPORTED_NOTE = (
    "De tekst komt uit de import van het programma (‘Programma importeren’ bij de programma's, "
    "of manage.py import_programme) en is hier alleen te lezen: importeer een nieuwe versie."
)


# Counts that the lists annotate on their rows (get_queryset), for the columns that show them.
class ProgrammeCounts(TypedDict):
    section_count: int
    resolution_count: int


class ResolutionCount(TypedDict):
    resolution_count: int


class StatementCount(TypedDict):
    statement_count: int


class QuizCounts(TypedDict):
    statement_count: int
    published_count: int


class CitationCount(TypedDict):
    citation_count: int


def preview_url(quiz: Quiz) -> str:
    """The staff-only preview of the voter's quiz, unpublished statements included."""
    return reverse("preview:quiz", args=[quiz.slug])


# Programmes (read-only for editors: they come from the import)


def translation_fieldsets(names: list[str]) -> list[tuple[str, Any]]:
    """A folded box per language with the translations of `names` (quiz.models.TRANSLATIONS);
    what is left empty, voters read in Dutch with a note."""
    return [
        (
            f"Vertaling: {label}",
            {
                "fields": [f"{name}_{language}" for name in names],
                "classes": ["collapse"],
                "description": f"Leeg: kiezers op de {label}e pagina’s lezen het "
                "Nederlands, met een melding dat het nog niet vertaald is.",
            },
        )
        for language, label in TRANSLATIONS.items()
    ]


@admin.register(Election)
class ElectionAdmin(admin.ModelAdmin[Election]):
    list_display = ["name", "date", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Party)
class PartyAdmin(admin.ModelAdmin[Party]):
    list_display = ["name", "short_name", "slug", "colour", "is_fictional", "has_logo"]
    list_filter = ["is_fictional"]
    search_fields = ["name", "short_name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "short_name", "slug", "colour", "logo", "is_fictional"]

    @admin.display(description="logo", boolean=True)
    def has_logo(self, party: Party) -> bool:
        return bool(party.logo)


# What the import sets, shown read-only with a link to import a new version.
PROGRAMME_IMPORT_FIELDS = (
    "source_file",
    "source_format",
    "layout",
    "source_sha256",
    "imported_at",
    "new_version",
)


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin[Programme]):
    list_display = [
        "title",
        "party",
        "election",
        "section_count",
        "resolution_count",
        "imported_at",
    ]
    list_filter = ["party", "election"]
    list_select_related = ["party", "election"]
    search_fields = ["title", "slug"]
    readonly_fields = PROGRAMME_IMPORT_FIELDS
    fieldsets = [
        (None, {"fields": ["party", "election", "title", "slug", "language"]}),
        ("Import", {"fields": PROGRAMME_IMPORT_FIELDS, "description": IMPORTED_NOTE}),
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a programme comes from its file: ‘Programma importeren’

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view
        return [
            path("importeren/", view(editor.import_programme), name="quiz_programme_import"),
            *super().get_urls(),
        ]

    @admin.display(description="nieuwe versie")
    def new_version(self, programme: Programme) -> str:
        if not programme.pk:
            return "–"
        url = reverse("admin:quiz_programme_import") + f"?programma={programme.pk}"
        return format_html('<a href="{}">Een nieuwe versie van dit programma importeren</a>', url)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Programme]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                section_count=Count("sections", distinct=True),
                resolution_count=Count("resolutions", distinct=True),
            )
        )

    @admin.display(description="hoofdstukken", ordering="section_count")
    def section_count(self, programme: WithAnnotations[Programme, ProgrammeCounts]) -> int:
        return programme.section_count

    @admin.display(description="resoluties", ordering="resolution_count")
    def resolution_count(self, programme: WithAnnotations[Programme, ProgrammeCounts]) -> int:
        return programme.resolution_count


class PartFilter(admin.SimpleListFilter):
    """A programme part (‘1’, ‘2’, …) and everything below it."""

    title = "deel"
    parameter_name = "deel"
    field = "number"

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin[Any]
    ) -> list[tuple[str, str]]:
        parts = Section.objects.filter(depth=0).order_by("order").values_list("number", "title")
        return list(dict(parts).items())

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value():
            return queryset.filter(
                Q(**{self.field: self.value()})
                | Q(**{f"{self.field}__startswith": f"{self.value()}."})
            )
        return queryset


class ResolutionPartFilter(PartFilter):
    field = "section__number"


class ResolutionSectionFilter(PartFilter):
    """A first-level section (‘1.2’) and its subsections; narrowed to the chosen part."""

    title = "hoofdstuk"
    parameter_name = "hoofdstuk"
    field = "section__number"

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin[Any]
    ) -> list[tuple[str, str]]:
        sections = Section.objects.filter(depth=1).order_by("order")
        part = request.GET.get(ResolutionPartFilter.parameter_name)
        if part:
            sections = sections.filter(number__startswith=f"{part}.")
        return [(s.number, f"{s.number}. {Truncator(s.title).chars(50)}") for s in sections]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin[Section]):
    list_display = ["number", "title", "programme", "resolution_count"]
    list_filter = ["programme", PartFilter, "depth"]
    list_select_related = ["programme"]
    search_fields = ["=number", "title"]
    readonly_fields = ("programme", "parent", "number", "title", "intro", "order", "depth")
    fieldsets = [(None, {"fields": readonly_fields, "description": IMPORTED_NOTE})]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Section]:
        return super().get_queryset(request).annotate(resolution_count=Count("resolutions"))

    @admin.display(description="resoluties", ordering="resolution_count")
    def resolution_count(self, section: WithAnnotations[Section, ResolutionCount]) -> int:
        return section.resolution_count

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Resolution)
class ResolutionAdmin(admin.ModelAdmin[Resolution]):
    list_display = ["number", "short_text", "section", "programme"]
    list_display_links = ["number", "short_text"]
    list_filter = ["programme", ResolutionPartFilter, ResolutionSectionFilter]
    list_select_related = ["section", "programme"]
    search_fields = ["text"]
    search_help_text = "Een nummer (1198) of woorden uit de tekst."
    readonly_fields = ("programme", "section", "number", "text", "page", "cited_by")
    fieldsets = [(None, {"fields": readonly_fields, "description": IMPORTED_NOTE})]

    @admin.display(description="tekst")
    def short_text(self, resolution: Resolution) -> str:
        return Truncator(resolution.text).chars(140)

    @admin.display(description="geciteerd bij")
    def cited_by(self, resolution: Resolution) -> str:
        citations = resolution.citations.select_related("position__statement", "position__party")
        if not citations:
            return "Nog door geen enkele stelling."
        return format_html_join(
            ", ",
            '<a href="{}">{}</a> ({})',
            (
                (
                    reverse("admin:quiz_statement_change", args=[c.position.statement_id]),
                    c.position.statement,
                    c.position.party,
                )
                for c in citations
            ),
        )

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Resolution], search_term: str
    ) -> tuple[QuerySet[Resolution], bool]:
        """An exact number first ("1198"), otherwise words ranked as on the programme search
        (the list applies its ordering before the search, so the ranking stays)."""
        term = search_term.strip()
        if not term:
            return queryset, False
        number = search.number_in(term)
        if number is not None:
            return queryset.filter(number=number), False
        ranking = []
        for programme in Programme.objects.filter(pk__in=queryset.values("programme")):
            ranking += [
                (programme.pk, hit.number) for hit in search.search(programme, term, limit=50)
            ]
        if not ranking:
            return queryset.none(), False
        rank = Case(
            *[
                When(programme_id=programme_id, number=number, then=position)
                for position, (programme_id, number) in enumerate(ranking)
            ],
            output_field=IntegerField(),
        )
        matches = Q()
        for programme_id, number in ranking:
            matches |= Q(programme_id=programme_id, number=number)
        return queryset.filter(matches).annotate(rank=rank).order_by("rank"), False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Resolution | None = None) -> bool:
        return False


# Quizzes and statements


def party_label(party: Party) -> str:
    """A party's short name with its full name for screen readers and on hover."""
    if not party.short_name:
        return format_html("<b>{}</b>", party.name)
    return format_html('<abbr title="{}">{}</abbr>', party.name, party.short_name)


# A stance in the statement list's badges, short enough for ten parties a row.
STANCE_SHORT = {"eens": "eens", "oneens": "oneens", "neutraal": "neutr.", "geen": "geen"}


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin[Theme]):
    fields = ["name", "slug", "order", *with_translations("name")[1:]]
    list_display = ["name", "order", "statement_count"]
    list_editable = ["order"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Theme]:
        return super().get_queryset(request).annotate(statement_count=Count("statements"))

    @admin.display(description="stellingen", ordering="statement_count")
    def statement_count(self, theme: WithAnnotations[Theme, StatementCount]) -> int:
        return theme.statement_count


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin[Quiz]):
    list_display = ["title", "election", "is_live", "statement_counts", "links"]
    list_filter = ["is_live", "election"]
    search_fields = ["title", "slug"]
    # A box per party: an election has a handful to a few dozen, all visible at once (Django's
    # two-list widget hides them behind a filter and is hard to use with a screen reader).
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}
    prepopulated_fields = {"slug": ["title"]}
    actions = ["export_xlsx", "export_csv"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "election", "parties", "is_live"]}),
        ("Voor de kiezer", {"fields": ["intro", "about", "facts_as_of"]}),
        ("Insluiten", {"fields": ["embed_origins"]}),
        *translation_fieldsets(["title", "intro", "about"]),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Quiz]:
        return (
            super()
            .get_queryset(request)
            .select_related("election")
            .annotate(
                statement_count=Count("statements"),
                published_count=Count("statements", filter=Q(statements__is_published=True)),
            )
        )

    @admin.display(description="stellingen")
    def statement_counts(self, quiz: WithAnnotations[Quiz, QuizCounts]) -> str:
        return f"{quiz.published_count} gepubliceerd van {quiz.statement_count}"

    @admin.display(description="pagina's")
    def links(self, quiz: Quiz) -> str:
        links = [
            (
                reverse("admin:quiz_statement_changelist") + f"?quiz__id__exact={quiz.pk}",
                "Stellingen",
            ),
            (reverse("admin:quiz_quiz_coverage", args=[quiz.pk]), "Dekking"),
            (reverse("admin:quiz_quiz_reorder", args=[quiz.pk]), "Volgorde"),
            (reverse("admin:quiz_quiz_statistics", args=[quiz.pk]), "Statistieken"),
        ]
        links.append((preview_url(quiz), "Voorbeeld"))
        return format_html_join(" · ", '<a href="{}">{}</a>', links)

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view
        return [
            path("<int:quiz_id>/dekking/", view(editor.coverage), name="quiz_quiz_coverage"),
            path("<int:quiz_id>/volgorde/", view(editor.reorder), name="quiz_quiz_reorder"),
            path(
                "<int:quiz_id>/statistieken/",
                view(editor.statistics_page),
                name="quiz_quiz_statistics",
            ),
            path("importeren/", view(editor.import_spreadsheet), name="quiz_quiz_import"),
            *super().get_urls(),
        ]

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        quiz = self.get_object(request, object_id)
        extra_context = {**(extra_context or {}), "preview_url": quiz and preview_url(quiz)}
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description="Exporteer als spreadsheet (XLSX)")
    def export_xlsx(self, request: HttpRequest, queryset: QuerySet[Quiz]) -> HttpResponse:
        return self._export(queryset, "xlsx")

    @admin.action(description="Exporteer als CSV")
    def export_csv(self, request: HttpRequest, queryset: QuerySet[Quiz]) -> HttpResponse:
        return self._export(queryset, "csv")

    def _export(self, queryset: QuerySet[Quiz], file_format: str) -> HttpResponse:
        from quiz import exporting  # pandas: loaded only where spreadsheets are made

        content, content_type = exporting.export_quizzes(queryset, file_format=file_format)
        quizzes = list(queryset[:2])
        name = quizzes[0].slug if len(quizzes) == 1 else "stemtests"
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
        return response


class PositionInline(admin.StackedInline[Position, Statement]):
    model = Position
    form = PositionForm
    formset = PositionFormSet
    fields = [
        ("party", "stance"),
        "cited",
        "cited_text",
        *with_translations("justification"),
        "source",
    ]
    readonly_fields = ["cited_text"]

    def get_extra(self, request: HttpRequest, obj: Statement | None = None, **kwargs: Any) -> int:
        quiz = StatementAdmin.quiz_of(request, obj)
        if quiz is None:
            return 1
        if obj is not None and obj.pk:
            return quiz.parties.exclude(positions__statement=obj).count()
        return quiz.parties.count()

    def get_queryset(self, request: HttpRequest) -> QuerySet[Position]:
        return super().get_queryset(request).prefetch_related("citations__resolution")

    @admin.display(description="geciteerde tekst")
    def cited_text(self, position: Position) -> str:
        if not position.pk:
            return "Verschijnt na het opslaan."
        citations = format_html_join(
            "",
            '<p class="cited"><a href="{}">{}</a>{}: {}</p>',
            (
                (
                    reverse("admin:quiz_resolution_change", args=[c.resolution_id]),
                    c.resolution.display_number,
                    " (tekst veranderd: na te kijken)" if c.needs_review else "",
                    c.excerpt or c.resolution.text,
                )
                for c in position.citations.all()
            ),
        )
        url = reverse("admin:quiz_position_change", args=[position.pk])
        return format_html(
            '{}<p><a href="{}">Fragmenten en volgorde bewerken</a></p>', citations, url
        )


class WarningsFilter(admin.SimpleListFilter):
    title = "waarschuwingen"
    parameter_name = "waarschuwingen"

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin[Any]
    ) -> list[tuple[str, str]]:
        return [("ja", "Met waarschuwingen"), ("nee", "Zonder waarschuwingen")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Statement]) -> QuerySet[Statement]:
        if not self.value():
            return queryset
        warned = [s.pk for s in queryset if statement_warnings(s, s.positions.all())]  # prefetched
        if self.value() == "ja":
            return queryset.filter(pk__in=warned)
        return queryset.exclude(pk__in=warned)


class StanceFilter(admin.SimpleListFilter):
    title = "standpunt"
    parameter_name = "standpunt"

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin[Any]
    ) -> list[tuple[str, str]]:
        return [(value, str(label)) for value, label in Position.Stance.choices]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Statement]) -> QuerySet[Statement]:
        if self.value():
            return queryset.filter(positions__stance=self.value()).distinct()
        return queryset


def with_positions(statements: QuerySet[Statement]) -> QuerySet[Statement]:
    return statements.prefetch_related(
        Prefetch(
            "positions",
            queryset=Position.objects.select_related("party").prefetch_related("citations"),
        )
    )


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin[Statement]):
    form = StatementForm
    inlines = [PositionInline]
    list_display = [
        "order",
        "short_title",
        "theme",
        "status",
        "stances",
        "citation_count",
        "warnings",
    ]
    list_display_links = ["short_title"]
    list_filter = ["quiz", "status", "theme", WarningsFilter, StanceFilter]
    list_select_related = ["theme", "quiz"]
    search_fields = ["text", "short_title", "uitleg"]
    actions = ["offer_for_review", "mark_checked", "publish", "unpublish"]
    fieldsets = [
        (None, {"fields": ["quiz", "order", "text", "short_title", "theme"]}),
        ("Voor de kiezer", {"fields": ["uitleg"]}),
        *translation_fieldsets(["text", "short_title", "uitleg"]),
    ]
    change_form_template = "admin/quiz/statement/change_form.html"

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """The list links to the order page of the quiz it shows (filtered, or the only one)."""
        quiz_id = request.GET.get("quiz__id__exact", "")
        quiz = (
            Quiz.objects.filter(pk=quiz_id).first()
            if quiz_id.isdigit()
            else self.quiz_of(request, None)
        )
        context = {**(extra_context or {}), "order_quiz": quiz}
        return super().changelist_view(request, context)

    @staticmethod
    def quiz_of(request: HttpRequest, statement: Statement | None) -> Quiz | None:
        """The statement's quiz; for a new one the quiz posted, asked for (?quiz=) or the only
        one there is."""
        if statement is not None and statement.quiz_id:
            return statement.quiz
        quiz_id = request.POST.get("quiz") or request.GET.get("quiz")
        if quiz_id and quiz_id.isdigit():
            return Quiz.objects.filter(pk=quiz_id).first()
        quizzes = Quiz.objects.all()[:2]
        return quizzes[0] if len(quizzes) == 1 else None

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        initial = super().get_changeform_initial_data(request)
        if quiz := self.quiz_of(request, None):
            last = quiz.statements.aggregate(Max("order"))["order__max"] or 0
            initial.setdefault("quiz", str(quiz.pk))
            initial.setdefault("order", str(last + 1))
        return initial

    def get_formset_kwargs(
        self,
        request: HttpRequest,
        obj: Statement,
        inline: InlineModelAdmin[Any, Statement],
        prefix: str,
    ) -> dict[str, Any]:
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if obj is not None and not obj.quiz_id and (quiz := self.quiz_of(request, None)):
            obj.quiz = quiz  # the new statement's quiz, so its parties get their rows
        return kwargs

    def get_queryset(self, request: HttpRequest) -> QuerySet[Statement]:
        return with_positions(super().get_queryset(request)).annotate(
            citation_count=Count("positions__citations", distinct=True)
        )

    @admin.display(description="standpunten")
    def stances(self, statement: Statement) -> str:
        """One badge per party: its short name and the stance in words (the colour only
        helps), so that ten parties fit the list at 1280 px."""
        return (
            format_html_join(
                "",
                '<span class="stance-badge stance-{}">{} {}</span>',
                (
                    (p.stance, party_label(p.party), STANCE_SHORT[p.stance])
                    for p in statement.positions.all()
                ),
            )
            or "—"
        )

    @admin.display(description="citaten", ordering="citation_count")
    def citation_count(self, statement: WithAnnotations[Statement, CitationCount]) -> int:
        return statement.citation_count

    @admin.display(description="waarschuwingen")
    def warnings(self, statement: Statement) -> str:
        found = statement_warnings(statement, statement.positions.all())
        if not found:
            return "—"
        return format_html(
            '<details class="statement-warnings-toggle"><summary>{}</summary>'
            '<ul class="statement-warnings">{}</ul></details>',
            f"{len(found)} waarschuwing{'en' if len(found) > 1 else ''}",
            format_html_join("", "<li>{}</li>", ((w,) for w in found)),
        )

    def save_related(
        self,
        request: HttpRequest,
        form: forms.ModelForm[Statement],
        formsets: list[BaseModelFormSet[Any, Any]],
        change: bool,
    ) -> None:
        """What a reviewer reads changed (text, positions, citations): record who changed it,
        which sends a checked statement back to review; "Opslaan, klaar voor nazicht" offers it."""
        super().save_related(request, form, formsets, change)
        statement = form.instance
        content_changed = (
            not change
            or any(name in form.changed_data for name in review.CONTENT_FIELDS)
            or any(formset.has_changed() for formset in formsets)
        )
        if content_changed and review.record_change(statement, editor.editor_of(request)):
            self.message_user(request, review.CHANGED_AFTER_REVIEW, messages.WARNING)
        if "_ready" in request.POST and statement.status == Statement.Status.CONCEPT:
            review.move(statement, Statement.Status.READY, editor.editor_of(request))
            self.log_change(request, statement, review.LOG_MESSAGES[statement.status])

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        statement = self.get_object(request, object_id)
        context = extra_context or {}
        if statement is not None:
            context = {
                **context,
                "review": self.review_context(request, statement),
                "statement_warnings": statement_warnings(statement, statement.positions.all())
                + shared_citations(statement),
                "preview_url": preview_url(statement.quiz),
                **editor.suggestion_context(request, statement),
            }
        return super().change_view(request, object_id, form_url, context)

    def response_add(
        self, request: HttpRequest, obj: Statement, post_url_continue: str | None = None
    ) -> HttpResponse:
        response = super().response_add(request, obj, post_url_continue)
        return self._stay_after_ready(request, obj) or response

    def response_change(self, request: HttpRequest, obj: Statement) -> HttpResponse:
        response = super().response_change(request, obj)
        return self._stay_after_ready(request, obj) or response

    @staticmethod
    def _stay_after_ready(request: HttpRequest, obj: Statement) -> HttpResponse | None:
        """ "Opslaan, klaar voor nazicht" stays on the form, where the review box shows the
        new status (as "Opslaan en opnieuw bewerken" does)."""
        if "_ready" not in request.POST:
            return None
        return redirect("admin:quiz_statement_change", obj.pk)

    @staticmethod
    def review_context(request: HttpRequest, statement: Statement) -> dict[str, Any]:
        return {
            "targets": review.allowed_targets(statement, editor.editor_of(request)),
            "own_change": statement.status == Statement.Status.READY
            and statement.changed_by_id == editor.editor_of(request).pk,
            "url": reverse("admin:quiz_statement_review", args=[statement.pk]),
        }

    def review_view(self, request: HttpRequest, statement_id: int) -> HttpResponse:
        """POST `status`: move the statement in its review (the panel on its form)."""
        statement = self.get_object(request, str(statement_id))
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if statement is None:
            raise Http404
        if not self.has_change_permission(request, statement):
            raise PermissionDenied
        target = request.POST.get("status", "")
        if target not in Statement.Status.values:
            self.message_user(request, "Kies een status.", messages.ERROR)
        else:
            try:
                self._move(request, statement, target)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                self.message_user(
                    request,
                    f"{statement}: {statement.get_status_display().lower()}.",
                    messages.SUCCESS,
                )
        return redirect("admin:quiz_statement_change", statement.pk)

    def _move(self, request: HttpRequest, statement: Statement, target: str) -> bool:
        """Move one statement and log it; False when it already had that status."""
        if statement.status == target:
            return False
        review.move(statement, target, editor.editor_of(request))
        self.log_change(request, statement, review.LOG_MESSAGES[Statement.Status(target)])
        return True

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        quiz = self.quiz_of(request, None)
        draft = Statement(quiz=quiz, text=request.POST.get("text", "")) if quiz else Statement()
        context = {**(extra_context or {}), **editor.suggestion_context(request, draft)}
        return super().add_view(request, form_url, context)

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view
        return [
            path(
                "<int:statement_id>/suggesties/",
                view(editor.suggestions),
                name="quiz_statement_suggestions",
            ),
            path(
                "suggesties/",
                view(editor.draft_suggestions),
                name="quiz_statement_draft_suggestions",
            ),
            path(
                "<int:statement_id>/nazicht/",
                view(self.review_view),
                name="quiz_statement_review",
            ),
            *super().get_urls(),
        ]

    def _bulk_move(
        self, request: HttpRequest, queryset: QuerySet[Statement], target: str, done: str
    ) -> None:
        """The review rules for each chosen statement, as on its form: what is refused is
        listed with the reason, the rest moves."""
        moved, refused = 0, []
        for statement in queryset.select_related("quiz"):
            try:
                moved += self._move(request, statement, target)
            except ValidationError as error:
                refused.append(f"{statement}: {' '.join(error.messages)}")
        self.message_user(request, f"{moved} stelling(en) {done}.", messages.SUCCESS)
        if refused:
            self.message_user(
                request,
                format_html(
                    "Niet {}:<ul>{}</ul>",
                    done,
                    format_html_join("", "<li>{}</li>", ((reason,) for reason in refused)),
                ),
                messages.WARNING,
            )

    @admin.action(description="Klaar voor nazicht", permissions=["change"])
    def offer_for_review(self, request: HttpRequest, queryset: QuerySet[Statement]) -> None:
        self._bulk_move(
            request,
            queryset.exclude(status__in=REVIEWED),
            Statement.Status.READY,
            "klaar voor nazicht gezet",
        )

    @admin.action(description="Markeer als nagekeken", permissions=["change"])
    def mark_checked(self, request: HttpRequest, queryset: QuerySet[Statement]) -> None:
        self._bulk_move(
            request,
            queryset.exclude(status=Statement.Status.PUBLISHED),
            Statement.Status.CHECKED,
            "als nagekeken gemarkeerd",
        )

    @admin.action(description="Publiceer de gekozen stellingen", permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet[Statement]) -> None:
        self._bulk_move(request, queryset, Statement.Status.PUBLISHED, "gepubliceerd")

    @admin.action(description="Zet de gekozen stellingen offline", permissions=["change"])
    def unpublish(self, request: HttpRequest, queryset: QuerySet[Statement]) -> None:
        self._bulk_move(
            request,
            queryset.filter(status=Statement.Status.PUBLISHED),
            Statement.Status.CHECKED,
            "offline gezet",
        )


# A list action never takes a statement back down: "klaar voor nazicht" skips these.
REVIEWED = [Statement.Status.CHECKED, Statement.Status.PUBLISHED]


class CitationInline(admin.TabularInline[Citation, Position]):
    model = Citation
    formset = CitationFormSet
    autocomplete_fields = ["resolution"]
    fields = ["order", "resolution", "resolution_text", "excerpt", "needs_review"]
    readonly_fields = ["resolution_text"]
    extra = 1

    @admin.display(description="tekst van de resolutie")
    def resolution_text(self, citation: Citation) -> str:
        return citation.resolution.text if citation.pk else "—"


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin[Position]):
    inlines = [CitationInline]
    list_display = ["statement", "party", "stance", "citation_count"]
    list_filter = ["party", "stance", "statement__quiz"]
    list_select_related = ["statement", "party"]
    search_fields = ["statement__text", "statement__short_title", "justification"]
    fields = [
        "statement",
        "party",
        "stance",
        *with_translations("justification"),
        "source",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Position]:
        return super().get_queryset(request).annotate(citation_count=Count("citations"))

    @admin.display(description="citaten", ordering="citation_count")
    def citation_count(self, position: WithAnnotations[Position, CitationCount]) -> int:
        return position.citation_count

    def get_readonly_fields(self, request: HttpRequest, obj: Position | None = None) -> list[str]:
        return ["statement", "party"] if obj else []

    def save_related(
        self,
        request: HttpRequest,
        form: forms.ModelForm[Position],
        formsets: list[BaseModelFormSet[Any, Any]],
        change: bool,
    ) -> None:
        """The position or its citations changed: the statement needs a new check. Unticking
        "na te kijken" alone is a check, not a change."""
        super().save_related(request, form, formsets, change)
        cited_changed = any(
            set(row.changed_data) - {"needs_review"}
            for formset in formsets
            for row in formset.forms
            if row.has_changed()
        )
        changed = not change or form.has_changed() or cited_changed
        if changed and review.record_change(form.instance.statement, editor.editor_of(request)):
            self.message_user(request, review.CHANGED_AFTER_REVIEW, messages.WARNING)
