"""Voter input is untrusted: random and malicious tokens, answers (one by one, with those quiz.js
kept on the device when it has no bundle), query strings, form fields, path parameters, htmx
headers, compression and revalidation headers at every public URL. Never a 5xx, every 400 is
the friendly Dutch page (or a JSON error), nothing is stored, and voters get no cookie."""

import gzip
import json
import os
from urllib.parse import parse_qs, quote, unquote_plus, urlsplit

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quiz.answers import ANSWER_OF, MAX_PAIRS_LENGTH, BadAnswers, decode, encode, parse
from quiz.models import Statement
from quiz.snapshot import get_snapshot
from quiz.views.voter import MAX_VOTER_BODY
from tests.helpers import row_counts

FUZZ = settings(
    # More for a long hunt: STEMTEST_FUZZ_EXAMPLES=5000 pytest tests/test_fuzz.py
    max_examples=int(os.environ.get("STEMTEST_FUZZ_EXAMPLES", 150)),
    deadline=None,
    database=None,
    # The fixtures build the quiz once per test; every example must leave it as it was, which
    # is exactly what `assert_nothing_stored` checks after each one.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ALLOWED = {200, 301, 302, 303, 400, 404, 405, 413}  # 413: a body larger than any answers
FRIENDLY_400 = (">Dat lukte niet</h1>", ">Dat begrijpen we niet</h1>")

NASTY = [
    "",
    " ",
    "\x00",
    "%00",
    "a\x00b",
    "1.",
    ":",
    "::::",
    "1.1e:",
    "' OR 1=1 --",
    "'; DROP TABLE quiz_quiz; --",
    '"><script>alert(1)</script>',
    "<img src=x onerror=alert(1)>",
    "{{ 7|add:7 }}{% debug %}",
    "STEMTESTANSWERTOKEN",
    "STEMTESTHOLErows",
    "../../../../etc/passwd",
    "\u202egnitset",
    "ﬁ½ʼnⅫ²",
    "ＡＢＣ１２３",
    "١٢",
    "1.١٢e",
    "1.1e\x00",
    "1_000",
    "-1",
    "0",
    "9" * 40,
    "1" * 5000,
    "1e308",
    "NaN",
    "x" * 20_000,
    "résolutie 1198 — “gezondheid” & | ! ( ) : * <-> '",
]
# Text as a browser can send it (no lone surrogates: they cannot be encoded as UTF-8).
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=300)
JUNK = st.one_of(st.sampled_from(NASTY), TEXT, st.integers().map(str))
HEADER_TEXT = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=80)
HTMX_HEADERS = st.one_of(
    st.just({}),
    st.just({"HX-Request": "true"}),
    st.just({"HX-Request": "true", "HX-History-Restore-Request": "true"}),
    st.fixed_dictionaries(
        {"HX-Request": st.sampled_from(["true", "false", ""]) | HEADER_TEXT},
        optional={
            "HX-Target": HEADER_TEXT,
            "HX-Trigger": HEADER_TEXT,
            "HX-Current-URL": HEADER_TEXT,
            "HX-Boosted": HEADER_TEXT,
            "HX-History-Restore-Request": HEADER_TEXT,
        },
    ),
)
STATEMENT_NUMBERS = st.one_of(
    st.integers(0, 8), st.sampled_from([10**6, 2**31, 2**63, 10**40]), st.integers(min_value=0)
)
SLUGS = st.from_regex(r"[-a-zA-Z0-9_]{1,80}", fullmatch=True)


@pytest.fixture
def quiz(make_quiz):
    """Four published statements, two parties, and an unpublished draft for the preview."""
    quiz = make_quiz(statements=4, parties=2)
    first = quiz.statements.order_by("order").first()
    Statement.objects.create(
        quiz=quiz, order=9, text="Nog een concept.", short_title="Concept", theme=first.theme
    )
    return quiz


@pytest.fixture
def voter(db):
    """A browser as the world sees it: CSRF checks on, as in production."""
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def before(quiz):
    return row_counts()


def check(response, *, method: str, voter: bool = True) -> None:
    assert response.status_code in ALLOWED, (response.status_code, response.content[:500])
    if response.status_code in {400, 413} and method != "HEAD":
        if response["Content-Type"].startswith("application/json"):
            assert "error" in json.loads(response.content)
        else:
            html = response.content.decode()
            assert any(heading in html for heading in FRIENDLY_400), html[:500]
    if voter:
        assert not response.cookies, response.cookies


def assert_nothing_stored(before: dict[str, int]) -> None:
    assert row_counts() == before


