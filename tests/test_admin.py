"""The editors' admin: every page opens for a Redacteur, the permissions hold, and an editor
goes from an empty quiz to a published statement with a cited position on one form."""

import os
import re
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.urls import reverse

from quiz.models import Citation, Position, Quiz, Resolution, Statement, Theme


@pytest.fixture
def quiz(make_quiz):
    return make_quiz(statements=3)


@pytest.fixture
def empty_quiz(party, election, make_programme):
    make_programme(
        sections={"1": "Welvaart", "1.1": "Werk", "2": "Zorg", "2.1": "Ziekenhuizen"},
        resolutions=[
            (1, "1.1", "We verhogen het minimumloon naar 17 euro per uur."),
            (2, "1.1", "We voeren een belasting op grote vermogens in."),
            (1198, "2.1", "Ziekenhuizen werken samen in netwerken."),
        ],
    )
    quiz = Quiz.objects.create(
        title="Stemtest Vooruit 2024", slug="vooruit-2024", election=election
    )
    quiz.parties.set([party])
    Theme.objects.create(name="Werk", slug="werk")
    return quiz


def statement_form(quiz, theme, *, positions=(), ready=False, **fields):
    """The add/change form's POST data: the statement and its position rows."""
    data = {
        "quiz": quiz.pk,
        "order": 1,
        "text": "Het minimumloon moet stijgen naar 17 euro per uur.",
        "short_title": "Minimumloon",
        "theme": theme.pk,
        "uitleg": "",
        "positions-TOTAL_FORMS": len(positions),
        "positions-INITIAL_FORMS": 0,
        "positions-MIN_NUM_FORMS": 0,
        "positions-MAX_NUM_FORMS": 1000,
        **fields,
    }
    if ready:
        data["_ready"] = "Opslaan, klaar voor nazicht"
    for index, position in enumerate(positions):
        for key, value in position.items():
            data[f"positions-{index}-{key}"] = value
    return data


def resolution_pk(number):
    return Resolution.objects.get(number=number).pk


# --- Every page opens ---------------------------------------------------------------------


def quiz_admins():
    return [model for model in admin.site._registry if model._meta.app_label == "quiz"]


@pytest.mark.parametrize("model", quiz_admins(), ids=lambda model: model._meta.model_name)
def test_a_redacteur_opens_the_list_add_and_change_pages(redacteur_client, quiz, model):
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert redacteur_client.get(url).status_code == 200
    can_add = redacteur_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    # Programmes come from the import (its own page), never from a blank form.
    read_only = {"election", "programme", "section", "resolution"}
    assert can_add.status_code == (403 if opts.model_name in read_only else 200)
    obj = model.objects.first()
    change = redacteur_client.get(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    )
    assert change.status_code == 200


def test_the_editor_pages_open_for_a_redacteur(redacteur_client, quiz):
    statement = quiz.statements.first()
    for url in [
        reverse("admin:index"),
        reverse("admin:quiz_quiz_coverage", args=[quiz.pk]),
        reverse("admin:quiz_quiz_import"),
        reverse("admin:quiz_programme_import"),
        reverse("admin:quiz_statement_suggestions", args=[statement.pk]),
        reverse("admin:quiz_statement_history", args=[statement.pk]),
        reverse("admin:quiz_statement_changelist") + "?waarschuwingen=ja&standpunt=eens",
        reverse("admin:quiz_resolution_changelist") + "?deel=1&hoofdstuk=1.1&q=maatregel",
    ]:
        assert redacteur_client.get(url).status_code == 200, url


# --- Permissions --------------------------------------------------------------------------


