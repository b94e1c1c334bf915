from typing import Any

from django.core.management.base import BaseCommand

from quiz import statistics


class Command(BaseCommand):
    help = (
        "Add the statistics' counters kept in Redis to the database (quiz.statistics). Run it "
        "every minute or so while a quiz is live; without Redis there is nothing to do."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        moved = statistics.flush()
        self.stdout.write(f"{moved} teller(s) naar de databank geschreven.")
