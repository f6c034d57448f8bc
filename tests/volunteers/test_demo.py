"""Demo content: teams of every type in both districts, 60 volunteers, hours, an open 6·26 event; safe to run twice."""

from decimal import Decimal

import pytest
from django.utils import timezone

from accounts import demo as accounts_demo
from campaigns.volunteers import demo
from campaigns.volunteers.models import Assignment, ServiceEvent, ServiceRecord, Team, Volunteer

pytestmark = pytest.mark.django_db


class Out:
    def __init__(self):
        self.logins = []

    def step(self, text):
        pass

    def login(self, role, username, password):
        self.logins.append(username)


def counts():
    return tuple(m.objects.count() for m in (Team, Volunteer, ServiceEvent, Assignment, ServiceRecord))


def test_seed_is_idempotent_and_realistic():
    accounts_demo.seed(Out())
    out = Out()
    demo.seed(out)
    first = counts()
    demo.seed(Out())
    assert counts() == first
    assert first[0] == 10 and first[1] == 60 and first[4] > 30
    assert {t.kind for t in Team.objects.all()} == set(Team.Kind.values)
    assert {t.district.name for t in Team.objects.all()} == {"冷水滩区", "零陵区"}
    assert Team.objects.get(leader__username="leader").name == "冷水滩区禁毒妈妈队"
    assert Volunteer.objects.get(user__username="volunteer1").status == Volunteer.Status.ACTIVE
    assert "volunteer1" in out.logins
    upcoming = ServiceEvent.objects.get(status=ServiceEvent.Status.OPEN)
    assert upcoming.starts_at > timezone.now() and (upcoming.starts_at.month, upcoming.starts_at.day) in {(6, 26)}
    taken = Assignment.objects.filter(role__event=upcoming, status=Assignment.Status.CONFIRMED).count()
    assert 0 < taken < sum(r.slots for r in upcoming.roles.all())
    assert all(r.hours > 0 and r.hours == r.hours.quantize(Decimal("0.1")) for r in ServiceRecord.objects.all())
