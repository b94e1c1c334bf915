"""manage.py load_demo: the "Oefenverkiezing", a demo election of four fictional parties.

Each party's programme comes in another layout (Markdown without numbers, text with
"Voorstel N", a PDF numbered per chapter, a French text with "R N"), and a 20-statement quiz
compares them at /stemtest/oefenstemtest/. Safe to re-run: unchanged files are skipped.
`make run` loads it; the production stack (`make serve`) only with DEMO_ELECTION=1.
"""

import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
PROGRAMMES = FIXTURES / "programmes" / "oefenverkiezing"
ELECTION_DATE = datetime.date(2027, 5, 30)
ELECTION_NAME = "Oefenverkiezing (fictief)"
# slug, name, short name, colour, file, language: all four are invented.
PARTIES = [
    ("horizon", "Horizon", "HOR", "#0f766e", "horizon.md", "nl"),
    ("anker", "Anker", "ANK", "#1e40af", "anker.txt", "nl"),
    ("wilg", "Wilg", "WLG", "#a16207", "wilg.pdf", "nl"),
    ("phare", "Phare", "PHA", "#7e22ce", "phare.txt", "fr"),
]
QUIZ = FIXTURES / "quizzes" / "oefenstemtest"


class Command(BaseCommand):
    help = "Load the demo election of four fictional parties and its quiz (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        for slug, name, short, colour, filename, language in PARTIES:
            call_command(
                "import_programme",
                PROGRAMMES / filename,
                party=slug,
                party_name=name,
                short_name=short,
                colour=colour,
                fictional=True,
                language=language,
                election_date=ELECTION_DATE,
                election_name=ELECTION_NAME,
                skip_unchanged=True,
                stdout=self.stdout,
            )
        if QUIZ.with_suffix(".csv").exists():
            call_command(
                "import_quiz",
                QUIZ.with_suffix(".csv"),
                quiz=QUIZ.with_suffix(".json"),
                stdout=self.stdout,
            )
