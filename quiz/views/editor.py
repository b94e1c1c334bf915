"""Editor pages beyond the ModelAdmins, in the admin's look: suggested resolutions for a
statement, the coverage of a quiz, the spreadsheet import and the programme import. Routed by
the ModelAdmins' `get_urls` behind `admin_site.admin_view` (staff only)."""

import datetime
import io
import secrets
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Prefetch, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from quiz import review, search
from quiz.forms import (
    MAX_PROGRAMME_UPLOAD,
    MAX_UPLOAD,
    CiteForm,
    OrderForm,
    ProgrammeConfirmForm,
    ProgrammeUploadForm,
    ReorderFormSet,
    SpreadsheetConfirmForm,
    SpreadsheetUploadForm,
)
from quiz.importing import ImportReport, import_source
from quiz.models import (
    ANSWERS,
    AnswerTally,
    Citation,
    Election,
    Party,
    Position,
    Programme,
    ProgrammeUpload,
    Quiz,
    Resolution,
    Statement,
)
from quiz.programme_text import Layout, ParsedResolution, ParsedSection, ProgrammeFormatError
from quiz.views import HtmxHttpRequest
from quiz.warnings import shared_citations, statement_warnings

SUGGESTIONS = 10
EENS_SHARE = (40, 60)  # per party, % eens of its eens and oneens: outside it, the quiz leans
MIN_PER_THEME = 4  # published statements a theme needs for its score to mean something
PREVIEW_ROWS = 200  # changes and errors listed after a dry run; the rest are counted
CITE_PERMISSIONS = ["quiz.add_citation", "quiz.add_position"]
IMPORT_PERMISSIONS = [
    "quiz.add_statement",
    "quiz.change_statement",
    "quiz.add_position",
    "quiz.change_position",
    "quiz.add_citation",
    "quiz.delete_citation",
]


def _admin_context(request: HtmxHttpRequest, title: str) -> dict[str, Any]:
    return {**admin.site.each_context(request), "title": title}


def editor_of(request: HttpRequest) -> User:
    """The editor (admin_site.admin_view lets only logged-in staff through)."""
    if not isinstance(request.user, User) or not request.user.is_authenticated:
        raise PermissionDenied
    return request.user


def _errors(form: forms.Form) -> str:
    """A form's errors as one sentence for the editor."""
    return " ".join(str(message) for messages_ in form.errors.values() for message in messages_)


# The start page


START_ROWS = 8  # statements listed per kind of work on the start page; the rest are counted


@dataclass
class Work:
    """One kind of work on the start page: what it is, the first statements, how many."""

    title: str
    rows: list[tuple[Statement, str]]  # a statement and what to do about it
    total: int
    url: str = ""  # the statement list filtered to all of them
    empty: str = ""


def _work(
    title: str, statements: list[tuple[Statement, str]], url: str = "", empty: str = ""
) -> Work:
    return Work(title, statements[:START_ROWS], len(statements), url, empty)


