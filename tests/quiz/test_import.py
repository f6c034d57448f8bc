"""Importing real files in every format: reports, atomicity, --skip-invalid, duplicates."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from quiz.bank_io.readers import guess_format, read_file
from quiz.models import Category, Question
from quiz.services import import_questions

from .factories import CategoryFactory, QuestionFactory

FILES = Path(__file__).parent / "files"
pytestmark = pytest.mark.django_db


def run_import(name, file_format=None, **options):
    data = (FILES / name).read_bytes() if isinstance(name, str) else name.read_bytes()
    file_format = file_format or guess_format(str(name), data)
    return import_questions(read_file(data, file_format), **options)


def rows_by_line(report):
    return {row.line: row for row in report.rows}


def snapshot(question):
    return {
        "category": question.category.name,
        "type": question.type,
        "stem": question.stem,
        "choices": [(choice.text, choice.is_correct) for choice in question.choices.all()],
        "explanation": question.explanation,
        "difficulty": question.difficulty,
        "bands": question.band_names(),
        "source": question.source,
    }


# GIFT -------------------------------------------------------------------------


def test_gift_file_with_every_feature():
    report = run_import("features.gift")
    rows = rows_by_line(report)
    assert report.invalid == 0
    assert report.imported == 11
    # Unsupported types are skipped with their line number, not fatal.
    assert rows[49].status == "skipped" and "第 49 行" in rows[49].reason and "简答" in rows[49].reason
    assert rows[51].status == "skipped" and "匹配题" in rows[51].reason
    assert rows[57].status == "skipped" and "数值题" in rows[57].reason
    assert rows[59].status == "skipped" and "问答题" in rows[59].reason

    # $CATEGORY: the last path segment, created when missing.
    drugs = Question.objects.filter(category__name="毒品知识")
    assert drugs.count() == 10
    campus = Category.objects.get(name="校园防毒")
    assert [q.stem for q in campus.questions.all()] == ["拒绝毒品要做到＿＿＿。"]

    # Names and per-answer feedback; the clearsky comment carries difficulty, bands and source.
    first = snapshot(Question.objects.get(stem__startswith="下列属于我国法律规定的毒品"))
    assert first == {
        "category": "毒品知识",
        "type": "single",
        "stem": "下列属于我国法律规定的毒品的是（  ）。",
        "choices": [("海洛因", True), ("咖啡", False), ("绿茶", False)],
        "explanation": "正确：海洛因是毒品。",
        "difficulty": 2,
        "bands": ["小学", "初中"],
        "source": "《中华人民共和国禁毒法》第二条",
    }
    # Weighted multiple answers, a [markdown] tag, general feedback (####) as the explanation.
    multiple = snapshot(Question.objects.get(type="multiple"))
    assert multiple["stem"] == "下列属于**合成毒品**的有（  ）。"
    assert multiple["choices"] == [("冰毒（甲基苯丙胺）", True), ("摇头丸", True), ("大麻", False), ("鸦片", False)]
    assert multiple["explanation"] == "冰毒和摇头丸属于合成毒品，大麻和鸦片属于传统毒品。"
    assert multiple["difficulty"] == 3  # no clearsky comment: the default

    # True/false in all four spellings.
    truth = {q.stem: [c.is_correct for c in q.choices.all()] for q in Question.objects.filter(type="truefalse")}
    assert truth == {
        "吸毒一次不会上瘾。": [False, True],
        "毒品会损害人的神经系统。": [True, False],
        "海洛因是从鸦片中提炼的。": [True, False],
        "吸毒是个人私事，与他人无关。": [False, True],
    }
    assert Question.objects.get(stem="毒品会损害人的神经系统。").explanation == "说得对"
    assert Question.objects.get(stem="海洛因是从鸦片中提炼的。").explanation.startswith("海洛因由吗啡")

    # Escaped control characters come back as plain text.
    escaped = snapshot(Question.objects.get(stem__startswith="比例写作"))
    assert escaped["stem"] == "比例写作 1:2，公式 a=b，符号 ~ # {x} 都是文字。"
    assert escaped["choices"] == [("正确写法: {保持}", True), ("错误写法 ~ 波浪", False)]

    # [html] becomes text; [plain] and [moodle] tags are stripped.
    assert Question.objects.filter(stem="下列说法正确的是<单选>（ ）。").exists()
    assert [c.text for c in Question.objects.get(stem__startswith="下列说法正确").choices.all()] == [
        "毒品危害健康",
        "吸毒可以减肥",
    ]
    assert Question.objects.filter(stem="纯文本格式的题目。").exists()
    assert Question.objects.filter(stem="Moodle 格式的题目。").exists()


def test_malformed_gift_reports_line_numbers_and_imports_nothing():
    before = Question.objects.count()
    report = run_import("malformed.gift")
    rows = rows_by_line(report)
    assert Question.objects.count() == before
    assert rows[4].status == "not_imported"  # valid, but the file is refused as a whole
    assert {line: row.status for line, row in rows.items() if line != 4} == dict.fromkeys(
        (6, 10, 12, 14, 16), "invalid"
    )
    assert "花括号" in rows[6].reason and "第 6 行" in rows[6].reason
    assert "名称缺少结尾" in rows[10].reason
    assert "没有正确答案" in rows[12].reason
    assert "应以 = 或 ~ 开头" in rows[14].reason
    assert "只能有一个答案部分" in rows[16].reason


def test_skip_invalid_imports_the_good_questions():
    report = run_import("malformed.gift", skip_invalid=True)
    assert report.imported == 1
    assert list(Question.objects.values_list("stem", flat=True)) == ["这一题是好的。"]


# Aiken ---------------------------------------------------------------------------


def test_aiken_file_with_default_category():
    report = run_import("sample.aiken", default_category="禁毒历史")
    assert report.imported == 3
    questions = {q.stem: snapshot(q) for q in Question.objects.all()}
    assert questions["国际禁毒日是每年的哪一天？"]["choices"][0] == ("6月26日", True)
    assert questions["国际禁毒日是每年的哪一天？"]["category"] == "禁毒历史"
    assert questions["下列哪些是毒品？"]["type"] == "multiple"
    assert questions["吸毒一次就会上瘾。"]["type"] == "truefalse"


def test_aiken_without_category_is_invalid():
    report = run_import("sample.aiken")
    assert report.invalid == 3
    assert all("缺少分类" in row.reason for row in report.rows)


def test_bad_aiken_reports_lines():
    report = run_import("bad.aiken", default_category="毒品知识")
    rows = rows_by_line(report)
    assert rows[1].status == "not_imported"
    assert rows[6].status == "invalid" and "D" in rows[6].reason
    assert rows[11].status == "invalid" and "缺少 ANSWER" in rows[11].reason
    assert Question.objects.count() == 0


# Spreadsheets ----------------------------------------------------------------------


def test_csv_with_bad_rows_imports_nothing_and_names_rows():
    report = run_import("with_bad_row.csv")
    rows = rows_by_line(report)
    assert Question.objects.count() == 0
    assert rows[4].status == "invalid" and "C" in rows[4].reason
    assert rows[6].status == "duplicate" and "第 2 行" in rows[6].reason
    assert rows[7].status == "invalid"
    assert "多选题至少需要两个正确选项" in rows[7].reason
    assert "难度必须是 1 到 5 的整数" in rows[7].reason
    assert "未知学段：中学" in rows[7].reason
    assert [rows[line].status for line in (2, 3, 5)] == ["not_imported"] * 3


def test_csv_skip_invalid():
    report = run_import("with_bad_row.csv", skip_invalid=True)
    assert report.imported == 3
    tf = Question.objects.get(type="truefalse")
    assert snapshot(tf)["choices"] == [("正确", True), ("错误", False)]
    assert snapshot(Question.objects.get(type="multiple"))["bands"] == ["初中", "高中职高"]


@pytest.fixture
def xlsx_file(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        [
            "题型",
            "题干",
            "选项A",
            "选项B",
            "选项C",
            "选项D",
            "选项E",
            "选项F",
            "答案",
            "解析",
            "分类",
            "难度",
            "适用学段",
        ]
    )
    sheet.append(
        ["单选题", "表格第一题", "甲", "乙", "丙", None, None, None, "B", "乙对。", "毒品知识", 2, "小学、初中"]
    )
    sheet.append(
        ["多选", "表格第二题", "甲", "乙", "丙", "丁", "戊", "己", "a、c、F", "", "毒品危害", 4.0, "大学,社会"]
    )
    sheet.append([None] * 13)  # blank rows are ignored
    sheet.append(["判断题", "表格第三题", None, None, None, None, None, None, "错误", "", "禁毒历史", None, ""])
    path = tmp_path / "bank.xlsx"
    workbook.save(path)
    return path


def test_xlsx_built_with_openpyxl(xlsx_file):
    report = run_import(xlsx_file)
    assert report.imported == 3
    assert [row.line for row in report.rows] == [2, 3, 5]
    second = snapshot(Question.objects.get(stem="表格第二题"))
    assert [c for c, ok in second["choices"] if ok] == ["甲", "丙", "己"]
    assert second["difficulty"] == 4 and second["bands"] == ["大学", "社会"]
    third = snapshot(Question.objects.get(stem="表格第三题"))
    assert third["choices"] == [("正确", False), ("错误", True)] and third["difficulty"] == 3


def test_spreadsheet_without_required_columns(tmp_path):
    path = tmp_path / "wrong.csv"
    path.write_text("题目,答案\n甲,A\n", encoding="utf-8")
    report = run_import(path)
    assert report.invalid == 1 and "缺少列" in report.rows[0].reason


# Duplicates, dry run, command -------------------------------------------------------


def test_duplicates_against_the_database_are_reported_not_imported():
    QuestionFactory(category=CategoryFactory(name="禁毒历史"), stem="CSV 第一题：国际禁毒日是（  ）。")
    report = run_import("with_bad_row.csv", skip_invalid=True)
    rows = rows_by_line(report)
    assert rows[2].status == "duplicate" and "题库中" in rows[2].reason
    assert rows[6].status == "duplicate"
    assert Question.objects.filter(stem="CSV 第一题：国际禁毒日是（  ）。").count() == 1


def test_same_stem_in_another_category_is_not_a_duplicate():
    QuestionFactory(category=CategoryFactory(name="毒品知识"), stem="CSV 第一题：国际禁毒日是（  ）。")
    report = run_import("with_bad_row.csv", skip_invalid=True)
    assert rows_by_line(report)[2].status == "imported"


def test_dry_run_writes_nothing():
    report = run_import("features.gift", dry_run=True)
    assert report.count("valid") == 11
    assert Question.objects.count() == 0


def test_import_command(capsys):
    call_command("import_questions", str(FILES / "sample.aiken"), "--category", "毒品知识", "--format", "aiken")
    assert Question.objects.count() == 3
    with pytest.raises(CommandError, match="nothing imported"):
        call_command("import_questions", str(FILES / "malformed.gift"))
    out = capsys.readouterr().out
    assert "第 12 行" in out
    assert Question.objects.count() == 3
    call_command("import_questions", str(FILES / "malformed.gift"), "--skip-invalid")
    assert Question.objects.count() == 4
    call_command("import_questions", str(FILES / "features.gift"), "--dry-run")
    assert Question.objects.count() == 4


def test_text_files_are_told_apart_by_their_content(tmp_path):
    gift = tmp_path / "bank.txt"
    gift.write_bytes((FILES / "features.gift").read_bytes())
    aiken = tmp_path / "other.txt"
    aiken.write_bytes((FILES / "sample.aiken").read_bytes())
    assert guess_format(gift.name, gift.read_bytes()) == "gift"
    assert guess_format(aiken.name, aiken.read_bytes()) == "aiken"
    assert guess_format("bank.xlsx", b"") == "xlsx" and guess_format("bank.csv", b"") == "csv"


def test_gift_export_of_true_false_worded_otherwise():
    from quiz.bank_io.gift import parse_gift, write_gift

    question = QuestionFactory(type="truefalse", stem="判断：吸毒违法。", choices=[("错", False), ("对", True)])
    record = parse_gift(write_gift([question]))[0].record
    assert record.choices == [("正确", True), ("错误", False)]
