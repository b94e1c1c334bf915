"""Editor pages beyond the ModelAdmins, in the admin's look: suggested resolutions for a
statement, the coverage of a quiz, and the spreadsheet import. Routed by the ModelAdmins'
`get_urls` behind `admin_site.admin_view` (staff only)."""

import base64
import binascii
import io
from collections import Counter, defaultdict
from itertools import combinations

from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from quiz import search
from quiz.models import Citation, Party, Position, Programme, Quiz, Statement

SUGGESTIONS = 10
IMPORT_PERMISSIONS = [
    "quiz.add_statement",
    "quiz.change_statement",
    "quiz.add_position",
    "quiz.change_position",
    "quiz.add_citation",
    "quiz.delete_citation",
]
MAX_UPLOAD = 5 * 1024 * 1024


def _admin_context(request: HttpRequest, title: str) -> dict:
    return {**admin.site.each_context(request), "title": title}


# Suggestions


def suggestion_context(request: HttpRequest, statement: Statement, text: str | None = None) -> dict:
    """The best resolutions for the (draft) text, per party of the quiz with a programme,
    ranked as on the programme search; each marked when the party's position cites it."""
    text = statement.text if text is None else text.strip()
    positions = {
        p.party_id: p for p in statement.positions.prefetch_related("citations__resolution")
    }
    groups = []
    programmes = Programme.objects.filter(
        election_id=statement.quiz.election_id, party__in=statement.quiz.parties.all()
    ).select_related("party")
    for programme in programmes:
        position = positions.get(programme.party_id)
        cited = {c.resolution.number for c in position.citations.all()} if position else set()
        hits = search.suggest(programme, text, limit=SUGGESTIONS) if text else []
        groups.append(
            {
                "party": programme.party,
                "programme": programme,
                "position": position,
                "hits": [{"hit": hit, "cited": hit.number in cited} for hit in hits],
            }
        )
    return {
        "statement": statement,
        "suggest_text": text,
        "groups": groups,
        "can_cite": request.user.has_perms(["quiz.add_citation", "quiz.add_position"]),
    }


@require_http_methods(["GET", "POST"])
def suggestions(request: HttpRequest, statement_id: int) -> HttpResponse:
    """GET: the panel for a draft text. POST: cite a suggested resolution in the party's
    position (created as ‘geen standpunt’ when missing), then the panel (htmx) or back to the
    statement form."""
    statement = get_object_or_404(Statement.objects.select_related("quiz"), pk=statement_id)
    if not request.user.has_perm("quiz.view_statement"):
        raise PermissionDenied
    text = request.GET.get("text") if request.method == "GET" else request.POST.get("text")
    created = False
    if request.method == "POST":
        if not request.user.has_perms(["quiz.add_citation", "quiz.add_position"]):
            raise PermissionDenied
        try:
            created = _cite(request, statement)
        except ValidationError as error:
            if not request.htmx:
                messages.error(request, " ".join(error.messages))
                return redirect("admin:quiz_statement_change", statement.pk)
            context = suggestion_context(request, statement, text)
            context["error"] = " ".join(error.messages)
            return render(request, "admin/quiz/statement/suggestions.html#panel", context)
        if not request.htmx:
            return redirect("admin:quiz_statement_change", statement.pk)
    context = suggestion_context(request, statement, text)
    if request.htmx:
        response = render(request, "admin/quiz/statement/suggestions.html#panel", context)
        if created:
            response["HX-Refresh"] = "true"  # a new position row: reload the form
        return response
    context |= _admin_context(request, f"Suggesties voor {statement}")
    return render(request, "admin/quiz/statement/suggestions.html", context)


def _cite(request: HttpRequest, statement: Statement) -> bool:
    """Add the posted resolution to the party's position; True when the position is new."""
    party_id, number = request.POST.get("party", ""), request.POST.get("resolution", "")
    if not (party_id.isdigit() and number.isdigit()):
        raise ValidationError("Kies een partij en een resolutie.")
    party = statement.quiz.parties.filter(pk=party_id).first()
    if party is None:
        raise ValidationError("Die partij doet niet mee aan deze stemtest.")
    position = statement.positions.filter(party=party).first()
    created = position is None
    if created:
        position = Position(statement=statement, party=party, stance=Position.Stance.GEEN)
        position.full_clean()
    programme = position.programme()
    resolution = programme and programme.resolutions.filter(number=number).first()
    if resolution is None:
        raise ValidationError(f"Resolutie {number} staat niet in het programma van {party}.")
    if position.pk and position.citations.filter(resolution=resolution).exists():
        return False
    if created:
        position.save()
    last = position.citations.order_by("-order").values_list("order", flat=True).first() or 0
    citation = Citation(position=position, resolution=resolution, order=last + 1)
    citation.full_clean()
    citation.save()
    LogEntry.objects.log_actions(
        request.user.pk,
        [statement],
        CHANGE,
        f"Citaat toegevoegd uit de suggesties: resolutie {resolution.number} ({party}).",
        single_object=True,
    )
    messages.success(request, f"Resolutie {resolution.number} geciteerd voor {party}.")
    return created


