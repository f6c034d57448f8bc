"""Demo content: teams of every type in two districts, 60 volunteers, past events with hours,
and one upcoming 6·26 event with open slots. Safe to run again (keyed by names and phones)."""

import datetime
import random

from django.utils import timezone

from accounts.demo import DEMO_PASSWORD, ensure_user
from accounts.models import User
from campaigns.schools.models import District

from . import services
from .models import Assignment, EventRole, ServiceEvent, Skill, Team, Volunteer
from .permissions import ensure_role_permissions

SKILLS = ["宣讲", "文艺", "摄影", "心理咨询", "法律", "引导"]
DISTRICTS = [("冷水滩区", "431103"), ("零陵区", "431102")]
TEAM_NAMES = {
    Team.Kind.MOTHERS: "{d}禁毒妈妈队",
    Team.Kind.LECTURERS: "{d}禁毒讲师团",
    Team.Kind.COMMUNITY: "{d}社区禁毒志愿队",
    Team.Kind.YOUTH: "{d}青年禁毒志愿者队",
    Team.Kind.OTHER: "{d}禁毒文艺宣传队",
}
SURNAMES = "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗唐蒋邓"
GIVEN = [
    "秀英",
    "桂芳",
    "丽华",
    "建国",
    "志强",
    "海燕",
    "晓红",
    "文静",
    "春梅",
    "国平",
    "小军",
    "婷婷",
    "子豪",
    "欣怡",
    "雨涵",
]
PAST_EVENTS = [
    ("开学第一课禁毒宣讲", datetime.date(2026, 3, 2), "冷水滩区", "梅湾中学报告厅"),
    ("“6·26”国际禁毒日广场宣传", datetime.date(2026, 6, 26), "冷水滩区", "零陵北路步行街"),
    ("禁毒宣传进社区", datetime.date(2026, 5, 16), "零陵区", "朝阳街道潇湘社区"),
    ("禁毒知识进企业", datetime.date(2026, 9, 19), "零陵区", "永州经开区园区广场"),
    ("禁毒宣传进家庭入户走访", datetime.date(2026, 10, 24), "冷水滩区", "河东街道各小区"),
]
UPCOMING_TITLE = "2027年“6·26”国际禁毒日集中宣传志愿服务"