def start_page(request: HttpRequest) -> list[Work]:
    """What waits for this editor: statements to check (changed by someone else), to publish,
    their own waiting for a check, concepts, statements with warnings, parties without a
    position, and citations whose passage a re-import changed."""
    user = request.user
    if not user.has_perm("quiz.view_statement"):
        return []
    statements = list(
        Statement.objects.select_related("quiz", "changed_by")
        .prefetch_related(
            "quiz__parties",
            Prefetch(
                "positions",
                queryset=Position.objects.select_related("party").prefetch_related(
                    "citations__resolution"
                ),
            ),
        )
        .order_by("quiz__title", "order")
    )
    changelist = reverse("admin:quiz_statement_changelist")
    status = Statement.Status

    def by(state: str) -> list[Statement]:
        return [s for s in statements if s.status == state]

    def changed(statement: Statement) -> str:
        if statement.changed_at is None:
            return "ingeladen vanaf de opdrachtregel"
        return f"gewijzigd door {statement.changed_by or 'een verwijderde gebruiker'}"

    to_check = [s for s in by(status.READY) if s.changed_by_id != user.pk]
    own = [s for s in by(status.READY) if s.changed_by_id == user.pk]
    missing = []
    for statement in statements:
        taken = {p.party_id for p in statement.positions.all()}
        absent = [party.name for party in statement.quiz.parties.all() if party.pk not in taken]
        if absent:
            missing.append((statement, "geen standpunt van " + ", ".join(absent)))
    warned = [
        (statement, " ".join(found))
        for statement in statements
        if (found := statement_warnings(statement, statement.positions.all()))
    ]
    reimported = [
        (statement, f"{p.party}: resolutie {c.resolution.display_number} veranderde")
        for statement in statements
        for p in statement.positions.all()
        for c in p.citations.all()
        if c.needs_review
    ]
    return [
        _work(
            "Na te kijken door u",
            [(s, changed(s)) for s in to_check],
            f"{changelist}?status__exact={status.READY}",
            "Niets: geen stelling van een andere redacteur wacht op nazicht.",
        ),
        _work(
            "Nagekeken, klaar om te publiceren",
            [
                (s, f"nagekeken door {s.reviewed_by or 'een verwijderde gebruiker'}")
                for s in by(status.CHECKED)
            ],
            f"{changelist}?status__exact={status.CHECKED}",
        ),
        _work(
            "Uw wijzigingen, wachtend op een andere redacteur",
            [(s, changed(s)) for s in own],
        ),
        _work(
            "Concepten",
            [(s, changed(s)) for s in by(status.CONCEPT)],
            f"{changelist}?status__exact={status.CONCEPT}",
        ),
        _work("Partijen zonder standpunt", missing),
        _work(
            "Citaten na een nieuwe import na te kijken",
            reimported,
            empty="Geen: elke geciteerde resolutie is sinds het citeren ongewijzigd.",
        ),
        _work("Met waarschuwingen", warned, f"{changelist}?waarschuwingen=ja"),
    ]


# Suggestions


def suggestion_context(request: HttpRequest, statement: Statement, text: str | None = None) -> dict:
    """The best resolutions for the (draft) text, per party of the quiz with a programme,
    ranked by shared words and by meaning (`search.suggest`); each marked when the party's
    position cites it. `statement` may be a new one, not saved yet (no quiz: no groups)."""
    text = statement.text if text is None else text.strip()
    positions = (
        {p.party_id: p for p in statement.positions.prefetch_related("citations__resolution")}
        if statement.pk
        else {}
    )
    groups = []
    programmes = (
        Programme.objects.filter(
            election_id=statement.quiz.election_id, party__in=statement.quiz.parties.all()
        ).select_related("party")
        if statement.quiz_id
        else Programme.objects.none()
    )
    for programme in programmes:
        position = positions.get(programme.party_id)
        cited = {c.resolution.number for c in position.citations.all()} if position else set()
        hits = search.suggest(programme, text, limit=SUGGESTIONS) if text else []
        resolutions = {
            r.number: r for r in programme.resolutions.filter(number__in=[h.number for h in hits])
        }
        groups.append(
            {
                "party": programme.party,
                "programme": programme,
                "position": position,
                "hits": [
                    {
                        "hit": hit,
                        "cited": hit.number in cited,
                        "resolution": resolutions[hit.number],
                    }
                    for hit in hits
                ],
            }
        )
    return {
        "statement": statement,
        "suggest_text": text,
        "groups": groups if statement.quiz_id else None,
        "can_cite": request.user.has_perms(CITE_PERMISSIONS),
    }


@require_http_methods(["GET", "POST"])
def suggestions(request: HtmxHttpRequest, statement_id: int) -> HttpResponse:
    """GET: the panel for a draft text (`text`). POST: cite a suggested resolution."""
    if request.method == "POST":
        return _cite(request, statement_id)
    return _suggestions(request, statement_id)


@require_GET
@permission_required("quiz.view_statement", raise_exception=True)
def _suggestions(request: HtmxHttpRequest, statement_id: int) -> HttpResponse:
    statement = get_object_or_404(Statement.objects.select_related("quiz"), pk=statement_id)
    context = suggestion_context(request, statement, request.GET.get("text"))
    if request.htmx:
        context |= _live_warnings(request, statement, request.GET.get("text"))
        return render(request, "admin/quiz/statement/suggestions.html#panel", context)
    context |= _admin_context(request, f"Suggesties voor {statement}")
    return render(request, "admin/quiz/statement/suggestions.html", context)


