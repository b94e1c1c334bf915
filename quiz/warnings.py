"""Wording warnings for a statement, after the writing rules in docs/method.md.

Warnings help the editor; they never block saving or publishing.
"""

import re
from collections.abc import Iterable

from quiz.models import STATEMENT_MAX_WORDS, Citation, Position, Statement

NEGATION = re.compile(r"\b(niet|geen|nooit)\b", re.IGNORECASE)
AND_OR = re.compile(r"\ben\s*/\s*of\b", re.IGNORECASE)
VAGUE = re.compile(r"\b(meer|minder)\b", re.IGNORECASE)
DIGIT = re.compile(r"\d")
WORD = re.compile(r"\S+")


def statement_warnings(statement: Statement, positions: Iterable[Position]) -> list[str]:
    """The wording problems of a statement and its positions, as Dutch sentences for editors.

    Citations are read with `position.citations.all()`: prefetch them for lists.
    """
    positions = list(positions)
    text = statement.text
    warnings = []
    negations = sorted({match.group().lower() for match in NEGATION.finditer(text)})
    if negations:
        words = ", ".join(f"‘{word}’" for word in negations)
        warnings.append(f"Ontkenning ({words}): schrijf de stelling positief.")
    if AND_OR.search(text):
        warnings.append("‘en/of’: één onderwerp per stelling.")
    vague = sorted({match.group().lower() for match in VAGUE.finditer(text)})
    if vague and not DIGIT.search(text):
        words = ", ".join(f"‘{word}’" for word in vague)
        warnings.append(f"Vaag ({words}) zonder getal: hoeveel meer of minder?")
    count = len(WORD.findall(text))
    if count > STATEMENT_MAX_WORDS:
        warnings.append(f"{count} woorden: houd het bij hoogstens {STATEMENT_MAX_WORDS}.")
    warnings += [
        f"{position.party}: standpunt ‘{position.get_stance_display().lower()}’ zonder citaat."
        for position in positions
        if position.takes_a_stance and not position.source and not position.citations.all()
    ]
    warnings += [
        f"{position.party}: de tekst van resolutie {citation.resolution.display_number} "
        "veranderde bij een nieuwe import van het programma; kijk het citaat na."
        for position in positions
        if position.pk
        for citation in position.citations.all()
        if citation.needs_review
    ]
    stances = {position.stance for position in positions}
    if len(positions) > 1 and len(stances) == 1:
        stance = positions[0].get_stance_display().lower()
        warnings.append(f"Alle partijen zeggen ‘{stance}’: de stelling onderscheidt ze niet.")
    return warnings


def shared_citations(statement: Statement) -> list[str]:
    """A warning per resolution this statement cites that another statement of its quiz cites
    too: two statements on the same measure ask the voter the same thing twice. One query."""
    if not statement.pk:
        return []
    cited_here = Citation.objects.filter(position__statement=statement).values("resolution")
    rows = (
        Citation.objects.filter(
            position__statement__quiz=statement.quiz_id, resolution__in=cited_here
        )
        .exclude(position__statement=statement)
        .values_list(
            "resolution__number", "resolution__programme__party__name", "position__statement__order"
        )
        .distinct()
        .order_by("resolution__number", "position__statement__order")
    )
    others: dict[tuple[int, str], list[int]] = {}
    for number, party, order in rows:
        others.setdefault((number, party), []).append(order)
    return [
        f"{party}: resolutie {number} is ook geciteerd bij stelling "
        f"{', '.join(map(str, orders))}; gaan ze over dezelfde maatregel?"
        for (number, party), orders in others.items()
    ]
