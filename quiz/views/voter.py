"""What voters see: the landing page, one statement per screen, the results, the method page.

Nothing about a voter is stored on the server, and with JavaScript nothing about them reaches it:

    /stemtest/<slug>/                        what the test is, a start button
    /stemtest/<slug>/stelling/<n>/           statement n (1-based); POST an answer (no JavaScript)
    /stemtest/<slug>/stellingen/             the bundle: every statement's screen and the
                                             results' templates and data, for the device
    /stemtest/<slug>/resultaat/              the results: on the device from the bundle and the
                                             answers in the fragment (#antwoorden=…); with
                                             ?a=<token> rendered here; POST changes one answer
    /stemtest/<slug>/resultaat.json?a=…      the same result as JSON (or resultaat/?format=json)
    /voorbeeld/<slug>/…                      the same flow for staff, with unpublished statements

With JavaScript (static/js/quiz.js and results.js) the quiz runs on the voter's device:
statement 1's page fetches the bundle, the voter answers without a request, and the results are
computed and shown from the same bundle, at an address whose fragment holds the answers (a
browser never sends a fragment). Every request of such a quiz is the same for every voter and
cacheable (`_cache_for_all`): the landing page, statement 1, the bundle, the results page.

Without JavaScript (or without the bundle) every answer is a plain POST that redirects (303) to
the next screen, the answers in a signed token (`quiz.answers`) in the address, `?a=<token>`, and
in a hidden form field. Quiz content comes from `quiz.snapshot`, so a warm request does no
database queries. Bad tokens, unknown statements or answer values get a Dutch 400 page.

The answer POSTs are exempt from CSRF protection on purpose: they change nothing on the server
and only compute the address of the next screen, just like following a link would. So voters
get no cookie at all, and the pages can be cached with a hole for the token only.
"""

import functools
import gzip
import hashlib
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db import Error as DatabaseFailure
from django.db.models import Count
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.csp import CSP
from django.utils.html import json_script
from django.utils.translation import get_language, gettext_lazy, ngettext, pgettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from quiz import scoring, statistics
from quiz.answers import (
    Answer,
    BadAnswers,
    Choice,
    as_arrays,
    codec,
    decode,
    encode,
    parse,
    parse_answer,
)
from quiz.models import Programme, Quiz, Stance, translated
from quiz.preview_image import preview_png
from quiz.snapshot import QuizSnapshot, get_snapshot, live_quizzes, scoring_code
from quiz.views import HtmxHttpRequest, json_errors

OUTCOMES = {  # a code (CSS, JSON) and its label
    scoring.FULL: ("match", gettext_lazy("Zelfde mening")),
    scoring.HALF: ("half", gettext_lazy("Deels dezelfde mening")),
    scoring.NO_MATCH: ("nomatch", gettext_lazy("Andere mening")),
}
FILTERS = {  # short, to fit a phone's width in one line (the nav says what they filter)
    "alles": pgettext_lazy("results filter", "Alle"),
    "eens": pgettext_lazy("results filter", "Eens"),
    "deels": pgettext_lazy("results filter", "Deels eens"),
    "oneens": pgettext_lazy("results filter", "Oneens"),
}
IMPORTANT_FIRST = "belangrijk"  # ?volgorde=belangrijk: the statements marked belangrijk first


def _path(name: str, *args: str | int) -> str:
    """reverse(), once per address and language (i18n_patterns: /fr/…, /en/…)."""
    return _reversed(get_language(), name, args)


@functools.cache
def _reversed(language: str, name: str, args: tuple[str | int, ...]) -> str:
    return reverse(name, args=args)


SAVED_PARAM = "bewaard"  # the statement whose answer was just saved, after the redirect


class Urls:
    """Addresses within one quiz's flow, live or preview."""

    def __init__(self, snapshot: QuizSnapshot):
        self.slug = snapshot.slug
        self.prefix = "preview:" if snapshot.preview else ""  # quiz/urls.py's namespace

    def _with(self, url: str, token: str, **params: str) -> str:
        query = {"a": token, **params} if token else params
        return f"{url}?{urlencode(query, safe=':')}" if query else url

    def landing(self) -> str:
        return _path(f"{self.prefix}quiz", self.slug)

    def statement(self, number: int, token: str = "", saved: int | None = None) -> str:
        url = _path(f"{self.prefix}statement", self.slug, number)
        return self._with(url, token, **({SAVED_PARAM: str(saved)} if saved else {}))

    def statements(self) -> str:
        return _path(f"{self.prefix}statements", self.slug)

    def review(self, token: str = "", saved: int | None = None) -> str:
        url = _path(f"{self.prefix}review", self.slug)
        return self._with(url, token, **({SAVED_PARAM: str(saved)} if saved else {}))

    def results(self, token: str = "", **params: str) -> str:
        return self._with(_path(f"{self.prefix}results", self.slug), token, **params)

    def results_json(self, token: str = "") -> str:
        return self._with(_path(f"{self.prefix}results_json", self.slug), token)


SHARE_DESCRIPTION = gettext_lazy(
    "Vergelijk je mening met de partijprogramma’s, en lees waarom je overeenkomt."
)


def _share_meta(request: HtmxHttpRequest, snapshot: QuizSnapshot) -> dict[str, str]:
    """The social preview's picture (an absolute address, as networks want it) and words; none
    for the preview, which is not shared."""
    if snapshot.preview:
        return {}
    return {
        "share_image": request.build_absolute_uri(_path("share_image", snapshot.slug)),
        "share_description": str(SHARE_DESCRIPTION),
    }


