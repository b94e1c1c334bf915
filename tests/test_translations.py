"""Three languages (docs/translations.md): Dutch on the plain addresses, French under /fr/ and
English under /en/; every UI string translated (the catalogue check fails on one that is not);
the language switcher on every page, keeping the voter's answers; the editors' translations of
the content, shown where they exist and the Dutch with a note and its `lang` where they do not;
programme passages always quoted in the programme's language; the translations in the admin,
the spreadsheets and the quiz JSON."""

import gettext
import io
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from django.urls import reverse
from django.utils import translation

from quiz.exporting import export_quizzes, quiz_settings
from quiz.models import Position, Quiz, Statement, Theme
from quiz.spreadsheets import COLUMNS, ensure_quiz, import_rows, translate_themes
from stemtest import catalogues
from tests.helpers import run_quiz, token_of, visible_text

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = {"": "nl-BE", "/fr": "fr-BE", "/en": "en"}


def in_(language: str, text: str, context: str = "") -> str:
    with translation.override(language):
        return translation.pgettext(context, text) if context else translation.gettext(text)


def shows(html: str, text: str) -> bool:
    """Whether a reader sees `text` in `html` (whitespace as visible_text makes it)."""
    return re.sub(r"\s+", " ", text) in visible_text(html)


def html_lang(html: str) -> str:
    return re.search(r'<html lang="([^"]+)"', html).group(1)


# --- The catalogues --------------------------------------------------------------------------


@pytest.fixture
def sources(tmp_path):
    """A copy of what the catalogues are made from, with the catalogues."""
    for name in ("quiz", "stemtest", "templates", "static", "locale"):
        shutil.copytree(
            ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo")
        )
    return tmp_path


def test_every_ui_string_has_a_french_and_an_english_translation(sources):
    catalogues.update(sources)
    missing = catalogues.untranslated(sources)
    assert not missing, "Without a translation (make catalogues):\n" + "\n".join(
        f"  locale/{catalogue}.po: {msgid}"
        for catalogue, msgids in missing.items()
        for msgid in msgids
    )


def test_the_check_finds_a_new_string_in_a_template_python_and_javascript(sources):
    (sources / "templates" / "quiz" / "new.html").write_text(
        '{% load i18n %}<p>{% translate "Een zin die nog niemand vertaalde." %}</p>'
    )
    (sources / "quiz" / "new.py").write_text(
        'from django.utils.translation import gettext as _\n_("Nog een nieuwe zin.")\n'
    )
    (sources / "static" / "js" / "new.js").write_text('gettext("Een nieuwe zin in JavaScript.");\n')
    catalogues.update(sources)
    missing = catalogues.untranslated(sources)
    assert "Een zin die nog niemand vertaalde." in missing["fr/django"]
    assert "Nog een nieuwe zin." in missing["en/django"]
    assert "Een nieuwe zin in JavaScript." in missing["fr/djangojs"]
    assert "Een nieuwe zin in JavaScript." in missing["en/djangojs"]


def compiled(language: str, domain: str) -> dict:
    with (ROOT / "locale" / language / "LC_MESSAGES" / f"{domain}.mo").open("rb") as file:
        return gettext.GNUTranslations(file)._catalog  # type: ignore[attr-defined]


PLACEHOLDER = re.compile(r"%\(\w+\)s|%s|\{\w+\}")
TAG = re.compile(r"<[^>]+>")


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_translations_keep_every_placeholder_tag_and_edge_space(language, domain):
    catalogue = compiled(language, domain)
    assert len(catalogue) > (100 if domain == "django" else 20)
    problems = []
    for key, translated in catalogue.items():
        msgid = key[0] if isinstance(key, tuple) else key
        msgid = msgid.split("\x04")[-1]  # without its context
        if not msgid:
            continue  # the header
        if sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(translated)):
            problems.append(f"placeholders: {msgid!r} → {translated!r}")
        if sorted(TAG.findall(msgid)) != sorted(TAG.findall(translated)):
            problems.append(f"markup: {msgid!r} → {translated!r}")
        if msgid[:1] == " " and translated[:1] != " ":
            problems.append(f"leading space: {msgid!r} → {translated!r}")
    assert not problems, "\n".join(problems)