@require_GET
@permission_required("quiz.view_statement", raise_exception=True)
def draft_suggestions(request: HtmxHttpRequest) -> HttpResponse:
    """The panel for a statement not saved yet: its text (`text`) and quiz (`quiz`) as typed
    in the add form, so suggestions appear while the editor writes."""
    quiz_id = request.GET.get("quiz", "")
    quiz = Quiz.objects.filter(pk=quiz_id).first() if quiz_id.isdigit() else None
    statement = Statement(quiz=quiz) if quiz else Statement()
    context = suggestion_context(request, statement, request.GET.get("text", ""))
    context |= _live_warnings(request, statement, request.GET.get("text", ""))
    return render(request, "admin/quiz/statement/suggestions.html#panel", context)


# The form's fields whose typing refreshes the panel (their htmx trigger) and the warnings.
STATEMENT_FIELDS = {"id_text", "id_quiz"}


def _live_warnings(
    request: HtmxHttpRequest, statement: Statement, text: str | None
) -> dict[str, Any]:
    """The wording warnings for the text as typed, when the statement's own field asked (not
    the panel's "Zoek bij een andere tekst"): sent with the panel, they replace the box above
    the form (htmx out-of-band)."""
    if request.htmx.trigger not in STATEMENT_FIELDS or text is None:
        return {}
    draft = Statement(pk=statement.pk, quiz_id=statement.quiz_id, text=text.strip())
    positions = (
        statement.positions.prefetch_related("citations__resolution") if statement.pk else []
    )
    found = statement_warnings(draft, positions)
    if statement.pk:
        found += shared_citations(statement)
    return {"live_warnings": found}


@require_POST
@permission_required(["quiz.view_statement", *CITE_PERMISSIONS], raise_exception=True)
def _cite(request: HtmxHttpRequest, statement_id: int) -> HttpResponse:
    """Cite the resolution in the party's position (created as ‘geen standpunt’ when missing),
    then the panel (htmx) or back to the statement form."""
    statement = get_object_or_404(Statement.objects.select_related("quiz"), pk=statement_id)
    text = request.POST.get("text")
    form = CiteForm(request.POST, statement=statement)
    if not form.is_valid():
        error = _errors(form)
        if not request.htmx:
            messages.error(request, error)
            return redirect("admin:quiz_statement_change", statement.pk)
        context = suggestion_context(request, statement, text) | {"error": error}
        return render(request, "admin/quiz/statement/suggestions.html#panel", context)
    _add_citation(request, statement, form.cleaned_data["party"], form.cleaned_data["resolution"])
    if not request.htmx:
        return redirect("admin:quiz_statement_change", statement.pk)
    context = suggestion_context(request, statement, text)
    return render(request, "admin/quiz/statement/suggestions.html#panel", context)


def _add_citation(
    request: HtmxHttpRequest, statement: Statement, party: Party, resolution: Resolution
) -> bool:
    """Add `resolution` to the party's position; True when the position is new."""
    position = statement.positions.filter(party=party).first()
    if position is not None and position.citations.filter(resolution=resolution).exists():
        return False
    created = position is None
    with transaction.atomic():  # a new position only with its citation
        if position is None:
            position = Position(statement=statement, party=party, stance=Position.Stance.GEEN)
            position.full_clean()
            position.save()
        last = position.citations.order_by("-order").values_list("order", flat=True).first()
        citation = Citation(position=position, resolution=resolution, order=(last or 0) + 1)
        citation.full_clean()
        citation.save()
        reopened = review.record_change(statement, editor_of(request))
    LogEntry.objects.log_actions(
        editor_of(request).pk,
        [statement],
        CHANGE,
        f"Citaat toegevoegd uit de suggesties: resolutie {resolution.number} ({party}).",
        single_object=True,
    )
    messages.success(request, f"Resolutie {resolution.number} geciteerd voor {party}.")
    if reopened:
        messages.warning(request, review.CHANGED_AFTER_REVIEW)
    return created


# Statistics (quiz.statistics): what consenting voters answered, as counts


