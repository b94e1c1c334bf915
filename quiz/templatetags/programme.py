"""Template filters for the programme pages."""

import re

from django import template

register = template.Library()

# Names that keep their capitals when a title in capitals is put in sentence case.
NAMES = ["Europese Unie", "Europa", "België", "Vlaanderen", "Wallonië", "Brussel", "Vooruit"]
_NAMES = re.compile(r"\b(" + "|".join(NAMES) + r")\b", re.IGNORECASE)
_NAME_OF = {name.lower(): name for name in NAMES}


@register.filter
def readable(title: str) -> str:
    """A title set in capitals in the source ('VOORUIT MET ONZE GEZONDHEID') in sentence case,
    names kept ('Europese Unie'); other titles as they are. The stored title is not changed."""
    if not title.isupper():
        return title
    return _NAMES.sub(lambda match: _NAME_OF[match.group().lower()], title.capitalize())
