"""Schools, classes, teachers and the five-ones ledger (五个一台账).

Organisation: District -> School -> SchoolClass (one row per class and school
year). People: a TeacherProfile links a teacher to a school and their classes;
a StudentProfile links a student's class account to their class;
DistrictStaff links an office user (禁毒办管理员) to a district, or to none for
city-wide staff. Who may *do* what stays in the role groups (accounts.roles);
these rows only say *where*.

The ledger: FiveOnesActivity rows are the required activity types of a school
year (data, not code); an ActivityRecord is one class's evidence for one type.
Rows change only through ``services.py``.
"""

import datetime

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

school_year_validator = RegexValidator(r"^\d{4}-\d{4}$", _("学年格式应为 2026-2027。"))


def current_school_year(today: datetime.date | None = None) -> str:
    """The school year containing ``today``: a year starts on 1 August."""
    today = today or datetime.date.today()
    start = today.year if today.month >= 8 else today.year - 1
    return f"{start}-{start + 1}"


def school_year_bounds(school_year: str) -> tuple[datetime.date, datetime.date]:
    """First and last day of a school year (1 Aug - 31 Jul)."""
    start = int(school_year[:4])
    return datetime.date(start, 8, 1), datetime.date(start + 1, 7, 31)


def term_for_date(date: datetime.date) -> int:
    """Term 1 runs August to January, term 2 February to July."""
    return 1 if date.month >= 8 or date.month == 1 else 2


class District(models.Model):
    name = models.CharField(_("名称"), max_length=60, unique=True)
    code = models.CharField(_("代码"), max_length=20, unique=True, help_text=_("行政区划代码或简称，如 431102。"))
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("区县")
        verbose_name_plural = _("区县")

    def __str__(self):
        return self.name


class School(models.Model):
    class Level(models.TextChoices):
        PRIMARY = "primary", _("小学")
        JUNIOR = "junior", _("初中")
        SENIOR = "senior", _("高中")
        VOCATIONAL = "vocational", _("中职")
        UNIVERSITY = "university", _("大学")

    class Demonstration(models.TextChoices):
        NONE = "", _("无")
        CITY = "city", _("市级")
        PROVINCE = "province", _("省级")
        NATIONAL = "national", _("国家级")

    district = models.ForeignKey(District, models.PROTECT, related_name="schools", verbose_name=_("区县"))
    name = models.CharField(_("校名"), max_length=100)
    level = models.CharField(_("学段"), max_length=20, choices=Level.choices)
    demonstration = models.CharField(
        _("毒品预防教育示范学校"), max_length=20, choices=Demonstration.choices, blank=True, default=""
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=60, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)

    class Meta:
        ordering = ["district__order", "name"]
        constraints = [models.UniqueConstraint(fields=["district", "name"], name="schools_school_unique_name")]
        verbose_name = _("学校")
        verbose_name_plural = _("学校")

    def __str__(self):
        return self.name


class SchoolClass(models.Model):
    school = models.ForeignKey(School, models.CASCADE, related_name="classes", verbose_name=_("学校"))
    school_year = models.CharField(_("学年"), max_length=9, validators=[school_year_validator])
    grade = models.PositiveSmallIntegerField(_("年级"), validators=[MinValueValidator(1)], help_text=_("1-12"))
    name = models.CharField(_("班级名称"), max_length=40, help_text=_("如 五年级2班"))
    student_count = models.PositiveSmallIntegerField(_("学生人数"), default=0)
    head_teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="headed_classes",
        verbose_name=_("班主任"),
    )

    class Meta:
        ordering = ["school__name", "grade", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "school_year", "name"], name="schools_class_unique_name")
        ]
        verbose_name = _("班级")
        verbose_name_plural = _("班级")

    def __str__(self):
        return f"{self.school.name} {self.name}"


