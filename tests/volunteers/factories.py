"""Factories for teams, volunteers, events with roles, and the people who manage them."""

import datetime
import itertools

import factory
from django.utils import timezone

from accounts import roles
from campaigns.schools.models import DistrictStaff
from campaigns.volunteers import models
from tests.factories import UserFactory
from tests.schools.factories import DistrictFactory

_phones = itertools.count(1)


def next_phone() -> str:
    return f"139{next(_phones):08d}"


def at(day: datetime.date, hh_mm: str) -> datetime.datetime:
    """An aware datetime in the site's time zone, e.g. at(day, "13:30")."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.fromisoformat(hh_mm)))


def future_day(days=30) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Team

    name = factory.Sequence(lambda n: f"测试队伍{n}")
    kind = models.Team.Kind.MOTHERS
    district = factory.SubFactory(DistrictFactory)


class VolunteerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Volunteer

    name = factory.Sequence(lambda n: f"志愿者{n}号")
    phone = factory.LazyFunction(next_phone)
    gender = models.Volunteer.Gender.FEMALE
    birth_year = 1985
    team = factory.SubFactory(TeamFactory)
    status = models.Volunteer.Status.ACTIVE
    availability = factory.LazyFunction(lambda: ["weekend"])


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ServiceEvent

    title = factory.Sequence(lambda n: f"禁毒宣传活动{n}")
    district = factory.SubFactory(DistrictFactory)
    place = "潇湘广场"
    starts_at = factory.LazyFunction(lambda: at(future_day(), "09:00"))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=3))
    status = models.ServiceEvent.Status.OPEN


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.EventRole

    event = factory.SubFactory(EventFactory)
    name = "引导"
    slots = 2


def make_leader(team, username):
    user = UserFactory(username=username, roles=[roles.TEAM_LEADER])
    team.leader = user
    team.save(update_fields=["leader"])
    return user


def make_district_admin(district, username):
    user = UserFactory(username=username, roles=[roles.DISTRICT_ADMIN])
    DistrictStaff.objects.create(user=user, district=district)
    return user


def make_volunteer_login(volunteer, username):
    user = UserFactory(username=username)
    volunteer.user = user
    volunteer.save(update_fields=["user"])
    return user