def test_the_redacteur_group_has_exactly_the_editors_permissions(redacteur):
    codenames = set(
        Group.objects.get(name="Redacteur").permissions.values_list("codename", flat=True)
    )
    for model in ["statement", "position", "citation", "theme"]:
        assert {f"{action}_{model}" for action in ["view", "add", "change", "delete"]} <= codenames
    assert {"view_quiz", "add_quiz", "change_quiz"} <= codenames
    assert "delete_quiz" not in codenames
    for model in ["party", "programme"]:  # editors import the parties' programmes
        assert {f"{action}_{model}" for action in ["view", "add", "change"]} <= codenames
        assert f"delete_{model}" not in codenames
    for model in ["section", "resolution", "election"]:  # only the import writes these
        assert f"view_{model}" in codenames
        assert not {f"{action}_{model}" for action in ["add", "change", "delete"]} & codenames
    assert not {c for c in codenames if c.endswith(("_user", "_group", "_permission"))}


def test_a_redacteur_can_edit_a_statement_but_not_users(redacteur_client, quiz):
    statement = quiz.statements.get(order=1)
    position = statement.positions.get()
    data = statement_form(
        quiz,
        statement.theme,
        short_title="Nieuwe titel",
        order=statement.order,
        **{"positions-INITIAL_FORMS": 1},
        positions=[
            {
                "id": position.pk,
                "statement": statement.pk,
                "party": position.party_id,
                "stance": "eens",
                "cited": [c.resolution_id for c in position.citations.all()],
            }
        ],
    )
    response = redacteur_client.post(
        reverse("admin:quiz_statement_change", args=[statement.pk]), data
    )
    assert response.status_code == 302
    assert Statement.objects.get(pk=statement.pk).short_title == "Nieuwe titel"
    assert redacteur_client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert redacteur_client.get(reverse("admin:auth_group_changelist")).status_code == 403


def test_a_redacteur_cannot_change_a_resolution_text(redacteur_client, quiz):
    resolution = Resolution.objects.first()
    url = reverse("admin:quiz_resolution_change", args=[resolution.pk])
    page = redacteur_client.get(url).content.decode()
    assert "komt uit de import van het programma" in page
    assert 'name="text"' not in page
    redacteur_client.post(url, {"text": "Vervalst."})
    resolution.refresh_from_db()
    assert resolution.text != "Vervalst."


