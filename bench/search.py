"""How fast the programme search is (target: a few ms per search over the 1199 resolutions).

Times building the in-memory index (once per process and import) and then, warm, a single word,
a resolution number and whole sentences, the way the search page and the editors' suggestions
call it. Prints the median and the slowest of each, in milliseconds. On PostgreSQL the figures
include its `dutch` candidate query.

Run against a database with the programme imported (`make data`):
    DEBUG=1 .venv/bin/python bench/search.py
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 200
QUERIES = [
    "investeringen",
    "zorg",
    "1198",
    "Het minimumloon moet omhoog",
    "De overheid moet meer investeren in openbaar vervoer, fietspaden en betaalbare woningen.",
]


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stemtest.settings")
    import django

    django.setup()
    from quiz import search
    from quiz.models import Programme

    programme = Programme.objects.get(slug="vooruit-2024")
    search._indexes.clear()
    start = time.perf_counter()
    index = search.index_for(programme)
    print(
        f"index of {len(index.documents)} resolutions built in {time.perf_counter() - start:.2f} s"
    )
    for query in QUERIES:
        times = []
        for _ in range(RUNS):
            start = time.perf_counter()
            hits = search.search(programme, query, limit=None)
            times.append((time.perf_counter() - start) * 1000)
        print(
            f"{statistics.median(times):6.2f} ms median, {max(times):6.2f} ms max, "
            f"{len(hits):4} hits: {query}"
        )


if __name__ == "__main__":
    main()
