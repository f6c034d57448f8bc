"""Demo schools and a realistic five-ones ledger (idempotent).

Two districts of Yongzhou, six schools, their classes this school year, a
teacher per class, a school admin per school, three student class accounts
in teacher1's class, the ``office`` user placed in 冷水滩区 and a city-wide
``city`` user. Records go through the real services
(photo pipeline included), so the demo shows exactly what teachers produce.
"""

import datetime
import io
import random

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from accounts import roles
from accounts.demo import DEMO_PASSWORD, ensure_user
from accounts.models import User
from config.imaging import cjk_font as _font

from . import services
from .models import (
    ActivityRecord,
    District,
    DistrictStaff,
    School,
    SchoolClass,
    StudentProfile,
    TeacherProfile,
    current_school_year,
    school_year_bounds,
)
from .permissions import ensure_role_permissions

L = School.Level
DISTRICTS = [("冷水滩区", "431103", 1), ("零陵区", "431102", 2)]
# (district, school, level, demonstration, classes as (grade, name, students))
SCHOOLS = [
    (
        "冷水滩区",
        "冷水滩区梅湾小学",
        L.PRIMARY,
        School.Demonstration.CITY,
        [(5, "五年级1班", 42), (5, "五年级2班", 40), (6, "六年级1班", 44)],
    ),
    ("冷水滩区", "冷水滩区京华中学", L.JUNIOR, "", [(7, "七年级3班", 48), (8, "八年级1班", 50)]),
    ("冷水滩区", "永州市第四中学", L.SENIOR, School.Demonstration.PROVINCE, [(10, "高一2班", 52), (11, "高二5班", 50)]),
    ("零陵区", "零陵区柳子小学", L.PRIMARY, "", [(4, "四年级2班", 38), (5, "五年级3班", 41)]),
    (
        "零陵区",
        "零陵区东山中学",
        L.JUNIOR,
        School.Demonstration.CITY,
        [(7, "七年级1班", 46), (9, "九年级2班", 47), (8, "八年级4班", 45)],
    ),
    ("零陵区", "永州市第一中学", L.SENIOR, School.Demonstration.NATIONAL, [(10, "高一7班", 55), (12, "高三1班", 53)]),
]
# Class accounts of teacher1's class (梅湾小学 五年级1班), as a teacher would create them on the desk.
STUDENTS = [("student1", "张小明"), ("student2", "李思琪"), ("student3", "王浩然")]
SURNAMES = "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗"
GIVEN = [
    "丽华",
    "建国",
    "晓燕",
    "志强",
    "海燕",
    "文静",
    "国平",
    "红梅",
    "卫东",
    "秀英",
    "春生",
    "小兰",
    "德明",
    "玉兰",
    "永红",
]
COLOURS = [(11, 79, 138), (31, 138, 91), (217, 142, 4), (192, 57, 43), (94, 53, 177), (0, 121, 140)]
RETURN_REASONS = [
    "照片看不清活动现场，请补充一张全班参与的照片。",
    "参与人数与签到表不一致，请核对后重新提交。",
    "活动简述过于简单，请写明时间、地点和形式。",
]


