"""The editors' admin: programmes to read and cite, quizzes and statements to write.

The statement form is where an editor spends the day: the statement, one position row per party
of the quiz with its cited resolutions (autocomplete by number or words), wording warnings, and a
panel of suggested resolutions for the draft (see `quiz.views.editor`).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db.models import Case, Count, IntegerField, Max, Prefetch, Q, QuerySet, When
from django.http import HttpRequest, HttpResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from quiz import search
from quiz.models import (
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
)
from quiz.views import editor
from quiz.warnings import statement_warnings

IMPORTED_NOTE = (
    "De tekst komt uit de import van het programma (manage.py import_programme) en is hier "
    "alleen te lezen: pas het bronbestand aan en importeer opnieuw."
)


class ResolutionAutocompleteView(AutocompleteJsonView):
    """The site's autocomplete, showing a resolution's opening words next to its number."""

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        if isinstance(obj, Resolution):
            result["text"] = f"{obj.number}. {Truncator(obj.text).chars(110)}"
        return result


admin.site.autocomplete_view = lambda request: ResolutionAutocompleteView.as_view(
    admin_site=admin.site
)(request)


def preview_url(quiz: Quiz) -> str:
    """The staff-only preview of the voter's quiz, unpublished statements included."""
    return reverse("quiz_preview", args=[quiz.slug])


# Programmes (read-only for editors: they come from the import)


@admin.register(Election)
class ElectionAdmin(admin.ModelAdmin):
    list_display = ["name", "date", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Party)
class PartyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "colour"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
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
    readonly_fields = ["source_file", "source_sha256", "imported_at"]
    fieldsets = [
        (None, {"fields": ["party", "election", "title", "slug", "language"]}),
        (
            "Import",
            {
                "fields": ["source_file", "source_sha256", "imported_at"],
                "description": IMPORTED_NOTE,
            },
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                section_count=Count("sections", distinct=True),
                resolution_count=Count("resolutions", distinct=True),
            )
        )

    @admin.display(description="hoofdstukken", ordering="section_count")
    def section_count(self, programme):
        return programme.section_count

    @admin.display(description="resoluties", ordering="resolution_count")
    def resolution_count(self, programme):
        return programme.resolution_count


class PartFilter(admin.SimpleListFilter):
    """A programme part (‘1’, ‘2’, …) and everything below it."""

    title = "deel"
    parameter_name = "deel"
    field = "number"

    def lookups(self, request, model_admin):
        parts = Section.objects.filter(depth=0).order_by("order").values_list("number", "title")
        return list(dict(parts).items())

    def queryset(self, request, queryset):
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

    def lookups(self, request, model_admin):
        sections = Section.objects.filter(depth=1).order_by("order")
        part = request.GET.get(ResolutionPartFilter.parameter_name)
        if part:
            sections = sections.filter(number__startswith=f"{part}.")
        return [(s.number, f"{s.number}. {Truncator(s.title).chars(50)}") for s in sections]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "programme", "resolution_count"]
    list_filter = ["programme", PartFilter, "depth"]
    list_select_related = ["programme"]
    search_fields = ["=number", "title"]
    readonly_fields = ["programme", "parent", "number", "title", "intro", "order", "depth"]
    fieldsets = [(None, {"fields": readonly_fields, "description": IMPORTED_NOTE})]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(resolution_count=Count("resolutions"))

    @admin.display(description="resoluties", ordering="resolution_count")
    def resolution_count(self, section):
        return section.resolution_count

    def has_add_permission(self, request):
        return False