@permission_required("quiz.view_quiz", raise_exception=True)
def statistics_page(request: HtmxHttpRequest, quiz_id: int) -> HttpResponse:
    """Per statement, how many consenting voters answered eens, oneens, neutraal or skipped it,
    and how many voters consented, per day; the counters kept in Redis are written first."""
    from quiz import statistics

    quiz = get_object_or_404(Quiz, pk=quiz_id)
    statistics.flush()
    totals: dict[int, dict[str, int]] = defaultdict(dict)
    for row in (
        AnswerTally.objects.filter(statement__quiz=quiz)
        .values("statement_id", "answer")
        .annotate(total=Sum("count"))
    ):
        totals[row["statement_id"]][row["answer"]] = row["total"]
    rows = []
    for statement in quiz.statements.order_by("order"):
        counts = totals.get(statement.pk, {})
        answered = sum(counts.values())
        parts, start = [], 0.0
        for value, label in ANSWERS:
            width = 100 * counts.get(value, 0) / answered if answered else 0.0
            parts.append(
                {
                    "answer": value,
                    "label": label,
                    "count": counts.get(value, 0),
                    "share": round(width),
                    "start": f"{start:.2f}",  # the bar's segment, in the SVG's 0–100
                    "width": f"{width:.2f}",
                }
            )
            start += width
        rows.append({"statement": statement, "answered": answered, "parts": parts})
    days = list(quiz.consents.order_by("-day")[:14])
    context = _admin_context(request, f"Statistieken van {quiz}") | {
        "quiz": quiz,
        "rows": rows,
        "consents": quiz.consents.aggregate(total=Sum("count"))["total"] or 0,
        "days": days,
    }
    return render(request, "admin/quiz/quiz/statistics.html", context)


# The order of a quiz's statements


@require_http_methods(["GET", "POST"])
@permission_required("quiz.change_statement", raise_exception=True)
def reorder(request: HtmxHttpRequest, quiz_id: int) -> HttpResponse:
    """Every statement of the quiz with its number, saved together on purpose (the list has no
    number fields: a slip there would reorder the quiz). Numbers may be swapped; they must end
    up unique. Each moved statement gets a line in its history."""
    quiz = get_object_or_404(Quiz, pk=quiz_id)
    formset_class = forms.modelformset_factory(
        Statement, form=OrderForm, formset=ReorderFormSet, fields=["order"], extra=0
    )
    statements = quiz.statements.select_related("theme").order_by("order")
    formset = formset_class(request.POST or None, queryset=statements)
    if request.method == "POST" and formset.is_valid():
        moves = [
            (form.instance, form.initial["order"], form.cleaned_data["order"])
            for form in formset.forms
            if form.has_changed()
        ]
        with transaction.atomic():
            top = max([s.order for s in statements] + [new for _, _, new in moves], default=0)
            for parking, (statement, _, _) in enumerate(moves, start=top + 1):
                statement.order = parking  # above every number in use: no two share one
                statement.save(update_fields=["order"])
            for statement, old, new in moves:
                statement.order = new
                statement.save(update_fields=["order"])
                LogEntry.objects.log_actions(
                    editor_of(request).pk,
                    [statement],
                    CHANGE,
                    f"Nummer {old} → {new} (volgorde van de stemtest).",
                    single_object=True,
                )
        if moves:
            summary = ", ".join(f"{old} → {new}" for _, old, new in sorted(moves, key=_old))
            messages.success(request, f"Volgorde bewaard: {summary}.")
        else:
            messages.info(request, "Niets veranderd: elke stelling houdt haar nummer.")
        return redirect(reverse("admin:quiz_statement_changelist") + f"?quiz__id__exact={quiz.pk}")
    context = _admin_context(request, f"Volgorde van {quiz}") | {"quiz": quiz, "formset": formset}
    status = 400 if request.method == "POST" else 200
    return render(request, "admin/quiz/quiz/reorder.html", context, status=status)


def _old(move: tuple[Statement, int, int]) -> int:
    return move[1]


# Coverage