def _photo(title: str, subtitle: str, colour, index: int) -> SimpleUploadedFile:
    """A coloured placeholder photo with the activity written on it."""
    image = Image.new("RGB", (1200, 900), colour)
    draw = ImageDraw.Draw(image)
    for i in range(0, 1200, 60):  # a little texture so it reads as a photo placeholder
        draw.line([(i, 900), (i + 300, 0)], fill=tuple(min(255, c + 18) for c in colour), width=8)
    draw.rounded_rectangle([80, 300, 1120, 620], radius=36, fill=(255, 255, 255))
    draw.text((600, 410), title, fill=colour, font=_font(58), anchor="mm")
    draw.text((600, 520), f"{subtitle} · 照片 {index}", fill=(60, 60, 60), font=_font(40), anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return SimpleUploadedFile(f"photo-{index}.jpg", buffer.getvalue(), content_type="image/jpeg")


def _sheet(name: str) -> SimpleUploadedFile:
    image = Image.new("RGB", (600, 800), "white")
    ImageDraw.Draw(image).text((40, 40), name, fill="black", font=_font(36))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return SimpleUploadedFile(f"{name}.png", buffer.getvalue(), content_type="image/png")


def _teacher(username: str, name: str, school: School, extra_roles=(), printed=False):
    if printed:
        user = ensure_user(username, DEMO_PASSWORD, display_name=name, groups=[roles.TEACHER, *extra_roles])
    else:
        user = _quiet_user(username, name, [roles.TEACHER, *extra_roles])
    profile, _ = TeacherProfile.objects.get_or_create(user=user, defaults={"school": school})
    if profile.school_id != school.pk:
        profile.school = school
        profile.save()
    return user, profile


_demo_hash = None


def _quiet_user(username, name, groups):
    """A demo user whose login is not printed: hashing once keeps seed_demo fast on PBKDF2."""
    global _demo_hash
    user = User.objects.filter(username=username).first()
    if user is None:
        if _demo_hash is None:
            _demo_hash = make_password(DEMO_PASSWORD)
        user = User.objects.create(username=username, display_name=name, password=_demo_hash)
    user.groups.add(*Group.objects.filter(name__in=groups))
    return user


def seed(out):
    ensure_role_permissions()
    school_year = current_school_year()
    activities = services.load_activity_set(school_year, "2021")
    districts = {}
    for name, code, order in DISTRICTS:
        districts[name], _ = District.objects.update_or_create(code=code, defaults={"name": name, "order": order})

    rng = random.Random(626)  # noqa: S311 - demo spread, the same on every run
    teacher_no = 0
    classes = []
    admins = {}
    for school_no, (district, name, level, demo_level, class_rows) in enumerate(SCHOOLS, 1):
        school, _ = School.objects.update_or_create(
            district=districts[district],
            name=name,
            defaults={
                "level": level,
                "demonstration": demo_level,
                "address": f"永州市{district}{name[-4:]}路{school_no * 17}号",
                "contact_name": SURNAMES[school_no] + "老师",
                "contact_phone": f"0746-83{school_no:02d}626",
            },
        )
        admin, _ = _teacher(
            f"schooladmin{school_no}", f"{SURNAMES[school_no + 6]}校长", school, [roles.SCHOOL_ADMIN], school_no == 1
        )
        admins[school.pk] = admin
        for grade, class_name, students in class_rows:
            teacher_no += 1
            teacher, profile = _teacher(
                f"teacher{teacher_no}",
                SURNAMES[teacher_no % len(SURNAMES)] + GIVEN[teacher_no % len(GIVEN)],
                school,
                printed=teacher_no == 1,
            )
            klass, _ = SchoolClass.objects.update_or_create(
                school=school,
                school_year=school_year,
                name=class_name,
                defaults={"grade": grade, "student_count": students, "head_teacher": teacher},
            )
            profile.classes.add(klass)
            classes.append((klass, teacher))

    office = User.objects.filter(username="office").first()
    if office is not None:
        DistrictStaff.objects.update_or_create(user=office, defaults={"district": districts["冷水滩区"]})
    city = ensure_user("city", DEMO_PASSWORD, display_name="市禁毒办 孙科长", groups=[roles.DISTRICT_ADMIN])
    DistrictStaff.objects.update_or_create(user=city, defaults={"district": None})

    first_class, first_teacher = classes[0]
    for username, name in STUDENTS:
        student = _quiet_user(username, name, [roles.STUDENT])
        StudentProfile.objects.update_or_create(
            user=student, defaults={"school_class": first_class, "created_by": first_teacher}
        )

    made = _seed_records(classes, activities, admins, school_year, rng)
    out.step(
        f"schools: {len(DISTRICTS)} districts, {len(SCHOOLS)} schools, {len(classes)} classes ({school_year}), "
        f"{len(activities)} activity types, {made} new records; office → 冷水滩区"
    )
    out.login("教师 Teacher（冷水滩区梅湾小学）", "teacher1", DEMO_PASSWORD)
    out.login("学校管理员 School admin（冷水滩区梅湾小学）", "schooladmin1", DEMO_PASSWORD)
    out.login(f"学生 Student（{first_class}，另有 student2、student3）", STUDENTS[0][0], DEMO_PASSWORD)
    out.login("市禁毒办 City staff（全市）", "city", DEMO_PASSWORD)


def _seed_records(classes, activities, admins, school_year, rng) -> int:
    start, _end = school_year_bounds(school_year)
    today = timezone.localdate()
    span = max(1, (today - start).days)
    made = 0
    for klass, teacher in classes:
        colour = COLOURS[klass.pk % len(COLOURS)]
        for activity in activities:
            # Draw every number first: the spread must not depend on what exists already.
            roll, when, absent, reason = (
                rng.random(),
                rng.uniform(0.15, 0.95),
                rng.randint(0, 3),
                rng.choice(RETURN_REASONS),
            )
            if roll > 0.72 or ActivityRecord.objects.filter(school_class=klass, activity=activity).exists():
                continue
            day = start + datetime.timedelta(days=int(span * when))
            photos = [_photo(activity.name[4:], klass.name, colour, i) for i in range(1, activity.min_photos + 1)]
            files = []
            if activity.requires_sample_works:
                files.append(("sample_work", _sheet("学生作品")))
            if activity.requires_sign_in_sheet:
                files.append(("sign_in_sheet", _sheet("签到表")))
            record = services.submit_record(
                user=teacher,
                school_class=klass,
                activity=activity,
                evidence=services.Evidence(
                    date=min(day, today),
                    participants=klass.student_count - absent,
                    description=f"{activity.name}：班主任组织，全班参与，效果良好。",
                    photos=photos,
                    files=files,
                ),
            )
            made += 1
            reviewer = admins[klass.school_id]
            if roll < 0.5:
                services.approve(user=reviewer, record=record)
            elif roll < 0.6:
                services.return_with_reason(user=reviewer, record=record, reason=reason)
    return made
