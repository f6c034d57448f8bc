"""The only code that changes five-ones state: records, reviews, activity types.

Views, admin views and commands call these functions; each checks who is
acting and what the evidence rules of the activity type demand.
"""

import datetime
import secrets
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import STUDENT as STUDENT_ROLE

from . import access
from .activity_sets import SETS
from .models import (
    ActivityFile,
    ActivityPhoto,
    ActivityRecord,
    District,
    FiveOnesActivity,
    School,
    SchoolClass,
    StudentProfile,
    TeacherProfile,
    school_year_bounds,
    term_for_date,
)
from .photos import process_photo

MAX_PHOTOS = 9
MAX_FILE_BYTES = 20 * 1024 * 1024
# Sample works and sign-in sheets: documents, scans and short videos; never markup or executables.
ALLOWED_FILE_SUFFIXES = {
    ".pdf",
    ".doc",
    ".docx",
    ".xls",
    ".xlsx",
    ".ppt",
    ".pptx",
    ".txt",
    ".jpg",
    ".jpeg",
    ".png",
    ".webp",
    ".zip",
    ".mp4",
}

Status = ActivityRecord.Status


@dataclass
class Evidence:
    """What a teacher sends with a record. ``files`` is a list of (kind, uploaded file)."""

    date: datetime.date
    participants: int | None = None
    description: str = ""
    photos: list = field(default_factory=list)
    files: list = field(default_factory=list)
    term: int | None = None
    remove_photo_ids: list = field(default_factory=list)


def load_activity_set(school_year: str, set_name: str = "2021") -> list[FiveOnesActivity]:
    """Create (or update in place) the activity types of a known list for a school year.

    Existing types of the year keep their records; types not in the list are
    left alone, so local additions made by staff survive a reload.
    """
    if set_name not in SETS:
        raise ValidationError(_("未知的活动清单：%(name)s") % {"name": set_name})
    _start, _end = school_year_bounds(school_year)  # validates the format early
    loaded = []
    for order, (name, description, min_photos, participants, works, sign_in) in enumerate(SETS[set_name], 1):
        activity, _created = FiveOnesActivity.objects.update_or_create(
            school_year=school_year,
            name=name,
            defaults={
                "description": description,
                "order": order * 10,
                "active": True,
                "min_photos": min_photos,
                "requires_participant_count": participants,
                "requires_sample_works": works,
                "requires_sign_in_sheet": sign_in,
            },
        )
        loaded.append(activity)
    return loaded


def _check_evidence(school_class: SchoolClass, activity: FiveOnesActivity, evidence: Evidence, record=None):
    errors = {}
    start, end = school_year_bounds(school_class.school_year)
    today = timezone.localdate()
    if not (start <= evidence.date <= end):
        errors["date"] = _("活动日期须在 %(year)s 学年内。") % {"year": school_class.school_year}
    elif evidence.date > today:
        errors["date"] = _("活动日期不能晚于今天。")
    if activity.school_year != school_class.school_year or not activity.active:
        errors["activity"] = _("该活动类型不属于本学年的五个一。")
    participants = evidence.participants or 0
    if activity.requires_participant_count and participants <= 0:
        errors["participants"] = _("请填写参与人数。")
    elif school_class.student_count and participants > school_class.student_count:
        errors["participants"] = _("参与人数不能超过班级人数（%(n)s 人）。") % {"n": school_class.student_count}
    kept = 0
    if record is not None:
        kept = record.photos.exclude(pk__in=evidence.remove_photo_ids).count()
    total = kept + len(evidence.photos)
    if total > MAX_PHOTOS:
        errors["photos"] = _("最多上传 %(n)s 张照片。") % {"n": MAX_PHOTOS}
    elif total < activity.min_photos:
        errors["photos"] = _("该活动至少需要 %(n)s 张照片。") % {"n": activity.min_photos}
    kinds = {kind for kind, _f in evidence.files}
    if record is not None:
        kinds |= set(record.files.values_list("kind", flat=True))
    if activity.requires_sample_works and ActivityFile.Kind.SAMPLE_WORK not in kinds:
        errors["sample_works"] = _("该活动需要上传作品样本。")
    if activity.requires_sign_in_sheet and ActivityFile.Kind.SIGN_IN_SHEET not in kinds:
        errors["sign_in_sheet"] = _("该活动需要上传签到表。")
    for _kind, upload in evidence.files:
        suffix = "." + upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if suffix not in ALLOWED_FILE_SUFFIXES:
            errors["files"] = _("附件“%(name)s”的类型不受支持，请上传 PDF、Word、Excel、图片或视频。") % {
                "name": upload.name
            }
        elif upload.size > MAX_FILE_BYTES:
            errors["files"] = _("附件“%(name)s”超过 20 MB。") % {"name": upload.name}
    if errors:
        raise ValidationError(errors)


