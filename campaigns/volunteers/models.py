"""Volunteer teams, rosters, service events with roles and slots, and service records.

Organisation: Team (in a District, led by a 志愿者队长 user) -> Volunteer.
Work: ServiceEvent (optionally linked to a campaign page) -> EventRole (a shift
with a number of slots) -> Assignment (one volunteer in one role).
Evidence: ServiceRecord (check-in/out, hours truncated to one decimal, a
unique certificate number), as the 志愿服务条例 asks for truthful records.

Rows change only through ``services.py``.
"""

import datetime
from decimal import ROUND_DOWN, Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from accounts.masking import mask_name, mask_phone
from accounts.models import phone_validator

id_last4_validator = RegexValidator(r"^[0-9]{3}[0-9Xx]$", _("身份证后四位应为 4 位数字（最后一位可为 X）。"))

ONE_DECIMAL = Decimal("0.1")


def service_hours(check_in: datetime.datetime, check_out: datetime.datetime) -> Decimal:
    """Hours between check-in and check-out, truncated (not rounded) to one decimal: 13:30-15:45 -> 2.2."""
    seconds = int((check_out - check_in).total_seconds())
    if seconds <= 0:
        return Decimal("0.0")
    return (Decimal(seconds) / Decimal(3600)).quantize(ONE_DECIMAL, rounding=ROUND_DOWN)


