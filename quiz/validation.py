"""The rules a question's choices must follow, in one place.

Used by ``Question.clean`` (model and admin form) and by the importers, so a
question is judged the same way whichever door it comes through.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

SINGLE = "single"
MULTIPLE = "multiple"
TRUE_FALSE = "truefalse"
MAX_CHOICES = 6  # the spreadsheet template has 选项A..选项F; more would not round-trip


def choice_errors(question_type: str, choices) -> list:
    """Return the messages (lazy Chinese strings) for ``choices`` of a question of ``question_type``.

    ``choices`` is a sequence of ``(text, is_correct)`` pairs in display order.
    An empty list means the choices are acceptable.
    """
    choices = [((text or "").strip(), bool(correct)) for text, correct in choices]
    errors = []
    if any(not text for text, _correct in choices):
        errors.append(_("选项内容不能为空。"))
    texts = [text for text, _correct in choices if text]
    if len(set(texts)) != len(texts):
        errors.append(_("选项内容不能重复。"))
    if len(choices) < 2:
        errors.append(_("至少需要两个选项。"))
    if len(choices) > MAX_CHOICES:
        errors.append(_("最多只能有六个选项。"))
    correct = sum(1 for _text, is_correct in choices if is_correct)
    if question_type == SINGLE and correct != 1:
        errors.append(_("单选题必须恰好有一个正确选项。"))
    elif question_type == MULTIPLE and correct < 2:
        errors.append(_("多选题至少需要两个正确选项。"))
    elif question_type == TRUE_FALSE:
        if len(choices) != 2:
            errors.append(_("判断题必须恰好有两个选项。"))
        if correct != 1:
            errors.append(_("判断题必须恰好有一个正确选项。"))
    elif question_type not in (SINGLE, MULTIPLE, TRUE_FALSE):
        errors.append(_("未知题型。"))
    return errors


def validate_choices(question_type: str, choices) -> None:
    """Raise ``ValidationError`` listing every broken rule (see :func:`choice_errors`)."""
    errors = choice_errors(question_type, choices)
    if errors:
        raise ValidationError(errors)
