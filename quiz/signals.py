"""Keep the voter snapshots (`quiz.snapshot`) fresh: any edit to what they show bumps the
content version in the database, in the editor's transaction, so every process sees the change
and the new version together."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from quiz import models, snapshot

WATCHED = (
    models.Quiz,
    models.Statement,
    models.Position,
    models.Citation,
    models.Resolution,
    models.Section,
    models.Programme,
    models.Theme,
    models.Party,
    models.Election,
)


def content_changed(**kwargs: object) -> None:
    snapshot.bump_version()


def connect() -> None:
    for model in WATCHED:
        post_save.connect(
            content_changed, sender=model, dispatch_uid=f"snapshot-save-{model.__name__}"
        )
        post_delete.connect(
            content_changed, sender=model, dispatch_uid=f"snapshot-delete-{model.__name__}"
        )
    m2m_changed.connect(
        content_changed, sender=models.Quiz.parties.through, dispatch_uid="snapshot-quiz-parties"
    )