@admin.register(Resolution)
class ResolutionAdmin(admin.ModelAdmin):
    list_display = ["number", "short_text", "section", "programme"]
    list_display_links = ["number", "short_text"]
    list_filter = ["programme", ResolutionPartFilter, ResolutionSectionFilter]
    list_select_related = ["section", "programme"]
    search_fields = ["text"]
    search_help_text = "Een nummer (1198) of woorden uit de tekst."
    readonly_fields = ["programme", "section", "number", "text", "page", "cited_by"]
    fieldsets = [(None, {"fields": readonly_fields, "description": IMPORTED_NOTE})]

    @admin.display(description="tekst")
    def short_text(self, resolution):
        return Truncator(resolution.text).chars(140)

    @admin.display(description="geciteerd bij")
    def cited_by(self, resolution):
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

    def get_search_results(self, request, queryset, search_term):
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

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Quizzes and statements


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "statement_count"]
    list_editable = ["order"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(statement_count=Count("statements"))

    @admin.display(description="stellingen", ordering="statement_count")
    def statement_count(self, theme):
        return theme.statement_count


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    list_display = ["title", "election", "is_live", "statement_counts", "links"]
    list_filter = ["is_live", "election"]
    search_fields = ["title", "slug"]
    filter_horizontal = ["parties"]
    prepopulated_fields = {"slug": ["title"]}
    actions = ["export_xlsx", "export_csv"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "election", "parties", "is_live"]}),
        ("Voor de kiezer", {"fields": ["intro"]}),
    ]

    def get_queryset(self, request):
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
    def statement_counts(self, quiz):
        return f"{quiz.published_count} gepubliceerd van {quiz.statement_count}"

    @admin.display(description="")
    def links(self, quiz):
        links = [
            (
                reverse("admin:quiz_statement_changelist") + f"?quiz__id__exact={quiz.pk}",
                "Stellingen",
            ),
            (reverse("admin:quiz_quiz_coverage", args=[quiz.pk]), "Dekking"),
        ]
        links.append((preview_url(quiz), "Voorbeeld"))
        return format_html_join(" · ", '<a href="{}">{}</a>', links)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:quiz_id>/dekking/", view(editor.coverage), name="quiz_quiz_coverage"),
            path("importeren/", view(editor.import_spreadsheet), name="quiz_quiz_import"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        quiz = self.get_object(request, object_id)
        extra_context = {**(extra_context or {}), "preview_url": quiz and preview_url(quiz)}
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description="Exporteer als spreadsheet (XLSX)")
    def export_xlsx(self, request, queryset):
        return self._export(queryset, "xlsx")

    @admin.action(description="Exporteer als CSV")
    def export_csv(self, request, queryset):
        return self._export(queryset, "csv")

    def _export(self, queryset: QuerySet, file_format: str) -> HttpResponse:
        from quiz import spreadsheets  # pandas: loaded only where spreadsheets are made

        content, content_type = spreadsheets.export_quizzes(queryset, file_format=file_format)
        name = queryset.first().slug if queryset.count() == 1 else "stemtests"
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
        return response


