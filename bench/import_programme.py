"""How long the full import of fixtures/programmes/vooruit-2024.txt takes (target: ≤ 2 s).

Sets up a throwaway SQLite database (or the one DATABASE_URL names: its tables are created by
migrate and the benchmark's party, election and programme deleted afterwards), then times, a few
times each: parsing only, the first import into an empty database, a re-import of the unchanged
file, and a dry run. Prints the best, median and worst of each, and the load average
(other work on the machine slows every figure down).

    DEBUG=1 .venv/bin/python bench/import_programme.py
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "fixtures" / "programmes" / "vooruit-2024.txt"
RUNS = 5


def timed(function, runs: int = RUNS, before=None) -> list[float]:
    times = []
    for _ in range(runs):
        if before:
            before()
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stemtest.settings")
    directory = tempfile.TemporaryDirectory()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{directory.name}/bench.sqlite3")
    import datetime

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from quiz.importing import import_programme
    from quiz.models import Election, Party, Programme, Resolution
    from quiz.programme_text import parse_programme

    call_command("migrate", verbosity=0)
    party, _ = Party.objects.get_or_create(slug="bench-party", defaults={"name": "Bench"})
    election, _ = Election.objects.get_or_create(
        slug="bench-election", defaults={"name": "Bench", "date": datetime.date(1900, 1, 1)}
    )

    def remove() -> None:
        Resolution.objects.filter(programme__party=party).delete()  # they protect sections
        Programme.objects.filter(party=party).delete()

    def run(dry_run: bool = False) -> None:
        import_programme(SOURCE, party=party, election=election, dry_run=dry_run)

    try:
        text = SOURCE.read_text(encoding="utf-8")
        rows = [
            ("parse only", timed(lambda: parse_programme(text))),
            ("first import", timed(run, before=remove)),
            ("re-import, unchanged", timed(run)),
            ("dry run", timed(lambda: run(dry_run=True))),
        ]
    finally:
        remove()
        party.delete()
        election.delete()
    load = os.getloadavg()[0]
    print(f"Import of {SOURCE.name} on {connection.vendor}, {RUNS} runs each (load {load:.1f})")
    print(f"{'':24} {'best':>8} {'median':>8} {'worst':>8}")
    for name, times in rows:
        print(f"{name:24} {min(times):7.3f}s {statistics.median(times):7.3f}s {max(times):7.3f}s")
    typical = statistics.median(rows[1][1])
    verdict = "OK" if typical <= 2 else "TOO SLOW"
    print(f"first import, median: {typical:.3f}s (target ≤ 2 s): {verdict}")


if __name__ == "__main__":
    main()
