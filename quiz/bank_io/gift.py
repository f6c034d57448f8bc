"""Moodle GIFT: read multiple choice, multiple answers and true/false; write the same back.

Read from the format's rules (questions separated by blank lines, answers in
``{…}``, ``=`` right and ``~`` wrong, ``%n%`` weights, ``#`` feedback,
``####`` general feedback, ``::name::``, ``[html]`` style format tags, ``//``
comment lines, ``$CATEGORY:`` lines and ``\\`` escapes for ``~ = # { } :``).
Short answer, matching, numerical, essay and description items are reported
as skipped with their line number. Difficulty, bands and source travel in a
``// clearsky: difficulty=2 bands=小学,初中 source=…`` comment before the question.
"""

import html
import re

from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from ..validation import MULTIPLE, SINGLE, TRUE_FALSE
from .records import ParsedItem, QuestionRecord, excerpt

# Escaped characters become private-use code points while parsing, so every
# special character left in the text is a real control character.
ESCAPES = {"~": "\ue001", "=": "\ue002", "#": "\ue003", "{": "\ue004", "}": "\ue005", ":": "\ue006", "\\": "\ue007"}
UNESCAPES = {placeholder: char for char, placeholder in ESCAPES.items()}
FORMAT_TAG = re.compile(r"^\s*\[(html|markdown|plain|moodle)\]", re.IGNORECASE)
WEIGHT = re.compile(r"^\s*%(-?\d+(?:\.\d+)?)%")
META = re.compile(r"^//\s*clearsky:(.*)$")
TRUE_FALSE_WORDS = {"T": True, "TRUE": True, "F": False, "FALSE": False}
TRUE_FALSE_TEXTS = ("正确", "错误")
TRUE_WORDS_ZH = {"正确", "对", "是", "√"}
FALSE_WORDS_ZH = {"错误", "错", "否", "×"}


def _escape_placeholders(text: str) -> str:
    def replace(match):
        char = match.group(1)
        if char == "n":
            return "\n"
        return ESCAPES.get(char, "\\" + char)

    return re.sub(r"\\(.)", replace, text, flags=re.DOTALL)


def _restore(text: str) -> str:
    return "".join(UNESCAPES.get(char, char) for char in text)


def _plain(text: str, text_format: str) -> str:
    """Text of one piece: its own format tag stripped, HTML turned into text, escapes restored."""
    match = FORMAT_TAG.match(text)
    if match:
        text_format = match.group(1).lower()
        text = text[match.end() :]
    if text_format == "html":
        text = re.sub(r"(?i)<br\s*/?>|</p>", "\n", text)
        text = html.unescape(strip_tags(text))
        text = "\n".join(" ".join(line.split()) for line in text.splitlines())
    return _restore(text).strip()


def _meta(comment: str) -> dict:
    body = META.match(comment).group(1)
    meta = {}
    difficulty = re.search(r"\bdifficulty=(\d+)", body)
    if difficulty:
        meta["difficulty"] = int(difficulty.group(1))
    bands = re.search(r"\bbands=(\S*)", body)
    if bands:
        meta["bands"] = [band for band in bands.group(1).split(",") if band]
    source = re.search(r"\bsource=(.*)$", body)
    if source:
        meta["source"] = source.group(1).strip()
    return meta


def parse_gift(text: str) -> list[ParsedItem]:
    """Parse GIFT text into one item per question block (line = the block's first line)."""
    items = []
    category = ""
    meta = {}
    block: list[tuple[int, str]] = []
    depth = 0

    def flush():
        nonlocal block, meta, depth
        if block:
            items.append(_parse_block(block, category, meta, unclosed=depth > 0))
            meta = {}  # a clearsky comment belongs to the one question after it
        block, depth = [], 0

    for number, raw in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        stripped = raw.strip()
        if stripped.startswith("//"):
            if META.match(stripped):
                meta = _meta(stripped)
            continue
        if not stripped:  # a blank line always ends a question, as in Moodle
            flush()
            continue
        if stripped.startswith("$CATEGORY:"):
            flush()
            path = _restore(_escape_placeholders(stripped[len("$CATEGORY:") :]))
            segments = [segment.strip() for segment in path.split("/") if segment.strip()]
            category = segments[-1] if segments else ""
            continue
        block.append((number, raw))
        unescaped = _escape_placeholders(raw)
        depth += unescaped.count("{") - unescaped.count("}")
    flush()
    return items