@permission_required("quiz.view_statement", raise_exception=True)
def coverage(request: HtmxHttpRequest, quiz_id: int) -> HttpResponse:
    """Per programme part and section: the statements and the resolutions they cite; the
    eens/oneens balance per party; statements per theme; parties with identical answers."""
    quiz = get_object_or_404(Quiz, pk=quiz_id)
    citations = Citation.objects.filter(position__statement__quiz=quiz).select_related(
        "resolution__section", "position__statement", "position__party"
    )
    # By (programme, part or first-level section number): what cites it.
    statements: defaultdict[tuple[int, str], set[Statement]] = defaultdict(set)
    resolutions: defaultdict[tuple[int, str], set[int]] = defaultdict(set)
    for citation in citations:
        number = citation.resolution.section.number.split(".")
        for key in {number[0], ".".join(number[:2])}:
            statements[(citation.resolution.programme_id, key)].add(citation.position.statement)
            resolutions[(citation.resolution.programme_id, key)].add(citation.resolution.number)
    programmes = []
    for programme in Programme.objects.filter(
        election=quiz.election, party__in=quiz.parties.all()
    ).select_related("party"):
        sections = []
        for section in programme.sections.filter(depth__lte=1).order_by("order"):
            place = (programme.pk, section.number)
            sections.append(
                {
                    "section": section,
                    "statements": sorted(statements.get(place, set()), key=lambda s: s.order),
                    "resolutions": sorted(resolutions.get(place, set())),
                }
            )
        programmes.append({"programme": programme, "sections": sections})
    counts = Counter(Position.objects.filter(statement__quiz=quiz).values_list("party", "stance"))
    balance = []
    for party in quiz.parties.all():
        agree, disagree = counts[(party.pk, "eens")], counts[(party.pk, "oneens")]
        share = round(100 * agree / (agree + disagree)) if agree + disagree else None
        balance.append(
            {
                "party": party,
                "counts": [counts[(party.pk, stance)] for stance in Position.Stance.values],
                "eens_share": share,
                "unbalanced": share is not None and not EENS_SHARE[0] <= share <= EENS_SHARE[1],
            }
        )
    themes = (
        quiz.statements.values("theme__name")
        .annotate(total=Count("pk"), published=Count("pk", filter=Q(is_published=True)))
        .order_by("theme__order", "theme__name")
    )
    context = _admin_context(request, f"Dekking van {quiz}") | {
        "quiz": quiz,
        "programmes": programmes,
        "balance": balance,
        "stance_choices": Position.Stance.choices,
        "themes": themes,
        "eens_share_range": EENS_SHARE,
        "min_per_theme": MIN_PER_THEME,
        "identical": identical_pairs(quiz),
        "party_count": quiz.parties.count(),
    }
    return render(request, "admin/quiz/quiz/coverage.html", context)


def identical_pairs(quiz: Quiz) -> list[tuple[Party, Party, int]]:
    """Pairs of parties that give the same stance on every statement both answered
    (with the number of those statements)."""
    answers: defaultdict[int, dict[int, str]] = defaultdict(dict)
    for party, statement_id, stance in Position.objects.filter(statement__quiz=quiz).values_list(
        "party", "statement", "stance"
    ):
        answers[party][statement_id] = stance
    parties = {party.pk: party for party in quiz.parties.all()}
    pairs = []
    for first, second in combinations(sorted(answers), 2):
        common = answers[first].keys() & answers[second].keys()
        if common and all(answers[first][s] == answers[second][s] for s in common):
            pairs.append((parties[first], parties[second], len(common)))
    return pairs


# Spreadsheet import


