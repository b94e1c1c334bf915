from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from quiz.spreadsheets import ensure_quiz, import_spreadsheet, translate_themes


class Command(BaseCommand):
    help = (
        "Import a quiz's statements and positions from a CSV or XLSX file "
        "(docs/spreadsheet-format.md). Writes only when every row is valid."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report, write nothing."
        )
        parser.add_argument(
            "--editor",
            metavar="USERNAME",
            help="Import as this editor, as the admin's spreadsheet import does: the review's "
            "rules apply (quiz.review) and each statement written gets a line in its history. "
            "Without it the file's status is taken as it is.",
        )
        parser.add_argument(
            "--quiz",
            type=Path,
            metavar="JSON",
            help="Create or update the quiz first from this file (title, slug, election_date, "
            "intro, parties, is_live, translations; docs/translations.md), and the themes' "
            "translations after the import.",
        )

    def handle(
        self,
        *args: Any,
        file: Path,
        dry_run: bool,
        quiz: Path | None,
        editor: str | None,
        **options: Any,
    ) -> None:
        if not file.exists():
            raise CommandError(f"{file}: no such file")
        user = None
        if editor is not None:
            user = User.objects.filter(username=editor, is_staff=True, is_active=True).first()
            if user is None:
                raise CommandError(f"{editor}: no active staff user with that name")
        with transaction.atomic():  # a dry run creates the quiz too, then rolls everything back
            if quiz is not None:
                try:
                    found, action = ensure_quiz(quiz)
                except (ValueError, KeyError) as error:
                    raise CommandError(f"{quiz}: {error}") from error
                self.stdout.write(
                    f"Stemtest {found}: {action}{' (proefdraai)' if dry_run else ''}."
                )
            with file.open("rb") as source:
                report = import_spreadsheet(source, name=file.name, dry_run=dry_run, user=user)
            if quiz is not None and report.ok:
                translate_themes(quiz)
            transaction.set_rollback(dry_run)
        for row_error in report.errors:
            self.stderr.write(f"{file}: {row_error}")
        if not report.ok:
            raise CommandError(report.summary())
        for change in report.changes:
            if change.note:
                self.stdout.write(f"{file}: rij {change.row}, {change.what}: {change.note}")
        self.stdout.write(f"{file}: {report.summary()}")