# Voter pages are rendered with this placeholder instead of the voter's answer token, cached
# per snapshot and answer state, and filled in per request (`_page`).
TOKEN_HOLE = "STEMTESTANSWERTOKEN"
HOLES = {"token": TOKEN_HOLE}
CONFIRMATION_HOLE = "STEMTESTHOLEconfirmation"  # a short text made of our own labels
PUBLIC_MAX_AGE = 60  # seconds a page without a token may be cached (see _cache_for_all)
MAX_FRAGMENTS = 5_000  # a few MB per quiz at most
BLANK_LINES = re.compile(r"\n\s+")  # template indentation; none of our pages has <pre>


def cached_fragment(
    snapshot: QuizSnapshot, key: tuple, template: str, context: Callable[[], dict]
) -> bytes:
    """`template` rendered with `context()` and the holes, once per snapshot and `key`.

    `key` must capture everything in the context that varies: the snapshot (its version) covers
    the quiz content, the holes cover the tokens, so a key is a few answer states. Fragments are
    kept as UTF-8 bytes: joining and filling bytes is cheaper than encoding a 130 kB results page
    on every request."""
    html = snapshot.fragments.get(key)
    if html is None:
        if len(snapshot.fragments) >= MAX_FRAGMENTS:
            snapshot.fragments.clear()
        html = BLANK_LINES.sub("\n", render_to_string(template, {**context(), **HOLES})).encode()
        snapshot.fragments[key] = html
    return html


def _fill(html: bytes, token: str) -> bytes:
    """Fill the token hole of rendered HTML with this voter's token. Without one, links lose
    their empty `a=` too: one address per page, for the voter and for a cache."""
    hole = TOKEN_HOLE.encode()
    if not token:
        html = html.replace(b"?a=" + hole + b"&amp;", b"?").replace(b"?a=" + hole, b"")
    return html.replace(hole, token.encode())


def _page(html: bytes, token: str) -> HttpResponse:
    return HttpResponse(_fill(html, token))