def submit_record(*, user, school_class: SchoolClass, activity: FiveOnesActivity, evidence: Evidence) -> ActivityRecord:
    """Submit (or resubmit after return) a class's record of one activity type for review.

    The teacher must teach or head the class. A type already submitted or
    approved for the class is refused; a returned one is updated in place and
    goes back to review. Photos are verified and resized before anything is
    written, so an invalid upload stores nothing.
    """
    if not access.teacher_classes(user).filter(pk=school_class.pk).exists():
        raise PermissionDenied(_("只能为自己任教的班级登记活动。"))
    record = ActivityRecord.objects.filter(school_class=school_class, activity=activity).first()
    if record is not None and record.status in (Status.SUBMITTED, Status.APPROVED):
        raise ValidationError({"activity": _("本班已提交过该活动，无需重复登记。")})
    _check_evidence(school_class, activity, evidence, record)
    processed = [process_photo(upload) for upload in evidence.photos]  # may raise: nothing stored yet
    now = timezone.now()
    try:
        with transaction.atomic():
            record = _write_record(user, school_class, activity, evidence, record, processed, now)
    except IntegrityError:
        # Two phones submitting the same class and type at once: the constraint keeps one.
        raise ValidationError({"activity": _("本班已提交过该活动，无需重复登记。")}) from None
    return record


def _write_record(user, school_class, activity, evidence, record, processed, now):
    if record is None:
        record = ActivityRecord(school_class=school_class, activity=activity)
    else:
        record = ActivityRecord.objects.select_for_update().get(pk=record.pk)
        if record.status in (Status.SUBMITTED, Status.APPROVED):
            raise ValidationError({"activity": _("本班已提交过该活动，无需重复登记。")})
    record.school_year = school_class.school_year
    record.date = evidence.date
    record.term = evidence.term or term_for_date(evidence.date)
    record.participants = evidence.participants or 0
    record.description = evidence.description.strip()
    record.status = Status.SUBMITTED
    record.submitted_by = user
    record.submitted_at = now
    record.reviewed_by = None
    record.reviewed_at = None
    record.save()
    if evidence.remove_photo_ids:
        for photo in record.photos.filter(pk__in=evidence.remove_photo_ids):
            files = [photo.original, photo.image, photo.thumbnail]
            photo.delete()
            # Remove the files only once the rows are gone for good.
            transaction.on_commit(lambda files=files: [f.delete(save=False) for f in files if f])
    for item in processed:
        photo = ActivityPhoto(record=record, width=item.width, height=item.height)
        photo.original.save(item.original.name, item.original, save=False)
        photo.image.save(item.display.name, item.display, save=False)
        photo.thumbnail.save(item.thumbnail.name, item.thumbnail, save=False)
        photo.save()
    for kind, upload in evidence.files:
        ActivityFile.objects.create(record=record, kind=kind, file=upload, name=upload.name[:200])
    return record


def resubmit(*, user, record: ActivityRecord, evidence: Evidence) -> ActivityRecord:
    """Correct a returned record and send it back to review (same row, status submitted)."""
    if record.status != Status.RETURNED:
        raise ValidationError(_("只有被退回的记录可以重新提交。"))
    return submit_record(user=user, school_class=record.school_class, activity=record.activity, evidence=evidence)