class PositionForm(forms.ModelForm):
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
        fields = ["party", "stance", "cited", "justification", "source"]
        widgets = {"justification": forms.Textarea(attrs={"rows": 3, "cols": 80})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["cited"] = [c.resolution_id for c in self.instance.citations.all()]

    def save(self, commit=True):
        position = super().save(commit)
        if commit:
            self.save_citations()
        else:
            save_m2m = self.save_m2m

            def save_all():
                save_m2m()
                self.save_citations()

            self.save_m2m = save_all
        return position

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


class PositionFormSet(forms.BaseInlineFormSet):
    """One row per party of the quiz: missing parties get a pre-filled row.

    Checks every position with `Position.check_grounding` against the resolutions chosen in its
    row, and the statement's publication against the positions about to be saved.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        statement = self.instance
        self.quiz = statement.quiz if statement.quiz_id else None
        taken = set(self.get_queryset().values_list("party_id", flat=True))
        missing = self.quiz.parties.exclude(pk__in=taken) if self.quiz else Party.objects.none()
        self.initial_extra = [{"party": party.pk} for party in missing]

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if self.quiz:
            form.fields["party"].queryset = self.quiz.parties.all()

    def clean(self):
        super().clean()
        party_ids = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.cleaned_data:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            if party := form.cleaned_data.get("party"):
                party_ids.add(party.pk)
            if form.errors:
                continue
            try:
                form.instance.check_grounding(form.cited_after_save())
            except ValidationError as error:
                form.add_error("cited", error)
        publish = forms.CheckboxInput().value_from_datadict(self.data, self.files, "is_published")
        if publish:
            try:
                self.instance.check_publishable(party_ids)
            except ValidationError as error:
                raise ValidationError(error.message_dict["is_published"]) from error


class PositionInline(admin.StackedInline):
    model = Position
    form = PositionForm
    formset = PositionFormSet
    fields = [("party", "stance"), "cited", "cited_text", "justification", "source"]
    readonly_fields = ["cited_text"]

    def get_extra(self, request, obj=None, **kwargs):
        quiz = StatementAdmin.quiz_of(request, obj)
        if quiz is None:
            return 1
        if obj is not None and obj.pk:
            return quiz.parties.exclude(positions__statement=obj).count()
        return quiz.parties.count()

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("citations__resolution")

    @admin.display(description="geciteerde tekst")
    def cited_text(self, position):
        if not position.pk:
            return "Verschijnt na het opslaan."
        citations = format_html_join(
            "",
            '<p class="cited"><a href="{}">{}</a>: {}</p>',
            (
                (
                    reverse("admin:quiz_resolution_change", args=[c.resolution_id]),
                    c.resolution.number,
                    c.excerpt or c.resolution.text,
                )
                for c in position.citations.all()
            ),
        )
        url = reverse("admin:quiz_position_change", args=[position.pk])
        return format_html(
            '{}<p><a href="{}">Fragmenten en volgorde bewerken</a></p>', citations, url
        )


class StatementForm(forms.ModelForm):
    """The statement; its publication is applied together with the positions below it."""

    is_published = forms.BooleanField(
        label="Gepubliceerd",
        required=False,
        help_text="Alleen als elke partij een standpunt heeft. Een tweede persoon heeft de "
        "citaten nagekeken.",
    )

    class Meta:
        model = Statement
        fields = ["quiz", "order", "text", "short_title", "theme", "uitleg"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2, "cols": 80})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("is_published", self.instance.is_published)
        if self.instance.pk:  # typing the statement refreshes the suggestions below (htmx)
            url = reverse("admin:quiz_statement_suggestions", args=[self.instance.pk])
            self.fields["text"].widget.attrs |= {
                "data-hx-get": url,
                "data-hx-trigger": "input changed delay:800ms",
                "data-hx-target": "#suggestions",
                "data-hx-swap": "outerHTML",
            }

    def save(self, commit=True):
        self.instance.is_published = self.cleaned_data["is_published"]
        return super().save(commit)


class WarningsFilter(admin.SimpleListFilter):
    title = "waarschuwingen"
    parameter_name = "waarschuwingen"

    def lookups(self, request, model_admin):
        return [("ja", "Met waarschuwingen"), ("nee", "Zonder waarschuwingen")]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        warned = [s.pk for s in queryset if statement_warnings(s, s.positions.all())]  # prefetched
        if self.value() == "ja":
            return queryset.filter(pk__in=warned)
        return queryset.exclude(pk__in=warned)


class StanceFilter(admin.SimpleListFilter):
    title = "standpunt"
    parameter_name = "standpunt"

    def lookups(self, request, model_admin):
        return Position.Stance.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(positions__stance=self.value()).distinct()
        return queryset


def with_positions(statements: QuerySet) -> QuerySet:
    return statements.prefetch_related(
        Prefetch(
            "positions",
            queryset=Position.objects.select_related("party").prefetch_related("citations"),
        )
    )


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    form = StatementForm
    inlines = [PositionInline]
    list_display = [
        "order",
        "short_title",
        "theme",
        "is_published",
        "stances",
        "citation_count",
        "warnings",
    ]
    list_display_links = ["short_title"]
    list_editable = ["order"]
    list_filter = ["quiz", "theme", "is_published", WarningsFilter, StanceFilter]
    list_select_related = ["theme", "quiz"]
    search_fields = ["text", "short_title", "uitleg"]
    actions = ["publish", "unpublish"]
    fieldsets = [
        (None, {"fields": ["quiz", "order", "text", "short_title", "theme", "is_published"]}),
        ("Voor de kiezer", {"fields": ["uitleg"]}),
    ]
    change_form_template = "admin/quiz/statement/change_form.html"

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

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if quiz := self.quiz_of(request, None):
            last = quiz.statements.aggregate(Max("order"))["order__max"] or 0
            initial.setdefault("quiz", quiz.pk)
            initial.setdefault("order", last + 1)
        return initial

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if obj is not None and not obj.quiz_id and (quiz := self.quiz_of(request, None)):
            obj.quiz = quiz  # the new statement's quiz, so its parties get their rows
        return kwargs

    def get_queryset(self, request):
        return with_positions(super().get_queryset(request)).annotate(
            citation_count=Count("positions__citations", distinct=True)
        )

    @admin.display(description="standpunten")
    def stances(self, statement):
        return (
            format_html_join(
                " ",
                '<span class="stance-badge stance-{}">{}: {}</span>',
                (
                    (p.stance, p.party.name, p.get_stance_display().lower())
                    for p in statement.positions.all()
                ),
            )
            or "—"
        )

    @admin.display(description="citaten", ordering="citation_count")
    def citation_count(self, statement):
        return statement.citation_count

    @admin.display(description="waarschuwingen")
    def warnings(self, statement):
        found = statement_warnings(statement, statement.positions.all())
        if not found:
            return "—"
        return format_html(
            '<ul class="statement-warnings">{}</ul>',
            format_html_join("", "<li>{}</li>", ((w,) for w in found)),
        )

    def get_changelist_form(self, request, **kwargs):
        return super().get_changelist_form(request, form=OrderForm, **kwargs)

    def get_changelist_formset(self, request, **kwargs):
        kwargs["formset"] = ReorderFormSet
        return super().get_changelist_formset(request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change and "order" in form.changed_data:
            # Reordering in the list: a statement still holding the new number moves aside
            # until its own row is saved (ReorderFormSet checked that the result is unique).
            holder = Statement.objects.filter(quiz=obj.quiz_id, order=obj.order).exclude(pk=obj.pk)
            if holder.exists():
                top = Statement.objects.filter(quiz=obj.quiz_id).aggregate(Max("order"))
                holder.update(order=top["order__max"] + 1)
        super().save_model(request, obj, form, change)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        statement = self.get_object(request, object_id)
        context = extra_context or {}
        if statement is not None:
            context = {
                **context,
                "statement_warnings": statement_warnings(statement, statement.positions.all()),
                "preview_url": preview_url(statement.quiz),
                **editor.suggestion_context(request, statement),
            }
        return super().change_view(request, object_id, form_url, context)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:statement_id>/suggesties/",
                view(editor.suggestions),
                name="quiz_statement_suggestions",
            ),
            *super().get_urls(),
        ]

    @admin.action(description="Publiceer de gekozen stellingen", permissions=["change"])
    def publish(self, request, queryset):
        published, refused = 0, []
        for statement in queryset.select_related("quiz"):
            try:
                statement.check_publishable()
            except ValidationError:
                refused.append(str(statement))
                continue
            if not statement.is_published:
                statement.is_published = True
                statement.save(update_fields=["is_published"])
                self.log_change(request, statement, [{"changed": {"fields": ["gepubliceerd"]}}])
                published += 1
        self.message_user(request, f"{published} stelling(en) gepubliceerd.", messages.SUCCESS)
        if refused:
            self.message_user(
                request,
                "Niet gepubliceerd, want niet elke partij heeft een standpunt: "
                + "; ".join(refused),
                messages.WARNING,
            )

    @admin.action(description="Zet de gekozen stellingen offline", permissions=["change"])
    def unpublish(self, request, queryset):
        count = 0
        for statement in queryset.filter(is_published=True):
            statement.is_published = False
            statement.save(update_fields=["is_published"])
            self.log_change(request, statement, [{"changed": {"fields": ["gepubliceerd"]}}])
            count += 1
        self.message_user(request, f"{count} stelling(en) offline gezet.", messages.SUCCESS)


class OrderForm(forms.ModelForm):
    """The list's order column: no help text (the list has no room to show it)."""

    order = forms.IntegerField(
        label="Nummer", min_value=1, widget=forms.NumberInput(attrs={"class": "vIntegerField"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order"].widget.attrs["aria-label"] = f"Nummer van {self.instance.short_title}"


class ReorderFormSet(forms.BaseModelFormSet):
    """The list's order column: numbers may be swapped, but must end up unique per quiz."""

    def clean(self):
        super().clean()
        final = {}
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


class CitationFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        resolutions = [
            form.cleaned_data["resolution"]
            for form in self.forms
            if getattr(form, "cleaned_data", None)
            and form.cleaned_data.get("resolution")
            and not self._should_delete_form(form)
        ]
        self.instance.check_grounding(resolutions)


class CitationInline(admin.TabularInline):
    model = Citation
    formset = CitationFormSet
    autocomplete_fields = ["resolution"]
    fields = ["order", "resolution", "resolution_text", "excerpt"]
    readonly_fields = ["resolution_text"]
    extra = 1

    @admin.display(description="tekst van de resolutie")
    def resolution_text(self, citation):
        return citation.resolution.text if citation.pk else "—"


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    inlines = [CitationInline]
    list_display = ["statement", "party", "stance", "citation_count"]
    list_filter = ["party", "stance", "statement__quiz"]
    list_select_related = ["statement", "party"]
    search_fields = ["statement__text", "statement__short_title", "justification"]
    fields = ["statement", "party", "stance", "justification", "source"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(citation_count=Count("citations"))

    @admin.display(description="citaten", ordering="citation_count")
    def citation_count(self, position):
        return position.citation_count

    def get_readonly_fields(self, request, obj=None):
        return ["statement", "party"] if obj else []
