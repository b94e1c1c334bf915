"""How often the statement form's suggestions hold a deciding resolution.

Two sets of statements, each with the Vooruit 2024 resolutions that decide it:

- `tests/data/suggestion_judgements.csv` ("ours"): the 40 quiz statements, written while reading
  the programme, judged by hand;
- `tests/data/suggestion_eval.csv` ("new"): 72 statements written from general knowledge by
  helpers who had not read the programme, labelled afterwards by two other helpers each, who read
  the programme (not with our search); the `split` column keeps a third of them held out
  (`heldout`, every third statement of each writer, fixed before any measurement). Only the
  `dev` part is used to tune (`--tune`); statements for which neither labeller found a deciding
  resolution are left out.

For each ranking it prints hit@1, hit@3 and hit@10 (the share of statements with at least one
deciding resolution among the first 1, 3, 10 suggestions) per set, and the warm query time.

    DEBUG=1 .venv/bin/python bench/suggestions.py            # the rankings side by side
    DEBUG=1 .venv/bin/python bench/suggestions.py --tune     # grid search on the dev part
    DEBUG=1 .venv/bin/python bench/suggestions.py --missed   # the held-out statements missed

Run against a database with the programme imported and embedded (`make data`).
"""

import argparse
import csv
import itertools
import os
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OURS = ROOT / "tests" / "data" / "suggestion_judgements.csv"
NEW = ROOT / "tests" / "data" / "suggestion_eval.csv"
AT = (1, 3, 10)

Judged = list[tuple[str, set[int]]]


def read_judgements(path: Path = OURS) -> Judged:
    with path.open(encoding="utf-8") as file:
        return [
            (row["statement"], {int(n) for n in row["relevant"].split(";") if n.strip()})
            for row in csv.DictReader(file)
        ]


def read_eval(split: str | None = None, path: Path = NEW) -> Judged:
    """The new set's statements with a deciding resolution, of one split or of all."""
    with path.open(encoding="utf-8") as file:
        return [
            (row["statement"], {int(n) for n in row["relevant"].split(";") if n.strip()})
            for row in csv.DictReader(file)
            if row["relevant"].strip() and split in (None, row["split"])
        ]


def hits(programme, judged: Judged, rank) -> dict[int, float]:
    """hit@k for every k in AT, with `rank(programme, statement, limit)` giving numbers."""
    found = dict.fromkeys(AT, 0)
    for statement, relevant in judged:
        numbers = rank(programme, statement, max(AT))
        for at in AT:
            found[at] += bool(set(numbers[:at]) & relevant)
    return {at: found[at] / len(judged) for at in AT}


def rankings():
    from quiz.search import Fusion, search, suggest

    tuned = Fusion()
    return {
        "BM25 (stems, compounds)": lambda p, s, n: [h.number for h in search(p, s, limit=n)],
        "meaning: best sentence": lambda p, s, n: [
            h.number
            for h in suggest(
                p, s, limit=n, fusion=replace(tuned, lexical_weight=0, section_weight=0)
            )
        ],
        "meaning: + section path": lambda p, s, n: [
            h.number for h in suggest(p, s, limit=n, fusion=replace(tuned, lexical_weight=0))
        ],
        "hybrid, no section path": lambda p, s, n: [
            h.number for h in suggest(p, s, limit=n, fusion=replace(tuned, section_weight=0))
        ],
        "hybrid (the suggestions)": lambda p, s, n: [h.number for h in suggest(p, s, limit=n)],
    }


def table(programme, sets: dict[str, Judged]) -> None:
    names = list(sets)
    print(f"{'ranking':28}" + "".join(f" | {name:>18}" for name in names))
    print(f"{'':28}" + "".join(f" | {'@1   @3   @10':>18}" for _ in names))
    for label, rank in rankings().items():
        cells = []
        for name in names:
            result = hits(programme, sets[name], rank)
            cells.append(" ".join(f"{result[at]:4.0%}" for at in AT))
        print(f"{label:28}" + "".join(f" | {cell:>18}" for cell in cells))


def tune(programme, dev: Judged) -> None:
    from quiz.search import Fusion, suggest

    results = []
    grid = itertools.product((10, 20, 60), (0.5, 0.75, 1.0, 1.5), (0.0, 0.2, 0.35, 0.5))
    for k, semantic_weight, section_weight in grid:
        fusion = Fusion(k=k, semantic_weight=semantic_weight, section_weight=section_weight)
        result = hits(
            programme,
            dev,
            lambda p, s, n, fusion=fusion: [
                h.number for h in suggest(p, s, limit=n, fusion=fusion)
            ],
        )
        results.append((result[10], result[3], result[1], k, semantic_weight, section_weight))
    results.sort(reverse=True)
    print("dev: hit@10 hit@3 hit@1 | k semantic_weight section_weight")
    for at10, at3, at1, k, weight, section in results[:12]:
        print(f"     {at10:4.0%}  {at3:4.0%}  {at1:4.0%}  | {k:3} {weight:4} {section:4}")


def timing(programme, statements: list[str]) -> None:
    from quiz import semantic
    from quiz.search import suggest

    suggest(programme, statements[0])  # load the model and the vectors
    times = []
    for statement in statements:
        start = time.perf_counter()
        suggest(programme, statement)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    print(
        f"warm suggest(): median {statistics.median(times):.1f} ms, "
        f"slowest {times[-1]:.1f} ms over {len(times)} statements "
        f"({len(semantic.space_for(programme).spans)} sentences)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tune", action="store_true", help="grid search on the dev part only")
    parser.add_argument("--missed", action="store_true", help="list held-out statements missed")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stemtest.settings")
    import django

    django.setup()
    from quiz.models import Programme
    from quiz.search import suggest

    programme = Programme.objects.get(slug="vooruit-2024")
    sets = {
        f"ours ({len(read_judgements())})": read_judgements(),
        f"new dev ({len(read_eval('dev'))})": read_eval("dev"),
        f"new held-out ({len(read_eval('heldout'))})": read_eval("heldout"),
        f"new all ({len(read_eval())})": read_eval(),
    }
    if args.tune:
        tune(programme, read_eval("dev"))
        return
    table(programme, sets)
    timing(programme, [statement for statement, _ in read_eval()])
    if args.missed:
        for statement, relevant in read_eval("heldout"):
            numbers = [h.number for h in suggest(programme, statement)]
            if not set(numbers) & relevant:
                print(f"  missed at 10: {statement} (deciding: {sorted(relevant)}; got {numbers})")


if __name__ == "__main__":
    main()
