"""The French and English catalogues of the voter's interface, brought up to date with the code.

    manage.py catalogues     (make catalogues)

Runs Django's makemessages for locale/fr and locale/en, both domains (django: Python and
templates; djangojs: static/js), then lists what has no translation yet. The msgids are the
Dutch text: Dutch pages need no catalogue of our own (locale/nl only translates Django's admin
strings, by hand). The admin is Dutch only, so its templates and scripts are left out.
tests/test_translations.py runs the same on a copy of the sources and fails on any entry
without a translation (or marked fuzzy).

Needs GNU gettext (xgettext, msgmerge, msgattrib) and runs without Django's settings, so that
makemessages writes to the `locale` folder of the folder it runs in.
"""

import os
import subprocess
import sys
from pathlib import Path

LANGUAGES = ["fr", "en"]
IGNORED = [
    "templates/admin/*",
    "static/js/admin_*",
    "quiz/migrations/*",
    "tests/*",
    "bench/*",
    "docs/*",
    "deploy/*",
    "staticfiles/*",
    "media/*",
    "var/*",
    "fixtures/*",
]
DOMAINS = ["django", "djangojs"]


def update(root: Path) -> None:
    """Bring `root`/locale/{fr,en} up to date with the sources under `root`."""
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    for domain in DOMAINS:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "django",
                "makemessages",
                "--domain",
                domain,
                *(f"--locale={language}" for language in LANGUAGES),
                "--no-obsolete",
                "--no-location",
                *(f"--ignore={pattern}" for pattern in IGNORED),
                "--verbosity=0",
            ],
            cwd=root,
            env=env,
            check=True,
        )


def untranslated(root: Path) -> dict[str, list[str]]:
    """Per catalogue (e.g. "fr/django"), the msgids without a translation or marked fuzzy."""
    missing = {}
    for language in LANGUAGES:
        for domain in DOMAINS:
            catalogue = root / "locale" / language / "LC_MESSAGES" / f"{domain}.po"
            found = []
            for selection in ("--untranslated", "--only-fuzzy"):
                listing = subprocess.run(
                    ["msgattrib", selection, "--no-obsolete", "--no-wrap", str(catalogue)],
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
                found += _msgids(listing)
            if found:
                missing[f"{language}/{domain}"] = found
    return missing


def _msgids(catalogue: str) -> list[str]:
    """The msgids of a .po file's text, but the header's (empty) one."""
    msgids, current = [], None
    for line in catalogue.splitlines():
        if line.startswith("msgid "):
            current = [line.removeprefix("msgid ")]
        elif current is not None and line.startswith('"'):
            current.append(line)
        elif current is not None:
            text = "".join(part.strip()[1:-1] for part in current)
            if text:
                msgids.append(text)
            current = None
    return msgids
