"""Aiken: a stem, lettered options (``A. …`` or ``A) …``) and an ``ANSWER: X`` line.

ClearSky also accepts several letters (``ANSWER: A,C`` or ``ANSWER: AC``) as a
multiple-choice question, and two options 正确/错误 (or 对/错) as true/false.
"""

import re

from django.utils.translation import gettext as _

from ..validation import MULTIPLE, SINGLE, TRUE_FALSE
from .records import ParsedItem, QuestionRecord, excerpt

OPTION = re.compile(r"^([A-Z])\s*[.)．、）]\s*(.*)$")
ANSWER = re.compile(r"^ANSWER\s*[:：]\s*(.*)$", re.IGNORECASE)
TRUE_FALSE_PAIRS = {("正确", "错误"), ("对", "错")}


def parse_aiken(text: str) -> list[ParsedItem]:
    """Parse Aiken text; each item's line is the line of its stem."""
    items = []
    stem_lines: list[str] = []
    options: list[tuple[str, str]] = []
    start = 0

    def unfinished(reason):
        items.append(ParsedItem(line=start, error=reason, label=excerpt(" ".join(stem_lines))))

    for number, raw in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        answer = ANSWER.match(line)
        option = OPTION.match(line)
        if answer:
            if not stem_lines:
                items.append(
                    ParsedItem(line=number, error=_("第 %(line)s 行：ANSWER 行前没有题干。") % {"line": number})
                )
            else:
                items.append(_finish(start, stem_lines, options, answer.group(1), number))
            stem_lines, options = [], []
        elif option and stem_lines:
            letter, option_text = option.groups()
            expected = chr(ord("A") + len(options))
            if letter != expected:
                unfinished(
                    _("第 %(line)s 行：选项应为 %(expected)s，却是 %(letter)s。")
                    % {"line": number, "expected": expected, "letter": letter}
                )
                stem_lines, options = [], []
                continue
            options.append((letter, option_text.strip()))
        else:
            if options:  # a new stem began before the previous question's ANSWER line
                unfinished(_("第 %(line)s 行的题目缺少 ANSWER 行。") % {"line": start})
                stem_lines, options = [], []
            if not stem_lines:
                start = number
            stem_lines.append(line)
    if stem_lines:
        unfinished(_("第 %(line)s 行的题目缺少 ANSWER 行。") % {"line": start})
    return items


def _finish(start, stem_lines, options, answer_text, answer_line) -> ParsedItem:
    stem = "\n".join(stem_lines)
    label = excerpt(stem)
    if len(options) < 2:
        return ParsedItem(line=start, label=label, error=_("第 %(line)s 行：题目至少需要两个选项。") % {"line": start})
    letters = sorted(set(re.sub(r"[\s,，、;；]+", "", answer_text).upper()))
    known = {letter for letter, _text in options}
    if not letters or any(letter not in known for letter in letters):
        return ParsedItem(
            line=start,
            label=label,
            error=_("第 %(line)s 行：答案「%(answer)s」不是已有选项的字母。")
            % {"line": answer_line, "answer": answer_text},
        )
    texts = tuple(text for _letter, text in options)
    if len(letters) > 1:
        question_type = MULTIPLE
    elif texts in TRUE_FALSE_PAIRS:
        question_type = TRUE_FALSE
    else:
        question_type = SINGLE
    record = QuestionRecord(
        type=question_type, stem=stem, choices=[(text, letter in letters) for letter, text in options]
    )
    return ParsedItem(line=start, record=record, label=label)
