"""Public programme pages and open data: table of contents, sections, resolutions, search.

Every page renders in at most three queries: the programme, then one or two for what it shows.
"""

from dataclasses import dataclass, field

from django.core.exceptions import BadRequest
from django.db.models import Case, CharField, Count, F, Q, Value, When
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import ngettext
from django.views.decorators.vary import vary_on_headers

from quiz import search as programme_search
from quiz.models import Programme, Resolution, Section
from quiz.views import HtmxHttpRequest, json_errors, wants_fragment

SHOWN_HITS = 50
MAX_NUMBER = 100_000  # larger resolution numbers cannot exist; they would overflow the column


@dataclass
class TocEntry:
    """A section in the table of contents, with the resolutions in it and below it."""

    section: Section
    total: int
    subsections: list["TocEntry"] = field(default_factory=list)


@dataclass
class ShownSection:
    """A section on a section page: the one asked for or one below it."""

    section: Section  # annotated with `shown_intro`
    heading_level: int
    resolutions: list[Resolution] = field(default_factory=list)


def _programme(slug: str) -> Programme:
    return get_object_or_404(Programme.objects.select_related("party", "election"), slug=slug)


def _ancestor_numbers(number: str) -> list[str]:
    """'1.2.3' -> ['1', '1.2']"""
    parts = number.split(".")
    return [".".join(parts[:end]) for end in range(1, len(parts))]


def _query(request: HtmxHttpRequest) -> str:
    query = request.GET.get("q", "")
    if len(query) > programme_search.MAX_QUERY_LENGTH:
        limit = programme_search.MAX_QUERY_LENGTH
        raise BadRequest(
            ngettext(
                "Je zoekvraag is te lang: hoogstens %(limit)s teken.",
                "Je zoekvraag is te lang: hoogstens %(limit)s tekens.",
                limit,
            )
            % {"limit": limit}
        )
    return query.strip()


def programmes(request: HtmxHttpRequest) -> HttpResponse:
    """Every imported programme, newest election first; invented parties marked."""
    listing = (
        Programme.objects.select_related("party", "election")
        .annotate(resolution_count=Count("resolutions"))
        .order_by("-election__date", "party__is_fictional", "party__name")
    )
    elections: dict[str, list[Programme]] = {}
    for item in listing:
        elections.setdefault(str(item.election), []).append(item)
    return render(request, "quiz/programmes.html", {"elections": elections})


def programme(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    programme = _programme(slug)
    sections = list(
        programme.sections.annotate(resolution_count=Count("resolutions")).defer("intro")
    )
    entries = {s.pk: TocEntry(s, s.resolution_count) for s in sections}
    parts = []
    for section in sections:
        entry = entries[section.pk]
        if section.parent_id is None:
            parts.append(entry)
        else:
            entries[section.parent_id].subsections.append(entry)
    for section in reversed(sections):  # children come after their parent
        if section.parent_id is not None:
            entries[section.parent_id].total += entries[section.pk].total
    context = {
        "programme": programme,
        "parts": parts,
        "resolution_count": sum(part.total for part in parts),
    }
    return render(request, "quiz/programme.html", context)


def section(request: HtmxHttpRequest, slug: str, number: str) -> HttpResponse:
    programme = _programme(slug)
    number = number.rstrip(".")
    if "\x00" in number:  # no section has one, and PostgreSQL refuses it in a query
        raise Http404("Geen hoofdstuk met dat nummer")
    in_subtree = Q(number=number) | Q(number__startswith=number + ".")
    sections = list(
        programme.sections.defer("intro").annotate(
            shown_intro=Case(
                When(in_subtree, then=F("intro")), default=Value(""), output_field=CharField()
            )
        )
    )
    position = next((i for i, s in enumerate(sections) if s.number == number), None)
    if position is None:
        raise Http404("Geen hoofdstuk met dat nummer")
    current = sections[position]
    subtree = [s for s in sections if s.number == number or s.number.startswith(number + ".")]
    by_number = {s.number: s for s in sections}
    shown = {s.pk: ShownSection(s, min(6, 1 + s.depth - current.depth)) for s in subtree}
    for resolution in Resolution.objects.filter(section__in=subtree).order_by("number"):
        shown[resolution.section_id].resolutions.append(resolution)
    after = [s for s in sections[position + 1 :] if s not in subtree]
    context = {
        "programme": programme,
        "section": current,
        "ancestors": [by_number[n] for n in _ancestor_numbers(number) if n in by_number],
        "subtree": list(shown.values()),
        "previous": sections[position - 1] if position > 0 else None,
        "next": after[0] if after else None,
    }
    return render(request, "quiz/programme_section.html", context)


def resolution(request: HtmxHttpRequest, slug: str, number: int) -> HttpResponse:
    programme = _programme(slug)
    if number > MAX_NUMBER:
        raise Http404("Geen resolutie met dat nummer")
    nearby = {
        r.number: r
        for r in programme.resolutions.select_related("section").filter(
            number__in=[number - 1, number, number + 1]
        )
    }
    if number not in nearby:
        raise Http404("Geen resolutie met dat nummer")
    resolution = nearby[number]
    path = list(
        programme.sections.filter(number__in=_ancestor_numbers(resolution.section.number))
        .defer("intro")
        .order_by("depth")
    )
    context = {
        "programme": programme,
        "resolution": resolution,
        "path": [*path, resolution.section],
        "previous": nearby.get(number - 1),
        "next": nearby.get(number + 1),
    }
    return render(request, "quiz/programme_resolution.html", context)


@vary_on_headers("HX-Request")
def search(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    programme = _programme(slug)
    query = _query(request)
    hits = programme_search.find(programme, query, limit=None) if query else []
    context = {
        "programme": programme,
        "query": query,
        "count": len(hits),
        "hits": hits[:SHOWN_HITS],
    }
    fragment = wants_fragment(request)
    template = "quiz/programme_search.html#results" if fragment else "quiz/programme_search.html"
    return render(request, template, context)


@json_errors
def programme_json(request: HtmxHttpRequest, slug: str) -> JsonResponse:
    programme = _programme(slug)
    sections = programme.sections.values_list("number", "title", "parent__number")
    resolutions = programme.resolutions.values_list("number", "text", "section__number")
    data = {
        "party": {
            "name": programme.party.name,
            "slug": programme.party.slug,
            "fictional": programme.party.is_fictional,
        },
        "programme": {
            "title": programme.title,
            "slug": programme.slug,
            "election": programme.election.name,
            "election_date": programme.election.date.isoformat(),
            "language": programme.language,
            "imported_at": programme.imported_at.isoformat() if programme.imported_at else None,
            "url": request.build_absolute_uri(programme.get_absolute_url()),
        },
        "sections": [
            {"number": number, "title": title, "parent": parent}
            for number, title, parent in sections
        ],
        "resolutions": [
            {"number": number, "text": text, "section": section}
            for number, text, section in resolutions
        ],
    }
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


@json_errors
def search_json(request: HtmxHttpRequest, slug: str) -> JsonResponse:
    programme = _programme(slug)
    query = _query(request)
    hits = programme_search.find(programme, query) if query else []
    data = {
        "query": query,
        "count": len(hits),
        "results": [
            {
                "number": hit.number,
                "score": round(hit.score, 4),
                "text": hit.text,
                "section": hit.section_number,
            }
            for hit in hits
        ],
    }
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})