def _reviewable(user, record) -> ActivityRecord:
    if not access.can_review(user) or not user.has_perm("schools.review_activityrecord"):
        raise PermissionDenied(_("您没有审核权限。"))
    locked = access.records_for(user).select_for_update().filter(pk=record.pk).first()
    if locked is None:
        raise PermissionDenied(_("该记录不在您的管理范围内。"))
    if locked.status != Status.SUBMITTED:
        raise ValidationError(_("只能审核待审核的记录。"))
    return locked


@transaction.atomic
def approve(*, user, record: ActivityRecord) -> ActivityRecord:
    """Approve a submitted record within the reviewer's school or district."""
    record = _reviewable(user, record)
    record.status = Status.APPROVED
    record.return_reason = ""
    record.reviewed_by = user
    record.reviewed_at = timezone.now()
    record.save(update_fields=["status", "return_reason", "reviewed_by", "reviewed_at", "updated_at"])
    return record


@transaction.atomic
def return_with_reason(*, user, record: ActivityRecord, reason: str) -> ActivityRecord:
    """Send a submitted record back to the teacher; the reason is required and shown on the desk."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("退回时必须填写原因。")})
    record = _reviewable(user, record)
    record.status = Status.RETURNED
    record.return_reason = reason[:1000]
    record.reviewed_by = user
    record.reviewed_at = timezone.now()
    record.save(update_fields=["status", "return_reason", "reviewed_by", "reviewed_at", "updated_at"])
    return record


@transaction.atomic
def bulk_approve(*, user, record_ids) -> int:
    """Approve every submitted record among ``record_ids`` in the reviewer's scope; returns how many.

    Records outside the scope or not awaiting review are skipped, not errors:
    a stale checkbox list must not fail the whole batch.
    """
    if not access.can_review(user) or not user.has_perm("schools.review_activityrecord"):
        raise PermissionDenied(_("您没有审核权限。"))
    return (
        access.records_for(user)
        .filter(pk__in=list(record_ids), status=Status.SUBMITTED)
        .update(
            status=Status.APPROVED,
            return_reason="",
            reviewed_by=user,
            reviewed_at=timezone.now(),
            updated_at=timezone.now(),
        )
    )


_LEVELS = {label: value for value, label in School.Level.choices}
_DEMONSTRATION = {label: value for value, label in School.Demonstration.choices if value}


def import_class_row(data: dict, *, user=None) -> str:
    """Create or update one class (and its district, school and head teacher) from an import row.

    ``user`` limits where rows may land: city staff (or None, the command
    line) anywhere, a district office only inside its district. Returns a
    short Chinese summary for the per-row report; raises ValidationError.
    """
    from accounts import roles
    from accounts.models import User

    required = {
        "district": "区县",
        "school": "学校",
        "level": "学段",
        "school_year": "学年",
        "grade": "年级",
        "class_name": "班级",
        "student_count": "学生人数",
    }
    missing = [label for key, label in required.items() if not data.get(key)]
    if missing:
        raise ValidationError(_("缺少：%(cols)s") % {"cols": "、".join(missing)})
    level = _LEVELS.get(data["level"])
    if level is None:
        raise ValidationError(_("学段“%(v)s”无效（小学/初中/高中/中职/大学）。") % {"v": data["level"]})
    demonstration = ""
    if data.get("demonstration") and data["demonstration"] != "无":
        demonstration = _DEMONSTRATION.get(data["demonstration"])
        if demonstration is None:
            raise ValidationError(_("示范学校“%(v)s”无效（市级/省级/国家级）。") % {"v": data["demonstration"]})
    try:
        school_year_bounds(data["school_year"])
        if len(data["school_year"]) != 9 or int(data["school_year"][5:]) != int(data["school_year"][:4]) + 1:
            raise ValueError
    except ValueError:
        raise ValidationError(_("学年“%(v)s”格式应为 2026-2027。") % {"v": data["school_year"]}) from None
    try:
        grade = int(data["grade"])
        students = int(data["student_count"])
        if not (1 <= grade <= 12) or not (0 <= students <= 200):
            raise ValueError
    except ValueError:
        raise ValidationError(_("年级应为 1-12，学生人数应为 0-200 的整数。")) from None

    district = District.objects.filter(name=data["district"]).first()
    if district is None:
        if not data.get("district_code"):
            raise ValidationError(_("区县“%(v)s”不存在；新建区县请填写区县代码。") % {"v": data["district"]})
        if user is not None and not access.is_city_staff(user):
            raise ValidationError(_("只有市级工作人员可以新建区县。"))
        district = District.objects.create(name=data["district"], code=data["district_code"])
    if user is not None and not access.districts_for(user).filter(pk=district.pk).exists():
        raise ValidationError(_("区县“%(v)s”不在您的管理范围内。") % {"v": district.name})

    school, school_created = School.objects.get_or_create(
        district=district, name=data["school"], defaults={"level": level, "demonstration": demonstration}
    )
    if not school_created and (school.level, school.demonstration) != (level, demonstration):
        school.level, school.demonstration = level, demonstration
        school.save(update_fields=["level", "demonstration"])

    teacher = None
    if data.get("teacher_username"):
        teacher = User.objects.filter(username=data["teacher_username"]).first()
        if teacher is None:
            teacher = User(
                username=data["teacher_username"],
                display_name=data.get("teacher_name", ""),
                phone=data.get("teacher_phone", ""),
            )
            if data.get("teacher_password"):
                teacher.set_password(data["teacher_password"])
            else:
                teacher.set_unusable_password()
            teacher.full_clean(exclude=["password"])
            teacher.save()
        teacher.groups.add(*Group.objects.filter(name=roles.TEACHER))
        profile = TeacherProfile.objects.filter(user=teacher).first()
        if profile is None:
            profile = TeacherProfile.objects.create(user=teacher, school=school)
        elif profile.school_id != school.pk:
            raise ValidationError(
                _("账号 %(u)s 已登记在 %(s)s，不能再作为本校班主任。") % {"u": teacher.username, "s": profile.school}
            )

    klass, class_created = SchoolClass.objects.update_or_create(
        school=school,
        school_year=data["school_year"],
        name=data["class_name"],
        defaults={"grade": grade, "student_count": students, "head_teacher": teacher},
    )
    if teacher is not None:
        profile.classes.add(klass)
    parts = [
        _("新建学校") if school_created else _("学校已存在"),
        (_("新建班级 %(c)s") if class_created else _("更新班级 %(c)s")) % {"c": klass.name},
    ]
    if teacher is not None:
        parts.append(_("班主任 %(u)s") % {"u": teacher.username})
    return "，".join(parts)


# Student class accounts ---------------------------------------------------------------------------------------

MAX_STUDENTS_PER_BATCH = 60
MAX_STUDENT_NAME_LENGTH = 20
# Letters and digits nobody misreads on a printed slip: no 0/O, 1/l/I.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # noqa: S105 - an alphabet, not a password
PASSWORD_LENGTH = 8
# Initial passwords are random and temporary; Django re-hashes them with the full work factor at the first
# successful sign-in (``must_update``), so a class of 60 does not cost a minute of PBKDF2 in one request.
INITIAL_PASSWORD_ITERATIONS = 100_000
_NAME_EXTRA_CHARACTERS = set(" ·•.-()（）")


@dataclass
class NewAccount:
    """A student account as printed for the class: the password exists only here, never stored in clear."""

    name: str
    username: str
    password: str
    school_class: SchoolClass


def generate_password() -> str:
    """A random initial password of letters and digits, with at least one of each."""
    while True:
        password = "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH))
        if any(c.isdigit() for c in password) and any(c.isalpha() for c in password):
            return password


def _initial_password_hash(password: str) -> str:
    from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hasher, make_password

    hasher = get_hasher()
    if isinstance(hasher, PBKDF2PasswordHasher):
        return hasher.encode(password, hasher.salt(), iterations=min(hasher.iterations, INITIAL_PASSWORD_ITERATIONS))
    return make_password(password)


def student_username_prefix(school_class: SchoolClass) -> str:
    """``s<school id>c<class id>``: unique per class, ASCII, and without letters that look like digits."""
    return f"s{school_class.school_id}c{school_class.pk}"


def _next_usernames(school_class: SchoolClass, count: int) -> list[str]:
    from accounts.models import User

    prefix = student_username_prefix(school_class) + "-"
    taken = set(User.objects.filter(username__startswith=prefix).values_list("username", flat=True))
    # Continue after the highest number ever used, so a deactivated student's username is never handed out again.
    numbers = [int(u[len(prefix) :]) for u in taken if u[len(prefix) :].isdigit()]
    number = max(numbers, default=0)
    usernames = []
    while len(usernames) < count:
        number += 1
        username = f"{prefix}{number:02d}"
        if username not in taken:
            usernames.append(username)
    return usernames


def clean_student_name(name: str) -> str:
    """Collapse spaces and check one student's name; raises ValidationError with a Chinese message."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError(_("姓名不能为空。"))
    if len(name) > MAX_STUDENT_NAME_LENGTH:
        raise ValidationError(
            _("姓名“%(name)s”超过 %(max)s 个字。") % {"name": name[:30], "max": MAX_STUDENT_NAME_LENGTH}
        )
    if not all(c.isalpha() or c in _NAME_EXTRA_CHARACTERS for c in name):
        raise ValidationError(_("姓名“%(name)s”含有数字或符号，请只填写姓名。") % {"name": name})
    return name


