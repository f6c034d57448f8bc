"""Factories for the question bank."""

import factory

from quiz.models import Category, Choice, Question


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"测试分类{n}")


class QuestionFactory(factory.django.DjangoModelFactory):
    """A valid single-choice question with choices 甲 (correct), 乙, 丙 unless ``choices=[(text, ok), …]``."""

    class Meta:
        model = Question
        skip_postgeneration_save = True

    category = factory.SubFactory(CategoryFactory)
    type = Question.Type.SINGLE
    stem = factory.Sequence(lambda n: f"第 {n} 题：下列说法正确的是（  ）。")
    explanation = "解析文字。"
    difficulty = 2

    @factory.post_generation
    def choices(self, create, extracted, **kwargs):
        if not create:
            return
        pairs = extracted or [("甲", True), ("乙", False), ("丙", False)]
        for order, (text, correct) in enumerate(pairs):
            Choice.objects.create(question=self, text=text, is_correct=correct, order=order)
