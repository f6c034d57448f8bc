"""Factories for schools, classes, teachers and five-ones records."""

import datetime
import io
import itertools

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts import roles
from campaigns.schools import models
from tests.factories import UserFactory

YEAR = "2026-2027"


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.District
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"测试区{n}")
    code = factory.Sequence(lambda n: f"D{n:03d}")


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.School

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"第{n}小学")
    level = models.School.Level.PRIMARY


class SchoolClassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.SchoolClass

    school = factory.SubFactory(SchoolFactory)
    school_year = YEAR
    grade = 5
    name = factory.Sequence(lambda n: f"五年级{n}班")
    student_count = 40


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.FiveOnesActivity

    school_year = YEAR
    name = factory.Sequence(lambda n: f"活动{n}")
    order = factory.Sequence(lambda n: n)
    min_photos = 1
    requires_participant_count = True


class RecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ActivityRecord

    school_class = factory.SubFactory(SchoolClassFactory)
    activity = factory.SubFactory(ActivityFactory)
    school_year = YEAR
    term = 1
    date = datetime.date(2026, 10, 10)
    participants = 30
    description = "测试活动"
    status = models.ActivityRecord.Status.SUBMITTED


_usernames = itertools.count(1)


def make_teacher(school, classes=(), username=None, extra_roles=()):
    user = UserFactory(username=username or f"t{next(_usernames)}", roles=[roles.TEACHER, *extra_roles])
    profile = models.TeacherProfile.objects.create(user=user, school=school)
    profile.classes.set(classes)
    return user


def make_school_admin(school, username):
    return make_teacher(school, username=username, extra_roles=[roles.SCHOOL_ADMIN])


def make_district_admin(district, username):
    user = UserFactory(username=username, roles=[roles.DISTRICT_ADMIN])
    models.DistrictStaff.objects.create(user=user, district=district)
    return user


def jpeg_bytes(size=(64, 48), color=(200, 30, 30), orientation=None) -> bytes:
    image = Image.new("RGB", size, color)
    buffer = io.BytesIO()
    if orientation:
        exif = Image.Exif()
        exif[0x0112] = orientation
        image.save(buffer, "JPEG", exif=exif)
    else:
        image.save(buffer, "JPEG")
    return buffer.getvalue()


def photo_upload(name="p.jpg", **kwargs):
    return SimpleUploadedFile(name, jpeg_bytes(**kwargs), content_type="image/jpeg")