def _aware(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def seed(out):
    ensure_role_permissions()
    skills = {name: Skill.objects.get_or_create(name=name, defaults={"order": i})[0] for i, name in enumerate(SKILLS)}
    districts = {}
    for name, code in DISTRICTS:
        districts[name] = District.objects.filter(name=name).first() or District.objects.create(name=name, code=code)
    leader = User.objects.filter(username="leader").first()
    teams = []
    for district in districts.values():
        for kind, pattern in TEAM_NAMES.items():
            team, _ = Team.objects.get_or_create(
                name=pattern.format(d=district.name),
                defaults={"kind": kind, "district": district, "description": f"{district.name}{kind.label}"},
            )
            teams.append(team)
    led = teams[0]  # 冷水滩区禁毒妈妈队
    if leader is not None:
        led.leader = leader
        led.save(update_fields=["leader"])

    rng = random.Random(626)  # noqa: S311 - reproducible demo data, not secrets
    volunteers = []
    for n in range(60):
        name = SURNAMES[n % len(SURNAMES)] + GIVEN[(n * 7) % len(GIVEN)]
        phone = f"13{n % 10}{7310000 + n * 137:07d}{n % 10}"[:11]
        team = teams[n % len(teams)]
        status = Volunteer.Status.APPLIED if n >= 57 else Volunteer.Status.ACTIVE
        volunteer, created = Volunteer.objects.get_or_create(
            phone=phone,
            defaults={
                "name": name,
                "gender": Volunteer.Gender.FEMALE if team.kind == Team.Kind.MOTHERS or n % 2 else Volunteer.Gender.MALE,
                "birth_year": rng.randint(1962, 2004),
                "id_last4": f"{rng.randint(0, 999):03d}{rng.choice('0123456789X')}",
                "team": team,
                "availability": sorted(rng.sample(["weekday", "weekend", "evening"], rng.randint(1, 3))),
                "status": status,
                "joined_on": datetime.date(2025, 1 + n % 12, 1 + n % 27) if status == Volunteer.Status.ACTIVE else None,
                "consent_at": timezone.now(),
            },
        )
        if created:
            volunteer.skills.set(rng.sample(list(skills.values()), rng.randint(1, 3)))
        volunteers.append(volunteer)

    first = volunteers[0]
    login = ensure_user("volunteer1", DEMO_PASSWORD, display_name=first.name, phone=first.phone)
    if first.user_id != login.pk:
        first.user = login
        first.save(update_fields=["user"])
    out.login("志愿者 Volunteer", "volunteer1", DEMO_PASSWORD)

    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    active = [v for v in volunteers if v.status == Volunteer.Status.ACTIVE]
    made = 0
    for index, (title, day, district_name, place) in enumerate(PAST_EVENTS):
        district = districts[district_name]
        event, created = ServiceEvent.objects.get_or_create(
            title=title,
            starts_at=_aware(day, 13, 30),
            defaults={
                "district": district,
                "ends_at": _aware(day, 16, 30),
                "place": place,
                "status": ServiceEvent.Status.FINISHED,
                "team": led if index % 2 == 0 else None,
                "description": f"{title}：发放宣传资料、讲解毒品危害、组织禁毒宣誓。",
            },
        )
        if created:
            EventRole.objects.bulk_create(
                [
                    EventRole(event=event, name=n, slots=s, sort_order=i)
                    for i, (n, s) in enumerate([("宣讲员", 4), ("摄影", 2), ("引导", 6)])
                ]
            )
        if event.records.exists():
            continue  # staffed on an earlier run
        # Each event draws its own people, so a second run picks the same ones whatever else changed.
        picker = random.Random(index)  # noqa: S311 - reproducible demo data
        local = [v for v in active if v.team.district_id == district.pk]
        for role, volunteer in zip(
            [r for r in event.roles.all() for _ in range(r.slots)],
            picker.sample(local, min(12, len(local))),
            strict=False,
        ):
            Assignment.objects.get_or_create(
                volunteer=volunteer, role=role, defaults={"status": Assignment.Status.ATTENDED}
            )
            leave = picker.choice([15, 30, 45, 50, 60])  # realistic check-outs: 13:30-15:45 -> 2.2 h
            services.add_record(
                volunteer=volunteer,
                event=event,
                check_in=_aware(day, 13, 30),
                check_out=_aware(day, 15, 0) + datetime.timedelta(minutes=leave),
                content=f"{title} · {role.name}",
                organisation=event.issuer,
                by=admin,
            )
            made += 1

    today = timezone.localdate()
    next_626 = datetime.date(today.year + (today >= datetime.date(today.year, 6, 26)), 6, 26)
    upcoming, created = ServiceEvent.objects.get_or_create(
        title=UPCOMING_TITLE,
        defaults={
            "district": districts["冷水滩区"],
            "team": led,
            "place": "冷水滩区潇湘广场",
            "starts_at": _aware(next_626, 9, 0),
            "ends_at": _aware(next_626, 12, 0),
            "status": ServiceEvent.Status.OPEN,
            "description": "国际禁毒日主题宣传：禁毒知识展板讲解、互动答题、禁毒宣誓签名。欢迎认领岗位。",
        },
    )
    if created:
        roles_made = EventRole.objects.bulk_create(
            [
                EventRole(event=upcoming, name="宣讲员", slots=4, sort_order=0),
                EventRole(event=upcoming, name="摄影", slots=2, sort_order=1),
                EventRole(event=upcoming, name="引导", slots=6, sort_order=2),
            ]
        )
        for volunteer in [v for v in active if v.team_id == led.pk][1:3]:
            services.claim_slot(volunteer=volunteer, role=roles_made[2])
    out.step(
        f"volunteers: {len(teams)} teams, {len(volunteers)} volunteers, {len(PAST_EVENTS)} past events "
        f"({made} new service records), upcoming {UPCOMING_TITLE}; leader → {led.name}"
    )