def _see_other(url: str) -> HttpResponse:
    """The redirect after a POST: 303, so the browser GETs the next screen."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _private_by_default(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Voter responses may hold a voter's answers (a token, a results page, a redirect to
    one), so no cache may keep them, not even the browser's on disk, unless the view made them
    public."""

    @functools.wraps(view)
    def wrapped(request: HtmxHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        if "slug" in kwargs and not kwargs.get("preview"):
            _let_partners_frame(response, kwargs["slug"])
        return response

    return wrapped


def _let_partners_frame(response: HttpResponse, slug: str) -> None:
    """A live quiz's pages may be framed by the sites its editors allowed (Quiz.embed_origins,
    `/embed/<slug>/`), and by no one else; every other page keeps `frame-ancestors 'none'` and
    X-Frame-Options: DENY (settings)."""
    try:
        snapshot = get_snapshot(slug)  # the view's own, from this process's memory
    except (Http404, DatabaseFailure):
        return  # the page is an error page of its own
    if isinstance(snapshot, QuizSnapshot) and snapshot.embed_origins:
        response._csp_config = {  # type: ignore[attr-defined]  # read by Django's CSP middleware
            **settings.SECURE_CSP,
            "frame-ancestors": [CSP.SELF, *snapshot.embed_origins],
        }
        response.xframe_options_exempt = True


# A voter's POST is a few answers, or all of them from quiz.js (answers.MAX_PAIRS_LENGTH): never
# more than this. A larger body (a file, say) is refused before Django reads any of it.
MAX_VOTER_BODY = 32 * 1024


def _small_body(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def checked(request: HtmxHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "POST":
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = MAX_VOTER_BODY + 1
            if length > MAX_VOTER_BODY:
                response = _render(
                    "quiz/bad_request.html",
                    {"message": _("Dat is meer dan antwoorden op stellingen: we lezen het niet.")},
                    status=413,
                )
                response["Connection"] = "close"  # the rest of the body stays unread
                return response
        return view(request, *args, **kwargs)

    return checked


def _render(template: str, context: dict, status: int = 200) -> HttpResponse:
    """Render a voter page. Without the request on purpose: no context processors, so no CSRF
    cookie and nothing else about the visitor ends up in the page."""
    return HttpResponse(render_to_string(template, context), status=status)


def _bad_request(request: HtmxHttpRequest, message: str, continue_url: str = "") -> HttpResponse:
    context = {"message": message, "continue_url": continue_url}
    return _render("quiz/bad_request.html", context, status=400)


def _load(request: HtmxHttpRequest, slug: str, preview: bool) -> QuizSnapshot | HttpResponse:
    if preview and not request.user.is_staff:
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    return get_snapshot(slug, preview=preview)


def _load_answers(
    request: HtmxHttpRequest, slug: str, preview: bool
) -> tuple[QuizSnapshot, dict[int, Answer]] | HttpResponse:
    """The snapshot and the voter's answers, or the response to send instead: a login for a
    preview, a friendly 400 for a bad token. A POST carries them in the form: signed (`a`), or
    as quiz.js kept them on the device (`antwoorden`, unsigned), which then count instead."""
    snapshot = _load(request, slug, preview)
    if isinstance(snapshot, HttpResponse):
        return snapshot
    data = request.POST if request.method == "POST" else request.GET
    try:
        if request.method == "POST" and "antwoorden" in data:
            return snapshot, parse(data["antwoorden"], snapshot)
        return snapshot, decode(data.get("a"), snapshot)
    except BadAnswers as error:
        return _bad_request(request, str(error), Urls(snapshot).landing())


def home(request: HtmxHttpRequest) -> HttpResponse:
    quizzes = live_quizzes()
    if len(quizzes) == 1:
        return landing(request, next(iter(quizzes)))
    context = {
        "quizzes": [(reverse("quiz", args=[slug]), title) for slug, title in quizzes.items()]
    }
    return _render("quiz/home.html", context)


@_private_by_default
def landing(request: HtmxHttpRequest, slug: str, preview: bool = False) -> HttpResponse:
    snapshot = _load(request, slug, preview)
    if isinstance(snapshot, HttpResponse):
        return snapshot
    context = {
        "quiz": snapshot,
        "count": len(snapshot),
        "minutes": max(1, round(len(snapshot) * 15 / 60)),
        "parties": snapshot.parties,
        "start_url": Urls(snapshot).statement(1),
        **_share_meta(request, snapshot),
    }
    key = ("landing", request.get_host(), request.is_secure())
    html = cached_fragment(snapshot, key, "quiz/landing.html", lambda: context)
    return _cache_for_all(HttpResponse(html), snapshot)


@_private_by_default
@require_http_methods(["GET", "HEAD"])
def share_image(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """The quiz's social preview picture (quiz/preview_image.py), drawn once per snapshot."""
    snapshot = _load(request, slug, False)
    if isinstance(snapshot, HttpResponse):
        return snapshot
    png = snapshot.fragments.get(("share-image",))
    if png is None:
        png = snapshot.fragments[("share-image",)] = preview_png(snapshot)
    return _cache_for_all(HttpResponse(png, content_type="image/png"), snapshot)


@_private_by_default
@require_http_methods(["GET", "HEAD"])
def about(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Over deze stemtest: who made it and how, the method, the date of the facts, the sources
    (each party's programme), and what is stored (nothing). The same for every voter."""
    snapshot = _load(request, slug, False)
    if isinstance(snapshot, HttpResponse):
        return snapshot
    quiz = Quiz.objects.select_related("election").get(slug=slug)
    about, about_original = translated(quiz, "about", snapshot.language)
    programmes = {
        programme.party_id: programme
        for programme in Programme.objects.filter(
            election=quiz.election, party__in=quiz.parties.all()
        ).annotate(resolution_count=Count("resolutions"))
    }
    parties = [
        {"party": party, "programme": programmes.get(party.pk)}
        for party in quiz.parties.order_by("name")
    ]
    context = {
        "quiz": snapshot,
        "about": about,
        "about_original": about_original,  # shown in Dutch: not translated yet
        "facts_as_of": quiz.facts_as_of,
        "election": quiz.election,
        "parties": parties,
        "count": len(snapshot),
        "themes": snapshot.themes,
        "start_url": Urls(snapshot).statement(1),
        **_share_meta(request, snapshot),
    }
    return _cache_for_all(render(request, "quiz/about.html", context), snapshot)


def _step_context(
    snapshot: QuizSnapshot, answers: dict[int, Answer], number: int, *, local: bool
) -> dict:
    """The context of statement `number`'s screen. `local`: the copy quiz.js shows, without a
    token and with a results link that it shows once there are answers."""
    urls = Urls(snapshot)
    token = "" if local else TOKEN_HOLE
    statement = snapshot.statements[number - 1]
    return {
        "quiz": snapshot,
        "statement": statement,
        "number": number,
        "total": len(snapshot),
        "answer": answers.get(statement.id),
        "choices": Choice.choices,
        "codec": codec(),
        "action": urls.statement(number),
        "previous_url": urls.statement(number - 1, token) if number > 1 else urls.landing(),
        # An answered statement goes on to the next without answering again.
        "next_url": urls.statement(number + 1, token) if number < len(snapshot) else "",
        "results_url": urls.results(token) if answers or local else "",
        "review_url": urls.review(token),
        "bundle_url": urls.statements(),
        "confirmation": CONFIRMATION_HOLE,
        "local": local,
    }


def _statement_page(
    snapshot: QuizSnapshot,
    answers: dict[int, Answer],
    number: int,
    *,
    token: str,
    confirm: bool = False,
) -> HttpResponse:
    """Statement `number`; with `confirm`, right after the answer before it was posted, the
    status says it was saved."""
    statement = snapshot.statements[number - 1]
    key = ("statement", number, answers.get(statement.id), bool(answers), confirm)
    html = cached_fragment(
        snapshot,
        key,
        "quiz/statement.html",
        lambda: {**_step_context(snapshot, answers, number, local=False), "focus": confirm},
    )
    confirmation = ""
    previous = snapshot.statements[number - 2] if number > 1 else None
    if confirm and previous is not None and previous.id in answers:
        confirmation = answers[previous.id].saved(previous.number)
    return _page(html.replace(CONFIRMATION_HOLE.encode(), confirmation.encode()), token)


def _cache_for_all(response: HttpResponse, snapshot: QuizSnapshot) -> HttpResponse:
    """A live page without an answer token is the same for every voter: browsers and a CDN may
    keep it for a minute (a publish reaches voters that much later). The preview stays
    private (see `_private_by_default`)."""
    if not snapshot.preview:
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    return response


def _accepts_gzip(accept_encoding: str) -> bool:
    """Whether an Accept-Encoding header lists gzip with a quality above zero."""
    for coding in accept_encoding.split(","):
        name, *params = (part.strip().lower() for part in coding.split(";"))
        if name == "gzip":
            quality = next((p.removeprefix("q=") for p in params if p.startswith("q=")), "1")
            try:
                return float(quality) > 0
            except ValueError:
                return False
    return False


@_private_by_default
@csrf_exempt  # read-only; refuses a POST with 405 rather than with the CSRF check's 403
@require_http_methods(["GET", "HEAD"])
def statements(request: HtmxHttpRequest, slug: str, preview: bool = False) -> HttpResponse:
    """Every statement's screen in one HTML fragment, for quiz.js: with it the voter answers
    on their own device, without a request per answer. The same bytes for every voter, so
    cacheable, with an ETag for a cheap revalidation."""
    snapshot = _load(request, slug, preview)
    if isinstance(snapshot, HttpResponse):
        return snapshot
    bundle = snapshot.fragments.get(("statements",))
    if bundle is None:
        steps = b"".join(
            b'<template data-number="%d" data-stelling="%d">%s</template>'
            % (
                number,
                statement.id,
                _fill(
                    cached_fragment(
                        snapshot,
                        ("local-step", number),
                        "quiz/statement.html#step",
                        functools.partial(_step_context, snapshot, {}, number, local=True),
                    ),
                    "",
                ),
            )
            for number, statement in enumerate(snapshot.statements, start=1)
        )
        results_url = Urls(snapshot).results().encode()
        content = (
            b'<div id="stellingen" data-total="%d" data-results="%s" data-version="%d">%s</div>'
            % (
                len(snapshot),
                results_url,
                snapshot.version,
                steps,
            )
        )
        review_html = render_to_string(
            "quiz/review.html#review", _review_context(snapshot, {}, token="", local=True)
        )
        content += b'<template id="overzicht">%s</template>' % _fill(
            BLANK_LINES.sub("\n", review_html).encode(), ""
        )
        content += b'<template id="resultaten">%s</template>' % _results_bundle(snapshot)
        digest = hashlib.blake2b(content, digest_size=12).hexdigest()
        # Compressed once per content version: 80 kB becomes 8 kB for a phone on 4G. Each
        # coding has its own (strong) ETag, so a cache never answers one with the other.
        bundle = {
            "": (content, f'"{digest}"'),
            "gzip": (gzip.compress(content, mtime=0), f'"{digest}-gzip"'),
        }
        snapshot.fragments[("statements",)] = bundle
    coding = "gzip" if _accepts_gzip(request.headers.get("Accept-Encoding", "")) else ""
    body, etag = bundle[coding]
    response = HttpResponse(body)
    if coding:
        response["Content-Encoding"] = coding
    response["ETag"] = etag
    patch_vary_headers(response, ["Accept-Encoding"])
    response = _cache_for_all(response, snapshot)
    return get_conditional_response(request, etag, response=response) or response


@_private_by_default
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
@_small_body
def statement(
    request: HtmxHttpRequest, slug: str, number: int, preview: bool = False
) -> HttpResponse:
    loaded = _load_answers(request, slug, preview)
    if isinstance(loaded, HttpResponse):
        return loaded
    snapshot, answers = loaded
    if request.method == "POST" and request.POST.get("answer") == "":
        # The form's first, hidden button: Enter in the "Belangrijk" checkbox "presses" it
        # (without JavaScript). It answers nothing: back to the same screen, at the checkbox.
        number = number if 1 <= number <= len(snapshot) else 1
        url = Urls(snapshot).statement(number, encode(answers, snapshot))
        return _see_other(f"{url}#belangrijk")
    if request.method == "POST":
        return _answer(request, snapshot, answers)
    if not 1 <= number <= len(snapshot):
        return _bad_request(
            request,
            ngettext(
                "Stelling %(number)s bestaat niet: deze stemtest heeft %(total)s stelling.",
                "Stelling %(number)s bestaat niet: deze stemtest heeft %(total)s stellingen.",
                len(snapshot),
            )
            % {"number": number, "total": len(snapshot)},
            Urls(snapshot).statement(1, encode(answers, snapshot)),
        )
    token = encode(answers, snapshot, previous=request.GET.get("a", ""))
    # The redirect after a posted answer says which statement it saved (`bewaard`, a number,
    # no answer); "Vorige" and a reload confirm nothing.
    confirm = number > 1 and request.GET.get(SAVED_PARAM) == str(number - 1)
    response = _statement_page(snapshot, answers, number, token=token, confirm=confirm)
    # Only the page that every voter gets alike: not an address with answers in it, even when
    # they no longer count.
    if "a" not in request.GET:
        _cache_for_all(response, snapshot)
    return response


def _review_context(
    snapshot: QuizSnapshot, answers: dict[int, Answer], *, token: str, local: bool
) -> dict:
    urls = Urls(snapshot)
    return {
        "quiz": snapshot,
        "rows": [
            {
                "statement": statement,
                "answer": answers.get(statement.id),
                "url": urls.statement(number, token),
            }
            for number, statement in enumerate(snapshot.statements, start=1)
        ],
        "answered": sum(answer.choice != Choice.OVERSLAAN for answer in answers.values()),
        "unanswered": sum(statement.id not in answers for statement in snapshot.statements),
        "action": urls.review(),
        "previous_url": urls.statement(len(snapshot), token),
        "bundle_url": urls.statements(),
        "codec": codec(),
        "token": token,
        "local": local,
    }


@_private_by_default
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
@_small_body
def review(request: HtmxHttpRequest, slug: str, preview: bool = False) -> HttpResponse:
    """The overview before the results: every answer, a link back to each statement, and
    "belangrijk" to tick (StemWijzer's "welke stellingen vond je belangrijk?"). The POST sets
    belangrijk for every statement answered (not skipped) and goes on to the results."""
    loaded = _load_answers(request, slug, preview)
    if isinstance(loaded, HttpResponse):
        return loaded
    snapshot, answers = loaded
    if request.method == "POST":
        for statement_id, answer in list(answers.items()):
            if answer.choice != Choice.OVERSLAAN:
                ticked = request.POST.get(f"belangrijk-{statement_id}") == "1"
                answers[statement_id] = Answer(answer.choice, ticked)
        return _see_other(Urls(snapshot).results(encode(answers, snapshot)))
    token = encode(answers, snapshot, previous=request.GET.get("a", ""))
    last = snapshot.statements[-1] if len(snapshot) else None
    saved = request.GET.get(SAVED_PARAM) == str(len(snapshot)) and last and last.id in answers
    context = {
        **_review_context(snapshot, answers, token=token, local=False),
        "focus": bool(saved),
        "confirmation": answers[last.id].saved(last.number) if saved and last else "",
    }
    response = _render("quiz/review.html", context)
    if "a" not in request.GET:
        _cache_for_all(response, snapshot)
    return response


def _posted_answer(
    request: HtmxHttpRequest, snapshot: QuizSnapshot, *, per_statement: bool = False
) -> tuple[int, Answer]:
    """The statement id and the answer a form POSTed: `answer` and `belangrijk`, or, where one
    form holds every statement (`per_statement`, the results page), `answer-<id>` and
    `belangrijk-<id>` of the statement the pressed button names. BadAnswers, in words for the
    voter, for anything else."""
    try:
        statement_id = int(request.POST.get("stelling", ""))
    except ValueError:
        raise BadAnswers(_("Welke stelling bedoel je?")) from None
    suffix = f"-{statement_id}" if per_statement else ""
    answer = parse_answer(
        request.POST.get(f"answer{suffix}"), request.POST.get(f"belangrijk{suffix}")
    )
    if statement_id not in snapshot.index_of:
        raise BadAnswers(
            _("Deze stelling staat niet (meer) in de stemtest. Je andere antwoorden zijn bewaard.")
        )
    return statement_id, answer


def _answer(
    request: HtmxHttpRequest, snapshot: QuizSnapshot, answers: dict[int, Answer]
) -> HttpResponse:
    """Record one POSTed answer and move on to the next statement, or to the results."""
    urls = Urls(snapshot)
    try:
        statement_id, answer = _posted_answer(request, snapshot)
    except BadAnswers as error:
        return _bad_request(request, str(error), urls.statement(1, encode(answers, snapshot)))
    answers[statement_id] = answer
    token = encode(answers, snapshot)
    next_number = snapshot.index_of[statement_id] + 2
    if next_number > len(snapshot):  # the overview, where "belangrijk" can be ticked
        return _see_other(urls.review(token, saved=next_number - 1))
    return _see_other(urls.statement(next_number, token, saved=next_number - 1))


def _outcome(points: int, comparable: bool) -> tuple[str, str]:
    if not comparable:
        return "none", _("Niet vergeleken")
    code, label = OUTCOMES[points]
    return code, str(label)


def _comparison(snapshot: QuizSnapshot, row: tuple) -> dict[str, Any]:
    """One statement of the comparison: the voter's answer and each party's position."""
    statement, answer, points, comparable = row
    return {
        "statement": statement,
        "answer": answer,
        "action": Urls(snapshot).results(),
        "choices": Choice.choices,
        "parties": [
            {
                "party": party,
                "position": statement.positions[p],
                "outcome": _outcome(points[p], comparable[p]),
            }
            for p, party in enumerate(snapshot.parties)
        ],
    }


def _results_context(
    snapshot: QuizSnapshot,
    answers: dict[int, Answer],
    show: str,
    party_slug: str,
    important_first: bool = False,
) -> dict:
    """Scores, ranking, themes and the per-statement comparison (as plain data)."""
    codes, important = as_arrays(answers, snapshot)
    result = scoring.score(codes, important, snapshot.stances)
    percentages = result.percentages()
    names = [party.name for party in snapshot.parties]
    used = result.used.tolist()
    ranking = [
        {
            "party": snapshot.parties[r.index],
            "percentage": r.percentage,
            "rank": r.rank,
            "tied": r.tied,
            "used": used[r.index],
        }
        for r in scoring.rank(percentages, names)
    ]
    by_theme = scoring.by_group(result, snapshot.theme_of, len(snapshot.themes))
    themes = [
        {
            "index": index,
            "theme": theme,
            "scores": [
                {"party": party, "percentage": row[p]} for p, party in enumerate(snapshot.parties)
            ],
        }
        for index, (theme, row) in enumerate(zip(snapshot.themes, by_theme, strict=True))
    ]
    slugs = [party.slug for party in snapshot.parties]
    # The filters compare with one party: the one asked for, else the best match.
    focus: int | None
    if party_slug in slugs:
        focus = slugs.index(party_slug)
    else:
        focus = slugs.index(ranking[0]["party"].slug) if ranking else None
    wanted = {"eens": scoring.FULL, "deels": scoring.HALF, "oneens": scoring.NO_MATCH}.get(show)
    points, comparable = result.points.tolist(), result.comparable.tolist()
    rows = [
        (statement, answers.get(statement.id), points[index], comparable[index])
        for index, statement in enumerate(snapshot.statements)
        if wanted is None
        or focus is None
        or (comparable[index][focus] and points[index][focus] == wanted)
    ]
    if important_first:  # stable: within each group, the quiz's order
        rows.sort(key=lambda row: not (row[1] and row[1].important))
    return {
        "quiz": snapshot,
        "answered": sum(answer.choice != Choice.OVERSLAAN for answer in answers.values()),
        "total": len(snapshot),
        "ranking": ranking,
        "has_score": any(p is not None for p in percentages),
        "themes": themes,
        "rows": rows,
        "show": show,
        "important_first": important_first,
        "focus_party": snapshot.parties[focus] if focus is not None else None,
        "compared_note": len(snapshot.parties) > 1 and show != "alles",
    }


def _results_page(
    request: HtmxHttpRequest,
    snapshot: QuizSnapshot,
    answers: dict[int, Answer],
    *,
    token: str,
    show: str = "alles",
    party_slug: str = "",
    important_first: bool = False,
) -> HttpResponse:
    """The results, assembled from cached pieces: the page around the scores, and per
    statement, ranking row and theme row a fragment for each of its few states (an answer, a
    percentage). Only the assembly happens per request."""
    context = _results_context(snapshot, answers, show, party_slug, important_first)
    several = len(snapshot.parties) > 1
    rows = b"".join(
        cached_fragment(
            snapshot,
            ("row", row[0].id, row[1]),
            "quiz/results.html#row",
            functools.partial(_comparison, snapshot, row),
        )
        for row in context["rows"]
    )
    ranking = [
        cached_fragment(
            snapshot,
            ("ranking", *_ranking_key(row)),
            "quiz/results.html#ranking-row",
            functools.partial(dict, row=row, several=several),
        )
        for row in context["ranking"]
    ]
    summary = b"".join([b'<ol class="ranking">', *ranking, b"</ol>"])
    if not several and context["has_score"]:
        row = context["ranking"][0]
        headline = cached_fragment(
            snapshot,
            ("headline", row["percentage"]),
            "quiz/results.html#headline",
            lambda: {"row": row},
        )
        summary = headline + summary
    themes = b"".join(
        cached_fragment(
            snapshot,
            ("theme", row["theme"].slug, *(cell["percentage"] for cell in row["scores"])),
            "quiz/results.html#theme-row",
            functools.partial(dict, row=row),
        )
        for row in context["themes"]
    )
    score_bar = b" ".join(
        cached_fragment(
            snapshot,
            ("score-item", row["party"].slug, row["percentage"]),
            "quiz/results.html#score-item",
            functools.partial(dict, row=row),
        )
        for row in context["ranking"][:SCORE_BAR_PARTIES]
        if row["percentage"] is not None
    )
    focus = context["focus_party"]
    focus_slug = focus.slug if focus and party_slug else ""
    frame_key = (
        "results",
        show,
        important_first,
        focus and focus.slug,
        context["has_score"],
        bool(context["rows"]),
        request.get_host(),
        request.is_secure(),
    )

    def frame_context() -> dict:
        share_url = Urls(snapshot).results(TOKEN_HOLE)
        return {
            **_frame_context(snapshot, context, show, focus_slug, important_first),
            "share_absolute": request.build_absolute_uri(share_url),
            "json_url": Urls(snapshot).results_json(TOKEN_HOLE),
            **_share_meta(request, snapshot),
        }

    frame = cached_fragment(snapshot, frame_key, "quiz/results.html", frame_context)
    before, after = (
        frame.replace(b"STEMTESTHOLEsummary_html", summary)
        .replace(b"STEMTESTHOLEthemes_html", themes)
        .replace(b"STEMTESTHOLEscore_bar_html", score_bar)
        .replace(b"STEMTESTHOLEanswered", str(context["answered"]).encode())
        .split(b"STEMTESTHOLErows")
    )
    return _page(b"".join([before, rows, after]), token)


SCORE_BAR_PARTIES = 3  # the best matches in the sticky score bar


def _ranking_key(row: dict) -> tuple:
    return (row["party"].slug, row["percentage"], row["rank"], row["tied"], row["used"])


def _frame_context(
    snapshot: QuizSnapshot, context: dict, show: str, focus_slug: str, important_first: bool
) -> dict:
    """The results page around its rows, ranking and themes (holes): the filters, the party to
    compare with, the order, the share link (with the token hole)."""
    urls = Urls(snapshot)
    several = len(snapshot.parties) > 1
    return {
        **context,
        "codec": codec(),
        "bundle_url": urls.statements(),
        "filters": [
            (key, label, urls.results(TOKEN_HOLE, **_view(key, focus_slug, important_first)))
            for key, label in FILTERS.items()
        ],
        # Compare with another party; and the belangrijk ones first, or not.
        "party_filters": [
            (party, urls.results(TOKEN_HOLE, **_view(show, party.slug, important_first)))
            for party in snapshot.parties
        ]
        if several
        else [],
        "order_url": urls.results(TOKEN_HOLE, **_view(show, focus_slug, not important_first)),
        "share_url": urls.results(TOKEN_HOLE),
        "restart_url": urls.statement(1),
        **{
            name: f"STEMTESTHOLE{name}"
            for name in ("summary_html", "themes_html", "answered", "score_bar_html")
        },
        "rows_html": "STEMTESTHOLErows",
    }


def _results_bundle(snapshot: QuizSnapshot) -> bytes:
    """What the device needs to show the results without sending an answer: the results
    page's frame and, for every party, theme and statement, its part, all rendered here by the
    same templates as the server's results, for no answers; and as JSON the stances and the
    words for what results.js fills in (the scoring itself is static/js/scoring.js)."""
    context = _results_context(snapshot, {}, "alles", "")
    several = len(snapshot.parties) > 1

    def parts(name: str, template: str, contexts: list[dict]) -> str:
        html = "".join(
            render_to_string(f"quiz/results.html#{template}", {**ctx, **HOLES}) for ctx in contexts
        )
        return f'<template data-part="{name}">{html}</template>'

    ranking = sorted(context["ranking"], key=lambda row: snapshot.parties.index(row["party"]))
    frame = str(
        render_to_string(
            "quiz/results.html#results", _frame_context(snapshot, context, "alles", "", False)
        )
    )
    for hole in ("summary_html", "themes_html", "answered", "score_bar_html", "rows"):
        frame = frame.replace(f"STEMTESTHOLE{hole}", "")
    data = {
        "statements": [statement.id for statement in snapshot.statements],
        "numbers": [statement.number for statement in snapshot.statements],
        "stances": snapshot.stances.tolist(),
        "themes": snapshot.theme_of.tolist(),
        "themeCount": len(snapshot.themes),
        "parties": [
            {"slug": party.slug, "name": party.name, "short": party.short}
            for party in snapshot.parties
        ],
        "codes": {choice: scoring_code(choice) for choice in Choice.values},
        "outcomes": {str(points): _outcome(points, True) for points in OUTCOMES}
        | {"none": _outcome(0, False)},
        "unanswered": _("niet beantwoord"),
        # Translators: results.js fills in {number} and {answer} (an answer label, maybe with
        # " (belangrijk)"): str.format placeholders, keep them as they are.
        "changed": _("Je antwoord op stelling {number} is gewijzigd in {answer}."),
        "scoreBarParties": SCORE_BAR_PARTIES,
        "filters": {"eens": scoring.FULL, "deels": scoring.HALF, "oneens": scoring.NO_MATCH},
    }
    content = "".join(
        [
            json_script(data, "result-data"),
            frame,
            parts(
                "ranking",
                "ranking-row",
                [{"row": row, "several": several} for row in ranking],
            ),
            parts("headline", "headline", [{"row": ranking[0]}] if ranking else []),
            parts("themes", "theme-row", [{"row": row} for row in context["themes"]]),
            parts(
                "score-items",
                "score-item",
                [{"row": {**row, "percentage": ""}} for row in ranking],
            ),
            parts(
                "rows",
                "row",
                [_comparison(snapshot, row) for row in context["rows"]],
            ),
        ]
    )
    return _fill(BLANK_LINES.sub("\n", content).encode(), "")


def _view(show: str, party_slug: str, important_first: bool) -> dict[str, str]:
    """The results' query parameters for a filter, a party to compare with and an order; the
    defaults are left out."""
    view = {"toon": show} if show != "alles" else {}
    if party_slug:
        view["partij"] = party_slug
    if important_first:
        view["volgorde"] = IMPORTANT_FIRST
    return view


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
            for row in map(functools.partial(_comparison, snapshot), context["rows"])
        ],
    }
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


@_private_by_default
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
@_small_body
def results(request: HtmxHttpRequest, slug: str, preview: bool = False) -> HttpResponse:
    """The results; the address is also the share link. POST changes one answer."""
    loaded = _load_answers(request, slug, preview)
    if isinstance(loaded, HttpResponse):
        return loaded
    snapshot, answers = loaded
    urls = Urls(snapshot)
    if request.method == "POST":
        # A changed answer (the page without JavaScript): back to its row, with the new score.
        try:
            statement_id, answer = _posted_answer(request, snapshot, per_statement=True)
        except BadAnswers as error:
            return _bad_request(request, str(error), urls.results(encode(answers, snapshot)))
        answers[statement_id] = answer
        return _see_other(f"{urls.results(encode(answers, snapshot))}#s{statement_id}")
    if request.GET.get("format") == "json":
        return _json(snapshot, answers)
    show = request.GET.get("toon", "alles")
    if show not in FILTERS:
        return _bad_request(
            request, _("Die filter kennen we niet."), urls.results(encode(answers, snapshot))
        )
    party_slug = request.GET.get("partij", "")
    if party_slug and party_slug not in {party.slug for party in snapshot.parties}:
        return _bad_request(
            request, _("Die partij doet niet mee."), urls.results(encode(answers, snapshot))
        )
    important_first = request.GET.get("volgorde") == IMPORTANT_FIRST

    def page() -> HttpResponse:
        token = encode(answers, snapshot, previous=request.GET.get("a", ""))
        return _results_page(
            request,
            snapshot,
            answers,
            token=token,
            show=show,
            party_slug=party_slug,
            important_first=important_first,
        )

    if "a" in request.GET:
        return page()
    # Without a token: the page that results.js fills in on the device from the answers in the
    # fragment, the same for every voter, so kept whole.
    key = ("results-page", show, party_slug, important_first, request.get_host())
    html = snapshot.fragments.get(key)
    if html is None:
        html = snapshot.fragments[key] = page().content
    return _cache_for_all(HttpResponse(html), snapshot)


@_private_by_default
@csrf_exempt  # read-only; refuses a POST with 405 rather than with the CSRF check's 403
@require_http_methods(["GET", "HEAD"])
@json_errors
def results_json(request: HtmxHttpRequest, slug: str, preview: bool = False) -> HttpResponse:
    snapshot = _load(request, slug, preview)
    if isinstance(snapshot, HttpResponse):
        return snapshot
    try:
        answers = decode(request.GET.get("a"), snapshot)
    except BadAnswers as error:
        return JsonResponse({"error": str(error)}, status=400)
    return _json(snapshot, answers)


# Two parties compared with each other: the same points as a voter against a party.
PAIR_OUTCOMES = {
    scoring.FULL: ("match", gettext_lazy("Zelfde standpunt")),
    scoring.HALF: ("half", gettext_lazy("Deels hetzelfde")),
    scoring.NO_MATCH: ("nomatch", gettext_lazy("Ander standpunt")),
}


def _pair_error(left: str, right: str) -> str:
    if left == right:
        return _("Kies twee verschillende partijen.")
    return _("Die partij doet niet mee.")


@_private_by_default
@require_http_methods(["GET", "HEAD"])
def side_by_side(
    request: HtmxHttpRequest, slug: str, left: str = "", right: str = ""
) -> HttpResponse:
    """Two parties' positions statement by statement, with the passages that decide them; the
    same for every visitor (no answers). Without two parties in the address, the choice of
    two (the form's `links` and `rechts` lead to the pair's own address)."""
    snapshot = _load(request, slug, False)
    if isinstance(snapshot, HttpResponse):
        return snapshot
    index = reverse("side_by_side", args=[slug])
    slugs = [party.slug for party in snapshot.parties]
    error = ""
    if not left and ("links" in request.GET or "rechts" in request.GET):
        chosen = request.GET.get("links", ""), request.GET.get("rechts", "")
        if chosen[0] in slugs and chosen[1] in slugs and chosen[0] != chosen[1]:
            return HttpResponseRedirect(reverse("side_by_side_pair", args=[slug, *chosen]))
        # The choice again, with what was wrong with it next to it.
        error = _pair_error(*chosen)
    elif left and (left not in slugs or right not in slugs or left == right):
        return _bad_request(request, _pair_error(left, right), index)
    pairs = [
        (a, b, reverse("side_by_side_pair", args=[slug, a.slug, b.slug]))
        for i, a in enumerate(snapshot.parties)
        for b in snapshot.parties[i + 1 :]
    ]
    context: dict[str, Any] = {
        "quiz": snapshot,
        "parties": snapshot.parties,
        "pairs": pairs,
        "index_url": index,
        "left": None,
        "right": None,
        "error": error,
    }
    if left:
        a, b = slugs.index(left), slugs.index(right)
        rows: list[dict[str, Any]] = []
        for s, statement in enumerate(snapshot.statements):
            first, second = int(snapshot.stances[s, a]), int(snapshot.stances[s, b])
            if scoring.NONE in (first, second):
                outcome = ("none", _("Niet te vergelijken"))
            else:
                code, label = PAIR_OUTCOMES[scoring.FULL - abs(first - second)]
                outcome = (code, str(label))
            rows.append(
                {
                    "statement": statement,
                    "outcome": outcome,
                    "cells": [
                        {"party": snapshot.parties[p], "position": statement.positions[p]}
                        for p in (a, b)
                    ],
                }
            )
        context.update(
            left=snapshot.parties[a],
            right=snapshot.parties[b],
            rows=rows,
            same=sum(row["outcome"][0] == "match" for row in rows),
            compared=sum(row["outcome"][0] != "none" for row in rows),
        )
    if error:
        return _render("quiz/side_by_side.html", context, status=400)
    return _cache_for_all(_render("quiz/side_by_side.html", context), snapshot)


# The worked example of docs/method.md: (the voter's answer, belangrijk, the party's stance).
WORKED_EXAMPLE = (
    (Choice.EENS, False, Stance.EENS),
    (Choice.ONEENS, True, Stance.EENS),
    (Choice.NEUTRAAL, False, Stance.ONEENS),
)


def method(request: HtmxHttpRequest) -> HttpResponse:
    """How we compute the result, with the worked example computed by `quiz.scoring`."""
    example = scoring.score(
        [scoring_code(answer) for answer, _, _ in WORKED_EXAMPLE],
        [important for _, important, _ in WORKED_EXAMPLE],
        [[scoring_code(stance)] for _, _, stance in WORKED_EXAMPLE],
    )
    rows = [
        {
            "answer": Answer(answer, important).described.lower(),
            "stance": stance.label.lower(),
            "points": int(example.points[index, 0]),
            "weight": int(example.weights[index]),
            "earned": int(example.weights[index] * example.points[index, 0]),
            "possible": int(example.weights[index] * scoring.FULL),
        }
        for index, (answer, important, stance) in enumerate(WORKED_EXAMPLE)
    ]
    earned, possible = int(example.earned[0]), int(example.possible[0])
    context = {
        "rows": rows,
        "earned": earned,
        "possible": possible,
        "exact": 100 * earned / possible,
        "percentage": example.percentages()[0],
    }
    return _render("quiz/method.html", context)


@_private_by_default
@csrf_exempt
@require_http_methods(["POST"])
@_small_body
def count_answers(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """The voter chose to add their answers, anonymously, to the statistics: the one request
    with answers the quiz ever makes unasked for nothing (`quiz.statistics` keeps counters only).
    A signed token (`a`, the page without JavaScript) or the device's answers (`antwoorden`);
    JSON for results.js's fetch, a thank-you page otherwise."""
    snapshot = _load(request, slug, False)
    if isinstance(snapshot, HttpResponse):
        return snapshot
    token = request.POST.get("a", "")
    try:
        answers = (
            decode(token, snapshot)
            if token
            else parse(request.POST.get("antwoorden", ""), snapshot)
        )
    except BadAnswers as error:
        return _bad_request(request, str(error), Urls(snapshot).landing())
    if not answers:
        return _bad_request(
            request, _("Er zijn geen antwoorden om te tellen."), Urls(snapshot).landing()
        )
    statistics.count(snapshot, answers)
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"geteld": len(answers)})
    context = {
        "quiz": snapshot,
        "count": len(answers),
        "results_url": Urls(snapshot).results(token),
    }
    return _render("quiz/counted.html", context)
