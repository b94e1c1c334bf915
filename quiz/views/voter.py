"""What voters see: the landing page, one statement per screen, the results, the method page.

Nothing about a voter is stored on the server. The answers travel in a signed token
(`quiz.answers`) in the address, `?a=<token>`, and in a hidden form field:

    /stemtest/<slug>/                        what the test is, a start button
    /stemtest/<slug>/stelling/<n>/?a=…       statement n (1-based); POST an answer
    /stemtest/<slug>/resultaat/?a=…          the results, also the share link; POST changes an answer
    /stemtest/<slug>/resultaat.json?a=…      the same result as JSON (or resultaat/?format=json)
    /voorbeeld/<slug>/…                      the same flow for staff, unpublished statements included

Without JavaScript every answer is a plain POST that redirects (303) to the next screen. With
htmx the same POST returns the next screen's fragment and pushes its address, so the back button
and a reload land on the same step. Quiz content comes from `quiz.snapshot`, so a warm request
does no database queries. Bad tokens, unknown statements or answer values get a Dutch 400 page.
"""

from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect, push_url

from quiz import scoring
from quiz.answers import LABELS, Answer, BadAnswers, as_arrays, decode, encode, parse_answer
from quiz.snapshot import QuizSnapshot, get_snapshot, live_quizzes

OUTCOMES = {
    scoring.FULL: ("match", "Zelfde mening"),
    scoring.HALF: ("half", "Deels dezelfde mening"),
    scoring.NO_MATCH: ("nomatch", "Andere mening"),
}
FILTERS = {"alles": "Alle stellingen", "eens": "Waar je het eens bent", "oneens": "Waar je het oneens bent"}


class Urls:
    """Addresses within one quiz's flow, live or preview."""

    def __init__(self, snapshot: QuizSnapshot):
        self.slug = snapshot.slug
        self.prefix = "preview_" if snapshot.preview else ""

    def _with(self, url: str, token: str, **params: str) -> str:
        query = {"a": token, **params} if token else params
        return f"{url}?{urlencode(query, safe=':')}" if query else url

    def landing(self) -> str:
        name = "quiz_preview" if self.prefix else "quiz"
        return reverse(name, args=[self.slug])

    def statement(self, number: int, token: str = "") -> str:
        url = reverse(f"{self.prefix}statement", args=[self.slug, number])
        return self._with(url, token)

    def results(self, token: str = "", **params: str) -> str:
        return self._with(reverse(f"{self.prefix}results", args=[self.slug]), token, **params)

    def results_json(self, token: str = "") -> str:
        return self._with(reverse(f"{self.prefix}results_json", args=[self.slug]), token)


