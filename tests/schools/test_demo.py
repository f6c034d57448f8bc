"""Demo content: a realistic spread, office placed in 冷水滩区, and safe to run twice."""

import pytest
from django.contrib.auth import authenticate

from accounts import demo as accounts_demo
from campaigns.schools import demo
from campaigns.schools.models import (
    ActivityPhoto,
    ActivityRecord,
    DistrictStaff,
    School,
    SchoolClass,
    StudentProfile,
)

pytestmark = pytest.mark.django_db


class Out:
    def __init__(self):
        self.logins = []

    def step(self, text):
        pass

    def login(self, role, username, password):
        self.logins.append(username)


def test_seed_is_idempotent_with_a_spread_of_statuses():
    accounts_demo.seed(Out())
    out = Out()
    demo.seed(out)
    counts = (School.objects.count(), SchoolClass.objects.count(), ActivityRecord.objects.count())
    photos = ActivityPhoto.objects.count()
    demo.seed(Out())
    assert (School.objects.count(), SchoolClass.objects.count(), ActivityRecord.objects.count()) == counts
    assert ActivityPhoto.objects.count() == photos
    assert counts[0] == 6 and 12 <= counts[1] <= 18
    statuses = set(ActivityRecord.objects.values_list("status", flat=True))
    assert {"approved", "submitted", "returned"} <= statuses
    assert DistrictStaff.objects.get(user__username="office").district.name == "冷水滩区"
    assert {"teacher1", "schooladmin1", "student1"} <= set(out.logins)
    # Three class accounts in teacher1's class, once each however often the demo runs, with the printed password.
    profiles = StudentProfile.objects.filter(user__username__in=["student1", "student2", "student3"])
    assert profiles.count() == 3
    assert {p.school_class.head_teacher.username for p in profiles} == {"teacher1"}
    assert authenticate(username="student1", password=accounts_demo.DEMO_PASSWORD) is not None