@require_http_methods(["GET", "POST"])
@permission_required(IMPORT_PERMISSIONS, raise_exception=True)
def import_spreadsheet(request: HtmxHttpRequest) -> HttpResponse:
    """Upload, then a dry run that shows what would change and every row error; the editor
    confirms and the same file is imported (checked again) in one transaction."""
    from quiz import spreadsheets  # pandas: loaded only where spreadsheets are read

    context = _admin_context(request, "Spreadsheet importeren") | {"max_upload": MAX_UPLOAD}
    if request.method == "GET":
        return render(request, "admin/quiz/quiz/import.html", context)
    confirm = "confirm" in request.POST
    form = (
        SpreadsheetConfirmForm(request.POST)
        if confirm
        else SpreadsheetUploadForm(request.POST, request.FILES)
    )
    if not form.is_valid():
        context["problem"] = _errors(form)
        return render(request, "admin/quiz/quiz/import.html", context, status=400)
    content, name = form.uploaded()
    report = spreadsheets.import_spreadsheet(
        io.BytesIO(content), name=name, dry_run=not confirm, user=editor_of(request)
    )
    if report.written:
        messages.success(request, f"{name}: {report.summary()}")
        return redirect(reverse("admin:quiz_statement_changelist"))
    changed = [c for c in report.changes if c.action != "ongewijzigd"]
    context |= {
        "report": report,
        "name": name,
        "content": SpreadsheetConfirmForm.encode(content),
        "changed": changed[:PREVIEW_ROWS],
        "more_changed": max(0, len(changed) - PREVIEW_ROWS),
        "errors": report.errors[:PREVIEW_ROWS],
        "more_errors": max(0, len(report.errors) - PREVIEW_ROWS),
    }
    return render(request, "admin/quiz/quiz/import.html", context, status=200 if report.ok else 400)


# Programme import

PROGRAMME_PERMISSIONS = ["quiz.add_programme", "quiz.change_programme", "quiz.add_party"]
UPLOAD_DAYS = 1  # an upload not confirmed within a day is deleted


@require_http_methods(["GET", "POST"])
@permission_required(PROGRAMME_PERMISSIONS, raise_exception=True)
def import_programme(request: HtmxHttpRequest) -> HttpResponse:
    """Upload a programme file, then a preview of what the import finds (a dry run: counts,
    table of contents, the first and last passages of each chapter, notices, and for a new
    version what changes and which citations it touches); confirming imports it for real."""
    context = _admin_context(request, "Programma importeren") | {"max_upload": MAX_PROGRAMME_UPLOAD}
    if request.method == "GET":
        context["form"] = ProgrammeUploadForm(initial=_upload_initial(request))
        return render(request, "admin/quiz/programme/import.html", context)
    if "confirm" in request.POST:
        return _confirm_programme(request, context)
    form = ProgrammeUploadForm(request.POST, request.FILES)
    context["form"] = form
    if not form.is_valid():
        return render(request, "admin/quiz/programme/import.html", context, status=400)
    upload_file = form.cleaned_data["file"]
    ProgrammeUpload.objects.filter(
        uploaded_at__lt=timezone.now() - datetime.timedelta(days=UPLOAD_DAYS)
    ).delete()
    upload = ProgrammeUpload.objects.create(
        token=secrets.token_urlsafe(32),
        data=upload_file.read(),
        filename=upload_file.name or "programma",
        options=form.options(),
        uploaded_by_id=editor_of(request).pk,
    )
    try:
        report = _run_import(upload, dry_run=True)
    except ValueError as error:
        upload.delete()
        context["problem"] = _import_problem(upload.filename, error)
        return render(request, "admin/quiz/programme/import.html", context, status=400)
    context |= {"report": report, "upload": upload} | preview(report)
    return render(request, "admin/quiz/programme/import.html", context)


def _upload_initial(request: HtmxHttpRequest) -> dict[str, Any]:
    """A new version of a programme: its party, election and language picked already."""
    wanted = request.GET.get("programma", "")
    programme = Programme.objects.filter(pk=int(wanted)).first() if wanted.isdigit() else None
    if programme is None:
        return {"election": Election.objects.order_by("-date").first()}
    return {
        "party": programme.party,
        "election": programme.election,
        "language": programme.language,
    }