@pytest.mark.parametrize("name", ["admin:quiz_statement_changelist", "admin:quiz_quiz_import"])
def test_an_anonymous_visitor_gets_the_login_page(client, quiz, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


# --- From an empty quiz to a published statement ------------------------------------------


def test_the_add_form_has_a_prefilled_row_for_every_party_of_the_quiz(
    redacteur_client, empty_quiz, party
):
    page = redacteur_client.get(reverse("admin:quiz_statement_add")).content.decode()
    assert 'name="positions-TOTAL_FORMS" value="1"' in page
    assert f'<option value="{party.pk}" selected>Vooruit</option>' in page
    assert 'name="order" value="1"' in page


def test_an_editor_writes_a_cited_statement_and_offers_it_for_review_in_one_form(
    redacteur_client, redacteur, empty_quiz, party
):
    theme = Theme.objects.get()
    data = statement_form(
        empty_quiz,
        theme,
        ready=True,
        positions=[
            {
                "party": party.pk,
                "stance": "eens",
                "cited": [resolution_pk(1)],
                "justification": "Resolutie 1 vraagt 17 euro per uur.",
            }
        ],
    )
    response = redacteur_client.post(reverse("admin:quiz_statement_add"), data)
    assert response.status_code == 302, response.context["errors"]
    statement = Statement.objects.get()
    assert response["Location"] == reverse("admin:quiz_statement_change", args=[statement.pk])
    assert (statement.status, statement.changed_by, statement.is_published) == (
        "klaar",
        redacteur,
        False,
    )
    position = statement.positions.get()
    assert (position.party, position.stance) == (party, "eens")
    assert [c.resolution.number for c in position.citations.all()] == [1]
    history = LogEntry.objects.filter(object_id=str(statement.pk), user=redacteur)
    assert "Klaar voor nazicht." in [entry.get_change_message() for entry in history]


def test_a_stance_without_a_citation_is_refused_on_its_row(redacteur_client, empty_quiz, party):
    data = statement_form(
        empty_quiz, Theme.objects.get(), positions=[{"party": party.pk, "stance": "oneens"}]
    )
    response = redacteur_client.post(reverse("admin:quiz_statement_add"), data)
    assert response.status_code == 200
    assert "citeert minstens één resolutie" in response.content.decode()
    assert not Statement.objects.exists()


def test_an_untouched_prefilled_row_is_ignored(redacteur_client, empty_quiz, party):
    data = statement_form(
        empty_quiz,
        Theme.objects.get(),
        positions=[{"party": party.pk, "stance": ""}],
        **{"positions-0-party": party.pk},
    )
    data["initial-positions-0-party"] = party.pk
    response = redacteur_client.post(reverse("admin:quiz_statement_add"), data)
    assert response.status_code == 302
    assert not Position.objects.exists()


def test_removing_a_resolution_in_the_row_removes_its_citation_and_keeps_the_others(
    redacteur_client, empty_quiz, party
):
    theme = Theme.objects.get()
    statement = Statement.objects.create(
        quiz=empty_quiz, order=1, text="Tekst.", short_title="T", theme=theme
    )
    position = Position.objects.create(statement=statement, party=party, stance="eens")
    Citation.objects.create(
        position=position, resolution_id=resolution_pk(1), excerpt="17 euro per uur", order=1
    )
    Citation.objects.create(position=position, resolution_id=resolution_pk(2), order=2)
    data = statement_form(
        empty_quiz,
        theme,
        text="Tekst.",
        short_title="T",
        **{"positions-INITIAL_FORMS": 1},
        positions=[
            {
                "id": position.pk,
                "statement": statement.pk,
                "party": party.pk,
                "stance": "eens",
                "cited": [resolution_pk(1)],
            }
        ],
    )
    response = redacteur_client.post(
        reverse("admin:quiz_statement_change", args=[statement.pk]), data
    )
    assert response.status_code == 302
    assert list(position.citations.values_list("resolution__number", "excerpt")) == [
        (1, "17 euro per uur")
    ]


def test_the_change_form_shows_the_cited_text_and_the_warnings(redacteur_client, quiz):
    statement = quiz.statements.get(order=1)
    statement.text = "De overheid mag maatregel 1 niet invoeren."
    statement.save()
    page = redacteur_client.get(
        reverse("admin:quiz_statement_change", args=[statement.pk])
    ).content.decode()
    assert "Resolutie 1: we doen maatregel 1 voor iedereen." in page
    assert "Ontkenning (‘niet’)" in page
    assert reverse("preview:quiz", args=[quiz.slug]) in page


def test_typing_the_statement_sends_its_warnings_with_the_suggestions(redacteur_client, quiz):
    statement = quiz.statements.get(order=1)
    url = reverse("admin:quiz_statement_suggestions", args=[statement.pk])
    typed = {"text": "De overheid mag maatregel 1 niet invoeren en/of uitstellen."}
    htmx = {"HX-Request": "true", "HX-Target": "suggestions"}
    page = redacteur_client.get(url, typed, headers=htmx | {"HX-Trigger": "id_text"})
    box = page.content.decode().split('<aside id="suggestions"')[0]
    assert 'id="statement-warnings"' in box
    assert 'data-hx-swap-oob="innerHTML"' in box
    assert "Ontkenning (‘niet’)" in box
    assert "‘en/of’" in box
    # The panel's own search box is not the statement: its text gets no warnings.
    searched = redacteur_client.get(url, typed, headers=htmx).content.decode()
    assert 'id="statement-warnings"' not in searched


def test_the_add_form_warns_while_the_first_draft_is_typed(redacteur_client, empty_quiz):
    url = reverse("admin:quiz_statement_draft_suggestions")
    words = " ".join(["woord"] * 24)
    page = redacteur_client.get(
        url,
        {"text": words, "quiz": empty_quiz.pk},
        headers={"HX-Request": "true", "HX-Trigger": "id_text"},
    ).content.decode()
    assert "24 woorden: houd het bij hoogstens 20." in page


# --- The statement list -------------------------------------------------------------------


def test_the_list_shows_stances_citations_and_warnings(redacteur_client, quiz):
    Citation.objects.filter(position__statement__order=2).delete()
    page = redacteur_client.get(reverse("admin:quiz_statement_changelist")).content.decode()
    badge = '<span class="stance-badge stance-eens"><b>Vooruit</b> eens</span>'
    assert badge in page
    assert "<summary>1 waarschuwing</summary>" in page
    assert "Vooruit: standpunt ‘oneens’ zonder citaat." in page
    warned = redacteur_client.get(reverse("admin:quiz_statement_changelist") + "?waarschuwingen=ja")
    assert [s.order for s in warned.context["cl"].result_list] == [2]


def test_the_stance_filter_keeps_statements_with_that_stance(redacteur_client, quiz):
    response = redacteur_client.get(
        reverse("admin:quiz_statement_changelist") + "?standpunt=neutraal"
    )
    assert [s.order for s in response.context["cl"].result_list] == [3]


def test_bulk_unpublish_and_publish(redacteur_client, quiz):
    url = reverse("admin:quiz_statement_changelist")
    ids = list(quiz.statements.values_list("pk", flat=True))
    redacteur_client.post(url, {"action": "unpublish", "_selected_action": ids})
    assert not quiz.statements.published().exists()
    assert set(quiz.statements.values_list("status", flat=True)) == {"nagekeken"}
    Position.objects.filter(statement__order=3).delete()
    response = redacteur_client.post(
        url, {"action": "publish", "_selected_action": ids}, follow=True
    )
    assert sorted(quiz.statements.published().values_list("order", flat=True)) == [1, 2]
    assert "Niet gepubliceerd" in response.content.decode()
    assert "ontbreekt: Vooruit" in response.content.decode()


def numbering(orders: dict) -> dict:
    """The order page's POST that gives each statement (key) its number (value)."""
    data = {
        "form-TOTAL_FORMS": len(orders),
        "form-INITIAL_FORMS": len(orders),
        "form-MIN_NUM_FORMS": 0,
        "form-MAX_NUM_FORMS": 1000,
    }
    for index, (statement, order) in enumerate(orders.items()):
        data |= {f"form-{index}-id": statement.pk, f"form-{index}-order": order}
    return data


def test_the_list_has_no_number_fields_to_slip_on(redacteur_client, quiz):
    page = redacteur_client.get(reverse("admin:quiz_statement_changelist")).content.decode()
    assert 'name="form-0-order"' not in page
    assert reverse("admin:quiz_quiz_reorder", args=[quiz.pk]) in page


def test_statements_are_reordered_on_the_order_page_by_swapping_numbers(
    redacteur_client, redacteur, quiz
):
    first, second, third = quiz.statements.order_by("order")
    data = numbering({first: 2, second: 1, third: 3})
    url = reverse("admin:quiz_quiz_reorder", args=[quiz.pk])
    response = redacteur_client.post(url, data, follow=True)
    assert "Volgorde bewaard: 1 → 2, 2 → 1." in response.content.decode()
    assert list(quiz.statements.order_by("order").values_list("pk", flat=True)) == [
        second.pk,
        first.pk,
        third.pk,
    ]
    entry = LogEntry.objects.filter(object_id=str(first.pk), user=redacteur).get()
    assert entry.get_change_message() == "Nummer 1 → 2 (volgorde van de stemtest)."
    assert Statement.objects.get(pk=first.pk).status == "gepubliceerd"  # not a content change


def test_a_duplicate_number_on_the_order_page_is_an_error_not_a_crash(redacteur_client, quiz):
    first, second, third = quiz.statements.order_by("order")
    data = numbering({first: 3, second: 2, third: 3})
    response = redacteur_client.post(reverse("admin:quiz_quiz_reorder", args=[quiz.pk]), data)
    assert response.status_code == 400
    assert "Nummer 3 komt twee keer voor" in response.content.decode()
    assert list(quiz.statements.order_by("order").values_list("order", flat=True)) == [1, 2, 3]


def test_a_number_taken_on_the_statement_form_is_a_field_error(redacteur_client, quiz):
    statement = quiz.statements.get(order=1)
    position = statement.positions.get()
    data = statement_form(
        quiz,
        statement.theme,
        order=2,
        text=statement.text,
        short_title=statement.short_title,
        **{"positions-INITIAL_FORMS": 1},
        positions=[
            {
                "id": position.pk,
                "statement": statement.pk,
                "party": position.party_id,
                "stance": position.stance,
                "cited": [c.resolution_id for c in position.citations.all()],
            }
        ],
    )
    url = reverse("admin:quiz_statement_change", args=[statement.pk])
    response = redacteur_client.post(url, data)
    assert response.status_code == 200
    assert "bestaat al" in response.content.decode()
    assert sorted(quiz.statements.values_list("order", flat=True)) == [1, 2, 3]


# --- Resolutions: autocomplete and search -------------------------------------------------


def autocomplete(client, term):
    response = client.get(
        reverse("admin:autocomplete"),
        {"term": term, "app_label": "quiz", "model_name": "position", "field_name": "resolutions"},
    )
    return [result["text"] for result in response.json()["results"]]


def test_autocomplete_finds_an_exact_number_first(redacteur_client, empty_quiz):
    assert autocomplete(redacteur_client, "1198") == [
        "1198. Ziekenhuizen werken samen in netwerken."
    ]


def test_autocomplete_ranks_words_like_the_programme_search(redacteur_client, empty_quiz):
    results = autocomplete(redacteur_client, "vermogens belasting")
    assert results[0].startswith("2. We voeren een belasting op grote vermogens in.")
    assert autocomplete(redacteur_client, "minimumlonen")[0].startswith("1. ")


def test_resolutions_filter_by_part_and_section(redacteur_client, empty_quiz):
    url = reverse("admin:quiz_resolution_changelist")
    by_part = redacteur_client.get(url + "?deel=2").context["cl"].result_list
    assert [r.number for r in by_part] == [1198]
    by_section = redacteur_client.get(url + "?hoofdstuk=1.1").context["cl"].result_list
    assert [r.number for r in by_section] == [1, 2]


def test_sections_show_their_resolution_counts(redacteur_client, empty_quiz):
    response = redacteur_client.get(reverse("admin:quiz_section_changelist") + "?q=Werk")
    [section] = response.context["cl"].result_list
    assert section.resolution_count == 2


# --- Coverage -----------------------------------------------------------------------------


def test_coverage_shows_cited_sections_gaps_balance_and_themes(redacteur_client, quiz):
    response = redacteur_client.get(reverse("admin:quiz_quiz_coverage", args=[quiz.pk]))
    page = response.content.decode()
    [entry] = response.context["programmes"]
    rows = {row["section"].number: row for row in entry["sections"]}
    assert rows["1.1"]["resolutions"] == [1, 2, 3]
    assert [s.order for s in rows["1"]["statements"]] == [1, 2, 3]
    assert response.context["balance"][0]["counts"] == [1, 1, 1, 0]
    assert "Deze stemtest heeft één partij" in page
    assert {t["theme__name"]: t["total"] for t in response.context["themes"]} == {
        "Werk": 2,
        "Zorg": 1,
    }


def test_coverage_flags_a_leaning_party_and_themes_with_too_few_statements(
    redacteur_client, make_quiz
):
    # Vooruit: 3 eens, 1 oneens (75 %); Partij 2: 2 eens, 2 oneens (50 %).
    quiz = make_quiz(
        statements=8,
        parties=2,
        stances=[["eens", "eens"], ["eens", "oneens"], ["eens", "eens"], ["oneens", "oneens"]]
        + [["neutraal", "geen"]] * 4,
    )
    response = redacteur_client.get(reverse("admin:quiz_quiz_coverage", args=[quiz.pk]))
    page = response.content.decode()
    shares = {
        row["party"].name: (row["eens_share"], row["unbalanced"])
        for row in response.context["balance"]
    }
    assert shares == {"Vooruit": (75, True), "Partij 2": (50, False)}
    assert "75 % ⚠ buiten 40–60 %" in page
    assert "50 % ⚠" not in page
    assert {t["theme__name"]: t["published"] for t in response.context["themes"]} == {
        "Werk": 4,
        "Zorg": 4,
    }
    assert "⚠ minder dan 4" not in page
    quiz.statements.filter(order=8).update(status=Statement.Status.CONCEPT)
    page = redacteur_client.get(
        reverse("admin:quiz_quiz_coverage", args=[quiz.pk])
    ).content.decode()
    assert page.count("⚠ minder dan 4") == 1


def test_coverage_names_parties_with_identical_answers(redacteur_client, make_quiz):
    quiz = make_quiz(
        statements=2,
        parties=3,
        stances=[["eens", "eens", "oneens"], ["oneens", "oneens", "oneens"]],
    )
    response = redacteur_client.get(reverse("admin:quiz_quiz_coverage", args=[quiz.pk]))
    assert [(a.name, b.name, n) for a, b, n in response.context["identical"]] == [
        ("Vooruit", "Partij 2", 2)
    ]


# --- In a real browser: the editor's two minutes -----------------------------------------


def log_in(page, live_server, redacteur):
    redacteur.set_password("redacteur-pw-9731")
    redacteur.save()
    page.goto(f"{live_server.url}{reverse('admin:login')}")
    page.get_by_label("Gebruikersnaam").fill("redacteur")
    page.get_by_label("Wachtwoord").fill("redacteur-pw-9731")
    page.get_by_role("button", name="Aanmelden").click()


@pytest.mark.browser
def test_in_the_browser_an_editor_offers_a_cited_statement_for_review_then_adds_a_suggestion(
    page, live_server, transactional_db, redacteur, empty_quiz
):
    from playwright.sync_api import expect

    log_in(page, live_server, redacteur)

    page.goto(f"{live_server.url}{reverse('admin:quiz_statement_add')}")
    page.get_by_label("Stelling:").fill("Het minimumloon moet stijgen naar 17 euro per uur.")
    page.get_by_label("Korte titel:").fill("Minimumloon")
    page.get_by_label("Thema:").select_option(label="Werk")
    page.locator("#id_positions-0-stance").select_option("eens")
    page.locator(".field-cited .select2-selection").click()
    # The live server's threads share one in-memory SQLite connection: the search's request must
    # be answered before the form is sent, or the two collide ("API misuse"). Opening the box
    # already lists resolution 1, so its option alone does not say the search is done.
    with page.expect_response(lambda r: "/autocomplete/" in r.url and "minimumloon" in r.url):
        page.locator(".select2-search__field").fill("minimumloon")
    page.get_by_role("option", name=re.compile(r"^1\. We verhogen het minimumloon")).click()
    page.get_by_role("button", name="Opslaan, klaar voor nazicht").click()

    expect(page.locator(".messagelist")).to_contain_text("met succes toegevoegd")
    expect(page.locator(".review-status")).to_have_text("Klaar voor nazicht")
    statement = Statement.objects.get()
    assert (statement.status, statement.changed_by) == ("klaar", redacteur)
    assert [c.resolution.number for c in Citation.objects.all()] == [1]
    expect(page.locator("#positions-0 .field-cited_text")).to_contain_text(
        "We verhogen het minimumloon"
    )

    page.evaluate("window.stillTheSamePage = true")
    page.get_by_label("Stelling:").fill("Grote vermogens moeten een belasting betalen.")
    expect(page.get_by_label("Zoek bij een andere tekst")).to_have_value(
        "Grote vermogens moeten een belasting betalen."
    )
    # "Voeg toe" puts the resolution in the party's row of the form: nothing is saved or
    # reloaded yet, so the reworded statement is still there, and saving keeps both.
    page.get_by_role("button", name="Voeg resolutie 2 toe aan het standpunt van Vooruit").click()
    expect(page.locator("#suggestions")).to_contain_text("✓ In het formulier: bewaar om te citeren")
    expect(page.get_by_role("status")).to_have_text(
        "Resolutie 2 staat bij Vooruit in het formulier. Bewaar om te citeren."
    )
    expect(page.locator("#positions-0 .field-cited")).to_contain_text("2. We voeren een belasting")
    assert page.evaluate("window.stillTheSamePage") is True
    assert [c.resolution.number for c in Citation.objects.all()] == [1]
    expect(page.get_by_label("Stelling:")).to_have_value(
        "Grote vermogens moeten een belasting betalen."
    )
    page.get_by_role("button", name="Opslaan en opnieuw bewerken").click()
    expect(page.locator(".messagelist")).to_contain_text("met succes gewijzigd")
    assert sorted(c.resolution.number for c in Citation.objects.all()) == [1, 2]
    assert Statement.objects.get().text == "Grote vermogens moeten een belasting betalen."


def test_the_resolution_list_ranks_a_word_search_by_relevance(redacteur_client, empty_quiz):
    url = reverse("admin:quiz_resolution_changelist")
    ranked = (
        redacteur_client.get(url, {"q": "belasting vermogens minimumloon"})
        .context["cl"]
        .result_list
    )
    assert [r.number for r in ranked] == [2, 1]
    assert [
        r.number for r in redacteur_client.get(url, {"q": "1198"}).context["cl"].result_list
    ] == [1198]
    assert list(redacteur_client.get(url, {"q": "onvindbaar"}).context["cl"].result_list) == []


def test_the_editor_pages_are_valid_html(redacteur_client, quiz, html_errors):
    statement = quiz.statements.first()
    pages = [
        redacteur_client.get(url).content.decode()
        for url in [
            reverse("admin:quiz_statement_change", args=[statement.pk]),
            reverse("admin:quiz_statement_suggestions", args=[statement.pk]),
            reverse("admin:quiz_quiz_coverage", args=[quiz.pk]),
            reverse("admin:quiz_quiz_reorder", args=[quiz.pk]),
            reverse("admin:quiz_quiz_statistics", args=[quiz.pk]),
            reverse("admin:quiz_quiz_import"),
            reverse("admin:index"),
        ]
    ]
    assert html_errors(*pages) == []


def test_a_row_with_an_unknown_party_is_an_error_not_a_crash(redacteur_client, empty_quiz):
    data = statement_form(
        empty_quiz,
        Theme.objects.get(),
        ready=True,
        positions=[{"party": 999, "stance": "eens"}],
    )
    response = redacteur_client.post(reverse("admin:quiz_statement_add"), data)
    assert response.status_code == 200
    assert not Statement.objects.exists()


@pytest.mark.browser
def test_in_the_browser_suggestions_appear_while_a_new_statement_is_typed(
    page, live_server, transactional_db, redacteur, empty_quiz, tmp_path
):
    """Before the first save: the panel beside the form follows the text, and "Voeg toe" fills
    in the party's row, which the first save stores with the statement."""
    from playwright.sync_api import expect

    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, redacteur)
    page.goto(f"{live_server.url}{reverse('admin:quiz_statement_add')}")
    panel = page.get_by_role("complementary", name="Suggesties uit de programma’s")
    expect(panel).to_contain_text("Typ de stelling")
    text = page.get_by_label("Stelling:")
    panel_box, text_box = panel.bounding_box(), text.bounding_box()
    assert panel_box["x"] > text_box["x"] + text_box["width"] - 1  # beside the text
    assert panel_box["y"] < text_box["y"] + text_box["height"]
    folder = Path(os.environ.get("STEMTEST_SCREENSHOTS", tmp_path))
    page.screenshot(path=str(folder / "admin-statement-add-1280.png"), full_page=True)

    # The wording warnings follow the text as it is typed, above the form.
    warnings = page.locator("#statement-warnings")
    with page.expect_response(lambda r: "/suggesties/" in r.url):
        text.fill("De overheid moet niet meer belasting heffen op vermogens en/of op winsten.")
    expect(warnings).to_contain_text("Ontkenning (‘niet’)")
    expect(warnings).to_contain_text("‘en/of’")
    with page.expect_response(lambda r: "/suggesties/" in r.url):
        text.fill("Wie een groot vermogen heeft, moet daarop belasting betalen.")
    expect(warnings).to_be_empty()
    expect(panel.get_by_role("link", name="Resolutie 2")).to_be_visible()
    expect(panel.locator(".suggestion-list li").first).to_contain_text(
        "belasting op grote vermogens"
    )
    page.screenshot(path=str(folder / "admin-statement-suggestions-1280.png"))
    page.get_by_role("button", name="Voeg resolutie 2 toe aan het standpunt van Vooruit").click()
    expect(page.locator("#positions-0 .field-cited")).to_contain_text("2. We voeren een belasting")
    page.get_by_label("Korte titel:").fill("Vermogensbelasting")
    page.get_by_label("Thema:").select_option(label="Werk")
    page.locator("#id_positions-0-stance").select_option("eens")
    page.get_by_role("button", name="Opslaan en opnieuw bewerken").click()
    expect(page.locator(".messagelist")).to_contain_text("met succes toegevoegd")
    statement = Statement.objects.get()
    assert statement.text == "Wie een groot vermogen heeft, moet daarop belasting betalen."
    assert [c.resolution.number for c in Citation.objects.all()] == [2]


