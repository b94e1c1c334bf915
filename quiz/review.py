"""The review of a statement: concept → klaar voor nazicht → nagekeken → gepubliceerd.

The check is done by another editor than the last one who changed the statement's text, its
positions or its citations; only a checked statement is published. A change to a checked or
published statement sends it back to "klaar voor nazicht" (and so offline): voters see only
what a second editor read. These rules are applied by the admin's form and list actions and by
the spreadsheet import, all through this module; the history (the admin's LogEntry) records who
did what.

`editor` is None for the command line (`manage.py import_quiz`): whoever runs it can change
the database anyway, so the import is trusted and nothing is enforced or logged for it.
"""

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils import timezone

from quiz.models import STATEMENT_TRANSLATED, Statement, Status, with_translations

# The fields of a statement a reviewer reads, besides its positions and their citations.
# The translations too: French and English voters read them.
CONTENT_FIELDS = tuple(field for name in STATEMENT_TRANSLATED for field in with_translations(name))

# What the history says for each status reached.
LOG_MESSAGES: dict[str, str] = {
    Status.CONCEPT: "Teruggezet naar concept.",
    Status.READY: "Klaar voor nazicht.",
    Status.CHECKED: "Nagekeken.",
    Status.PUBLISHED: "Gepubliceerd.",
}
CHANGED_AFTER_REVIEW = (
    "Gewijzigd na het nazicht: de stelling is terug ‘klaar voor nazicht’ en offline tot een "
    "andere redacteur ze nakijkt en ze opnieuw gepubliceerd wordt."
)


def _same(editor: User | None, user_id: int | None) -> bool:
    return editor is not None and user_id is not None and editor.pk == user_id


def refusal(statement: Statement, target: str, editor: User | None) -> str | None:
    """Why `editor` may not bring `statement` (as saved) to `target`, or None if they may."""
    current = statement.status
    if target == current or target in (Status.CONCEPT, Status.READY):
        return None
    if target == Status.CHECKED:
        if current == Status.PUBLISHED:
            return None  # taken offline: the check still holds
        if current == Status.CONCEPT:
            return "Nog een concept: zet de stelling eerst op ‘klaar voor nazicht’."
        if _same(editor, statement.changed_by_id):
            return "U wijzigde deze stelling het laatst: een andere redacteur moet ze nakijken."
        return None
    if target == Status.PUBLISHED:
        if current != Status.CHECKED:
            return (
                "Niet nagekeken: een stelling wordt pas gepubliceerd nadat een andere redacteur "
                "dan wie ze het laatst wijzigde, ze nakeek."
            )
        try:
            statement.check_publishable()
        except ValidationError as error:
            return " ".join(error.messages)
        return None
    return f"Onbekende status ‘{target}’."


def move(statement: Statement, target: str, editor: User | None) -> None:
    """Bring `statement` to `target` and save it, or raise ValidationError with the reason."""
    reason = refusal(statement, target, editor) if editor is not None else None
    if reason:
        raise ValidationError(reason)
    if target == statement.status:
        return
    fields = ["status"]
    if target == Status.CHECKED and statement.status != Status.PUBLISHED:
        statement.reviewed_by, statement.reviewed_at = editor, timezone.now()
        fields += ["reviewed_by", "reviewed_at"]
    elif target in (Status.CONCEPT, Status.READY):
        statement.reviewed_by = statement.reviewed_at = None
        fields += ["reviewed_by", "reviewed_at"]
    statement.status = target
    statement.save(update_fields=fields)


def record_change(statement: Statement, editor: User | None) -> bool:
    """Note that `editor` changed what a reviewer reads; save it. A checked or published
    statement goes back to "klaar voor nazicht". True when that happened."""
    reopened = statement.status in (Status.CHECKED, Status.PUBLISHED)
    if reopened:
        statement.status = Status.READY
    statement.changed_by = editor
    statement.changed_at = timezone.now()
    statement.reviewed_by = statement.reviewed_at = None
    statement.save(
        update_fields=["status", "changed_by", "changed_at", "reviewed_by", "reviewed_at"]
    )
    return reopened


def allowed_targets(statement: Statement, editor: User) -> list[tuple[str, str]]:
    """The statuses `editor` can bring `statement` to now, with their labels, in order."""
    return [
        (value, label)
        for value, label in Status.choices
        if value != statement.status and refusal(statement, value, editor) is None
    ]
