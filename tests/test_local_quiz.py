"""The quiz on the voter's device, server side (no browser): the bundle that quiz.js and
results.js show (/stemtest/<slug>/stellingen/: the same screens and result parts the server
renders, gzip, ETag, cacheable for a minute), the answers kept on the device posted along with an
answer when the bundle cannot be had (`antwoorden=1.12e13O…`), the cache headers of every voter
page, and `quiz.answers.parse`."""

import gzip
import json
import re

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from quiz.answers import MAX_PAIRS_LENGTH, Answer, BadAnswers, decode, encode, parse
from quiz.models import Statement
from quiz.snapshot import get_snapshot
from tests.helpers import row_counts, run_quiz, token_of, visible_text

GZIP = {"Accept-Encoding": "gzip, deflate, br, zstd"}  # what Chromium sends
TEMPLATE = re.compile(
    r'<template data-number="(\d+)" data-stelling="(\d+)">(.*?)</template>', re.DOTALL
)
SECTION = re.compile(r'<section id="quiz-step".*?</section>', re.DOTALL)
# quiz.js shows "Volgende" on a statement answered already; the server only renders it then.
NEXT_LINK = re.compile(
    r'\n *<a class="button secondary" rel="next" href="([^"]*)" hidden>Volgende</a>'
)
# In the bundle "Naar je resultaat" is a hidden link that quiz.js points at the results, with the
# answers kept on the device in its fragment.
RESULTS_LINK = re.compile(r'\n?<a class="to-results" href="([^"]*)" hidden>Naar je resultaat</a>')
RESULTS_PART = re.compile(r'<template id="resultaten">(.*)</template>$', re.DOTALL)
PART = re.compile(r'<template data-part="([a-z-]+)">(.*?)</template>', re.DOTALL)
ROW = re.compile(r'<li id="s(\d+)" class="statement-result".*?\n</li>', re.DOTALL)
FRIENDLY_400 = '<h1 id="bad-request-heading" tabindex="-1"'
BAD_PAYLOAD = (
    "Je antwoorden zijn onleesbaar.",
    "Deze antwoorden komen uit een oudere versie van de stemtest.",
)


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def steps(html: str) -> list[tuple[int, int, str]]:
    """(number, statement id, inner HTML) per <template> of a bundle."""
    return [(int(n), int(s), inner) for n, s, inner in TEMPLATE.findall(html)]


def post_kept(client, quiz, payload, *, preview=False, first=None, **headers):
    """Statement 1 (`first`) answered "eens" without the bundle, with the answers quiz.js kept
    on the device (`antwoorden`) posted along."""
    name = "preview:statement" if preview else "statement"
    first = first or published(quiz)[0]
    data = {"antwoorden": payload, "stelling": first.pk, "answer": "eens"}
    return client.post(reverse(name, args=[quiz.slug, 1]), data, headers=headers)


@pytest.fixture
def quiz(make_quiz):
    """Four published statements, two parties, and an unpublished draft (for the preview)."""
    quiz = make_quiz(statements=4, parties=2)
    Statement.objects.create(
        quiz=quiz,
        order=9,
        text="Nog een concept.",
        short_title="Concept",
        uitleg="Uitleg bij het concept.",
        theme=quiz.statements.first().theme,
    )
    return quiz


def published(quiz) -> list[Statement]:
    return list(quiz.statements.filter(is_published=True).order_by("order"))


# --- The bundle: every statement's screen -------------------------------------------------


