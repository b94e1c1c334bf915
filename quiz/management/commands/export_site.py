from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from quiz.static_export import ExportError, export_site, hostname


class Command(BaseCommand):
    help = (
        "Write the voter site (landing, statements, bundle, results page, programmes, static "
        "files) into DIR as static files, at the addresses Django serves them, for any static "
        "host or CDN. Voters need JavaScript there; the programme search stays on the server."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="Where to write (emptied first).")
        parser.add_argument(
            "--origin",
            default="localhost",
            help="The address the files will be served at, e.g. https://stemtest.example.",
        )

    def handle(self, *args: Any, directory: Path, origin: str, **options: Any) -> None:
        try:
            exported = export_site(
                directory, host=hostname(origin), secure=origin.startswith("https://")
            )
        except ExportError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{directory}: {len(exported.pages)} pages and {len(exported.files)} files, "
            f"{exported.bytes / 1e6:.1f} MB (and a .gz copy of each text file)."
        )
