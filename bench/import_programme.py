"""How long the full import of fixtures/programmes/vooruit-2024.txt takes (target: ≤ 2 s), and
that of a 100-page PDF programme with about 1,200 passages (target: ≤ 10 s).

The PDF is typeset here with fpdf2 from the Vooruit programme's own parsed sections and
resolutions (numbered headings, "N." proposals, a running header and page numbers), so it has
the size and the traps of a real one.

Sets up a throwaway SQLite database (or the one DATABASE_URL names: its tables are created by
migrate and the benchmark's party, election and programme deleted afterwards), then times, a few
times each: parsing only, the first import into an empty database, a re-import of the unchanged
file, and a dry run. Prints the best, median and worst of each, and the load average
(other work on the machine slows every figure down).

    DEBUG=1 .venv/bin/python bench/import_programme.py
"""

import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "fixtures" / "programmes" / "vooruit-2024.txt"
RUNS = 5
PDF_RUNS = 3
# Typographic characters the PDF's built-in font (Latin-1) lacks, as their plain forms.
PLAIN = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "..."})


def vooruit_as_pdf(parsed) -> bytes:
    """The parsed programme typeset as a PDF: about 100 A4 pages."""
    from fpdf import FPDF

    class Programme(FPDF):
        def header(self) -> None:
            if self.page_no() > 1:
                self.set_font("Helvetica", style="I", size=8)
                self.cell(0, 4, "Benchmarkprogramma (uit de Vooruit-tekst gezet)", align="R")
                self.ln(7)

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("Helvetica", size=7)
            self.cell(0, 4, str(self.page_no()), align="C")

    def latin(text: str) -> str:
        return text.translate(PLAIN).encode("latin-1", "replace").decode("latin-1")

    pdf = Programme(format="A4")
    pdf.set_margins(18, 12, 18)
    pdf.set_auto_page_break(True, margin=14)
    pdf.add_page()
    by_section: dict[str, list] = {}
    for resolution in parsed.resolutions:
        by_section.setdefault(resolution.section, []).append(resolution)
    for section in parsed.sections:
        pdf.set_font("Helvetica", style="B", size=11)
        pdf.multi_cell(0, 5.5, latin(f"{section.number} {section.title}"[:150]))
        pdf.ln(1.5)
        pdf.set_font("Helvetica", size=10.5)
        for resolution in by_section.get(section.number, []):
            pdf.multi_cell(0, 4.8, latin(f"{resolution.number}. {resolution.text}"))
            pdf.ln(1.5)
    return bytes(pdf.output())


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

    from quiz import semantic
    from quiz.importing import import_programme, import_source
    from quiz.models import Election, Party, Programme, ProgrammeVectors, Resolution
    from quiz.programme_sources import read_source
    from quiz.programme_text import parse_programme

    call_command("migrate", verbosity=0)
    party, _ = Party.objects.get_or_create(slug="bench-party", defaults={"name": "Bench"})
    election, _ = Election.objects.get_or_create(
        slug="bench-election", defaults={"name": "Bench", "date": datetime.date(1900, 1, 1)}
    )

    def remove() -> None:
        Resolution.objects.filter(programme__party=party).delete()  # they protect sections
        Programme.objects.filter(party=party).delete()
        semantic._recent.clear()  # as in a new process: every sentence embedded anew

    def embed_only() -> None:
        semantic._recent.clear()
        ProgrammeVectors.objects.filter(programme__party=party).delete()
        semantic.embed_programme(Programme.objects.get(party=party, election=election))

    def run(dry_run: bool = False) -> None:
        import_programme(SOURCE, party=party, election=election, dry_run=dry_run)

    def run_pdf() -> None:
        import_source(pdf, filename="bench.pdf", party=party, election=election, title="Bench")

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    semantic.encode(["warm up"])  # the model, loaded once per process
    model_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - before
    try:
        text = SOURCE.read_text(encoding="utf-8")
        rows = [
            ("parse only", timed(lambda: parse_programme(text))),
            ("first import", timed(run, before=remove)),
            ("re-import, unchanged", timed(run)),
            ("dry run", timed(lambda: run(dry_run=True))),
            ("of which the vectors", timed(embed_only)),
        ]
        pdf = vooruit_as_pdf(parse_programme(text))
        source = read_source(pdf, "bench.pdf")
        found = parse_programme(source.lines)
        pdf_rows = [
            ("PDF: text layer only", timed(lambda: read_source(pdf, "bench.pdf"), PDF_RUNS)),
            ("PDF: first import", timed(run_pdf, PDF_RUNS, before=remove)),
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
    vectors = statistics.median(rows[4][1])
    print(
        f"the suggestions' vectors: {vectors:.2f} s of the first import (every sentence embedded);"
        f" the model takes {model_mb:.0f} MB of memory in the importing process"
    )
    typical = statistics.median(rows[1][1]) - vectors
    verdict = "OK" if typical <= 2 else "TOO SLOW"
    print(f"first import without the vectors, median: {typical:.3f}s (target ≤ 2 s): {verdict}")
    print()
    print(
        f"PDF of {source.pages} pages, {len(pdf) // 1024} kB: {len(found.resolutions)} passages "
        f"in {len(found.sections)} sections, {found.removed_lines} running lines removed, "
        f"{PDF_RUNS} runs each"
    )
    for name, times in pdf_rows:
        print(f"{name:24} {min(times):7.3f}s {statistics.median(times):7.3f}s {max(times):7.3f}s")
    typical = statistics.median(pdf_rows[1][1])
    verdict = "OK" if typical <= 10 else "TOO SLOW"
    print(f"PDF first import, median: {typical:.3f}s (target ≤ 10 s): {verdict}")


if __name__ == "__main__":
    main()