@pytest.mark.browser
def test_axe_finds_no_violations_on_the_editors_pages(
    page, live_server, transactional_db, redacteur, make_quiz
):
    """Every rule of axe (best practices too) on the pages an editor works in, with the fixes of
    static/js/admin_a11y.js for what Django's own widgets leave out."""
    from axe_playwright_python.sync_playwright import Axe

    quiz = make_quiz(statements=2, parties=2)
    statement = quiz.statements.first()
    position = statement.positions.first()
    log_in(page, live_server, redacteur)
    urls = [
        reverse("admin:index"),
        reverse("admin:quiz_statement_changelist"),
        reverse("admin:quiz_statement_change", args=[statement.pk]),
        reverse("admin:quiz_statement_add"),
        reverse("admin:quiz_statement_history", args=[statement.pk]),
        reverse("admin:quiz_position_change", args=[position.pk]),
        reverse("admin:quiz_quiz_changelist"),
        reverse("admin:quiz_quiz_change", args=[quiz.pk]),
        reverse("admin:quiz_quiz_coverage", args=[quiz.pk]),
        reverse("admin:quiz_quiz_reorder", args=[quiz.pk]),
        reverse("admin:quiz_quiz_statistics", args=[quiz.pk]),
        reverse("admin:quiz_quiz_import"),
        reverse("admin:quiz_programme_import"),
        reverse("admin:quiz_resolution_changelist") + "?q=maatregel",
    ]
    reports = {}
    for url in urls:
        page.goto(live_server.url + url)
        page.wait_for_load_state("networkidle")
        results = Axe().run(page)
        reports[url] = results.generate_report() if results.violations_count else ""
    assert {url: report for url, report in reports.items() if report} == {}
