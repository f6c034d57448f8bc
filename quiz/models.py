"""Question bank: categories (a small tree), questions, their choices and audience bands."""

from django.conf import settings
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


# Live games ------------------------------------------------------------------------------------------


class QuizSet(ClusterableModel):
    """A question set a teacher can host as a live game (the other choice is a paper drawn from the bank)."""

    title = models.CharField(_("名称"), max_length=100)
    description = models.CharField(_("说明"), max_length=255, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    is_public = models.BooleanField(_("所有教师可用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("题组")
        verbose_name_plural = _("题组")

    def __str__(self):
        return self.title


class QuizSetItem(models.Model):
    quiz_set = ParentalKey(QuizSet, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(Question, verbose_name=_("题目"), on_delete=models.CASCADE, related_name="+")
    order = models.PositiveSmallIntegerField(_("排序"), default=0, editable=False)

    sort_order_field = "order"

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["quiz_set", "question"], name="quiz_set_question_once")]

    def __str__(self):
        return f"{self.quiz_set}: {self.question}"


class Game(models.Model):
    """A live class game: a PIN, a fixed paper, the host's options and where the game is (engine phases)."""

    class Phase(models.TextChoices):
        LOBBY = "lobby", _("等待加入")
        QUESTION_OPEN = "question_open", _("答题中")
        REVEALED = "revealed", _("公布答案")
        FINISHED = "finished", _("已结束")
        CANCELLED = "cancelled", _("已取消")

    pin = models.CharField(_("PIN 码"), max_length=6, db_index=True)
    title = models.CharField(_("标题"), max_length=100)
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("主持人"), on_delete=models.CASCADE, related_name="hosted_games"
    )
    quiz_set = models.ForeignKey(QuizSet, verbose_name=_("题组"), null=True, blank=True, on_delete=models.SET_NULL)
    # [{"question_id": 12, "choice_ids": [40, 38, 39, 41]}, ...]: the paper, fixed when the game is created.
    paper = models.JSONField(_("试卷"), default=list)
    phase = models.CharField(_("状态"), max_length=20, choices=Phase.choices, default=Phase.LOBBY)
    question_index = models.IntegerField(_("当前题号"), default=-1)
    opens_at = models.FloatField(_("本题开始（服务器时间）"), null=True, blank=True)
    closes_at = models.FloatField(_("本题截止（服务器时间）"), null=True, blank=True)
    # Options chosen by the host.
    seconds_per_question = models.PositiveSmallIntegerField(
        _("每题限时（秒）"), default=20, validators=[MinValueValidator(5), MaxValueValidator(300)]
    )
    speed_points = models.BooleanField(_("速度加分"), default=True)
    streak_bonus = models.BooleanField(_("连对奖励"), default=False)
    shuffle = models.BooleanField(_("打乱题目与选项顺序"), default=True)
    show_answers_on_phones = models.BooleanField(_("学生手机上显示正确答案"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("课堂竞答")
        verbose_name_plural = _("课堂竞答")
        constraints = [
            # A PIN identifies one game among those still running.
            models.UniqueConstraint(
                fields=["pin"],
                condition=~models.Q(phase__in=["finished", "cancelled"]),
                name="game_pin_unique_while_active",
            )
        ]

    def __str__(self):
        return f"{self.title} ({self.pin})"

    @property
    def is_active(self) -> bool:
        return self.phase not in (self.Phase.FINISHED, self.Phase.CANCELLED)

    @property
    def question_count(self) -> int:
        return len(self.paper)

    @property
    def topic(self) -> str:
        """Fan-out topic every player socket of this game listens on."""
        return f"game:{self.pk}"

    @property
    def host_topic(self) -> str:
        """Fan-out topic for the host console only (answer counts, lobby roster)."""
        return f"game:{self.pk}:host"


class Player(models.Model):
    """One participant of a live game; the resume token lets a dropped phone take its place back."""

    game = models.ForeignKey(Game, on_delete=models.CASCADE, related_name="players")
    nickname = models.CharField(_("昵称"), max_length=24)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="game_players"
    )
    school_class = models.ForeignKey(
        "schools.SchoolClass", verbose_name=_("班级"), null=True, blank=True, on_delete=models.SET_NULL
    )
    token = models.CharField(max_length=64, unique=True)
    score = models.IntegerField(_("得分"), default=0)
    streak = models.PositiveIntegerField(_("连对"), default=0)
    correct_count = models.PositiveIntegerField(_("答对题数"), default=0)
    elapsed_ms = models.PositiveBigIntegerField(_("累计用时（毫秒）"), default=0)
    kicked = models.BooleanField(_("已移出"), default=False)
    joined_at = models.DateTimeField(_("加入时间"), auto_now_add=True)

    class Meta:
        ordering = ["-score", "elapsed_ms", "id"]
        verbose_name = _("参赛者")
        verbose_name_plural = _("参赛者")
        constraints = [
            models.UniqueConstraint(fields=["game", "nickname"], name="player_nickname_unique_in_game"),
            models.UniqueConstraint(
                fields=["game", "user"], condition=models.Q(user__isnull=False), name="player_user_once_per_game"
            ),
        ]

    def __str__(self):
        return self.nickname


class PlayerAnswer(models.Model):
    """One accepted answer. The unique constraint is what makes an answer count exactly once."""

    game = models.ForeignKey(Game, on_delete=models.CASCADE, related_name="answers")
    player = models.ForeignKey(Player, on_delete=models.CASCADE, related_name="answers")
    question_index = models.PositiveSmallIntegerField(_("题号"))
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    choice_ids = models.JSONField(_("所选选项"), default=list)
    answered_at = models.FloatField(_("作答时间（服务器时间）"))
    elapsed_ms = models.PositiveIntegerField(_("用时（毫秒）"))
    is_correct = models.BooleanField(_("正确"), default=False)
    points = models.IntegerField(_("得分"), default=0)

    class Meta:
        ordering = ["question_index", "answered_at"]
        verbose_name = _("作答记录")
        verbose_name_plural = _("作答记录")
        constraints = [
            models.UniqueConstraint(fields=["player", "question_index"], name="one_answer_per_player_question")
        ]

    def __str__(self):
        return f"{self.player} #{self.question_index + 1}"
