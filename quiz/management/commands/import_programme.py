"""manage.py import_programme FILE --party SLUG [--dry-run] [--skip-unchanged] …"""

import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from quiz.importing import file_sha256, import_programme
from quiz.models import Election, Party, Programme
from quiz.programme_text import ProgrammeFormatError

PARTY_NAMES = {"vooruit": "Vooruit"}
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
            name=PARTY_NAMES.get(options["party"], options["party"].replace("-", " ").title()),
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
                    dry_run=options["dry_run"],
                    allow_missing=options["allow_missing"],
                )
                if options["dry_run"]:
                    transaction.set_rollback(True)
        except ProgrammeFormatError as error:
            raise CommandError(f"{path}:{error.line}: {error.reason}") from error
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(report.summary())


def _dutch_date(date: datetime.date) -> str:
    return f"{date.day} {MONTHS.split()[date.month - 1]} {date.year}"
