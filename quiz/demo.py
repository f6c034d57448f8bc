"""Demo content: the seed question bank (quiz/data/seed_bank.json, 399 questions) and an open challenge."""

from pathlib import Path

from .bank_io.jsonbank import read_bank_json
from .services import import_questions

SEED_BANK = Path(__file__).resolve().parent / "data" / "seed_bank.json"


def seed(out):
    # Through the importer, so duplicates (stem + category) are skipped: safe to run again.
    report = import_questions(read_bank_json(SEED_BANK))
    if report.invalid:
        bad = "; ".join(f"#{row.line}: {row.reason}" for row in report.rows if row.status == "invalid")
        raise RuntimeError(f"seed bank has invalid questions: {bad}")
    out.step(f"quiz: question bank ({report.imported} new, {report.summary()['duplicate']} already present)")
    seed_challenge(out)


CHALLENGE_SLUG = "626-challenge"
GROUP_RULES = (  # name, band, questions, seconds
    ("小学", "小学", 10, 600),
    ("初中", "初中", 20, 600),
    ("高中/职高", "高中职高", 20, 600),
    ("社会", "社会", 20, 600),
)
GROUP_OF_LEVEL = {"primary": "小学", "junior": "初中", "senior": "高中/职高", "vocational": "高中/职高"}
DEMO_NAMES = ("王小雨", "李思远", "张子涵", "刘一鸣", "陈佳怡", "杨浩然",
              "赵雨桐", "黄梓轩", "周欣然", "吴宇航", "徐诗琪", "孙嘉乐")  # fmt: skip


def seed_challenge(out):
    """One open challenge (6·26 全民禁毒知识挑战赛) with results spread over the demo schools' last days."""
    import datetime
    import random

    from django.utils import timezone

    from campaigns.schools.models import SchoolClass

    from .models import Challenge, ChallengeGroup, Choice
    from .services import challenge as svc

    now = timezone.now()
    challenge, _created = Challenge.objects.get_or_create(
        slug=CHALLENGE_SLUG,
        defaults={
            "title": "6·26 全民禁毒知识挑战赛",
            "rules_text": "全市中小学生和社会公众均可参加。每人每天可正式答题 1 次，取最高成绩排名；"
            "练习模式不限次数、不计成绩。",
            "starts_at": now - datetime.timedelta(days=4),
            "ends_at": now + datetime.timedelta(days=30),
            "is_published": True,
        },
    )
    if challenge.ends_at <= now + datetime.timedelta(days=1):  # keep the demo open when seeded again later
        challenge.ends_at = now + datetime.timedelta(days=30)
        challenge.save(update_fields=["ends_at"])
    for order, (name, band, count, seconds) in enumerate(GROUP_RULES):
        ChallengeGroup.objects.get_or_create(
            challenge=challenge,
            name=name,
            defaults={"band": band, "question_count": count, "seconds": seconds, "order": order},
        )
    _show_on_campaign_page(challenge, out)
    if challenge.participants.exists():
        out.step("quiz: challenge 6·26 全民禁毒知识挑战赛 already present")
        return
    rng = random.Random(626)  # noqa: S311 - demo data, reproducible
    groups = {g.name: g for g in challenge.groups.all()}
    correct = {}
    for qid, cid in Choice.objects.filter(is_correct=True).values_list("question_id", "id"):
        correct.setdefault(qid, []).append(cid)
    made = 0
    for klass in SchoolClass.objects.select_related("school__district").order_by("pk"):
        group = groups.get(GROUP_OF_LEVEL.get(klass.school.level))
        if group is None:
            continue
        for n in range(rng.randint(2, 4)):
            name = DEMO_NAMES[(klass.pk * 5 + n) % len(DEMO_NAMES)]
            participant = svc.register(
                challenge,
                svc.Registration(
                    name=name, group=group, district=klass.school.district, school=klass.school,
                    school_class=klass, is_under_14=group.name == "小学", guardian_name="家长",
                    guardian_consent=True,
                ),
            )  # fmt: skip
            started = now - datetime.timedelta(days=rng.randint(0, 3), hours=rng.randint(1, 8))
            started = max(started, challenge.starts_at + datetime.timedelta(minutes=5))
            attempt, _resumed = svc.start_attempt(participant, now=started)
            skill = rng.random()
            for index, item in enumerate(attempt.paper):
                right_ids = correct.get(item["question_id"], [])
                wrong_ids = [c for c in item["choice_ids"] if c not in right_ids][:1]
                pick = right_ids if rng.random() < 0.45 + skill * 0.55 or not wrong_ids else wrong_ids
                svc.save_answer(
                    attempt.pk,
                    index,
                    pick or item["choice_ids"][:1],
                    now=started + datetime.timedelta(seconds=8 * index + 5),
                )
            svc.submit(
                attempt.pk, now=started + datetime.timedelta(seconds=8 * len(attempt.paper) + rng.randint(5, 60))
            )
            made += 1
    out.step(f"quiz: challenge 6·26 全民禁毒知识挑战赛 with {made} demo participants")


def _show_on_campaign_page(challenge, out):
    """The pages seeder ran before the challenge existed: put the challenge's block on the 6·26 campaign page."""
    from campaigns.pages.demo import seed_challenge_block

    if seed_challenge_block(challenge):
        out.step("quiz: the 6·26 campaign page shows the challenge and its live board")
