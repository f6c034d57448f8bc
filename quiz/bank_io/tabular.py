"""Spreadsheets (xlsx and csv) with the columns used in the field.

题型 | 题干 | 选项A … 选项F | 答案 | 解析 | 分类 | 难度 | 适用学段 | 出处

答案 holds letters ("A", "ABD", "A,B,D"); for a true/false question it may be
对/错, 正确/错误, √/× or T/F instead. 适用学段 is separated by 、 , ， ; or spaces.
Row numbers in reports are the spreadsheet's own (the header is row 1).
"""

import csv
import io
import re

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from ..validation import MAX_CHOICES, MULTIPLE, SINGLE, TRUE_FALSE
from .records import ParsedItem, QuestionRecord, excerpt

LETTERS = "ABCDEF"[:MAX_CHOICES]
OPTION_COLUMNS = [f"选项{letter}" for letter in LETTERS]
COLUMNS = ["题型", "题干", *OPTION_COLUMNS, "答案", "解析", "分类", "难度", "适用学段", "出处"]
REQUIRED_COLUMNS = ("题型", "题干", "答案")

TYPE_NAMES = {
    "单选": SINGLE,
    "单选题": SINGLE,
    "单项选择": SINGLE,
    "单项选择题": SINGLE,
    "single": SINGLE,
    "多选": MULTIPLE,
    "多选题": MULTIPLE,
    "多项选择": MULTIPLE,
    "多项选择题": MULTIPLE,
    "multiple": MULTIPLE,
    "判断": TRUE_FALSE,
    "判断题": TRUE_FALSE,
    "truefalse": TRUE_FALSE,
}
TYPE_LABELS = {SINGLE: "单选题", MULTIPLE: "多选题", TRUE_FALSE: "判断题"}
TRUE_WORDS = {"对", "正确", "√", "T", "TRUE", "是", "Y"}
FALSE_WORDS = {"错", "错误", "×", "X", "F", "FALSE", "否", "N"}
TRUE_FALSE_TEXTS = ("正确", "错误")
BAND_SEPARATORS = re.compile(r"[、,，;；/\s]+")
ANSWER_SEPARATORS = re.compile(r"[、,，;；\s]+")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_xlsx(data: bytes) -> list[ParsedItem]:
    """Parse the first worksheet of an xlsx file."""
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a file that is not xlsx
        return [ParsedItem(line=1, error=_("无法读取 xlsx 文件：%(error)s") % {"error": exc})]
    sheet = workbook.worksheets[0]
    rows = [[_cell(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return _read_rows(rows)


def read_csv(data: bytes) -> list[ParsedItem]:
    """Parse a csv file in UTF-8 (with or without BOM) or GB18030, as Excel on Chinese Windows saves it."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        return [ParsedItem(line=1, error=_("无法识别文件编码，请保存为 UTF-8。"))]
    rows = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]
    return _read_rows(rows)


def _read_rows(rows: list[list[str]]) -> list[ParsedItem]:
    if not rows:
        return [ParsedItem(line=1, error=_("文件是空的。"))]
    header = [name.replace(" ", "") for name in rows[0]]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        return [ParsedItem(line=1, error=_("缺少列：%(columns)s。") % {"columns": "、".join(missing)})]
    index = {name: header.index(name) for name in COLUMNS if name in header}
    items = []
    for number, row in enumerate(rows[1:], start=2):
        values = {name: (row[i] if i < len(row) else "") for name, i in index.items()}
        if not any(values.values()):
            continue  # blank rows between blocks are common in hand-made sheets
        items.append(_read_row(number, values))
    return items


def _read_row(number: int, values: dict) -> ParsedItem:
    label = excerpt(values.get("题干", ""))
    type_name = values.get("题型", "")
    question_type = TYPE_NAMES.get(type_name.replace(" ", "").lower()) or TYPE_NAMES.get(type_name)
    if question_type is None:
        return ParsedItem(line=number, label=label, error=_("未知题型「%(type)s」。") % {"type": type_name})
    options = [values.get(column, "") for column in OPTION_COLUMNS]
    while options and not options[-1]:
        options.pop()
    if "" in options:
        return ParsedItem(line=number, label=label, error=_("选项之间不能有空列。"))
    answer = values.get("答案", "").replace(" ", "")
    if not answer:
        return ParsedItem(line=number, label=label, error=_("缺少答案。"))
    if question_type == TRUE_FALSE:
        word = answer.upper()
        if not options:
            options = list(TRUE_FALSE_TEXTS)
        if word in TRUE_WORDS or word in FALSE_WORDS:
            wanted = TRUE_FALSE_TEXTS[0] if word in TRUE_WORDS else TRUE_FALSE_TEXTS[1]
            if wanted not in options:
                return ParsedItem(line=number, label=label, error=_("判断题的选项应为「正确」「错误」，或用字母作答。"))
            letters = [LETTERS[options.index(wanted)]]
        else:
            letters = _letters(answer)
    else:
        letters = _letters(answer)
    if letters is None:
        return ParsedItem(
            line=number, label=label, error=_("答案「%(answer)s」应为选项字母，如 A 或 ABD。") % {"answer": answer}
        )
    beyond = [letter for letter in letters if LETTERS.index(letter) >= len(options)]
    if beyond:
        return ParsedItem(
            line=number, label=label, error=_("答案 %(letters)s 没有对应的选项。") % {"letters": "".join(beyond)}
        )
    difficulty_text = values.get("难度", "")
    difficulty = None
    if difficulty_text:
        try:
            difficulty = int(difficulty_text)
        except ValueError:
            return ParsedItem(line=number, label=label, error=_("难度必须是 1 到 5 的整数。"))
    bands_text = values.get("适用学段", "")
    record = QuestionRecord(
        type=question_type,
        stem=values.get("题干", ""),
        choices=[(text, LETTERS[i] in letters) for i, text in enumerate(options)],
        explanation=values.get("解析", ""),
        source=values.get("出处", ""),
        category=values.get("分类", ""),
        difficulty=difficulty,
        bands=[band for band in BAND_SEPARATORS.split(bands_text) if band],
    )
    return ParsedItem(line=number, record=record, label=label)


def _letters(answer: str):
    letters = ANSWER_SEPARATORS.sub("", answer).upper()
    if not letters or any(letter not in LETTERS for letter in letters):
        return None
    return sorted(set(letters))


def question_row(question) -> list:
    """One spreadsheet row for a saved question (choices must be prefetched or cheap to load)."""
    choices = list(question.choices.all())
    options = [choice.text for choice in choices] + [""] * (MAX_CHOICES - len(choices))
    answer = "".join(LETTERS[i] for i, choice in enumerate(choices) if choice.is_correct)
    return [
        TYPE_LABELS[question.type],
        question.stem,
        *options[:MAX_CHOICES],
        answer,
        question.explanation,
        question.category.name,
        question.difficulty,
        "、".join(band.name for band in question.bands.all()),
        question.source,
    ]


def write_xlsx(questions, stream) -> None:
    """Write ``questions`` to ``stream`` in the import layout (so the file imports back unchanged)."""
    workbook = _workbook()
    sheet = workbook.active
    for question in questions:
        sheet.append(question_row(question))
    workbook.save(stream)


def template_xlsx(stream) -> None:
    """The downloadable template: the header, one example per type, and a sheet of instructions."""
    workbook = _workbook()
    sheet = workbook.active
    sheet.append(
        ["单选题", "我国的禁毒工作方针是（  ）。", "预防为主，综合治理", "打击为主", "以戒为主", "", "", "", "A",
         "见《禁毒法》第四条。", "禁毒方针政策", 2, "初中、高中职高", "《中华人民共和国禁毒法》第四条"]
    )  # fmt: skip
    sheet.append(
        ["多选题", "下列属于毒品的有（  ）。", "海洛因", "冰毒", "维生素C", "氯胺酮", "", "", "ABD",
         "海洛因、甲基苯丙胺（冰毒）、氯胺酮都是毒品。", "毒品知识", 2, "小学、初中", ""]
    )  # fmt: skip
    sheet.append(
        ["判断题", "吸毒一次不会成瘾。", "", "", "", "", "", "", "错", "毒品极易成瘾。", "毒品危害", 1, "小学", ""]
    )
    types = DataValidation(type="list", formula1='"单选题,多选题,判断题"', allow_blank=False)
    sheet.add_data_validation(types)
    types.add("A2:A1000")
    help_sheet = workbook.create_sheet("填写说明")
    for line in (
        "题型：单选题、多选题或判断题。",
        "选项A～选项F：按顺序填写，中间不能空列；判断题可不填选项。",
        "答案：填选项字母，如 A 或 ABD；判断题也可填 对/错 或 正确/错误。",
        "分类：题目分类名称，不存在时自动创建；难度：1～5。",
        "适用学段：小学、初中、高中职高、大学、社会，用 、 或 , 分隔。",
        "同一分类下题干相同的题目视为重复，不会重复导入。",
    ):
        help_sheet.append([line])
    help_sheet.column_dimensions["A"].width = 80
    workbook.save(stream)


def _workbook() -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "题库"
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center")
    widths = {"A": 10, "B": 48, "I": 8, "J": 40, "K": 14, "L": 6, "M": 22, "N": 30}
    for column in "CDEFGH":
        widths[column] = 18
    for column, width in widths.items():
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    return workbook