@st.composite
def tokens(draw, quiz_slug: str, ids: list[int]):
    """A real token for random answers, a damaged one, a well-signed odd payload, or junk."""
    snapshot = get_snapshot(quiz_slug)
    answers = draw(
        st.dictionaries(
            st.sampled_from(list(snapshot.index_of)), st.sampled_from(list(ANSWER_OF.values()))
        )
    )
    real = encode(answers, snapshot)
    kind = draw(st.sampled_from(["real", "damaged", "signed", "other-salt", "junk"]))
    if kind == "real":
        return real
    if kind == "damaged" and real:
        cut = draw(st.integers(0, len(real)))
        mutation = draw(st.sampled_from(["truncate", "replace", "insert", "case", "double"]))
        if mutation == "truncate":
            return real[:cut]
        if mutation == "replace":
            return real[:cut] + draw(JUNK) + real[cut + 1 :]
        if mutation == "insert":
            inserted = draw(st.sampled_from(["\x00", "%00", ":", ".", "9" * 30]))
            return real[:cut] + inserted + real[cut:]
        if mutation == "case":
            return real.swapcase()
        return real + ":" + real
    salt = f"stemtest.answers:live:{quiz_slug}"
    if kind == "other-salt":
        salt = draw(st.sampled_from(["stemtest.answers:preview:" + quiz_slug, "", "x"]))
    if kind in {"signed", "other-salt"}:
        payload = draw(
            st.one_of(
                st.just("1." + "".join(f"{i}e" for i in ids)),
                st.just("1." + "0e" * 5000),
                st.just("1.99999999999e1234567890O"),
                st.from_regex(r"[0-9]\.[0-9eonsEONS]{0,60}", fullmatch=True),
                TEXT,
            )
        )
        return signing.Signer(salt=salt).sign(payload)
    return draw(JUNK)


@st.composite
def payloads(draw, ids: list[int]):
    """All answers as quiz.js POSTs them (`1.12e13O`): real, odd but well formed, around the
    length cap, or junk."""
    kind = draw(st.sampled_from(["real", "well-formed", "long", "junk"]))
    if kind == "real":
        pairs = draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from("eonsEONS"))))
        return "1." + "".join(f"{id}{letter}" for id, letter in pairs)
    if kind == "well-formed":
        return draw(st.from_regex(r"[0-9]{0,2}\.[0-9eonsEONS]{0,60}", fullmatch=True))
    if kind == "long":
        pair = draw(st.sampled_from(["0e", "1E", "9999999999s"]))
        count = MAX_PAIRS_LENGTH // len(pair) + draw(st.integers(-2, 2))
        return "1." + pair * count
    return draw(JUNK)


def ids_of(quiz) -> list[int]:
    return [*quiz.statements.values_list("pk", flat=True), 0, 10**9, 10**12]


def fields(draw, quiz_slug: str, ids: list[int], *, results: bool) -> dict:
    """A form as an answer POST would send it, each field possibly missing, repeated or junk."""
    token = draw(tokens(quiz_slug, ids))
    statement = draw(st.one_of(st.sampled_from(ids).map(str), JUNK))
    value = draw(st.one_of(st.sampled_from(["eens", "oneens", "neutraal", "overslaan"]), JUNK))
    names = ("answer", "belangrijk")
    if results:
        names = (f"answer-{statement}", f"belangrijk-{statement}")
    data = {"a": token, "stelling": statement, names[0]: value}
    if draw(st.booleans()):
        data[names[1]] = draw(st.one_of(st.just("1"), JUNK))
    if not results and draw(st.booleans()):
        data["antwoorden"] = draw(payloads(ids))  # kept by quiz.js, when it has no bundle
    for name in draw(st.lists(st.sampled_from(list(data)), max_size=2)):
        data.pop(name, None)
    for name in draw(st.lists(st.sampled_from(list(data) or ["a"]), max_size=2)):
        data[name] = [data.get(name, ""), draw(JUNK)]  # a repeated field
    extra = draw(st.dictionaries(TEXT.filter(bool), JUNK, max_size=3))
    return {**extra, **data}


def query(draw, quiz_slug: str, ids: list[int], *names: str) -> str:
    """A query string with a token and some of `names`, junk values, unknown parameters."""
    params = [("a", draw(tokens(quiz_slug, ids)))] if draw(st.booleans()) else []
    params += [(name, draw(JUNK)) for name in names if draw(st.booleans())]
    params += draw(st.lists(st.tuples(TEXT, JUNK), max_size=3))
    return "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in params)