# --- Addresses, <html lang>, the switcher ----------------------------------------------------


@pytest.mark.django_db
def test_the_address_alone_says_the_language(client, make_quiz):
    quiz = make_quiz(statements=2)
    for prefix, lang in LANGUAGES.items():
        language = {"": "nl-be", "/fr": "fr", "/en": "en"}[prefix]
        for path in ("/", f"/stemtest/{quiz.slug}/", "/hoe-berekenen/", "/programma/"):
            response = client.get(
                prefix + path, headers={"Accept-Language": "fr", "Cookie": "django_language=en"}
            )
            html = response.content.decode()
            assert response.status_code == 200, prefix + path
            assert html_lang(html) == lang
            assert response["Content-Language"] == lang
            assert "Accept-Language" not in response.get("Vary", "")
            assert not response.cookies
        landing = client.get(f"{prefix}/stemtest/{quiz.slug}/").content.decode()
        assert shows(landing, in_(language, "Start de stemtest"))
    assert in_("fr", "Start de stemtest") != "Start de stemtest" != in_("en", "Start de stemtest")


@pytest.mark.django_db
def test_every_page_links_to_itself_in_the_other_languages_answers_included(client, make_quiz):
    quiz = make_quiz(statements=2)
    results = run_quiz(client, quiz, ["eens", "oneens"])
    token = token_of(results)
    for path in (results, f"/fr{results}", "/fr/stemtest/nope/", "/en/programma/"):
        response = client.get(path)
        html = response.content.decode()
        switcher = re.search(r'<nav class="languages"[^>]*>(.*?)</nav>', html).group(1)
        links = dict(re.findall(r'<a href="([^"]+)" lang="([^"]+)"', switcher))
        bare = re.sub(r"^/(fr|en)/", "/", path)
        assert set(links.values()) == set(LANGUAGES.values())
        assert set(links) == {bare, f"/fr{bare}", f"/en{bare}"}
        current = re.search(r'<a href="([^"]+)"[^>]*aria-current="true"', switcher).group(1)
        assert current == path
    french = client.get(f"/fr{results}")
    assert french.status_code == 200
    assert token in french.content.decode()
    assert shows(french.content.decode(), in_("fr", "Je resultaat"))


@pytest.mark.django_db
def test_a_french_error_page_is_french_and_leads_to_french_pages(client):
    response = client.get("/fr/stemtest/bestaat-niet/")
    html = response.content.decode()
    assert response.status_code == 404
    assert html_lang(html) == "fr-BE"
    assert shows(html, in_("fr", "Deze pagina bestaat niet"))
    assert '<a class="brand" href="/fr/">' in html
    assert 'rel="alternate"' not in html  # nothing to index


