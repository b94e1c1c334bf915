from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from stemtest import catalogues


class Command(BaseCommand):
    help = (
        "Bring locale/fr and locale/en up to date with the interface's strings (makemessages, "
        "both domains) and list those without a translation (docs/translations.md)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        root = Path(settings.BASE_DIR)
        catalogues.update(root)
        missing = catalogues.untranslated(root)
        for catalogue, msgids in missing.items():
            self.stdout.write(f"locale/{catalogue}.po: {len(msgids)} without a translation")
            for msgid in msgids:
                self.stdout.write(f"  {msgid}")
        if not missing:
            self.stdout.write("Every string has a French and an English translation.")
