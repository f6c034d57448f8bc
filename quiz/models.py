"""Question bank: categories (a small tree), questions, their choices and audience bands."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase

from .validation import MULTIPLE, SINGLE, TRUE_FALSE, choice_errors

# The categories every bank starts with (seeded by migration and by ensure_categories()).
DEFAULT_CATEGORIES = (
    "禁毒方针政策",
    "禁毒法律法规",
    "禁毒历史",
    "毒品知识",
    "新精神活性物质",
    "毒品危害",
    "防毒技巧",
    "戒毒康复",
    "毒情形势",
    "国际禁毒公约",
    "6·27工程",
)
# Audience bands in school order; names are what staff type in spreadsheets.
BANDS = ("小学", "初中", "高中职高", "大学", "社会")


class Category(models.Model):
    """A node of the category tree; names are unique so files can refer to them by name."""

    name = models.CharField(_("名称"), max_length=60, unique=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级分类"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("题目分类")
        verbose_name_plural = _("题目分类")

    def __str__(self):
        return self.name

    def clean(self):
        node = self.parent
        while node is not None:
            if node.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": _("上级分类不能是自身或其下级分类。")})
            node = node.parent

    def path(self) -> str:
        """The names from the root down to this category, joined by '/'."""
        names, node = [], self
        while node is not None:
            names.append(node.name)
            node = node.parent
        return "/".join(reversed(names))


class AudienceBand(models.Model):
    """小学 / 初中 / 高中职高 / 大学 / 社会: a small table so filters work on SQLite and PostgreSQL alike."""

    name = models.CharField(_("名称"), max_length=20, unique=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = _("适用学段")
        verbose_name_plural = _("适用学段")

    def __str__(self):
        return self.name


class QuestionTag(TaggedItemBase):
    content_object = ParentalKey("quiz.Question", on_delete=models.CASCADE, related_name="tagged_items")

    class Meta:
        verbose_name = _("题目标签")
        verbose_name_plural = _("题目标签")


class Question(ClusterableModel):
    """One question of the bank; its choices are :class:`Choice` rows edited inline."""

    class Type(models.TextChoices):
        SINGLE = SINGLE, _("单选题")
        MULTIPLE = MULTIPLE, _("多选题")
        TRUE_FALSE = TRUE_FALSE, _("判断题")

    category = models.ForeignKey(Category, verbose_name=_("分类"), on_delete=models.PROTECT, related_name="questions")
    type = models.CharField(_("题型"), max_length=10, choices=Type.choices, default=Type.SINGLE)
    stem = models.TextField(_("题干"))
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("配图"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    explanation = models.TextField(_("解析"), blank=True)
    source = models.CharField(_("出处"), max_length=255, blank=True, help_text=_("法律条文或资料来源"))
    difficulty = models.PositiveSmallIntegerField(
        _("难度"), default=3, validators=[MinValueValidator(1), MaxValueValidator(5)], help_text=_("1（易）到 5（难）")
    )
    bands = ParentalManyToManyField(AudienceBand, verbose_name=_("适用学段"), blank=True, related_name="questions")
    tags = ClusterTaggableManager(verbose_name=_("标签"), through=QuestionTag, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["category__order", "id"]
        verbose_name = _("题目")
        verbose_name_plural = _("题目")
        indexes = [models.Index(fields=["category", "type", "is_active"])]

    def __str__(self):
        stem = " ".join(self.stem.split())
        return stem if len(stem) <= 40 else stem[:39] + "…"

    def clean(self):
        super().clean()
        # The admin form and the import service hand over the choices being
        # saved (the inline rows are not on the instance yet when this runs).
        choices = getattr(self, "pending_choices", None)
        if choices is None:
            if self.pk is None:
                return
            choices = [(choice.text, choice.is_correct) for choice in self.choices.all()]
        errors = choice_errors(self.type, choices)
        if errors:
            raise ValidationError({"__all__": errors})

    def band_names(self) -> list[str]:
        return [band.name for band in self.bands.all()]

    # Display helpers for the admin listing and its spreadsheet export.
    def band_list(self) -> str:
        return "、".join(self.band_names())

    def type_label(self) -> str:
        return str(self.get_type_display())

    def choices_text(self) -> str:
        return "\n".join(f"{chr(65 + i)}. {choice.text}" for i, choice in enumerate(self.choices.all()))

    def answer(self) -> str:
        return "".join(chr(65 + i) for i, choice in enumerate(self.choices.all()) if choice.is_correct)


class Choice(models.Model):
    """One answer option; ``order`` is the display order (A, B, C …)."""

    question = ParentalKey(Question, verbose_name=_("题目"), on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(_("选项内容"), max_length=255)
    is_correct = models.BooleanField(_("正确答案"), default=False)
    order = models.PositiveSmallIntegerField(_("排序"), default=0, editable=False)

    sort_order_field = "order"  # InlinePanel drag-and-drop writes here

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("选项")
        verbose_name_plural = _("选项")

    def __str__(self):
        return self.text
