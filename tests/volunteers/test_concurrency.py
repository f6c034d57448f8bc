"""Two volunteers claim the last slot at the same moment: exactly one wins (PostgreSQL row lock)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from campaigns.volunteers import services
from campaigns.volunteers.models import Assignment

from .factories import RoleFactory, VolunteerFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_claims_for_the_last_slot_one_wins():
    role = RoleFactory(slots=2)
    services.claim_slot(volunteer=VolunteerFactory(), role=role)  # one slot left
    claimants = [VolunteerFactory(), VolunteerFactory()]
    barrier = threading.Barrier(len(claimants))
    outcomes = []

    def claim(volunteer):
        try:
            barrier.wait(timeout=10)
            services.claim_slot(volunteer=volunteer, role=role)
            outcomes.append("won")
        except ValidationError as exc:
            outcomes.append(" ".join(exc.messages))
        finally:
            connection.close()  # each thread has its own connection; close it at the end

    threads = [threading.Thread(target=claim, args=(v,)) for v in claimants]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == ["won", "该岗位名额已满。"]
    assert Assignment.objects.filter(role=role, status=Assignment.Status.CONFIRMED).count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_many_concurrent_claims_never_overfill_a_role():
    role = RoleFactory(slots=3)
    claimants = [VolunteerFactory() for _ in range(6)]
    barrier = threading.Barrier(len(claimants))
    won = []

    def claim(volunteer):
        try:
            barrier.wait(timeout=10)
            services.claim_slot(volunteer=volunteer, role=role)
            won.append(volunteer.pk)
        except ValidationError:
            pass
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(v,)) for v in claimants]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(won) == 3
    assert Assignment.objects.filter(role=role, status=Assignment.Status.CONFIRMED).count() == 3