# --- Voter pages ----------------------------------------------------------------------------


@FUZZ
@given(data=st.data())
def test_statement_pages_survive_any_token_number_and_form(voter, quiz, before, data):
    ids = ids_of(quiz)
    number = data.draw(STATEMENT_NUMBERS)
    url = f"/stemtest/{quiz.slug}/stelling/{number}/"
    headers = data.draw(HTMX_HEADERS)
    method = data.draw(st.sampled_from(["GET", "POST", "HEAD"]))
    if method == "POST":
        form = fields(data.draw, quiz.slug, ids, results=False)
        response = voter.post(url, form, headers=headers)
    else:
        qs = query(data.draw, quiz.slug, ids)
        response = getattr(voter, method.lower())(f"{url}?{qs}", headers=headers)
    check(response, method=method)
    assert_nothing_stored(before)


@FUZZ
@given(data=st.data())
def test_results_pages_survive_any_token_filter_and_form(voter, quiz, before, data):
    ids = ids_of(quiz)
    headers = data.draw(HTMX_HEADERS)
    json_url = data.draw(st.booleans())
    url = reverse("results_json" if json_url else "results", args=[quiz.slug])
    method = data.draw(st.sampled_from(["GET", "POST", "HEAD"]))
    if method == "POST":
        response = voter.post(url, fields(data.draw, quiz.slug, ids, results=True), headers=headers)
    else:
        qs = query(data.draw, quiz.slug, ids, "toon", "partij", "format")
        if data.draw(st.booleans()):
            qs += "&format=json"
        response = getattr(voter, method.lower())(f"{url}?{qs}", headers=headers)
    check(response, method=method)
    assert_nothing_stored(before)


@FUZZ
@given(data=st.data())
def test_kept_answers_posted_along_survive_any_payload(voter, quiz, before, data):
    """Without the bundle, quiz.js hands the answers it kept to the form (`antwoorden`)."""
    ids = ids_of(quiz)
    payload = data.draw(payloads(ids))
    first = ids[0]
    form = {"antwoorden": payload, "stelling": str(first), "answer": "neutraal"}
    if data.draw(st.booleans()):
        form["a"] = data.draw(tokens(quiz.slug, ids))
    headers = data.draw(HTMX_HEADERS)
    response = voter.post(reverse("statement", args=[quiz.slug, 1]), form, headers=headers)
    check(response, method="POST")
    if len(payload) + len(form.get("a", "")) > MAX_VOTER_BODY - 1024:  # with the form's overhead
        assert response.status_code in {303, 400, 413}, response.status_code
        return  # more than quiz.js ever sends (at most MAX_PAIRS_LENGTH): may be refused unread
    assert response.status_code in {303, 400}, response.status_code
    snapshot = get_snapshot(quiz.slug)
    if response.status_code == 303:
        # The next statement's address holds exactly the answers sent, and this one.
        url = urlsplit(response["Location"])
        token = parse_qs(url.query).get("a", [""])[0]
        expected = {**parse(payload, snapshot), first: decode(token, snapshot)[first]}
        assert decode(token, snapshot) == expected
        assert expected[first].choice == "neutraal"
    else:
        with pytest.raises(BadAnswers):
            parse(payload, snapshot)
    assert_nothing_stored(before)


@FUZZ
@given(data=st.data())
def test_the_statements_bundle_survives_any_headers_and_query(voter, quiz, before, data):
    url = reverse("statements", args=[quiz.slug])
    plain = voter.get(url)
    etag = plain["ETag"]
    gzip_etag = voter.get(url, headers={"Accept-Encoding": "gzip"})["ETag"]
    headers = dict(data.draw(HTMX_HEADERS))
    if data.draw(st.booleans()):
        headers["Accept-Encoding"] = data.draw(
            st.sampled_from(["gzip", "gzip, deflate, br, zstd", "br", "identity", "*", ""])
            | HEADER_TEXT
        )
    if data.draw(st.booleans()):
        headers["If-None-Match"] = data.draw(
            st.sampled_from([etag, gzip_etag, f"W/{etag}", f'{etag}, "x"', "*", '""']) | HEADER_TEXT
        )
    qs = query(data.draw, quiz.slug, ids_of(quiz))
    method = data.draw(st.sampled_from(["GET", "HEAD"]))
    response = voter.generic(method, f"{url}?{qs}", headers=headers)
    refused = "\x00" in unquote_plus(qs)  # a NUL in an address is refused before any view
    assert response.status_code in ({400} if refused else {200, 304}), response.status_code
    assert not response.cookies, response.cookies
    if refused:
        assert_nothing_stored(before)
        return
    if response.status_code == 200:  # each coding has its own ETag
        compressed = response.get("Content-Encoding") == "gzip"
        assert response["ETag"] == (gzip_etag if compressed else etag)
    else:
        assert response["ETag"] in {etag, gzip_etag}
    if response.status_code == 304:
        assert response.content == b""
    elif method == "GET":
        body = response.content
        if response.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        assert body == plain.content
    assert_nothing_stored(before)


