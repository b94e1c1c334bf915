"""manage.py import_programme FILE --party SLUG [--slug SLUG] [--language nl|fr] [--dry-run] …

FILE is a PDF, a text or a Markdown file; the layout is detected, and --proposals, --numbering
and --capitals set what the detection cannot tell (they are stored with the programme)."""

import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from quiz.importing import file_sha256, import_programme
from quiz.models import LANGUAGES, Election, Party, Programme
from quiz.programme_text import Layout, ProgrammeFormatError, where

MONTHS = "januari februari maart april mei juni juli augustus september oktober november december"


class Command(BaseCommand):
    help = (
        "Import a party programme from its text: parts, sections and numbered resolutions. "
        "Safe to re-run: rows are updated in place; resolutions gone from the text are reported."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--party", required=True, help="The party's slug, e.g. vooruit.")
        parser.add_argument("--slug", default="", help="Programme slug (default <party>-<year>).")
        parser.add_argument("--title", default="", help="Default: the text's first heading.")
        parser.add_argument(
            "--language",
            default="",
            choices=[code for code, _ in LANGUAGES],
            help="The programme's language (default nl, or what it was).",
        )
        parser.add_argument("--party-name", default="", help="For a new party: its name.")
        parser.add_argument("--short-name", default="", help="For a new party: e.g. HOR.")
        parser.add_argument("--colour", default="", help="For a new party: #rrggbb.")
        parser.add_argument(
            "--fictional", action="store_true", help="A new party is fictional (a demo)."
        )
        for name in ("proposals", "numbering", "capitals"):
            parser.add_argument(
                f"--{name}",
                default="",
                choices=[str(choice) for choice in Layout.CHOICES[name]],
                help="Layout hint, when the detection gets it wrong.",
            )
        parser.add_argument(
            "--election-date", type=datetime.date.fromisoformat, default=datetime.date(2024, 6, 9)
        )
        parser.add_argument("--election-name", default="", help="Default: 'Verkiezingen <date>'.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Parse and report; write nothing."
        )
        parser.add_argument(
            "--allow-missing",
            action="store_true",
            help="Import even when the text lacks over 10%% of the resolutions already imported.",
        )
        parser.add_argument(
            "--skip-unchanged",
            action="store_true",
            help="Do nothing when this exact file was imported last time.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        date: datetime.date = options["election_date"]
        slug = options["slug"] or f"{options['party']}-{date.year}"
        if options["skip_unchanged"]:
            stored = Programme.objects.filter(slug=slug).values_list("source_sha256", flat=True)
            if file_sha256(path) in stored:
                self.stdout.write(f"{slug}: already imported, unchanged")
                return
        party = Party.objects.filter(slug=options["party"]).first() or Party(
            slug=options["party"],
            name=options["party_name"] or options["party"].replace("-", " ").title(),
            short_name=options["short_name"],
            colour=options["colour"] or "#555555",
            is_fictional=options["fictional"],
        )
        election = Election.objects.filter(date=date).first() or Election(
            slug=date.isoformat(),
            date=date,
            name=options["election_name"] or f"Verkiezingen {_dutch_date(date)}",
        )
        try:
            with transaction.atomic():  # a new party or election only with its programme
                party.save()
                election.save()
                report = import_programme(
                    path,
                    party=party,
                    election=election,
                    title=options["title"],
                    slug=slug,
                    language=options["language"],
                    hints={name: options[name] for name in ("proposals", "numbering", "capitals")},
                    dry_run=options["dry_run"],
                    allow_missing=options["allow_missing"],
                )
                if options["dry_run"]:
                    transaction.set_rollback(True)
        except ProgrammeFormatError as error:
            place = f"{error.line}" if error.page is None else f" {where(error.line, error.page)}"
            raise CommandError(f"{path}:{place}: {error.reason}") from error
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(report.summary())
        if options["verbosity"] >= 1 and report.layout:
            layout = ", ".join(f"{k}={v}" for k, v in report.layout.as_hints().items())
            self.stdout.write(f"  layout: {layout}; {report.source_format}")
        if options["verbosity"] >= 2:
            for notice in report.notices:
                self.stdout.write(f"  {path}: {notice}")
        elif report.notices:
            self.stdout.write(f"  {len(report.notices)} notices (-v 2 lists them)")


def _dutch_date(date: datetime.date) -> str:
    return f"{date.day} {MONTHS.split()[date.month - 1]} {date.year}"
