"""Export then import into an empty bank gives back the same questions; the seed bank loads once."""

import pytest
from django.core.management import call_command

from quiz import demo
from quiz.models import Question
from quiz.services import import_questions

from .factories import CategoryFactory, QuestionFactory
from .test_import import snapshot

pytestmark = pytest.mark.django_db


class Out:
    def __init__(self):
        self.steps = []

    def step(self, text):
        self.steps.append(text)

    def login(self, *args):
        pass


def bank():
    return sorted((snapshot(q) for q in Question.objects.all()), key=lambda s: (s["category"], s["stem"]))


def test_seed_bank_loads_399_questions_and_is_idempotent():
    demo.seed(Out())
    assert Question.objects.count() == 399
    assert set(Question.objects.values_list("type", flat=True)) == {"single", "multiple", "truefalse"}
    assert Question.objects.filter(bands__name="小学").exists()
    out = Out()
    demo.seed(out)
    assert Question.objects.count() == 399
    assert "0 new, 399 already present" in out.steps[0]


def tricky_questions():
    laws = CategoryFactory(name="禁毒法律法规")
    QuestionFactory(
        category=laws,
        stem="含控制字符的题干：a=b {c} ~d #e 1:2 反斜杠\\ 结束",
        explanation="解析里也有 = 和 # 以及 {}。",
        source="《禁毒法》第 2 条 = 出处",
        difficulty=5,
        choices=[("选项=1", True), ("选项#2", False), ("选项{3}", False)],
    )
    question = QuestionFactory(
        category=laws, type="multiple", stem="三个正确答案的多选题", explanation="", choices=[
            ("甲", True), ("乙", True), ("丙", True), ("丁", False), ("戊", False), ("己", False)
        ],
    )  # fmt: skip
    question.bands.set([])
    tf = QuestionFactory(
        category=CategoryFactory(name="6·27工程"), type="truefalse", stem="判断题，无解析。", explanation="",
        choices=[("正确", False), ("错误", True)],
    )  # fmt: skip
    from quiz.services import ensure_bank_lookups

    ensure_bank_lookups()
    from quiz.models import AudienceBand

    tf.bands.set(AudienceBand.objects.filter(name__in=["小学", "社会"]))
    tf.save()


@pytest.mark.parametrize("file_format", ["xlsx", "gift"])
def test_export_then_import_into_an_empty_bank_preserves_questions(file_format, tmp_path):
    demo.seed(Out())
    tricky_questions()
    before = bank()
    path = tmp_path / f"bank.{file_format}"
    call_command("export_questions", "--format", file_format, "--output", str(path))
    Question.objects.all().delete()
    call_command("import_questions", str(path))
    after = bank()
    assert len(after) == 402
    assert after == before


def test_export_filters_by_category(tmp_path):
    demo.seed(Out())
    path = tmp_path / "laws.gift"
    call_command("export_questions", "--format", "gift", "--output", str(path), "--category", "禁毒法律法规")
    text = path.read_text(encoding="utf-8")
    assert text.count("$CATEGORY:") == 1 and "$CATEGORY: 禁毒法律法规" in text
    Question.objects.all().delete()
    report = import_questions_from(path)
    assert report.imported == 49


def import_questions_from(path):
    from quiz.bank_io.readers import read_file

    return import_questions(read_file(path.read_bytes(), "gift"))