class Skill(models.Model):
    """A skill volunteers tick on the roster (宣讲, 文艺, 摄影, 心理咨询, 法律 …)."""

    name = models.CharField(_("名称"), max_length=30, unique=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("技能")
        verbose_name_plural = _("技能")

    def __str__(self):
        return self.name


class Team(models.Model):
    class Kind(models.TextChoices):
        MOTHERS = "mothers", _("禁毒妈妈")
        LECTURERS = "lecturers", _("讲师团")
        COMMUNITY = "community", _("社区队伍")
        YOUTH = "youth", _("青年志愿者")
        OTHER = "other", _("其他")

    name = models.CharField(_("队伍名称"), max_length=80, unique=True)
    kind = models.CharField(_("队伍类型"), max_length=20, choices=Kind.choices, default=Kind.COMMUNITY)
    district = models.ForeignKey(
        "schools.District", models.PROTECT, related_name="volunteer_teams", verbose_name=_("区县")
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_volunteer_teams",
        verbose_name=_("队长"),
        help_text=_("队长需属于“志愿者队长”用户组，只能管理本队。"),
    )
    description = models.TextField(_("简介"), blank=True)

    class Meta:
        ordering = ["district__order", "name"]
        verbose_name = _("志愿者队伍")
        verbose_name_plural = _("志愿者队伍")

    def __str__(self):
        return self.name


class Volunteer(models.Model):
    class Gender(models.TextChoices):
        FEMALE = "female", _("女")
        MALE = "male", _("男")

    class Status(models.TextChoices):
        APPLIED = "applied", _("待审核")
        ACTIVE = "active", _("在册")
        PAUSED = "paused", _("暂停")
        LEFT = "left", _("已退出")
        REJECTED = "rejected", _("未通过")

    class Availability(models.TextChoices):
        WEEKDAY = "weekday", _("工作日白天")
        WEEKEND = "weekend", _("周末")
        EVENING = "evening", _("晚上")

    name = models.CharField(_("姓名"), max_length=40)
    phone = models.CharField(_("手机号"), max_length=20, validators=[phone_validator])
    id_last4 = models.CharField(_("身份证后四位"), max_length=4, blank=True, validators=[id_last4_validator])
    gender = models.CharField(_("性别"), max_length=10, choices=Gender.choices)
    birth_year = models.PositiveSmallIntegerField(
        _("出生年份"), validators=[MinValueValidator(1930), MaxValueValidator(2015)]
    )
    skills = models.ManyToManyField(Skill, blank=True, related_name="volunteers", verbose_name=_("技能特长"))
    availability = models.JSONField(_("可服务时间"), default=list, blank=True)
    availability_note = models.CharField(_("时间备注"), max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.APPLIED)
    joined_on = models.DateField(_("加入日期"), null=True, blank=True)
    team = models.ForeignKey(Team, models.PROTECT, related_name="volunteers", verbose_name=_("所属队伍"))
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="volunteer",
        verbose_name=_("登录账号"),
    )
    consent_at = models.DateTimeField(_("同意隐私说明时间"), null=True, blank=True)
    review_note = models.CharField(_("审核意见"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        ordering = ["team__name", "name", "pk"]
        constraints = [models.UniqueConstraint(fields=["phone"], name="volunteers_volunteer_unique_phone")]
        verbose_name = _("志愿者")
        verbose_name_plural = _("志愿者")

    def __str__(self):
        return self.name

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def masked_id(self) -> str:
        """Identity as printed on certificates: only the ID card's last four, behind asterisks."""
        return f"**************{self.id_last4}" if self.id_last4 else ""

    def availability_labels(self) -> str:
        labels = dict(self.Availability.choices)
        return "、".join(str(labels.get(value, value)) for value in self.availability or [])

    availability_labels.short_description = _("可服务时间")

    def skill_names(self) -> str:
        return "、".join(skill.name for skill in self.skills.all())

    skill_names.short_description = _("技能特长")


class ServiceEvent(ClusterableModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("筹备中")
        OPEN = "open", _("招募中")
        CLOSED = "closed", _("招募结束")
        FINISHED = "finished", _("已完成")
        CANCELLED = "cancelled", _("已取消")

    title = models.CharField(_("活动名称"), max_length=120)
    campaign_page = models.ForeignKey(
        "wagtailcore.Page",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("关联宣传活动页面"),
    )
    team = models.ForeignKey(
        Team,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("组织队伍"),
        help_text=_("由某支队伍组织时填写；该队队长可管理此活动。"),
    )
    district = models.ForeignKey(
        "schools.District", models.PROTECT, related_name="volunteer_events", verbose_name=_("区县")
    )
    place = models.CharField(_("地点"), max_length=160)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    description = models.TextField(_("活动说明"), blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.OPEN)
    organisation = models.CharField(
        _("出具证明单位"), max_length=100, blank=True, help_text=_("服务证明上的出具单位，留空则用区县禁毒办。")
    )

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="volunteers_event_ends_after_start"
            )
        ]
        verbose_name = _("服务活动")
        verbose_name_plural = _("服务活动")

    def __str__(self):
        return f"{self.title}（{self.starts_at:%Y-%m-%d}）"

    @property
    def issuer(self) -> str:
        return self.organisation or f"{self.district.name}禁毒办"


class EventRole(models.Model):
    """A role (shift) of an event with a number of slots; its own times, or the event's."""

    event = ParentalKey(ServiceEvent, related_name="roles", verbose_name=_("活动"))
    name = models.CharField(_("岗位"), max_length=40, help_text=_("如 宣讲员、摄影、引导"))
    slots = models.PositiveSmallIntegerField(_("名额"), default=1, validators=[MinValueValidator(1)])
    starts_at = models.DateTimeField(_("班次开始"), null=True, blank=True, help_text=_("留空则与活动时间相同"))
    ends_at = models.DateTimeField(_("班次结束"), null=True, blank=True)
    sort_order = models.IntegerField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("岗位")
        verbose_name_plural = _("岗位")

    def __str__(self):
        return f"{self.event.title} · {self.name}"

    @property
    def shift_start(self):
        return self.starts_at or self.event.starts_at

    @property
    def shift_end(self):
        return self.ends_at or self.event.ends_at


class Assignment(models.Model):
    class Status(models.TextChoices):
        INVITED = "invited", _("已邀请")
        CONFIRMED = "confirmed", _("已确认")
        DECLINED = "declined", _("已谢绝")
        ATTENDED = "attended", _("已出勤")
        ABSENT = "absent", _("缺勤")

    # Statuses that hold a slot and a place in the volunteer's calendar.
    HOLDING = (Status.CONFIRMED, Status.ATTENDED)

    volunteer = models.ForeignKey(Volunteer, models.CASCADE, related_name="assignments", verbose_name=_("志愿者"))
    role = models.ForeignKey(EventRole, models.CASCADE, related_name="assignments", verbose_name=_("岗位"))
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.INVITED)
    claimed_at = models.DateTimeField(_("认领/确认时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["role__event__starts_at", "role__sort_order", "volunteer__name"]
        constraints = [models.UniqueConstraint(fields=["volunteer", "role"], name="volunteers_assignment_one_per_role")]
        verbose_name = _("岗位安排")
        verbose_name_plural = _("岗位安排")

    def __str__(self):
        return f"{self.volunteer} · {self.role}"


class ServiceRecord(models.Model):
    """One volunteer's service at one event (or recorded by hand): the basis of hours and certificates."""

    volunteer = models.ForeignKey(Volunteer, models.PROTECT, related_name="records", verbose_name=_("志愿者"))
    event = models.ForeignKey(
        ServiceEvent, models.SET_NULL, null=True, blank=True, related_name="records", verbose_name=_("服务活动")
    )
    check_in = models.DateTimeField(_("签到时间"))
    check_out = models.DateTimeField(_("签退时间"))
    hours = models.DecimalField(_("服务时长（小时）"), max_digits=5, decimal_places=1)
    content = models.CharField(_("服务内容"), max_length=200)
    organisation = models.CharField(_("出具证明单位"), max_length=100)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="verified_service_records",
        verbose_name=_("核实人"),
    )
    certificate_number = models.CharField(_("证明编号"), max_length=32, unique=True)
    issued_on = models.DateField(_("出具日期"))
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        ordering = ["-check_in"]
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "event"],
                condition=models.Q(event__isnull=False),
                name="volunteers_record_one_per_event",
            ),
            models.CheckConstraint(
                condition=models.Q(check_out__gt=models.F("check_in")), name="volunteers_record_out_after_in"
            ),
        ]
        verbose_name = _("服务记录")
        verbose_name_plural = _("服务记录")

    def __str__(self):
        return f"{self.volunteer} · {self.check_in:%Y-%m-%d} · {self.hours}h"