def class_student_names(school_class: SchoolClass) -> set[str]:
    """Names of the class's existing (active) student accounts."""
    from accounts.models import User

    return set(
        User.objects.filter(student_profile__school_class=school_class, is_active=True).values_list(
            "display_name", flat=True
        )
    )


def parse_student_names(text: str, *, school_class: SchoolClass | None = None) -> list[str]:
    """Names pasted one per line: blank lines are skipped; every problem is reported with its line number.

    Raises ValidationError listing all problems at once (empty paste, too many, too long, duplicates in the
    paste or in the class), so the teacher fixes the list in one go.
    """
    names, errors, seen = [], [], {}
    same_names = False
    existing = class_student_names(school_class) if school_class is not None else set()
    for number, line in enumerate((text or "").splitlines(), 1):
        if not line.strip():
            continue
        try:
            name = clean_student_name(line)
        except ValidationError as exc:
            errors.append(_("第 %(n)s 行：%(msg)s") % {"n": number, "msg": exc.messages[0]})
            continue
        if name in seen:
            errors.append(
                _("第 %(n)s 行：“%(name)s”与第 %(first)s 行重复。") % {"n": number, "name": name, "first": seen[name]}
            )
            same_names = True
            continue
        if name in existing:
            errors.append(_("第 %(n)s 行：本班已有学生账号“%(name)s”。") % {"n": number, "name": name})
            same_names = True
            continue
        seen[name] = number
        names.append(name)
    if not names and not errors:
        errors.append(_("请至少填写一个姓名，每行一个。"))
    if len(names) > MAX_STUDENTS_PER_BATCH:
        errors.append(
            _("一次最多添加 %(max)s 名学生，本次有 %(n)s 名，请分批添加。")
            % {"max": MAX_STUDENTS_PER_BATCH, "n": len(names)}
        )
    if errors:
        if same_names:
            errors.append(_("确有同名学生时，请在姓名后加以区分，如 张伟（大）。"))
        raise ValidationError(errors)
    return names


