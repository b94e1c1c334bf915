"""Recall of the statement form's suggestions on hand-judged statements.

For each statement in tests/data/suggestion_judgements.csv (order, statement, relevant resolution
numbers separated by ';'), the suggestions panel's ranking (quiz.search.suggest) is asked for the
top 10. Prints recall@10 and recall@3: the share of statements with at least one relevant
resolution among the first 10 / 3 suggestions, and the statements missed at 10.

Run against a database with the programme imported (`make data`):
    DEBUG=1 .venv/bin/python bench/suggestions.py
"""

import csv
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JUDGEMENTS = ROOT / "tests" / "data" / "suggestion_judgements.csv"


def read_judgements(path: Path = JUDGEMENTS) -> list[tuple[str, set[int]]]:
    with path.open(encoding="utf-8") as file:
        return [
            (row["statement"], {int(n) for n in row["relevant"].split(";") if n.strip()})
            for row in csv.DictReader(file)
        ]


def recall(programme, judgements, *, at: int) -> tuple[float, list[str]]:
    from quiz.search import suggest

    missed = []
    for statement, relevant in judgements:
        numbers = {hit.number for hit in suggest(programme, statement, limit=at)}
        if not numbers & relevant:
            missed.append(statement)
    return 1 - len(missed) / len(judgements), missed


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stemtest.settings")
    import django

    django.setup()
    from quiz.models import Programme

    programme = Programme.objects.get(slug="vooruit-2024")
    judgements = read_judgements()
    at10, missed = recall(programme, judgements, at=10)
    at3, _ = recall(programme, judgements, at=3)
    print(f"{len(judgements)} statements judged by hand")
    print(f"recall@10: {at10:.0%}")
    print(f"recall@3:  {at3:.0%}")
    for statement in missed:
        print(f"  missed at 10: {statement}")


if __name__ == "__main__":
    main()
