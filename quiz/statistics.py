"""Statistics that store no individual answers (issue 14 §3).

A voter who chooses to, at the end of the quiz, sends their answers once; `count` adds one to
the quiz's consent counter of the day and one to each (statement, answer) counter of the day.
Nothing else is kept: no row per voter, no time finer than a day, no address, nothing that
links two answers of one voter.

On election day counting must not slow the quiz: with Redis (settings.STATISTICS_REDIS_URL) a
consent is one pipelined HINCRBY per answer on a hash per quiz and day, and `flush` adds the
hashes to the database (`manage.py flush_statistics`, run every minute or so, and whenever an
editor opens the statistics). Without Redis, or while it cannot be reached, the counters are
added to the database at once.
"""

import datetime
import logging
import uuid
from collections import Counter
from functools import cache

import redis
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from quiz.answers import Answer
from quiz.models import AnswerTally, ConsentTally, Quiz, Statement
from quiz.snapshot import QuizSnapshot

logger = logging.getLogger(__name__)

PREFIX = "stemtest:statistieken:"  # + "<quiz slug>:<day>", a hash
CONSENTS = (
    "toestemmingen"  # the hash's field for the consents; the others "<statement id>:<answer>"
)


@cache
def _redis() -> redis.Redis | None:
    url = settings.STATISTICS_REDIS_URL
    if not url:
        return None
    return redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)


def count(
    snapshot: QuizSnapshot, answers: dict[int, Answer], *, day: datetime.date | None = None
) -> None:
    """Add one consenting voter's answers to today's counters (the answers themselves are not
    kept)."""
    day = day or timezone.localdate()
    tallies = Counter((statement_id, answer.choice) for statement_id, answer in answers.items())
    client = _redis()
    if client is not None:
        try:
            pipe = client.pipeline(transaction=False)
            key = f"{PREFIX}{snapshot.slug}:{day.isoformat()}"
            pipe.hincrby(key, CONSENTS, 1)
            for (statement_id, choice), number in tallies.items():
                pipe.hincrby(key, f"{statement_id}:{choice}", number)
            pipe.execute()
            return
        except redis.RedisError:
            logger.warning("Redis unreachable: counting a consent in the database directly")
    _add(snapshot.slug, day, 1, tallies)


def flush() -> int:
    """Move the counters kept in Redis to the database; the number of hashes moved."""
    client = _redis()
    if client is None:
        return 0
    moved = 0
    for key in client.scan_iter(match=f"{PREFIX}*"):
        name = _text(key)
        if ":flush:" in name:
            continue
        taken = f"{name}:flush:{uuid.uuid4().hex}"
        try:
            client.rename(key, taken)  # atomic: counts arriving now go to a new hash
        except redis.ResponseError:
            continue  # another flush took it first
        fields = {_text(k): int(v) for k, v in client.hgetall(taken).items()}
        slug, _, day = name.removeprefix(PREFIX).rpartition(":")
        tallies: Counter[tuple[int, str]] = Counter()
        for field, number in fields.items():
            if field != CONSENTS:
                statement_id, _, choice = field.partition(":")
                tallies[(int(statement_id), choice)] = number
        _add(slug, datetime.date.fromisoformat(day), fields.get(CONSENTS, 0), tallies)
        client.delete(taken)
        moved += 1
    return moved


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _add(slug: str, day: datetime.date, consents: int, tallies: Counter) -> None:
    quiz = Quiz.objects.filter(slug=slug).first()
    if quiz is None:
        return  # the quiz was deleted meanwhile: its counters go with it
    existing = set(
        Statement.objects.filter(pk__in={sid for sid, _ in tallies}).values_list("pk", flat=True)
    )
    with transaction.atomic():
        _increment(ConsentTally, {"quiz": quiz, "day": day}, consents)
        for (statement_id, choice), number in tallies.items():
            if statement_id in existing:
                _increment(
                    AnswerTally,
                    {"statement_id": statement_id, "day": day, "answer": choice},
                    number,
                )


def _increment(model: type[AnswerTally] | type[ConsentTally], key: dict, number: int) -> None:
    """count += number on the row of `key`, created at 0 if there is none (two processes may
    create it at once: the loser adds to the winner's row)."""
    if not number or model.objects.filter(**key).update(count=F("count") + number):
        return
    try:
        with transaction.atomic():
            model.objects.create(**key, count=number)
    except IntegrityError:
        model.objects.filter(**key).update(count=F("count") + number)
