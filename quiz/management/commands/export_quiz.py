import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from quiz.exporting import export_quizzes, quiz_settings
from quiz.models import Quiz


class Command(BaseCommand):
    help = (
        "Export a quiz's statements and positions as CSV or XLSX, in the import format; with "
        "--quiz also the quiz itself, so that import_quiz FILE --quiz JSON restores it all."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="The quiz slug, e.g. vooruit-2024.")
        parser.add_argument("file", type=Path, help="Where to write; .csv or .xlsx.")
        parser.add_argument(
            "--quiz",
            type=Path,
            metavar="JSON",
            help="Also write the quiz (title, slug, election_date, intro, parties, is_live) here.",
        )

    def handle(self, *args: Any, slug: str, file: Path, quiz: Path | None, **options: Any) -> None:
        quizzes = Quiz.objects.filter(slug=slug)
        if not quizzes.exists():
            raise CommandError(f"No quiz with slug {slug!r}")
        file_format = file.suffix.lower().lstrip(".")
        if file_format not in {"csv", "xlsx"}:
            raise CommandError("The file must end in .csv or .xlsx")
        content, _ = export_quizzes(quizzes, file_format=file_format)
        file.write_bytes(content)
        if quiz is not None:
            data = quiz_settings(quizzes.select_related("election").get())
            quiz.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", "utf-8")
        self.stdout.write(f"{file}: {quizzes.get().statements.count()} statements.")
