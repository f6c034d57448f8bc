"""quiz.bulk_sql.bulk_update: many rows in one statement (plain SQL on PostgreSQL), the same rows as the ORM's."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from quiz.bulk_sql import bulk_update
from quiz.models import ChallengeAttempt
from quiz.services import challenge as svc

from .factories import make_bank, make_challenge, make_org, register_student

pytestmark = pytest.mark.django_db


def test_bulk_update_writes_every_kind_of_field_in_one_statement():
    make_bank("小学", 6)
    challenge = make_challenge(question_count=4, attempts_per_day=3)
    klass = make_org()[2]
    attempts = [svc.start_attempt(register_student(challenge, name, klass))[0] for name in ("甲", "乙", "丙")]
    untouched = attempts[2]
    when = timezone.now().replace(microsecond=654321) - datetime.timedelta(minutes=3)
    for n, attempt in enumerate(attempts[:2]):
        attempt.status = ChallengeAttempt.Status.SUBMITTED
        attempt.submitted_at = when + datetime.timedelta(seconds=n)
        attempt.score, attempt.correct_count, attempt.elapsed_ms = 75 + n, 3, 61_234 + n
        attempt.level = "pass" if n else "优秀"  # any text, Chinese included
    attempts[1].submitted_at = None
    with CaptureQueriesContext(connection) as queries:
        bulk_update(ChallengeAttempt, attempts[:2], ["status", "submitted_at", "score", "correct_count", "level"])
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("UPDATE")]
    assert len(updates) == 1
    first, second, third = (ChallengeAttempt.objects.get(pk=a.pk) for a in attempts)
    assert (first.status, first.submitted_at, first.score, first.correct_count, first.level) == (
        "submitted", when, 75, 3, "优秀"
    )  # fmt: skip
    assert (second.status, second.submitted_at, second.score, second.level) == ("submitted", None, 76, "pass")
    assert first.elapsed_ms == 0 != attempts[0].elapsed_ms  # set in memory but not among the fields: unchanged
    assert (third.status, third.score) == (untouched.status, untouched.score)