def _create_student(school_class: SchoolClass, name: str, username: str, *, by, hash_password=True) -> NewAccount:
    from django.contrib.auth.hashers import make_password

    from accounts.models import User

    password = generate_password()
    user = User.objects.create(
        username=username,
        display_name=name,
        password=_initial_password_hash(password) if hash_password else make_password(None),
    )
    user.groups.add(*Group.objects.filter(name=STUDENT_ROLE))
    StudentProfile.objects.create(user=user, school_class=school_class, created_by=by)
    return NewAccount(name=name, username=username, password=password, school_class=school_class)


def _managed_class(user, school_class: SchoolClass) -> SchoolClass:
    if not access.student_classes_for(user).filter(pk=school_class.pk).exists():
        raise PermissionDenied(_("您不能管理这个班级的学生账号。"))
    return school_class


@transaction.atomic
def create_student_accounts(*, user, school_class: SchoolClass, names) -> list[NewAccount]:
    """Create class accounts for pasted names; returns each with its initial password (shown once, never stored).

    The class row is locked so two teachers adding students to one class at once get distinct usernames.
    """
    _managed_class(user, school_class)
    SchoolClass.objects.select_for_update().filter(pk=school_class.pk).first()
    names = parse_student_names("\n".join(names), school_class=school_class)
    usernames = _next_usernames(school_class, len(names))
    return [
        _create_student(school_class, name, username, by=user) for name, username in zip(names, usernames, strict=True)
    ]


