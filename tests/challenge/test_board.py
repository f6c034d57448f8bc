"""Leaderboards: every level ranks exactly like the SQL order (score desc, time asc, finish asc), on both backends."""

import random

import pytest
from django.core.management import call_command
from django.db import connection

from quiz import challenge_board as board
from quiz.models import Participant

from .factories import make_bank, make_challenge, make_org

pytestmark = pytest.mark.django_db


def sql_ranks(scope: board.Scope) -> dict[int, int]:
    """Competition ranks from the database's own ORDER BY, independent of the engine."""
    level_column = {"district": "district_id", "school": "school_id", "class": "school_class_id"}
    where = "challenge_id = %s AND group_id = %s AND has_result"
    params = [scope.challenge_id, scope.group_id]
    if scope.level != "city":
        where += f" AND {level_column[scope.level]} = %s"
        params.append(scope.org_id)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, score, elapsed_ms, finished_s FROM quiz_participant WHERE {where}"
            " ORDER BY score DESC, elapsed_ms ASC, finished_s ASC",
            params,
        )
        rows = cursor.fetchall()
    ranks, previous = {}, None
    for position, (pid, *key) in enumerate(rows, start=1):
        ranks[pid] = ranks[previous[0]] if previous and previous[1] == key else position
        previous = (pid, key)
    return ranks


@pytest.fixture
def seeded():
    make_bank("小学", 2)
    challenge = make_challenge(question_count=20, seconds=600)
    group = challenge.groups.get(name="小学")
    classes = [make_org("冷水滩区", "阳光小学", "一班")[2], make_org("冷水滩区", "阳光小学", "二班")[2]]
    classes.append(make_org("冷水滩区", "明德小学", "一班")[2])
    classes.append(make_org("零陵区", "希望小学", "一班")[2])
    rng = random.Random(7)
    participants = []
    for n in range(120):
        klass = classes[n % len(classes)]
        participants.append(
            Participant(
                challenge=challenge,
                name=f"学生{n}",
                group=group,
                district=klass.school.district,
                school=klass.school,
                school_class=klass,
                has_result=n % 11 != 0,  # some registered without a result
                # Few distinct values, so ties on one, two and all three keys are common.
                score=rng.choice([60, 80, 95, 100]),
                elapsed_ms=rng.choice([30_000, 45_500, 600_000]),
                finished_s=rng.choice([10, 86_400, 4_000_000]),
            )
        )
    Participant.objects.bulk_create(participants)
    return challenge


def assert_every_level_matches_sql(challenge):
    scopes = board.all_scopes(challenge.pk)
    assert {s.level for s in scopes} == {"city", "district", "school", "class"}
    for scope in scopes:
        expected = sql_ranks(scope)
        assert board.count(scope) == len(expected)
        assert {pid: board.rank_of(scope, pid) for pid in expected} == expected, scope
        top = board.top(scope, 15)
        by_sql = sorted(expected.items(), key=lambda kv: kv[1])[:15]
        assert [r for r, _ in top] == [r for _, r in by_sql]
        assert all(expected[pid] == r for r, pid in top)
    assert board.matches_database(challenge.pk)


def test_database_backend_matches_sql_order(settings, seeded):
    settings.REDIS_URL = ""
    assert_every_level_matches_sql(seeded)


@pytest.mark.redis
def test_rebuild_on_redis_matches_sql_order(settings, redis_url, seeded):
    settings.REDIS_URL = redis_url
    board.redis_client.cache_clear()
    client = board.redis_client()
    prefix = board.key_prefix(seeded.pk)
    try:
        for key in client.scan_iter(match=prefix + "*"):
            client.delete(key)
        # A stale entry and a stale board that the rebuild must drop.
        city = board.Scope(seeded.pk, seeded.groups.get(name="小学").pk)
        client.zadd(board.key_of(city), {"999999": 1})
        client.zadd(prefix + "g0:class:424242", {"1": 1})
        call_command("rebuild_leaderboards", "--challenge", str(seeded.pk))
        assert client.zscore(board.key_of(city), "999999") is None
        assert not client.exists(prefix + "g0:class:424242")
        assert_every_level_matches_sql(seeded)
        # The composite keeps the ties exact: equal keys share one composite, and it decodes back.
        bounds = board.bounds(seeded.pk)
        assert (bounds.max_score + 1) * (bounds.max_elapsed_ms + 1) * (bounds.max_finished_s + 1) <= 2**53
    finally:
        for key in client.scan_iter(match=prefix + "*"):
            client.delete(key)
        board.redis_client.cache_clear()
