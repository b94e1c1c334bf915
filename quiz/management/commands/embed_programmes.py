"""Compute the suggestions' sentence vectors of programmes imported before they existed (or
embedded with another model); an import computes them itself."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from quiz import semantic
from quiz.models import Programme


class Command(BaseCommand):
    help = "Berekent de zinsvectoren voor de suggesties van elk programma (of van --programme)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--programme", help="de slug van één programma")

    def handle(self, *args: Any, **options: Any) -> None:
        programmes = Programme.objects.order_by("slug")
        if options["programme"]:
            programmes = programmes.filter(slug=options["programme"])
        for programme in programmes:
            start = time.perf_counter()
            vectors = semantic.embed_programme(programme)
            self.stdout.write(
                f"{programme.slug}: {len(vectors.spans)} zinnen, {vectors.encoded} nieuw "
                f"berekend in {time.perf_counter() - start:.1f} s"
            )
