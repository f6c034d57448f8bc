"""A challenge with groups, a small banded bank and registered participants, for the challenge tests."""

import datetime

from django.utils import timezone

from campaigns.schools.models import School
from quiz.models import AudienceBand, Challenge, ChallengeGroup, Question
from quiz.services import challenge as svc
from quiz.services import ensure_bank_lookups
from tests.quiz.factories import QuestionFactory
from tests.schools.factories import DistrictFactory, SchoolClassFactory, SchoolFactory


def make_bank(band="小学", count=6):
    """``count`` single-choice questions for ``band``: choice 甲 is correct, with an explanation."""
    ensure_bank_lookups()
    band_row = AudienceBand.objects.get(name=band)
    questions = []
    for n in range(count):
        q = QuestionFactory(stem=f"{band}题{n}：下列说法正确的是？", explanation=f"解析{n}：甲是正确的。")
        q.bands.add(band_row)
        q.save()  # ParentalManyToManyField: written on save
        questions.append(q)
    return questions


def make_challenge(*, question_count=4, seconds=600, attempts_per_day=1, slug="626", starts=None, ends=None, **kw):
    now = timezone.now()
    challenge = Challenge.objects.create(
        title="6·26 全民禁毒知识挑战赛",
        slug=slug,
        starts_at=starts or now - datetime.timedelta(days=3),
        ends_at=ends or now + datetime.timedelta(days=10),
        attempts_per_day=attempts_per_day,
        is_published=True,
        **kw,
    )
    ChallengeGroup.objects.create(
        challenge=challenge, name="小学", band="小学", question_count=question_count, seconds=seconds, order=0
    )
    ChallengeGroup.objects.create(
        challenge=challenge, name="社会", band="社会", question_count=question_count, seconds=seconds, order=1
    )
    return challenge


def make_org(district_name="冷水滩区", school_name="阳光小学", class_name="五年级1班", students=40):
    district = DistrictFactory(name=district_name, code=district_name)
    school = School.objects.filter(district=district, name=school_name).first() or SchoolFactory(
        district=district, name=school_name
    )
    klass = SchoolClassFactory(school=school, name=class_name, student_count=students)
    return district, school, klass


def register_student(challenge, name, klass, user=None, **kw):
    group = challenge.groups.get(name="小学")
    data = svc.Registration(
        name=name, group=group, district=klass.school.district, school=klass.school, school_class=klass, **kw
    )
    return svc.register(challenge, data, user=user)


def correct_choice(question_id):
    return Question.objects.get(pk=question_id).choices.get(is_correct=True).pk


def wrong_choice(question_id):
    return Question.objects.get(pk=question_id).choices.filter(is_correct=False).first().pk