def _parse_block(block, category, meta, unclosed) -> ParsedItem:
    line = block[0][0]
    text = _escape_placeholders("\n".join(raw for _number, raw in block))
    label = excerpt(_restore(text))

    def error(message):
        return ParsedItem(line=line, error=message, label=label)

    def skip(message):
        return ParsedItem(line=line, skip_reason=message, label=label)

    body = text.strip()
    name = ""
    if body.startswith("::"):
        end = body.find("::", 2)
        if end == -1:
            return error(_("第 %(line)s 行：题目名称缺少结尾的 ::。") % {"line": line})
        name = _restore(body[2:end]).strip()
        body = body[end + 2 :]
        label = excerpt(name) or label
    if unclosed or body.count("{") != body.count("}"):
        return error(_("第 %(line)s 行：花括号 { } 不成对（文字中的 { } 要写成 \\{ \\}）。") % {"line": line})
    if "{" not in body:
        return skip(_("第 %(line)s 行：没有答案部分 {…}（说明文字），已跳过。") % {"line": line})
    if body.count("{") > 1:
        return error(_("第 %(line)s 行：一道题只能有一个答案部分 {…}。") % {"line": line})
    opening = body.index("{")
    closing = body.index("}")
    if closing < opening:
        return error(_("第 %(line)s 行：} 出现在 { 之前。") % {"line": line})
    text_format = "moodle"
    before = body[:opening]
    match = FORMAT_TAG.match(before)
    if match:
        text_format = match.group(1).lower()
        before = before[match.end() :]
    after = body[closing + 1 :]
    stem = _plain(before, text_format)
    if after.strip():  # "missing word" style: the answers fill a blank inside the sentence
        stem = f"{stem}＿＿＿{_plain(after, text_format)}"
    if not stem:
        stem = name
    label = excerpt(stem) or label
    answers = body[opening + 1 : closing]
    answers, _sep, general = answers.partition("####")
    explanation = _plain(general, text_format)
    answers_stripped = answers.strip()

    if not answers_stripped:
        return skip(_("第 %(line)s 行：问答题（{}）不受支持，已跳过。") % {"line": line})
    if answers_stripped.startswith("#"):
        return skip(_("第 %(line)s 行：数值题（{#…}）不受支持，已跳过。") % {"line": line})
    if "->" in answers:
        return skip(_("第 %(line)s 行：匹配题（->）不受支持，已跳过。") % {"line": line})

    head, *feedback = answers_stripped.split("#")
    word = head.strip().upper()
    if word in TRUE_FALSE_WORDS and "=" not in answers and "~" not in answers:
        value = TRUE_FALSE_WORDS[word]
        # {T#feedback for a wrong answer#feedback for a right one}
        right_feedback = _plain(feedback[1], text_format) if len(feedback) > 1 else ""
        record = QuestionRecord(
            type=TRUE_FALSE,
            stem=stem,
            choices=[(TRUE_FALSE_TEXTS[0], value), (TRUE_FALSE_TEXTS[1], not value)],
            explanation=explanation or right_feedback,
            category=category,
            **meta,
        )
        return ParsedItem(line=line, record=record, label=label)

    leading = re.match(r"^[^=~]*", answers).group(0)
    if leading.strip():
        return error(
            _("第 %(line)s 行：答案部分应以 = 或 ~ 开头，却是「%(text)s」。")
            % {"line": line, "text": _restore(leading.strip())}
        )
    tokens = re.findall(r"([=~])([^=~]*)", answers)
    if all(marker == "=" for marker, _body in tokens):
        return skip(_("第 %(line)s 行：填空（简答）题只有 = 答案，不受支持，已跳过。") % {"line": line})
    choices = []
    correct_feedback = ""
    for marker, answer_body in tokens:
        weight = None
        match = WEIGHT.match(answer_body)
        if match:
            weight = float(match.group(1))
            answer_body = answer_body[match.end() :]
        elif answer_body.lstrip().startswith("%"):
            return error(_("第 %(line)s 行：分值应写成 %%50%% 这样的形式。") % {"line": line})
        choice_text, _hash, choice_feedback = answer_body.partition("#")
        is_correct = marker == "=" or (weight is not None and weight > 0)
        choice_text = _plain(choice_text, text_format)
        if not choice_text:
            return error(_("第 %(line)s 行：有空的选项。") % {"line": line})
        choices.append((choice_text, is_correct))
        if is_correct and choice_feedback and not correct_feedback:
            correct_feedback = _plain(choice_feedback, text_format)
    correct = sum(1 for _text, is_correct in choices if is_correct)
    if correct == 0:
        return error(_("第 %(line)s 行：没有正确答案（用 = 或正分值 ~%%50%% 标出）。") % {"line": line})
    record = QuestionRecord(
        type=MULTIPLE if correct > 1 else SINGLE,
        stem=stem,
        choices=choices,
        explanation=explanation or correct_feedback,
        category=category,
        **meta,
    )
    return ParsedItem(line=line, record=record, label=label)