def _see_other(url: str) -> HttpResponse:
    """The redirect after a POST: 303, so the browser GETs the next screen."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _bad_request(request: HttpRequest, message: str, continue_url: str = "") -> HttpResponse:
    context = {"message": message, "continue_url": continue_url}
    return render(request, "quiz/bad_request.html", context, status=400)


def _load(request: HttpRequest, slug: str, preview: bool) -> QuizSnapshot | HttpResponse:
    if preview and not request.user.is_staff:
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    return get_snapshot(slug, preview=preview)


def home(request: HttpRequest) -> HttpResponse:
    quizzes = live_quizzes()
    if len(quizzes) == 1:
        return landing(request, next(iter(quizzes)))
    context = {"quizzes": [(reverse("quiz", args=[slug]), title) for slug, title in quizzes.items()]}
    return render(request, "quiz/home.html", context)


def landing(request: HttpRequest, slug: str, preview: bool = False) -> HttpResponse:
    snapshot = _load(request, slug, preview)
    if isinstance(snapshot, HttpResponse):
        return snapshot
    urls = Urls(snapshot)
    context = {
        "quiz": snapshot,
        "count": len(snapshot),
        "minutes": max(1, round(len(snapshot) * 15 / 60)),
        "parties": snapshot.parties,
        "start_url": urls.statement(1),
    }
    return render(request, "quiz/landing.html", context)


def _statement_context(snapshot: QuizSnapshot, answers: dict[int, Answer], number: int) -> dict:
    urls = Urls(snapshot)
    token = encode(answers, snapshot)
    statement = snapshot.statements[number - 1]
    previous = snapshot.statements[number - 2] if number > 1 else None
    confirmation = ""
    if previous is not None and previous.id in answers:
        answer = answers[previous.id]
        confirmation = f"Je antwoord op stelling {previous.number} is bewaard: {answer.label}"
        confirmation += " (belangrijk)." if answer.important else "."
    return {
        "quiz": snapshot,
        "statement": statement,
        "number": number,
        "total": len(snapshot),
        "answer": answers.get(statement.id),
        "choices": LABELS.items(),
        "token": token,
        "action": urls.statement(number),
        "previous_url": urls.statement(number - 1, token) if previous else urls.landing(),
        "results_url": urls.results(token) if answers else "",
        "confirmation": confirmation,
    }


@vary_on_headers("HX-Request")
@require_http_methods(["GET", "HEAD", "POST"])
def statement(request: HttpRequest, slug: str, number: int, preview: bool = False) -> HttpResponse:
    snapshot = _load(request, slug, preview)
    if isinstance(snapshot, HttpResponse):
        return snapshot
    urls = Urls(snapshot)
    data = request.POST if request.method == "POST" else request.GET
    try:
        answers = decode(data.get("a"), snapshot)
    except BadAnswers as error:
        return _bad_request(request, str(error), urls.landing())
    if request.method == "POST":
        return _answer(request, snapshot, answers)
    if not 1 <= number <= len(snapshot):
        return _bad_request(
            request,
            f"Stelling {number} bestaat niet: deze stemtest heeft {len(snapshot)} stellingen.",
            urls.statement(1, encode(answers, snapshot)),
        )
    context = _statement_context(snapshot, answers, number)
    htmx = request.htmx and not request.htmx.history_restore_request
    context["focus"] = bool(htmx)
    return render(request, "quiz/statement.html#swap" if htmx else "quiz/statement.html", context)


def _answer(request: HttpRequest, snapshot: QuizSnapshot, answers: dict[int, Answer]) -> HttpResponse:
    """Record one POSTed answer and move on to the next statement, or to the results."""
    urls = Urls(snapshot)
    try:
        statement_id = int(request.POST.get("stelling", ""))
        answer = parse_answer(request.POST.get("answer"), request.POST.get("belangrijk"))
    except ValueError as error:
        message = str(error) if isinstance(error, BadAnswers) else "Welke stelling bedoel je?"
        return _bad_request(request, message, urls.statement(1, encode(answers, snapshot)))
    if statement_id not in snapshot.index_of:
        return _bad_request(
            request,
            "Deze stelling staat niet (meer) in de stemtest. Je andere antwoorden zijn bewaard.",
            urls.statement(1, encode(answers, snapshot)),
        )
    answers[statement_id] = answer
    token = encode(answers, snapshot)
    next_number = snapshot.index_of[statement_id] + 2
    if next_number > len(snapshot):
        if request.htmx:
            return HttpResponseClientRedirect(urls.results(token))
        return _see_other(urls.results(token))
    next_url = urls.statement(next_number, token)
    if not request.htmx:
        return _see_other(next_url)
    context = _statement_context(snapshot, answers, next_number)
    context["focus"] = True
    return push_url(render(request, "quiz/statement.html#swap", context), next_url)


def _outcome(points: int, comparable: bool) -> tuple[str, str]:
    return OUTCOMES[points] if comparable else ("none", "Niet vergeleken")


def _results_context(
    snapshot: QuizSnapshot, answers: dict[int, Answer], show: str, party_slug: str
) -> dict:
    urls = Urls(snapshot)
    token = encode(answers, snapshot)
    codes, important = as_arrays(answers, snapshot)
    result = scoring.score(codes, important, snapshot.stances)
    percentages = result.percentages()
    names = [party.name for party in snapshot.parties]
    ranking = [
        {
            "party": snapshot.parties[r.index],
            "percentage": r.percentage,
            "rank": r.rank,
            "tied": r.tied,
            "used": int(result.used[r.index]),
        }
        for r in scoring.rank(percentages, names)
    ]
    by_theme = scoring.by_group(result, snapshot.theme_of, len(snapshot.themes))
    themes = [
        {
            "theme": theme,
            "scores": [
                {"party": party, "percentage": row[p]} for p, party in enumerate(snapshot.parties)
            ],
        }
        for theme, row in zip(snapshot.themes, by_theme)
    ]
    slugs = [party.slug for party in snapshot.parties]
    # The filters compare with one party: the one asked for, else the best match.
    if party_slug in slugs:
        focus = slugs.index(party_slug)
    else:
        focus = slugs.index(ranking[0]["party"].slug) if ranking else None
    wanted = {"eens": scoring.FULL, "oneens": scoring.NO_MATCH}.get(show)
    rows = []
    for index, statement in enumerate(snapshot.statements):
        points = result.points[index]
        if wanted is not None and focus is not None and not (
            result.comparable[index, focus] and points[focus] == wanted
        ):
            continue
        rows.append(
            {
                "statement": statement,
                "answer": answers.get(statement.id),
                "change_url": urls.statement(statement.number, token),
                "parties": [
                    {
                        "party": party,
                        "position": statement.positions[p],
                        "outcome": _outcome(int(points[p]), bool(result.comparable[index, p])),
                    }
                    for p, party in enumerate(snapshot.parties)
                ],
            }
        )
    return {
        "quiz": snapshot,
        "token": token,
        "answered": sum(answer.choice != "overslaan" for answer in answers.values()),
        "total": len(snapshot),
        "ranking": ranking,
        "has_score": any(p is not None for p in percentages),
        "themes": themes,
        "rows": rows,
        "show": show,
        "focus_party": snapshot.parties[focus] if focus is not None else None,
        "filters": [(key, label, urls.results(token, toon=key)) for key, label in FILTERS.items()],
        "choices": LABELS.items(),
        "action": urls.results(),
        "share_url": urls.results(token),
        "json_url": urls.results_json(token),
        "restart_url": urls.statement(1),
    }


def _json(snapshot: QuizSnapshot, answers: dict[int, Answer]) -> JsonResponse:
    context = _results_context(snapshot, answers, "alles", "")
    data = {
        "quiz": {"slug": snapshot.slug, "title": snapshot.title},
        "answered": context["answered"],
        "statements_total": context["total"],
        "parties": [
            {
                "slug": row["party"].slug,
                "name": row["party"].name,
                "percentage": row["percentage"],
                "rank": row["rank"],
                "tied": row["tied"],
                "statements_compared": row["used"],
            }
            for row in context["ranking"]
        ],
        "statements": [
            {
                "id": row["statement"].id,
                "number": row["statement"].number,
                "text": row["statement"].text,
                "answer": row["answer"].choice if row["answer"] else None,
                "belangrijk": bool(row["answer"] and row["answer"].important),
                "parties": {
                    cell["party"].slug: {
                        "stance": cell["position"].stance,
                        "outcome": cell["outcome"][0],
                        "resolutions": [c.number for c in cell["position"].citations],
                    }
                    for cell in row["parties"]
                },
            }
            for row in context["rows"]
        ],
    }
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


@vary_on_headers("HX-Request")
@require_http_methods(["GET", "HEAD", "POST"])
def results(request: HttpRequest, slug: str, preview: bool = False) -> HttpResponse:
    """The results; the address is also the share link. POST changes one answer."""
    snapshot = _load(request, slug, preview)
    if isinstance(snapshot, HttpResponse):
        return snapshot
    urls = Urls(snapshot)
    data = request.POST if request.method == "POST" else request.GET
    try:
        answers = decode(data.get("a"), snapshot)
    except BadAnswers as error:
        return _bad_request(request, str(error), urls.landing())
    if request.method == "POST":
        try:
            statement_id = int(request.POST.get("stelling", ""))
            answer = parse_answer(request.POST.get("answer"), request.POST.get("belangrijk"))
        except ValueError as error:
            message = str(error) if isinstance(error, BadAnswers) else "Welke stelling bedoel je?"
            return _bad_request(request, message, urls.results(encode(answers, snapshot)))
        if statement_id not in snapshot.index_of:
            return _bad_request(
                request,
                "Deze stelling staat niet (meer) in de stemtest.",
                urls.results(encode(answers, snapshot)),
            )
        answers[statement_id] = answer
        target = urls.results(encode(answers, snapshot))
        if not request.htmx:
            return _see_other(f"{target}#s{statement_id}")
        context = _results_context(snapshot, answers, "alles", "")
        context["share_absolute"] = request.build_absolute_uri(context["share_url"])
        number = snapshot.index_of[statement_id] + 1
        context["confirmation"] = f"Je antwoord op stelling {number} is gewijzigd in {answer.label}."
        return push_url(render(request, "quiz/results.html#changed", context), target)
    if request.GET.get("format") == "json":
        return _json(snapshot, answers)
    show = request.GET.get("toon", "alles")
    if show not in FILTERS:
        return _bad_request(request, "Die filter kennen we niet.", urls.results(encode(answers, snapshot)))
    context = _results_context(snapshot, answers, show, request.GET.get("partij", ""))
    context["share_absolute"] = request.build_absolute_uri(context["share_url"])
    htmx = request.htmx and not request.htmx.history_restore_request
    template = "quiz/results.html#comparison" if htmx else "quiz/results.html"
    return render(request, template, context)


@require_http_methods(["GET", "HEAD"])
def results_json(request: HttpRequest, slug: str, preview: bool = False) -> HttpResponse:
    snapshot = _load(request, slug, preview)
    if isinstance(snapshot, HttpResponse):
        return snapshot
    try:
        answers = decode(request.GET.get("a"), snapshot)
    except BadAnswers as error:
        return JsonResponse({"error": str(error)}, status=400)
    return _json(snapshot, answers)


def method(request: HttpRequest) -> HttpResponse:
    """How we compute the result, with the worked example of GUIDE.md computed live."""
    example = scoring.score(
        [scoring.AGREE, scoring.DISAGREE, scoring.NEUTRAL],
        [False, True, False],
        [[scoring.AGREE], [scoring.AGREE], [scoring.DISAGREE]],
    )
    context = {
        "earned": int(example.earned[0]),
        "possible": int(example.possible[0]),
        "percentage": example.percentages()[0],
    }
    return render(request, "quiz/method.html", context)