# Coverage


def coverage(request: HttpRequest, quiz_id: int) -> HttpResponse:
    """Per programme part and section: the statements and the resolutions they cite; the
    eens/oneens balance per party; statements per theme; parties with identical answers."""
    if not request.user.has_perm("quiz.view_statement"):
        raise PermissionDenied
    quiz = get_object_or_404(Quiz, pk=quiz_id)
    citations = Citation.objects.filter(position__statement__quiz=quiz).select_related(
        "resolution__section", "position__statement", "position__party"
    )
    cited = defaultdict(lambda: {"statements": set(), "resolutions": set()})
    for citation in citations:
        number = citation.resolution.section.number.split(".")
        for key in {number[0], ".".join(number[:2])}:
            entry = cited[(citation.resolution.programme_id, key)]
            entry["statements"].add(citation.position.statement)
            entry["resolutions"].add(citation.resolution.number)
    programmes = []
    for programme in Programme.objects.filter(
        election=quiz.election, party__in=quiz.parties.all()
    ).select_related("party"):
        sections = []
        for section in programme.sections.filter(depth__lte=1).order_by("order"):
            entry = cited.get((programme.pk, section.number), {"statements": (), "resolutions": ()})
            sections.append(
                {
                    "section": section,
                    "statements": sorted(entry["statements"], key=lambda s: s.order),
                    "resolutions": sorted(entry["resolutions"]),
                }
            )
        programmes.append({"programme": programme, "sections": sections})
    counts = Counter(Position.objects.filter(statement__quiz=quiz).values_list("party", "stance"))
    balance = [
        {
            "party": party,
            "counts": [counts[(party.pk, stance)] for stance in Position.Stance.values],
        }
        for party in quiz.parties.all()
    ]
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
        "identical": identical_pairs(quiz),
        "party_count": quiz.parties.count(),
    }
    return render(request, "admin/quiz/quiz/coverage.html", context)


def identical_pairs(quiz: Quiz) -> list[tuple[Party, Party, int]]:
    """Pairs of parties that give the same stance on every statement both answered
    (with the number of those statements)."""
    answers = defaultdict(dict)
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
def import_spreadsheet(request: HttpRequest) -> HttpResponse:
    """Upload, then a dry run that shows what would change and every row error; the editor
    confirms and the same file is imported (checked again) in one transaction."""
    if not request.user.has_perms(IMPORT_PERMISSIONS):
        raise PermissionDenied
    from quiz import spreadsheets  # pandas: loaded only where spreadsheets are read

    context = _admin_context(request, "Spreadsheet importeren")
    if request.method == "GET":
        return render(request, "admin/quiz/quiz/import.html", context)
    if upload := request.FILES.get("file"):
        if upload.size > MAX_UPLOAD:
            context["problem"] = "Het bestand is groter dan 5 MB."
            return render(request, "admin/quiz/quiz/import.html", context, status=400)
        content, name = upload.read(), upload.name
    else:
        try:
            content = base64.b64decode(request.POST.get("content", ""), validate=True)
        except binascii.Error:
            return HttpResponseBadRequest("Ongeldige inhoud.")
        name = request.POST.get("name", "")
        if not content:
            context["problem"] = "Kies een bestand."
            return render(request, "admin/quiz/quiz/import.html", context, status=400)
    confirm = "confirm" in request.POST and not upload
    report = spreadsheets.import_spreadsheet(
        io.BytesIO(content), name=name, dry_run=not confirm, user=request.user
    )
    if report.written:
        messages.success(request, f"{name}: {report.summary()}")
        return redirect(reverse("admin:quiz_statement_changelist"))
    context |= {
        "report": report,
        "name": name,
        "content": base64.b64encode(content).decode("ascii"),
        "changed": [c for c in report.changes if c.action != "ongewijzigd"],
    }
    return render(request, "admin/quiz/quiz/import.html", context, status=200 if report.ok else 400)