def test_the_bundle_has_a_template_per_statement_in_quiz_order(client, quiz):
    first = published(quiz)[0]
    first.order = 20  # editors move the first statement to the end
    first.save()
    response = client.get(reverse("statements", args=[quiz.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    results = reverse("results", args=[quiz.slug])
    version = get_snapshot(quiz.slug).version
    assert html.startswith(
        f'<div id="stellingen" data-total="4" data-results="{results}" data-version="{version}">'
    )
    assert html.endswith("</template>")
    assert RESULTS_PART.search(html)
    expected = published(quiz)
    assert expected[-1] == first
    assert [(number, id) for number, id, _ in steps(html)] == [
        (number, statement.pk) for number, statement in enumerate(expected, 1)
    ]
    assert "Nog een concept." not in html  # not published


def test_each_template_is_the_servers_screen_without_token_or_answers(client, quiz):
    bundle = client.get(reverse("statements", args=[quiz.slug])).content.decode()
    results = reverse("results", args=[quiz.slug])
    assert "STEMTEST" not in bundle  # no hole left unfilled
    for (number, id, inner), statement in zip(steps(bundle), published(quiz), strict=True):
        page = client.get(reverse("statement", args=[quiz.slug, number])).content.decode()
        server = SECTION.search(page).group()
        # The two differences: the results form, which quiz.js fills and shows once there are
        # answers (the server shows no results link before the first answer), and "Volgende",
        # which it shows on an answered statement (but the last).
        assert RESULTS_LINK.findall(inner) == [results]
        assert "to-results" not in server
        following = reverse("statement", args=[quiz.slug, number + 1])
        assert NEXT_LINK.findall(inner) == ([following] if number < 4 else [])
        assert 'rel="next"' not in server
        # And the mark by which quiz.js's own copy is known.
        local = NEXT_LINK.sub("", RESULTS_LINK.sub("", inner)).replace(" data-local>", ">", 1)
        assert local.strip() == server
        # The same screen, spelled out:
        action = reverse("statement", args=[quiz.slug, number])
        heading = '<h1 id="statement-heading" class="statement-text" tabindex="-1">'
        assert f"{heading}{statement.text}</h1>" in inner
        theme = statement.theme.name
        assert f'Stelling {number} van 4 <span class="muted">· {theme}</span>' in inner
        assert f"<p>{statement.uitleg}</p>" in inner
        form = f'<form class="answer-form" id="answer-form" method="post" action="{action}"'
        assert f"{form} data-local>" in inner
        assert '<input type="hidden" name="a" value="">' in inner
        assert f'<input type="hidden" name="stelling" value="{id}">' in inner
        for value, label in [("eens", "Eens"), ("oneens", "Oneens"), ("neutraal", "Neutraal")]:
            button = rf'<button type="submit" name="answer" value="{value}"[^>]*>{label}</button>'
            assert re.search(button, inner)
        assert "autofocus" not in inner
        assert " checked" not in inner
        assert "current" not in inner
    assert 'rel="prev" href="/stemtest/vooruit-2024/">Vorige</a>' in steps(bundle)[0][2]


def test_head_is_answered_and_other_methods_are_refused(client, quiz):
    url = reverse("statements", args=[quiz.slug])
    get = client.get(url)
    head = client.head(url)
    assert head.status_code == 200
    assert head.content == b""
    assert head["ETag"] == get["ETag"]
    assert head["Cache-Control"] == get["Cache-Control"]
    for method in ["POST", "PUT", "DELETE"]:
        assert client.generic(method, url).status_code == 405, method


@pytest.mark.parametrize("live", [True, False], ids=["unknown", "offline"])
def test_an_unknown_or_offline_quiz_is_the_friendly_404(client, quiz, live):
    slug = "bestaat-niet"
    if not live:
        quiz.is_live = False
        quiz.save()
        slug = quiz.slug
    response = client.get(reverse("statements", args=[slug]))
    assert response.status_code == 404
    assert "Deze pagina bestaat niet" in response.content.decode()
    assert "public" not in cache_control(response)


def test_the_preview_bundle_is_for_staff_only_with_drafts_and_not_publicly_cacheable(
    redacteur_client, quiz
):
    url = reverse("preview:statements", args=[quiz.slug])
    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("admin:login"))
    assert "public" not in cache_control(anonymous)

    response = redacteur_client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'data-total="5" data-results="{reverse("preview:results", args=[quiz.slug])}"' in html
    assert len(steps(html)) == 5
    *_, inner = steps(html)[-1]
    assert "Nog een concept." in inner
    assert "Uitleg bij het concept." in inner
    assert f'action="{reverse("preview:statement", args=[quiz.slug, 5])}"' in inner
    assert "Voorbeeld voor de redactie." in inner
    assert "/stemtest/" not in html  # every link stays in the preview
    assert "public" not in cache_control(response)
    assert "max-age=60" not in cache_control(response)
    live = redacteur_client.get(reverse("statements", args=[quiz.slug]))
    assert cache_control(live) == {"public", "max-age=60"}
    assert len(steps(live.content.decode())) == 4


# --- gzip, ETag and revalidation ---------------------------------------------------------


def test_gzip_is_the_same_bytes_compressed_with_an_etag_of_its_own(client, quiz):
    url = reverse("statements", args=[quiz.slug])
    plain = client.get(url)
    compressed = client.get(url, headers=GZIP)
    assert "Content-Encoding" not in plain
    assert compressed["Content-Encoding"] == "gzip"
    assert gzip.decompress(compressed.content) == plain.content
    assert len(compressed.content) < len(plain.content)
    assert int(compressed["Content-Length"]) == len(compressed.content)
    for response in [plain, compressed]:
        assert "Accept-Encoding" in response["Vary"]
        assert cache_control(response) == {"public", "max-age=60"}
        assert re.fullmatch(r'"[0-9a-f]+(-gzip)?"', response["ETag"])  # strong
    # A cache must not answer a revalidation of one coding with the other's bytes.
    assert compressed["ETag"] == plain["ETag"][:-1] + '-gzip"'

    assert client.get(url, headers={"Accept-Encoding": "GZIP"})["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in client.get(url, headers={"Accept-Encoding": "br"})


@pytest.mark.parametrize(
    ("accept_encoding", "compressed"),
    [
        ("gzip", True),
        ("gzip, deflate, br, zstd", True),
        ("br;q=1.0, gzip;q=0.8", True),
        ("GZIP", True),
        ("gzip;q=0", False),
        ("identity, gzip; q=0.000", False),
        ("x-gzip", False),
        ("br", False),
        ("gzip;q=kapot", False),
    ],
)
def test_gzip_only_for_a_client_that_accepts_it(client, quiz, accept_encoding, compressed):
    url = reverse("statements", args=[quiz.slug])
    response = client.get(url, headers={"Accept-Encoding": accept_encoding})
    assert (response.get("Content-Encoding") == "gzip") is compressed


def test_a_matching_if_none_match_is_a_304_without_a_body(client, quiz):
    url = reverse("statements", args=[quiz.slug])
    for headers in [{}, GZIP]:
        etag = client.get(url, headers=headers)["ETag"]
        response = client.get(url, headers={**headers, "If-None-Match": etag})
        assert response.status_code == 304
        assert response.content == b""
        assert "Content-Encoding" not in response
        assert response["ETag"] == etag
        assert cache_control(response) == {"public", "max-age=60"}
        assert "Accept-Encoding" in response["Vary"]
    stale = client.get(url, headers={"If-None-Match": '"0123456789abcdef01234567"'})
    assert stale.status_code == 200
    assert stale.content.startswith(b'<div id="stellingen"')


def test_an_editors_change_changes_the_etag_and_the_content(client, redacteur_client, quiz):
    url = reverse("statements", args=[quiz.slug])
    before = client.get(url)
    second = published(quiz)[1]
    second.text = "De overheid moet maatregel 2 sneller invoeren."
    second.save()
    after = client.get(url, headers={"If-None-Match": before["ETag"]})
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert "maatregel 2 sneller invoeren." in after.content.decode()
    compressed = client.get(url, headers=GZIP).content
    assert "maatregel 2 sneller invoeren." in gzip.decompress(compressed).decode()
    # Unpublished in the admin: the statement leaves the bundle, the others move up.
    changelist = reverse("admin:quiz_statement_changelist")
    response = redacteur_client.post(
        changelist, {"action": "unpublish", "_selected_action": [second.pk]}
    )
    assert response.status_code == 302
    last = client.get(url, headers={"If-None-Match": after["ETag"]})
    assert last.status_code == 200
    assert last["ETag"] not in {before["ETag"], after["ETag"]}
    assert [id for _, id, _ in steps(last.content.decode())] == [s.pk for s in published(quiz)]
    assert second.pk not in [id for _, id, _ in steps(last.content.decode())]
    assert client.get(url, headers={"If-None-Match": last["ETag"]}).status_code == 304


# --- No database once warm -------------------------------------------------------------------


def test_a_warm_bundle_and_results_page_do_no_queries(client, quiz, django_assert_num_queries):
    url = reverse("statements", args=[quiz.slug])
    s1, s2, *_ = published(quiz)
    etag = client.get(url)["ETag"]  # warms the snapshot and the bundle
    results = reverse("results", args=[quiz.slug])
    client.get(results)
    with django_assert_num_queries(0):
        assert client.get(url).status_code == 200
        assert client.get(url, headers=GZIP).status_code == 200
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
        assert client.get(results).status_code == 200
        assert post_kept(client, quiz, f"1.{s1.pk}E{s2.pk}o", first=s1).status_code == 303
        assert post_kept(client, quiz, "kapot", first=s1).status_code == 400


def test_a_whole_quiz_on_the_device_is_served_with_the_database_blocked(
    client, quiz, django_db_blocker
):
    client.get(reverse("quiz", args=[quiz.slug]))  # warm
    with django_db_blocker.block():
        # Every request of a browser with JavaScript: the landing, statement 1, the bundle and
        # the results page, none with an answer.
        for url in [
            reverse("quiz", args=[quiz.slug]),
            reverse("statement", args=[quiz.slug, 1]),
            reverse("statements", args=[quiz.slug]),
            reverse("results", args=[quiz.slug]),
        ]:
            assert client.get(url, headers=GZIP).status_code == 200, url


# --- The results on the device: the bundle's second part ----------------------------------


def result_parts(client, quiz) -> tuple[dict, str, dict[str, str]]:
    """The bundle's results: its data, the page's frame, and each part's HTML."""
    bundle = client.get(reverse("statements", args=[quiz.slug])).content.decode()
    inner = RESULTS_PART.search(bundle).group(1)
    data = json.loads(
        re.search(r'<script id="result-data" type="application/json">(.*?)</script>', inner)[1]
    )
    parts = dict(PART.findall(inner))
    frame = PART.sub("", inner)
    return data, frame, parts


def test_the_bundle_holds_the_stances_and_words_the_device_needs_to_score(client, quiz):
    data, _, _ = result_parts(client, quiz)
    snapshot = get_snapshot(quiz.slug)
    assert data["statements"] == [s.pk for s in published(quiz)]
    assert data["stances"] == snapshot.stances.tolist()
    assert data["themes"] == snapshot.theme_of.tolist()
    assert data["themeCount"] == len(snapshot.themes)
    assert [p["slug"] for p in data["parties"]] == [p.slug for p in snapshot.parties]
    assert data["codes"] == {"eens": 1, "oneens": -1, "neutraal": 0, "overslaan": 9}
    assert data["outcomes"]["2"] == ["match", "Zelfde mening"]
    assert data["outcomes"]["none"] == ["none", "Niet vergeleken"]


def test_the_result_rows_are_the_servers_rows_for_no_answers(client, quiz):
    """One template for both: the rows results.js fills in are those the server renders."""
    _, frame, parts = result_parts(client, quiz)
    page = client.get(reverse("results", args=[quiz.slug])).content.decode()
    rows = ROW.findall(parts["rows"])
    assert [int(id) for id in rows] == [s.pk for s in published(quiz)]
    assert [m.group() for m in ROW.finditer(parts["rows"])] == [
        m.group() for m in ROW.finditer(page)
    ]
    assert 'data-party="1"' in parts["rows"]  # a stance per party to fill in
    assert parts["ranking"].count('<li class="ranking-row"') == 2
    assert parts["themes"].count('<section class="theme-block"') == len(
        get_snapshot(quiz.slug).themes
    )
    # The frame is the page's, with its holes empty and no token or address with answers.
    assert frame.count('<div id="results" class="results"') == 1
    assert '<ol class="statement-results">' in frame
    assert "?a=" not in frame + "".join(parts.values())
    assert "STEMTEST" not in frame + "".join(parts.values())
    assert "resultaat.json" not in frame  # the JSON would need the answers on the server


def test_the_results_page_without_answers_is_the_same_for_everyone_and_cacheable(client, quiz):
    response = client.get(reverse("results", args=[quiz.slug]))
    assert response.status_code == 200
    assert cache_control(response) == {"public", "max-age=60"}
    assert not response.cookies
    html = response.content.decode()
    assert f'data-bundle="{reverse("statements", args=[quiz.slug])}"' in html
    assert "Er is nog geen resultaat." in visible_text(html)
    assert "/static/js/results" in html


def test_the_results_take_no_answers_in_a_post_only_a_changed_one(client, quiz):
    """The device never sends its answers; a POST of all of them is not read."""
    s1, *_ = published(quiz)
    response = client.post(reverse("results", args=[quiz.slug]), {"antwoorden": f"1.{s1.pk}e"})
    assert response.status_code == 400
    assert "Welke stelling bedoel je?" in response.content.decode()


# --- The answers kept on the device, posted along when the bundle cannot be had -------------


def test_statements_not_in_the_quiz_are_dropped(client, redacteur_client, quiz):
    s1, s2, *_ = published(quiz)
    draft = quiz.statements.get(is_published=False)
    payload = f"1.999999e{s2.pk}o0n{draft.pk}E9999999999e"
    response = post_kept(client, quiz, payload)
    assert response.status_code == 303
    assert decode(token_of(response.url), get_snapshot(quiz.slug)) == {
        s1.pk: Answer("eens", False),
        s2.pk: Answer("oneens", False),
    }
    # In the preview the draft is a statement like any other.
    preview = post_kept(redacteur_client, quiz, payload, preview=True)
    assert preview.status_code == 303
    assert preview.url.startswith(reverse("preview:statement", args=[quiz.slug, 2]) + "?a=")
    assert decode(token_of(preview.url), get_snapshot(quiz.slug, preview=True)) == {
        s1.pk: Answer("eens", False),
        s2.pk: Answer("oneens", False),
        draft.pk: Answer("eens", True),
    }
    # A live quiz does not sign a preview's answers, nor the other way round.
    assert client.get(preview.url.replace("/voorbeeld/", "/stemtest/")).status_code == 400


def test_kept_answers_replace_those_of_a_token_sent_along(client, quiz):
    s1, s2, s3, _ = published(quiz)
    token = encode({s3.pk: Answer("eens", True)}, get_snapshot(quiz.slug))
    data = {"a": token, "antwoorden": f"1.{s2.pk}o", "stelling": s1.pk, "answer": "neutraal"}
    response = client.post(reverse("statement", args=[quiz.slug, 1]), data)
    assert response.status_code == 303
    answers = decode(token_of(response.url), get_snapshot(quiz.slug))
    assert answers == {s1.pk: Answer("neutraal", False), s2.pk: Answer("oneens", False)}


def test_one_answer_posted_with_the_devices_answers_keeps_them_all(client, quiz):
    """When quiz.js cannot get the bundle, the forms take over with the answers the device kept
    in the address: they travel along as `antwoorden` with the next answer."""
    s1, s2, s3, _ = published(quiz)
    data = {"antwoorden": f"1.{s1.pk}E{s2.pk}n", "stelling": s3.pk, "answer": "oneens"}
    response = client.post(reverse("statement", args=[quiz.slug, 3]), data)
    assert response.status_code == 303
    assert response.url.startswith(reverse("statement", args=[quiz.slug, 4]))
    assert decode(token_of(response.url), get_snapshot(quiz.slug)) == {
        s1.pk: Answer("eens", True),
        s2.pk: Answer("neutraal", False),
        s3.pk: Answer("oneens", False),
    }
    bad = client.post(reverse("statement", args=[quiz.slug, 3]), {**data, "antwoorden": "1.x"})
    assert bad.status_code == 400


MALFORMED = [
    pytest.param("", id="empty"),
    pytest.param("1", id="version-without-dot"),
    pytest.param("2.1e", id="newer-version"),
    pytest.param("0.1e", id="older-version"),
    pytest.param("kapot", id="junk"),
    pytest.param("1.e", id="letter-without-id"),
    pytest.param("1.1", id="id-without-letter"),
    pytest.param("1.1x", id="unknown-letter"),
    pytest.param("1.1e 2o", id="space"),
    pytest.param("1.1e,2o", id="comma"),
    pytest.param("1.-1e", id="negative"),
    pytest.param("1.12345678901e", id="eleven-digits"),
    pytest.param("1.1e:signature", id="signed"),
    pytest.param("1.1e\x00", id="nul"),
    pytest.param("\x00", id="only-nul"),
    pytest.param("1.1e%00", id="percent-nul"),
    pytest.param("1." + "1e" * (MAX_PAIRS_LENGTH // 2) + "2e", id="too-long"),
    pytest.param("1.<script>alert(1)</script>", id="markup"),
    pytest.param("1.١٢e", id="arabic-indic-digits"),
    pytest.param("1.１e", id="fullwidth-digit"),
]


@pytest.mark.parametrize("payload", MALFORMED)
def test_a_malformed_payload_is_the_friendly_dutch_400(client, quiz, payload):
    response = post_kept(client, quiz, payload)
    html = response.content.decode()
    assert response.status_code == 400
    assert "<html" in html
    assert FRIENDLY_400 in html
    assert any(message in html for message in BAD_PAYLOAD)
    assert "public" not in cache_control(response)
    assert not response.cookies


def test_no_voter_request_sets_a_cookie_or_stores_anything(redacteur_client, quiz):
    voter = Client(enforce_csrf_checks=True)  # as in production: the POST needs no CSRF token
    s1, *_ = published(quiz)
    too_long = "1." + "0e" * (MAX_PAIRS_LENGTH // 2 + 1)
    before = row_counts()
    responses = [
        voter.get(reverse("statements", args=[quiz.slug])),
        voter.get(reverse("statements", args=[quiz.slug]), headers=GZIP),
        voter.head(reverse("statements", args=[quiz.slug])),
        voter.get(reverse("results", args=[quiz.slug])),
        voter.get(reverse("preview:statements", args=[quiz.slug])),
        *(
            post_kept(voter, quiz, payload)
            for payload in [f"1.{s1.pk}E", "1.", "1.999e", "kapot", "1.1e\x00", too_long]
        ),
    ]
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 302] + [303] * 3 + [400] * 3
    for response in responses:
        assert not response.cookies, response.cookies
    assert not voter.cookies
    staff = redacteur_client.get(reverse("preview:statements", args=[quiz.slug]))
    assert staff.status_code == 200
    assert post_kept(redacteur_client, quiz, f"1.{s1.pk}E", preview=True).status_code == 303
    assert row_counts() == before


# --- Cache headers of the voter pages ------------------------------------------------------


def test_pages_without_a_token_are_public_for_a_minute(client, quiz):
    urls = [
        reverse("quiz", args=[quiz.slug]),
        *(reverse("statement", args=[quiz.slug, n]) for n in range(1, 5)),
        reverse("statements", args=[quiz.slug]),
        reverse("results", args=[quiz.slug]),
        reverse("results", args=[quiz.slug]) + "?toon=eens",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert cache_control(response) == {"public", "max-age=60"}, url
        assert not response.cookies
    step = client.get(reverse("statement", args=[quiz.slug, 2]))
    assert "?a=" not in step.content.decode()  # one address per page, for a cache too


def test_an_address_with_a_token_is_not_public_even_when_no_answer_counts(client, quiz):
    """Answers to statements removed since still name the voter's opinions in the address."""
    token = signing.Signer(salt=f"stemtest.answers:live:{quiz.slug}").sign("1.999999e")
    response = client.get(reverse("statement", args=[quiz.slug, 2]), {"a": token})
    assert response.status_code == 200
    assert "public" not in cache_control(response)


def test_pages_with_answers_and_the_preview_are_not_public(client, redacteur_client, quiz):
    s1, *_ = published(quiz)
    results_url = run_quiz(client, quiz, ["eens"] * 4)
    token = token_of(results_url)
    slug = quiz.slug
    responses = {
        "statement with a token": client.get(reverse("statement", args=[slug, 2]), {"a": token}),
        "answer POST": client.post(
            reverse("statement", args=[slug, 1]), {"stelling": s1.pk, "answer": "eens"}
        ),
        "answer POST with the kept answers": post_kept(client, quiz, f"1.{s1.pk}E"),
        "results": client.get(results_url),
        "results filtered": client.get(results_url + "&toon=eens"),
        "results as JSON": client.get(reverse("results_json", args=[slug]), {"a": token}),
        "bad token": client.get(reverse("statement", args=[slug, 1]), {"a": "kapot"}),
        "preview landing": redacteur_client.get(reverse("preview:quiz", args=[slug])),
        "preview statement": redacteur_client.get(reverse("preview:statement", args=[slug, 5])),
        "preview bundle": redacteur_client.get(reverse("preview:statements", args=[slug])),
        "preview results": redacteur_client.get(reverse("preview:results", args=[slug])),
    }
    for name, response in responses.items():
        assert response.status_code in {200, 303, 400}, name
        assert "public" not in cache_control(response), (name, response.get("Cache-Control"))
        # Not even the browser's disk cache keeps answers after the tab is closed.
        assert {"private", "no-store"} <= cache_control(response), name


# --- quiz.answers.parse ---------------------------------------------------------------------


def test_parse_reads_ids_and_letters_with_upper_case_for_belangrijk(quiz):
    snapshot = get_snapshot(quiz.slug)
    s1, s2, s3, s4 = (s.pk for s in published(quiz))
    assert parse(f"1.{s1}e{s2}O{s3}n{s4}S", snapshot) == {
        s1: Answer("eens", False),
        s2: Answer("oneens", True),
        s3: Answer("neutraal", False),
        s4: Answer("overslaan", True),
    }
    assert parse(f"1.{s1}E{s2}o{s3}N{s4}s", snapshot) == {
        s1: Answer("eens", True),
        s2: Answer("oneens", False),
        s3: Answer("neutraal", True),
        s4: Answer("overslaan", False),
    }
    assert parse("1.", snapshot) == {}
    assert parse(f"1.{s1}e{s1}O", snapshot) == {s1: Answer("oneens", True)}  # the last one counts
    assert parse(f"1.000{s1}e", snapshot) == {s1: Answer("eens", False)}


def test_parse_drops_statements_not_in_the_quiz(quiz):
    s1, *_ = (s.pk for s in published(quiz))
    draft = quiz.statements.get(is_published=False).pk
    payload = f"1.0e{s1}n{draft}o999999s9999999999E"
    assert parse(payload, get_snapshot(quiz.slug)) == {s1: Answer("neutraal", False)}
    assert parse(payload, get_snapshot(quiz.slug, preview=True)) == {
        s1: Answer("neutraal", False),
        draft: Answer("oneens", False),
    }


def test_parse_caps_the_length(quiz):
    snapshot = get_snapshot(quiz.slug)
    s1, *_ = published(quiz)
    tail = f"{s1.pk}O"
    size = MAX_PAIRS_LENGTH - len(tail)  # filled with answers to statement 0, which is none
    filler = "0e" * (size // 2) if size % 2 == 0 else "00e" + "0e" * ((size - 3) // 2)
    longest = filler + tail
    assert len(longest) == MAX_PAIRS_LENGTH
    assert parse("1." + longest, snapshot) == {s1.pk: Answer("oneens", True)}
    with pytest.raises(BadAnswers, match="onleesbaar"):
        parse("1.0" + longest, snapshot)
    with pytest.raises(BadAnswers, match="onleesbaar"):
        parse("1." + "0e" * (MAX_PAIRS_LENGTH // 2) + "0e", snapshot)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("", "oudere versie"),
        ("0.1e", "oudere versie"),
        ("2.1e", "oudere versie"),
        ("1.e", "onleesbaar"),
        ("1.1", "onleesbaar"),
        ("1.1x", "onleesbaar"),
        ("1.1e.2o", "onleesbaar"),
        ("1.12345678901e", "onleesbaar"),
        ("1.1e\x00", "onleesbaar"),
        ("1.1e\n", "onleesbaar"),
        ("1.1e:abc", "onleesbaar"),
    ],
)
def test_parse_refuses_what_is_not_well_formed(quiz, payload, message):
    with pytest.raises(BadAnswers, match=message):
        parse(payload, get_snapshot(quiz.slug))


def test_parse_reads_what_encode_signs(quiz):
    snapshot = get_snapshot(quiz.slug)
    s1, _, s3, s4 = (s.pk for s in published(quiz))
    answers = {
        s3: Answer("neutraal", True),
        s1: Answer("eens", False),
        s4: Answer("overslaan", True),
    }
    token = encode(answers, snapshot)
    payload, _, signature = token.rpartition(":")
    assert payload == f"1.{s1}e{s3}N{s4}S"
    assert signature
    assert parse(payload, snapshot) == answers == decode(token, snapshot)