def escape(text: str) -> str:
    """Text safe inside GIFT: control characters escaped, newlines as \\n."""
    text = (text or "").replace("\\", "\\\\")
    for char in "~=#{}:":
        text = text.replace(char, "\\" + char)
    return text.replace("\r\n", "\n").replace("\n", "\\n")


def _weight(count: int) -> str:
    value = 100 / count
    return str(int(value)) if value.is_integer() else f"{value:.5f}"


def _true_false_value(choices) -> bool:
    """Whether a true/false question's answer is "true": by the right choice's wording, else by its position."""
    for index, choice in enumerate(choices):
        if choice.is_correct:
            if choice.text in TRUE_WORDS_ZH:
                return True
            if choice.text in FALSE_WORDS_ZH:
                return False
            return index == 0
    return False


def write_gift(questions) -> str:
    """GIFT text for ``questions`` (ordered by category), readable back by :func:`parse_gift`."""
    lines = ["// 净空 ClearSky 题库导出 (Moodle GIFT)", ""]
    category = None
    for question in questions:
        if question.category.name != category:
            category = question.category.name
            lines += [f"$CATEGORY: {category}", ""]
        bands = ",".join(band.name for band in question.bands.all())
        source = " ".join(question.source.split())
        lines.append(f"// clearsky: difficulty={question.difficulty} bands={bands} source={source}")
        choices = list(question.choices.all())
        feedback = f"####{escape(question.explanation)}" if question.explanation else ""
        if question.type == TRUE_FALSE:
            value = _true_false_value(choices)
            lines.append(f"{escape(question.stem)} {{{'TRUE' if value else 'FALSE'}{feedback}}}")
        else:
            lines.append(f"{escape(question.stem)} {{")
            correct = sum(1 for choice in choices if choice.is_correct)
            for choice in choices:
                if question.type == MULTIPLE:
                    weight = _weight(correct) if choice.is_correct else "-100"
                    lines.append(f"\t~%{weight}%{escape(choice.text)}")
                else:
                    lines.append(f"\t{'=' if choice.is_correct else '~'}{escape(choice.text)}")
            if feedback:
                lines.append(f"\t{feedback}")
            lines.append("}")
        lines.append("")
    return "\n".join(lines)