@FUZZ
@given(data=st.data())
def test_landing_home_method_and_unknown_quizzes_survive_anything(voter, quiz, before, data):
    slug = data.draw(st.one_of(st.just(quiz.slug), SLUGS))
    path = data.draw(
        st.sampled_from(
            [
                "/",
                "/hoe-berekenen/",
                f"/stemtest/{slug}/",
                f"/stemtest/{slug}/stelling/1/",
                f"/stemtest/{slug}/stellingen/",
                f"/stemtest/{slug}/resultaat/",
                f"/stemtest/{slug}/resultaat.json",
                f"/voorbeeld/{slug}/",
                f"/voorbeeld/{slug}/stelling/1/",
                f"/voorbeeld/{slug}/stellingen/",
                f"/voorbeeld/{slug}/resultaat/",
                f"/voorbeeld/{slug}/resultaat.json",
            ]
        )
    )
    method = data.draw(st.sampled_from(["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"]))
    qs = query(data.draw, quiz.slug, ids_of(quiz), "q", "format", "toon")
    headers = data.draw(HTMX_HEADERS)
    response = voter.generic(method, f"{path}?{qs}", headers=headers)
    # The methods the voter views refuse are refused before CSRF: 405. A POST to the landing
    # pages and the statements bundle (not CSRF-exempt, they take no form) is refused by the
    # CSRF check: 403.
    assert response.status_code != 403 or method in {"POST", "PUT", "DELETE"}
    if response.status_code == 403:
        assert "Dit formulier kunnen we niet aanvaarden" in response.content.decode()
    else:
        check(response, method=method, voter=True)
    assert_nothing_stored(before)


def test_preview_urls_send_anonymous_visitors_to_the_login(voter, quiz, before):
    for name, args in [
        ("preview:quiz", [quiz.slug]),
        ("preview:statement", [quiz.slug, 5]),
        ("preview:statements", [quiz.slug]),
        ("preview:results", [quiz.slug]),
        ("preview:results_json", [quiz.slug]),
    ]:
        response = voter.get(reverse(name, args=args) + "?a=x")
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    assert_nothing_stored(before)


@FUZZ
@given(data=st.data())
def test_preview_pages_survive_anything_for_staff(admin_client, quiz, data):
    admin_client.get(reverse("preview:quiz", args=[quiz.slug]))  # the session exists from here
    before = row_counts()
    ids = ids_of(quiz)
    number = data.draw(STATEMENT_NUMBERS)
    url = data.draw(
        st.sampled_from(
            [
                f"/voorbeeld/{quiz.slug}/stelling/{number}/",
                f"/voorbeeld/{quiz.slug}/stellingen/",
                f"/voorbeeld/{quiz.slug}/resultaat/",
                f"/voorbeeld/{quiz.slug}/resultaat.json",
            ]
        )
    )
    headers = data.draw(HTMX_HEADERS)
    if data.draw(st.booleans()) and not url.endswith((".json", "/stellingen/")):
        results = "resultaat" in url
        form = fields(data.draw, quiz.slug, ids, results=results)
        response = admin_client.post(url, form, headers=headers)
        method = "POST"
    else:
        qs = query(data.draw, quiz.slug, ids, "toon")
        response = admin_client.get(f"{url}?{qs}", headers=headers)
        method = "GET"
    check(response, method=method, voter=False)
    assert_nothing_stored(before)


def test_a_huge_or_crowded_post_is_refused_not_a_crash(voter, quiz, before):
    url = reverse("statement", args=[quiz.slug, 1])
    huge = voter.post(url, {"a": "x" * 3_000_000, "stelling": "1", "answer": "eens"})
    crowded = voter.post(url, {f"veld{n}": "x" for n in range(2_000)})
    crowded_query = voter.get(url + "?" + "&".join(f"v{n}=1" for n in range(2_000)))
    for response in [huge, crowded, crowded_query]:
        check(response, method="POST")
    assert [r.status_code for r in (huge, crowded, crowded_query)] == [413, 413, 400]
    assert_nothing_stored(before)


# --- Programme pages, search and open data ------------------------------------------------


