"""Where a user may look and act: the one place that scopes querysets.

- superusers and city-wide office staff (禁毒办管理员 with no district): everything;
- district office staff: schools of their district;
- school admins (学校管理员 with a teacher profile): their school;
- teachers: the classes they teach or head, at their own school.

Every view, admin viewset and export filters through these functions, so a
direct URL to another school's record finds nothing (404).
"""

from django.db.models import Q

from accounts import roles

from .models import ActivityRecord, District, School, SchoolClass


def _district_staff(user):
    try:
        return user.district_staff
    except Exception:  # noqa: BLE001 - RelatedObjectDoesNotExist, anonymous users
        return None


def _teacher_profile(user):
    try:
        return user.teacher_profile
    except Exception:  # noqa: BLE001
        return None


def is_city_staff(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    staff = _district_staff(user)
    return roles.has_role(user, roles.DISTRICT_ADMIN) and staff is not None and staff.district_id is None


def staff_district_id(user):
    """The district of a district-level office user (禁毒办管理员 placed by ``DistrictStaff``), else None."""
    if not user.is_authenticated or not roles.has_role(user, roles.DISTRICT_ADMIN):
        return None
    staff = _district_staff(user)
    return staff.district_id if staff is not None else None


def can_review(user) -> bool:
    """May open the review queue and the dashboard (scope still applies)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if roles.has_role(user, roles.DISTRICT_ADMIN) and _district_staff(user) is not None:
        return True
    return roles.has_role(user, roles.SCHOOL_ADMIN) and _teacher_profile(user) is not None


def schools_for(user):
    """Schools the user administers or oversees (empty for teachers and strangers)."""
    if not user.is_authenticated:
        return School.objects.none()
    if is_city_staff(user):
        return School.objects.all()
    query = Q(pk__in=[])
    if roles.has_role(user, roles.DISTRICT_ADMIN):
        staff = _district_staff(user)
        if staff is not None and staff.district_id:
            query |= Q(district_id=staff.district_id)
    if roles.has_role(user, roles.SCHOOL_ADMIN):
        profile = _teacher_profile(user)
        if profile is not None:
            query |= Q(pk=profile.school_id)
    return School.objects.filter(query)


def districts_for(user):
    """The office's own district, or the district of the admin's school."""
    if is_city_staff(user):
        return District.objects.all()
    query = Q(pk__in=schools_for(user).values("district_id"))
    staff = _district_staff(user) if roles.has_role(user, roles.DISTRICT_ADMIN) else None
    if staff is not None and staff.district_id:
        query |= Q(pk=staff.district_id)
    return District.objects.filter(query)


def classes_for(user):
    """Classes under the user's oversight (admins), for the admin and dashboard."""
    return SchoolClass.objects.filter(school__in=schools_for(user))


def records_for(user):
    """Activity records the user may review."""
    return ActivityRecord.objects.filter(school_class__school__in=schools_for(user))


def teacher_classes(user):
    """Classes a teacher logs for: taught or headed, at the school of their profile."""
    profile = _teacher_profile(user)
    if profile is None or not roles.has_role(user, roles.TEACHER):
        return SchoolClass.objects.none()
    return (
        SchoolClass.objects.filter(school_id=profile.school_id)
        .filter(Q(teachers=profile) | Q(head_teacher=user))
        .distinct()
    )


def is_teacher(user) -> bool:
    return user.is_authenticated and roles.has_role(user, roles.TEACHER) and _teacher_profile(user) is not None


def can_see_record(user, record) -> bool:
    """Teachers see their classes' records; reviewers their scope's."""
    if teacher_classes(user).filter(pk=record.school_class_id).exists():
        return True
    return records_for(user).filter(pk=record.pk).exists()


def student_classes_for(user):
    """Classes whose student accounts the user may manage.

    Teachers their own classes; school admins their school's; district staff
    their district's; city staff and superusers every class.
    """
    if not user.is_authenticated:
        return SchoolClass.objects.none()
    return SchoolClass.objects.filter(
        Q(pk__in=teacher_classes(user).values("pk")) | Q(school__in=schools_for(user))
    ).distinct()


def can_import_students(user) -> bool:
    """School admins and office staff with at least one school in scope."""
    return can_review(user) and schools_for(user).exists()


def student_profile(user):
    """The class account behind a signed-in student, or None."""
    if not user.is_authenticated:
        return None
    try:
        return user.student_profile
    except Exception:  # noqa: BLE001 - RelatedObjectDoesNotExist
        return None
