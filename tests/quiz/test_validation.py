"""The choice rules, with their Chinese messages, through the function, the model and the importer."""

import pytest
from django.core.exceptions import ValidationError

from quiz.models import Question
from quiz.validation import choice_errors, validate_choices

from .factories import QuestionFactory


def messages(question_type, choices):
    return [str(message) for message in choice_errors(question_type, choices)]


def test_single_choice_needs_exactly_one_correct():
    assert messages("single", [("甲", True), ("乙", False)]) == []
    assert messages("single", [("甲", True), ("乙", True)]) == ["单选题必须恰好有一个正确选项。"]
    assert messages("single", [("甲", False), ("乙", False)]) == ["单选题必须恰好有一个正确选项。"]


def test_multiple_choice_needs_at_least_two_correct():
    assert messages("multiple", [("甲", True), ("乙", True), ("丙", False)]) == []
    assert messages("multiple", [("甲", True), ("乙", False)]) == ["多选题至少需要两个正确选项。"]


def test_true_false_needs_two_choices_and_one_correct():
    assert messages("truefalse", [("正确", True), ("错误", False)]) == []
    assert messages("truefalse", [("正确", True), ("错误", False), ("不知道", False)]) == ["判断题必须恰好有两个选项。"]
    assert messages("truefalse", [("正确", True), ("错误", True)]) == ["判断题必须恰好有一个正确选项。"]


def test_general_rules():
    assert "至少需要两个选项。" in messages("single", [("甲", True)])
    assert "选项内容不能为空。" in messages("single", [("甲", True), ("  ", False)])
    assert "选项内容不能重复。" in messages("single", [("甲", True), ("甲", False)])
    assert "最多只能有六个选项。" in messages("single", [(str(i), i == 0) for i in range(7)])
    with pytest.raises(ValidationError) as info:
        validate_choices("single", [("甲", False)])
    assert info.value.messages == ["至少需要两个选项。", "单选题必须恰好有一个正确选项。"]


@pytest.mark.django_db
def test_model_clean_uses_saved_or_pending_choices():
    question = QuestionFactory(choices=[("甲", True), ("乙", False)])
    question.full_clean()  # the saved choices are fine
    question.type = Question.Type.MULTIPLE
    with pytest.raises(ValidationError) as info:
        question.full_clean()
    assert info.value.messages == ["多选题至少需要两个正确选项。"]
    question.pending_choices = [("甲", True), ("乙", True)]
    question.full_clean()


@pytest.mark.django_db
def test_difficulty_is_one_to_five():
    question = QuestionFactory()
    question.difficulty = 6
    with pytest.raises(ValidationError) as info:
        question.full_clean()
    assert "difficulty" in info.value.message_dict
