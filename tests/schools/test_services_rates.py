"""Services (submit, review, resubmit) and rates against hand-computed fixtures."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from campaigns.schools import rates, services
from campaigns.schools.models import ActivityRecord, FiveOnesActivity, School, SchoolClass
from campaigns.schools.services import Evidence

from .factories import (
    YEAR,
    ActivityFactory,
    DistrictFactory,
    RecordFactory,
    SchoolClassFactory,
    SchoolFactory,
    make_district_admin,
    make_school_admin,
    make_teacher,
    photo_upload,
)

pytestmark = pytest.mark.django_db
Status = ActivityRecord.Status
DAY = datetime.date(2026, 10, 12)


@pytest.fixture
def setup():
    school = SchoolFactory()
    klass = SchoolClassFactory(school=school, student_count=40)
    activity = ActivityFactory(min_photos=2)
    teacher = make_teacher(school, [klass])
    return school, klass, activity, teacher


def test_submit_needs_min_photos_and_sane_participants(setup):
    _school, klass, activity, teacher = setup
    with pytest.raises(ValidationError) as err:
        services.submit_record(
            user=teacher,
            school_class=klass,
            activity=activity,
            evidence=Evidence(date=DAY, participants=41, photos=[photo_upload()]),
        )
    assert "photos" in err.value.message_dict and "participants" in err.value.message_dict
    with pytest.raises(ValidationError):
        services.submit_record(
            user=teacher,
            school_class=klass,
            activity=activity,
            evidence=Evidence(date=DAY, participants=0, photos=[photo_upload(), photo_upload()]),
        )
    assert not ActivityRecord.objects.exists()
    record = services.submit_record(
        user=teacher,
        school_class=klass,
        activity=activity,
        evidence=Evidence(date=DAY, participants=38, photos=[photo_upload(), photo_upload()]),
    )
    assert record.status == Status.SUBMITTED and record.term == 1 and record.photos.count() == 2


def test_at_most_nine_photos_and_no_duplicate_submission(setup):
    _school, klass, activity, teacher = setup
    with pytest.raises(ValidationError, match="9"):
        services.submit_record(
            user=teacher,
            school_class=klass,
            activity=activity,
            evidence=Evidence(date=DAY, participants=3, photos=[photo_upload() for _ in range(10)]),
        )
    evidence = Evidence(date=DAY, participants=3, photos=[photo_upload(), photo_upload()])
    services.submit_record(user=teacher, school_class=klass, activity=activity, evidence=evidence)
    with pytest.raises(ValidationError):
        services.submit_record(
            user=teacher,
            school_class=klass,
            activity=activity,
            evidence=Evidence(date=DAY, participants=3, photos=[photo_upload(), photo_upload()]),
        )


def test_evidence_files_required_by_type(setup):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _school, klass, activity, teacher = setup
    activity.requires_sign_in_sheet = True
    activity.save()
    evidence = Evidence(date=DAY, participants=3, photos=[photo_upload(), photo_upload()])
    with pytest.raises(ValidationError, match="签到表"):
        services.submit_record(user=teacher, school_class=klass, activity=activity, evidence=evidence)
    sheet = SimpleUploadedFile("sign.pdf", b"%PDF-1.4 sheet", content_type="application/pdf")
    evidence = Evidence(
        date=DAY, participants=3, photos=[photo_upload(), photo_upload()], files=[("sign_in_sheet", sheet)]
    )
    record = services.submit_record(user=teacher, school_class=klass, activity=activity, evidence=evidence)
    assert record.files.get().kind == "sign_in_sheet"


def test_teacher_cannot_submit_for_another_class(setup):
    _school, _klass, activity, teacher = setup
    other = SchoolClassFactory()
    with pytest.raises(PermissionDenied):
        services.submit_record(
            user=teacher,
            school_class=other,
            activity=activity,
            evidence=Evidence(date=DAY, participants=3, photos=[photo_upload(), photo_upload()]),
        )


def test_return_requires_reason_then_resubmit_same_row(setup):
    school, klass, activity, teacher = setup
    admin = make_school_admin(school, "sa")
    record = services.submit_record(
        user=teacher,
        school_class=klass,
        activity=activity,
        evidence=Evidence(date=DAY, participants=30, photos=[photo_upload(), photo_upload()]),
    )
    with pytest.raises(ValidationError):
        services.return_with_reason(user=admin, record=record, reason="  ")
    services.return_with_reason(user=admin, record=record, reason="照片看不清")
    record.refresh_from_db()
    assert record.status == Status.RETURNED and record.return_reason == "照片看不清"
    again = services.resubmit(
        user=teacher,
        record=record,
        evidence=Evidence(
            date=DAY, participants=31, photos=[photo_upload()], remove_photo_ids=[record.photos.first().pk]
        ),
    )
    assert again.pk == record.pk and again.status == Status.SUBMITTED and again.photos.count() == 2
    services.approve(user=admin, record=again)
    again.refresh_from_db()
    assert again.status == Status.APPROVED and again.reviewed_by == admin


def test_reviewers_only_in_their_scope(setup):
    school, klass, activity, teacher = setup
    other_school = SchoolFactory()
    other_admin = make_school_admin(other_school, "other-sa")
    other_office = make_district_admin(other_school.district, "other-office")
    record = RecordFactory(school_class=klass, activity=activity)
    for reviewer in (other_admin, other_office, teacher):
        with pytest.raises(PermissionDenied):
            services.approve(user=reviewer, record=record)
    assert services.bulk_approve(user=other_office, record_ids=[record.pk]) == 0
    office = make_district_admin(school.district, "office")
    assert services.bulk_approve(user=office, record_ids=[record.pk]) == 1
    record.refresh_from_db()
    assert record.status == Status.APPROVED


def test_load_activity_types_command():
    call_command("load_activity_types", "--school-year", YEAR, "--set", "2021", verbosity=0)
    names = list(FiveOnesActivity.objects.filter(school_year=YEAR).values_list("name", flat=True))
    assert names[0] == "参观一次禁毒展览" and len(names) == 5
    call_command("load_activity_types", "--school-year", YEAR, "--set", "six", verbosity=0)
    assert FiveOnesActivity.objects.filter(school_year=YEAR).count() == 6  # 2021 list + 黑板报, no duplicates
    call_command("load_activity_types", "--school-year", "2025-2026", "--set", "2015", verbosity=0)
    assert FiveOnesActivity.objects.filter(school_year="2025-2026", name="观看一次禁毒电影").exists()


class TestRates:
    """Hand-computed fixture.

    3 required types (A, B, C) + one inactive type D (never counts).
    District X: school S1 with classes c1 (A, B, C approved -> 3/3, full),
    c2 (A approved, B submitted, C returned -> 1/3); school S2 with c3 (nothing -> 0/3).
    District Y: school S3 with c4 (A approved in term 2, D approved -> 1/3).
    S1 = 4/6, S2 = 0/3, X = 4/9, Y = 1/3, city = 5/12, full classes: S1 1, city 1.
    Term 1 only: c4's A is in term 2 -> Y = 0/3, city 4/12.
    """

    @pytest.fixture
    def world(self):
        x, y = DistrictFactory(name="X"), DistrictFactory(name="Y")
        s1, s2, s3 = SchoolFactory(district=x), SchoolFactory(district=x), SchoolFactory(district=y)
        c1, c2 = SchoolClassFactory(school=s1), SchoolClassFactory(school=s1)
        c3, c4 = SchoolClassFactory(school=s2), SchoolClassFactory(school=s3)
        SchoolClassFactory(school=s1, school_year="2025-2026")  # other year: ignored
        a, b, c = ActivityFactory(), ActivityFactory(), ActivityFactory()
        d = ActivityFactory(active=False)
        for t in (a, b, c):
            RecordFactory(school_class=c1, activity=t, status=Status.APPROVED)
        RecordFactory(school_class=c2, activity=a, status=Status.APPROVED)
        RecordFactory(school_class=c2, activity=b, status=Status.SUBMITTED)
        RecordFactory(school_class=c2, activity=c, status=Status.RETURNED)
        RecordFactory(school_class=c4, activity=a, status=Status.APPROVED, term=2, date=datetime.date(2027, 3, 1))
        RecordFactory(school_class=c4, activity=d, status=Status.APPROVED)
        return locals()

    def test_class_rates(self, world):
        classes = {c.pk: c for c in rates.classes_with_rates(SchoolClass.objects.all(), YEAR)}
        assert [classes[world[k].pk].done for k in ("c1", "c2", "c3", "c4")] == [3, 1, 0, 1]
        assert all(c.required == 3 for c in classes.values())
        assert len(classes) == 4

    def test_school_district_city(self, world):
        schools = {s.pk: s for s in rates.schools_with_rates(School.objects.all(), YEAR)}
        s1, s2 = schools[world["s1"].pk], schools[world["s2"].pk]
        assert (s1.class_count, s1.done_pairs, s1.full_classes) == (2, 4, 1)
        assert rates.rate(s1.done_pairs, s1.class_count * s1.required) == pytest.approx(4 / 6, abs=1e-4)
        assert (s2.class_count, s2.done_pairs, s2.full_classes) == (1, 0, 0)
        from campaigns.schools.models import District

        districts = {d.name: d for d in rates.districts_with_rates(District.objects.all(), YEAR)}
        assert (districts["X"].class_count, districts["X"].done_pairs) == (3, 4)
        assert (districts["Y"].class_count, districts["Y"].done_pairs) == (1, 1)
        city = rates.totals(School.objects.all(), YEAR)
        assert (city.classes, city.required_pairs, city.done_pairs, city.full_classes) == (4, 12, 5, 1)
        assert city.rate == pytest.approx(5 / 12, abs=1e-4)

    def test_term_filter(self, world):
        city = rates.totals(School.objects.all(), YEAR, term=1)
        assert (city.done_pairs, city.required_pairs) == (4, 12)
        from campaigns.schools.models import District

        y = rates.districts_with_rates(District.objects.filter(name="Y"), YEAR, term=1).get()
        assert y.done_pairs == 0

    def test_completed_classes_by_school_and_type(self, world):
        table = rates.completed_classes_by_school_and_type(School.objects.all(), YEAR)
        assert table[(world["s1"].pk, world["a"].pk)] == 2
        assert table[(world["s1"].pk, world["b"].pk)] == 1
        assert (world["s2"].pk, world["a"].pk) not in table


def test_attachments_must_be_documents_and_term_can_be_chosen(setup):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _school, klass, activity, teacher = setup
    page = SimpleUploadedFile("works.html", b"<script>alert(1)</script>", content_type="text/html")
    evidence = Evidence(
        date=DAY, participants=3, photos=[photo_upload(), photo_upload()], files=[("sample_work", page)]
    )
    with pytest.raises(ValidationError, match="类型不受支持"):
        services.submit_record(user=teacher, school_class=klass, activity=activity, evidence=evidence)
    evidence = Evidence(date=DAY, term=2, participants=3, photos=[photo_upload(), photo_upload()])
    record = services.submit_record(user=teacher, school_class=klass, activity=activity, evidence=evidence)
    assert record.term == 2