class TeacherProfile(models.Model):
    """Links a teacher to a school and classes.

    Whether they administer the school is the 学校管理员 group, not a field
    here, so there is one switch for admin access (see :attr:`is_school_admin`).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="teacher_profile", verbose_name=_("用户")
    )
    school = models.ForeignKey(School, models.CASCADE, related_name="teachers", verbose_name=_("学校"))
    classes = models.ManyToManyField(SchoolClass, blank=True, related_name="teachers", verbose_name=_("任教班级"))

    class Meta:
        verbose_name = _("教师档案")
        verbose_name_plural = _("教师档案")

    def __str__(self):
        return f"{self.user} · {self.school}"

    @property
    def is_school_admin(self) -> bool:
        from accounts.roles import SCHOOL_ADMIN, has_role

        return has_role(self.user, SCHOOL_ADMIN)


class StudentProfile(models.Model):
    """A student's class account: links a user to the one class they belong to.

    Teachers create these for their classes (or school and district staff
    import them from xlsx); the challenge registration takes the district,
    school and class from here instead of asking.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="student_profile", verbose_name=_("用户")
    )
    school_class = models.ForeignKey(
        SchoolClass, models.CASCADE, related_name="student_profiles", verbose_name=_("班级")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("创建人"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["school_class", "user__username"]
        verbose_name = _("学生账号")
        verbose_name_plural = _("学生账号")

    def __str__(self):
        return f"{self.user} · {self.school_class}"


class DistrictStaff(models.Model):
    """Places a drug-control office user (禁毒办管理员) in a district; no district means city-wide."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="district_staff", verbose_name=_("用户")
    )
    district = models.ForeignKey(
        District,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("区县"),
        help_text=_("留空表示市级工作人员，可查看全部区县。"),
    )

    class Meta:
        verbose_name = _("禁毒办人员")
        verbose_name_plural = _("禁毒办人员")

    def __str__(self):
        return f"{self.user} · {self.district or _('全市')}"


class FiveOnesActivity(models.Model):
    """One required activity type of a school year, with the evidence it needs."""

    school_year = models.CharField(_("学年"), max_length=9, validators=[school_year_validator])
    name = models.CharField(_("名称"), max_length=60)
    description = models.CharField(_("简要说明"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True, help_text=_("停用的类型不计入完成率。"))
    min_photos = models.PositiveSmallIntegerField(_("最少照片数"), default=2)
    requires_participant_count = models.BooleanField(_("需填写参与人数"), default=True)
    requires_sample_works = models.BooleanField(_("需上传作品样本"), default=False)
    requires_sign_in_sheet = models.BooleanField(_("需上传签到表"), default=False)

    class Meta:
        ordering = ["school_year", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school_year", "name"], name="schools_activity_unique_name"),
        ]
        verbose_name = _("五个一活动类型")
        verbose_name_plural = _("五个一活动类型")

    def __str__(self):
        return self.name


class ActivityRecord(models.Model):
    """A class's evidence for one activity type.

    One row per (class, activity type): a returned record is corrected and
    resubmitted on the same row, so its history of review stays in one place.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("待审核")
        APPROVED = "approved", _("已通过")
        RETURNED = "returned", _("已退回")

    school_class = models.ForeignKey(
        SchoolClass, models.CASCADE, related_name="activity_records", verbose_name=_("班级")
    )
    activity = models.ForeignKey(FiveOnesActivity, models.PROTECT, related_name="records", verbose_name=_("活动类型"))
    school_year = models.CharField(_("学年"), max_length=9, validators=[school_year_validator])
    term = models.PositiveSmallIntegerField(_("学期"), choices=[(1, _("第一学期")), (2, _("第二学期"))])
    date = models.DateField(_("活动日期"))
    participants = models.PositiveIntegerField(_("参与人数"), default=0)
    description = models.TextField(_("活动简述"), max_length=1000, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    return_reason = models.TextField(_("退回原因"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("提交人"),
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审核人"),
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["school_class", "activity"], name="schools_record_one_per_class_type"),
        ]
        indexes = [models.Index(fields=["school_year", "status"])]
        permissions = [("review_activityrecord", _("可以审核五个一活动记录"))]
        verbose_name = _("五个一活动记录")
        verbose_name_plural = _("五个一活动记录")

    def __str__(self):
        return f"{self.school_class} · {self.activity}"

    @property
    def school(self):
        return self.school_class.school

    @property
    def submitted_by_name(self) -> str:
        return self.submitted_by.name if self.submitted_by else ""

    @property
    def reviewed_by_name(self) -> str:
        return self.reviewed_by.name if self.reviewed_by else ""

    @property
    def status_badge(self) -> str:
        return {"approved": "ok", "submitted": "warn", "returned": "bad"}.get(self.status, "")


def _evidence_path(instance, kind, filename):
    record = instance.record
    return f"fiveones/{record.school_year}/{record.school_class_id}/{kind}/{filename}"


# Module-level functions, not closures: migrations must be able to import them.
def original_upload_to(instance, filename):
    return _evidence_path(instance, "original", filename)


def display_upload_to(instance, filename):
    return _evidence_path(instance, "display", filename)


def thumbnail_upload_to(instance, filename):
    return _evidence_path(instance, "thumb", filename)


def file_upload_to(instance, filename):
    return _evidence_path(instance, "files", filename)


class ActivityPhoto(models.Model):
    """A photo as uploaded (kept for the ledger) plus the resized, upright copies the site shows."""

    record = models.ForeignKey(ActivityRecord, models.CASCADE, related_name="photos", verbose_name=_("活动记录"))
    original = models.FileField(_("原图"), upload_to=original_upload_to, max_length=255)
    image = models.ImageField(_("展示图"), upload_to=display_upload_to, max_length=255)
    thumbnail = models.ImageField(_("缩略图"), upload_to=thumbnail_upload_to, max_length=255)
    width = models.PositiveIntegerField(_("宽"), default=0)
    height = models.PositiveIntegerField(_("高"), default=0)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("活动照片")
        verbose_name_plural = _("活动照片")

    def __str__(self):
        return f"{self.record} #{self.pk}"


class ActivityFile(models.Model):
    class Kind(models.TextChoices):
        SAMPLE_WORK = "sample_work", _("作品样本")
        SIGN_IN_SHEET = "sign_in_sheet", _("签到表")
        OTHER = "other", _("其他材料")

    record = models.ForeignKey(ActivityRecord, models.CASCADE, related_name="files", verbose_name=_("活动记录"))
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    file = models.FileField(_("文件"), upload_to=file_upload_to, max_length=255)
    name = models.CharField(_("文件名"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("活动附件")
        verbose_name_plural = _("活动附件")

    def __str__(self):
        return self.name or self.file.name