def _confirm_programme(request: HtmxHttpRequest, context: dict[str, Any]) -> HttpResponse:
    form = ProgrammeConfirmForm(request.POST)
    upload = (
        ProgrammeUpload.objects.filter(
            token=form.cleaned_data["token"], uploaded_by_id=editor_of(request).pk
        ).first()
        if form.is_valid()
        else None
    )
    if upload is None:
        context |= {
            "form": ProgrammeUploadForm(),
            "problem": "Deze import is verlopen of al gedaan: laad het bestand opnieuw op.",
        }
        return render(request, "admin/quiz/programme/import.html", context, status=400)
    try:
        report = _run_import(upload, dry_run=False)
    except ValueError as error:  # the data changed since the preview
        context |= {
            "form": ProgrammeUploadForm(),
            "problem": _import_problem(upload.filename, error),
        }
        return render(request, "admin/quiz/programme/import.html", context, status=400)
    programme = report.programme
    LogEntry.objects.log_actions(
        editor_of(request).pk,
        [programme],
        CHANGE,
        f"Programma ingelezen uit {upload.filename}: {report.summary()}",
        single_object=True,
    )
    upload.delete()
    flagged = (
        f" {len(report.affected)} citaten zijn gemarkeerd om na te kijken."
        if report.affected
        else ""
    )
    messages.success(
        request,
        f"{programme}: {len(report.parsed.resolutions) if report.parsed else 0} passages "
        f"ingelezen ({report.resolutions}).{flagged}",
    )
    return redirect(reverse("admin:quiz_programme_change", args=[programme.pk]))


def _import_problem(filename: str, error: ValueError) -> str:
    if isinstance(error, ProgrammeFormatError):
        place = (
            f"regel {error.line}"
            if error.page is None
            else f"bladzijde {error.page}, regel {error.line}"
        )
        return f"{filename}, {place}: {error.reason}. Er is niets ingelezen."
    return f"{filename}: {error} Er is niets ingelezen."


def _run_import(upload: ProgrammeUpload, *, dry_run: bool) -> ImportReport:
    """The upload imported with its options; a new party is created with it (and rolled back
    with it in a dry run)."""
    options = upload.options
    election = get_object_or_404(Election, pk=options["election"])
    with transaction.atomic():
        party = Party.objects.filter(pk=options["party"]).first() if options["party"] else None
        if party is None:
            details = options["new_party"]
            party = Party(slug=slugify(details["name"]), **details)
            party.full_clean()
            party.save()
        report = import_source(
            bytes(upload.data),
            filename=upload.filename,
            party=party,
            election=election,
            title=options["title"],
            language=options["language"],
            hints=options["hints"],
            dry_run=dry_run,
            allow_missing=options.get("allow_missing", False),
        )
        if dry_run:
            transaction.set_rollback(True)
    return report


def layout_text(layout: Layout) -> dict[str, str]:
    """The layout in the words of the upload form's choices."""
    choices = {
        name: dict(field.choices)  # type: ignore[attr-defined]
        for name, field in ProgrammeUploadForm.base_fields.items()
        if name in ("proposals", "numbering", "capitals")
    }
    numbering = choices["numbering"] | {"importer": "door de import, in de volgorde van de tekst"}
    return {
        "proposals": str(choices["proposals"][layout.proposals]),
        "numbering": str(numbering[layout.numbering]),
        "capitals": "geen titel (Markdown: titels met #)"
        if layout.markdown
        else str(choices["capitals"][layout.capitals]),
    }


@dataclass(frozen=True)
class ChapterPreview:
    section: ParsedSection
    count: int
    first: ParsedResolution | None
    last: ParsedResolution | None


def preview(report: ImportReport) -> dict[str, Any]:
    """What the preview page shows of a dry run."""
    parsed = report.parsed
    assert parsed is not None
    chapters = []
    for chapter in parsed.parts:
        inside = [
            r
            for r in parsed.resolutions
            if r.section == chapter.number or r.section.startswith(f"{chapter.number}.")
        ]
        chapters.append(
            ChapterPreview(
                chapter,
                len(inside),
                inside[0] if inside else None,
                inside[-1] if len(inside) > 1 else None,
            )
        )
    return {
        "parsed": parsed,
        "chapters": chapters,
        "toc": parsed.sections[:PREVIEW_ROWS],
        "more_toc": max(0, len(parsed.sections) - PREVIEW_ROWS),
        "notices": parsed.notices[:PREVIEW_ROWS],
        "more_notices": max(0, len(parsed.notices) - PREVIEW_ROWS),
        "layout_text": layout_text(parsed.layout),
        "is_new_version": bool(
            report.resolutions.updated or report.resolutions.unchanged or report.missing_resolutions
        ),
    }