@pytest.mark.django_db
def test_the_javascript_strings_come_from_a_catalogue_on_french_and_english_pages(client):
    response = client.get("/fr/vertalingen.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert "max-age=3600" in response["Cache-Control"]
    french = compiled("fr", "djangojs")["Kies eerst een antwoord."]
    assert json.dumps(french)[1:-1] in response.content.decode()
    assert '<script src="/fr/vertalingen.js"' in client.get("/fr/").content.decode()
    assert "vertalingen.js" not in client.get("/").content.decode()  # Dutch: the msgids


# --- The content: the editors' translations --------------------------------------------------


@pytest.fixture
def translated_quiz(make_quiz):
    """Statement 1 with its French translated (text, short title, uitleg, justification quoting
    its resolution); statement 2 not."""
    quiz = make_quiz(statements=2)
    first = quiz.statements.get(order=1)
    first.text_fr = "Les pouvoirs publics doivent introduire la mesure 1."
    first.short_title_fr = "Mesure 1"
    first.uitleg_fr = "Explication de la mesure 1."
    first.save()
    position = first.positions.get()
    position.justification_fr = "Le parti la veut : “we doen maatregel 1” (résolution 1)."
    position.save()
    quiz.title_fr = "Test électoral Vooruit 2024"
    quiz.save()
    theme = first.theme
    theme.name_fr = "Emploi"
    theme.save()
    return quiz


@pytest.mark.django_db
def test_a_translated_statement_is_shown_in_french_and_an_untranslated_one_in_dutch_marked(
    client, translated_quiz
):
    slug = translated_quiz.slug
    first = client.get(f"/fr/stemtest/{slug}/stelling/1/").content.decode()
    assert '<h1 id="statement-heading" class="statement-text" tabindex="-1">Les pouvoirs' in first
    assert "Explication de la mesure 1." in first
    assert "Emploi" in first
    assert 'class="untranslated"' not in first
    second = client.get(f"/fr/stemtest/{slug}/stelling/2/").content.decode()
    assert 'lang="nl-BE">De overheid moet maatregel 2 invoeren.</h1>' in second
    note = in_("fr", "Deze stelling is nog niet vertaald: je leest ze in het Nederlands.")
    assert shows(second, note)
    assert not note.startswith("Deze stelling")
    # Dutch pages are as they were; the English ones all Dutch, marked, with the notes.
    dutch = client.get(f"/stemtest/{slug}/stelling/1/").content.decode()
    assert "De overheid moet maatregel 1 invoeren." in dutch
    assert "untranslated" not in dutch
    english = client.get(f"/en/stemtest/{slug}/").content.decode()
    assert '<h1 lang="nl-BE">Stemtest Vooruit 2024</h1>' in english
    assert 'class="notice untranslated"' in english
    assert (
        "<h1>Test électoral Vooruit 2024</h1>"
        in client.get(f"/fr/stemtest/{slug}/").content.decode()
    )


@pytest.mark.django_db
def test_results_quote_the_programme_in_its_own_language_in_every_language(client, translated_quiz):
    results = run_quiz(client, translated_quiz, ["eens", "oneens"])
    french = client.get(f"/fr{results}").content.decode()
    assert '<span lang="nl">“we doen maatregel 1”</span> (résolution 1).' in french
    assert french.count('<blockquote class="citation"') == french.count(
        '<blockquote class="citation" cite="/fr/programma/vooruit-2024/resolutie/'
    )
    assert re.search(r'<blockquote class="citation" cite="[^"]+" lang="nl">', french)
    # Statement 2's justification is not translated: Dutch, marked, with the note.
    assert re.search(r'<p class="justification" lang="nl-BE">Vooruit zegt oneens', french)
    assert shows(french, in_("fr", "(nog niet vertaald)"))
    # Stance labels in the page's language, from fragments of their own per language.
    stance = in_("fr", "Eens", "standpunt of antwoord")
    party_stance = in_("fr", "%(party)s: %(stance)s", "a party: its stance")
    assert shows(french, party_stance % {"party": "Vooruit", "stance": stance})
    assert stance != "Eens"
    dutch = client.get(results).content.decode()
    assert "Vooruit: Eens</strong>" in dutch
    assert "<span lang" not in dutch.split("<main")[1]


# --- The editors: admin, spreadsheets, the quiz JSON -----------------------------------------


@pytest.mark.django_db
def test_the_admin_edits_every_translation(redacteur_client, translated_quiz):
    statement = translated_quiz.statements.get(order=1)
    html = redacteur_client.get(reverse("admin:quiz_statement_change", args=[statement.pk]))
    page = html.content.decode()
    for name in ("text_fr", "short_title_en", "uitleg_fr", "positions-0-justification_en"):
        assert f'name="{name}"' in page, name
    assert "Vertaling: Frans" in page
    assert "Les pouvoirs publics" in page
    quiz_page = redacteur_client.get(reverse("admin:quiz_quiz_change", args=[translated_quiz.pk]))
    assert 'name="about_en"' in quiz_page.content.decode()
    theme = Theme.objects.get(name="Werk")
    assert (
        'name="name_fr"'
        in redacteur_client.get(
            reverse("admin:quiz_theme_change", args=[theme.pk])
        ).content.decode()
    )


@pytest.mark.django_db
def test_a_spreadsheet_carries_the_translations_there_and_back(translated_quiz):
    content, _ = export_quizzes(Quiz.objects.all(), file_format="csv")
    frame = pd.read_csv(io.BytesIO(content), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert list(frame.columns) == COLUMNS
    first = frame.iloc[0]
    assert (first["statement_fr"], first["justification_fr"], first["statement_en"]) == (
        "Les pouvoirs publics doivent introduire la mesure 1.",
        "Le parti la veut : “we doen maatregel 1” (résolution 1).",
        "",
    )
    # Back as it went out: nothing changes.
    assert {change.action for change in import_rows(frame).changes} == {"ongewijzigd"}
    # A file without the translation columns leaves them as they are …
    dutch_only = frame[[c for c in frame.columns if not c.endswith(("_fr", "_en"))]]
    assert {change.action for change in import_rows(dutch_only).changes} == {"ongewijzigd"}
    assert Statement.objects.get(order=1).text_fr.startswith("Les pouvoirs")
    # … an English column fills them in, an emptied French cell takes one away.
    frame.loc[0, "statement_en"] = "The government should introduce measure 1."
    frame.loc[0, "justification_fr"] = ""
    report = import_rows(frame)
    assert report.ok, report.errors
    changed = [(c.what, c.fields) for c in report.changes if c.action == "gewijzigd"]
    assert changed == [
        ("stelling 1", ("statement_en",)),
        ("stelling 1, Vooruit", ("justification_fr",)),
    ]
    statement = Statement.objects.get(order=1)
    assert statement.text_en == "The government should introduce measure 1."
    assert Position.objects.get(statement=statement).justification_fr == ""


@pytest.mark.django_db
def test_a_changed_translation_is_checked_again_before_voters_read_it(translated_quiz, redacteur):
    content, _ = export_quizzes(Quiz.objects.all(), file_format="csv")
    frame = pd.read_csv(io.BytesIO(content), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame.loc[0, "uitleg_en"] = "Explanation of measure 1."
    report = import_rows(frame, user=redacteur)
    assert report.ok, report.errors
    assert Statement.objects.get(order=1).status == Statement.Status.READY
    assert Statement.objects.get(order=2).status == Statement.Status.PUBLISHED


@pytest.mark.django_db
def test_the_quiz_json_holds_the_quizs_and_its_themes_translations(translated_quiz, tmp_path):
    settings = quiz_settings(translated_quiz)
    assert settings["title_fr"] == "Test électoral Vooruit 2024"
    assert settings["themes"]["Werk"] == {"fr": "Emploi", "en": ""}
    settings |= {
        "intro_en": "Test your opinion.",
        "themes": {"Zorg": {"fr": "Soins", "en": "Care"}},
    }
    path = tmp_path / "quiz.json"
    path.write_text(json.dumps(settings), encoding="utf-8")
    assert ensure_quiz(path)[1] == "bijgewerkt"
    assert translate_themes(path) == 1
    assert Quiz.objects.get().intro_en == "Test your opinion."
    assert Theme.objects.get(name="Zorg").name_en == "Care"
    assert ensure_quiz(path)[1] == "ongewijzigd"
    assert translate_themes(path) == 0


@pytest.mark.django_db
def test_the_elections_name_is_translated_where_editors_gave_one(client, translated_quiz):
    election = translated_quiz.election
    election.name_fr = "Élections du 9 juin 2024"
    election.save()
    assert "Élections du 9 juin 2024" in client.get("/fr/programma/").content.decode()
    assert "Verkiezingen 9 juni 2024" in client.get("/en/programma/").content.decode()
    assert str(election) == "Verkiezingen 9 juni 2024"  # the admin's, in Dutch
    settings = quiz_settings(translated_quiz)
    assert (settings["election_fr"], settings["election_en"]) == ("Élections du 9 juin 2024", "")