def _managed_student(user, profile: StudentProfile) -> StudentProfile:
    _managed_class(user, profile.school_class)
    return profile


def reset_student_password(*, user, profile: StudentProfile) -> NewAccount:
    """Give a student a new random password (shown once to the teacher)."""
    _managed_student(user, profile)
    password = generate_password()
    student = profile.user
    student.password = _initial_password_hash(password)
    student.save(update_fields=["password"])
    return NewAccount(
        name=student.name, username=student.username, password=password, school_class=profile.school_class
    )


def set_student_active(*, user, profile: StudentProfile, active: bool) -> StudentProfile:
    """Deactivate (the student can no longer sign in; results stay) or reactivate a class account."""
    _managed_student(user, profile)
    student = profile.user
    if active and not student.is_active and student.display_name in class_student_names(profile.school_class):
        raise ValidationError(_("本班已有同名的在用账号，不能重新启用。"))
    student.is_active = active
    student.save(update_fields=["is_active"])
    return profile


def import_student_row(data: dict, *, user, dry_run=False) -> tuple[str, NewAccount | None]:
    """One row of the students' xlsx (学校, 班级, 姓名, optional 区县), in the importing user's scope.

    Returns a short Chinese summary and the new account (None in a dry run, where no password is made).
    Raises ValidationError. Classes are looked up in the current school year.
    """
    from .models import current_school_year

    required = (("school", "学校"), ("class_name", "班级"), ("name", "姓名"))
    missing = [label for key, label in required if not data.get(key)]
    if missing:
        raise ValidationError(_("缺少：%(cols)s") % {"cols": "、".join(missing)})
    name = clean_student_name(data["name"])
    schools = access.schools_for(user).filter(name=data["school"])
    if data.get("district"):
        schools = schools.filter(district__name=data["district"])
    schools = list(schools[:2])
    if not schools:
        raise ValidationError(_("学校“%(v)s”不存在或不在您的管理范围内。") % {"v": data["school"]})
    if len(schools) > 1:
        raise ValidationError(_("有多所学校名为“%(v)s”，请填写区县列。") % {"v": data["school"]})
    school = schools[0]
    school_year = current_school_year()
    school_class = SchoolClass.objects.filter(school=school, school_year=school_year, name=data["class_name"]).first()
    if school_class is None:
        raise ValidationError(
            _("%(school)s 在 %(year)s 学年没有班级“%(v)s”。")
            % {"school": school.name, "year": school_year, "v": data["class_name"]}
        )
    if name in class_student_names(school_class):
        raise ValidationError(_("%(c)s 已有学生账号“%(name)s”。") % {"c": school_class.name, "name": name})
    SchoolClass.objects.select_for_update().filter(pk=school_class.pk).first()
    (username,) = _next_usernames(school_class, 1)
    account = _create_student(school_class, name, username, by=user, hash_password=not dry_run)
    summary = _("%(school)s %(c)s：%(name)s → %(u)s") % {
        "school": school.name,
        "c": school_class.name,
        "name": name,
        "u": username,
    }
    return summary, (None if dry_run else account)