@FUZZ
@given(data=st.data())
def test_programme_pages_search_and_open_data_survive_anything(voter, quiz, before, data):
    slug = data.draw(st.one_of(st.just("vooruit-2024"), SLUGS))
    section = data.draw(st.one_of(st.sampled_from(["1", "1.1", "1.1.", "1..1", "."]), JUNK))
    section = quote(section, safe="")
    number = data.draw(STATEMENT_NUMBERS)
    quiz_slug = data.draw(st.one_of(st.just(quiz.slug), SLUGS))
    path = data.draw(
        st.sampled_from(
            [
                f"/programma/{slug}/",
                f"/programma/{slug}.json",
                f"/programma/{slug}/zoeken/",
                f"/programma/{slug}/zoeken.json",
                f"/programma/{slug}/resolutie/{number}/",
                f"/programma/{slug}/{section}/",
                f"/stemtest/{quiz_slug}.json",
            ]
        )
    )
    qs = query(data.draw, quiz.slug, ids_of(quiz), "q", "q", "format")
    if data.draw(st.booleans()):
        qs += "&q=" + quote(data.draw(JUNK), safe="")
    method = data.draw(st.sampled_from(["GET", "HEAD", "POST"]))
    response = voter.generic(method, f"{path}?{qs}", headers=data.draw(HTMX_HEADERS))
    if method == "POST":  # no form on these pages: the CSRF check refuses it (or, first, a NUL)
        refused = {400} if "\x00" in unquote_plus(path + qs) else set()
        assert response.status_code in {403, 404} | refused
    else:
        check(response, method=method, voter=False)
    assert_nothing_stored(before)


@FUZZ
@given(q=JUNK | st.lists(st.sampled_from([*NASTY, "zorg", "#1", "resolutie 2"])).map(" ".join))
def test_search_answers_any_query_with_results_or_a_friendly_400(voter, quiz, before, q):
    for name in ["search", "search_json"]:
        response = voter.get(reverse(name, args=["vooruit-2024"]), {"q": q})
        check(response, method="GET", voter=False)
        if len(q) <= 300 and "\x00" not in q:  # a NUL in an address is refused: 400
            assert response.status_code == 200
    assert_nothing_stored(before)


# --- Every nasty value at every parameter, not left to chance -------------------------------


@pytest.mark.parametrize("value", NASTY, ids=range(len(NASTY)))
def test_every_nasty_value_at_every_parameter_is_answered_without_a_crash(
    voter, quiz, before, value
):
    statement = str(quiz.statements.order_by("order").first().pk)
    results = reverse("results", args=[quiz.slug])
    step = reverse("statement", args=[quiz.slug, 1])
    bundle = reverse("statements", args=[quiz.slug])
    plain = quote(value, safe="")
    gets = [
        f"{step}?a={plain}",
        f"{bundle}?a={plain}",
        f"{results}?a={plain}",
        f"{results}?toon={plain}",
        f"{results}?partij={plain}",
        f"{results}?format={plain}",
        f"{reverse('results_json', args=[quiz.slug])}?a={plain}",
        f"{reverse('search', args=['vooruit-2024'])}?q={plain}",
        f"{reverse('search_json', args=['vooruit-2024'])}?q={plain}",
        f"/programma/vooruit-2024/{plain or '.'}/",
        f"/programma/vooruit-2024/1.{plain}/",
        f"/?{plain}={plain}",
    ]
    posts = [
        (step, {"a": value, "stelling": statement, "answer": "eens"}),
        (step, {"stelling": value, "answer": "eens"}),
        (step, {"stelling": statement, "answer": value}),
        (step, {"stelling": statement, "answer": "eens", "belangrijk": value}),
        (results, {"stelling": value, f"answer-{value}": "eens"}),
        (results, {"stelling": statement, f"answer-{statement}": value}),
        (results, {"antwoorden": value}),
        (step, {"antwoorden": value, "stelling": statement, "answer": "eens"}),
        (
            step,
            {"antwoorden": f"1.{statement}E", "a": value, "stelling": statement, "answer": "eens"},
        ),
        (results, {"antwoorden": value, "stelling": statement, f"answer-{statement}": "eens"}),
    ]
    for htmx in [{}, {"HX-Request": "true"}]:
        for url in gets:
            check(voter.get(url, headers=htmx), method="GET")
        for url, form in posts:
            response = voter.post(url, form, headers=htmx)
            check(response, method="POST")
            assert "HX-Retarget" not in response  # the voter side has no htmx
    assert_nothing_stored(before)
