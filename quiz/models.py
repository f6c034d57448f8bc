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


# Challenges ------------------------------------------------------------------------------------------

GROUP_NAMES = ("小学", "初中", "高中/职高", "大学", "社会")


class Challenge(ClusterableModel):
    """A city-wide knowledge challenge: a window in which participants take timed papers drawn from the bank."""

    class Counts(models.TextChoices):
        BEST = "best", _("最高成绩计入排名")
        LATEST = "latest", _("最近一次成绩计入排名")

    title = models.CharField(_("标题"), max_length=100)
    slug = models.SlugField(_("网址名称"), max_length=60, unique=True)
    rules_text = models.TextField(_("活动规则"), blank=True)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    attempts_per_day = models.PositiveSmallIntegerField(_("每日答题次数"), default=1, validators=[MinValueValidator(1)])
    counts = models.CharField(_("计分方式"), max_length=10, choices=Counts.choices, default=Counts.BEST)
    pass_percent = models.PositiveSmallIntegerField(
        _("合格线（%）"), default=60, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    excellent_percent = models.PositiveSmallIntegerField(
        _("优秀线（%）"), default=90, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    practice_enabled = models.BooleanField(_("开放练习模式"), default=True)
    districts = models.ManyToManyField(
        "schools.District", verbose_name=_("面向区县"), blank=True, help_text=_("留空表示面向全市。")
    )
    certificate_text = models.TextField(
        _("证书文字"), blank=True, default="在本次禁毒知识挑战赛中成绩合格，特发此证，以资鼓励。"
    )
    certificate_background = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("证书背景图"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_published = models.BooleanField(_("已发布"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("知识挑战赛")
        verbose_name_plural = _("知识挑战赛")

    def __str__(self):
        return self.title

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("结束时间必须晚于开始时间。")})
        if self.pass_percent and self.excellent_percent and self.excellent_percent < self.pass_percent:
            raise ValidationError({"excellent_percent": _("优秀线不能低于合格线。")})

    @property
    def board_topic(self) -> str:
        """Fan-out topic of the big-screen board."""
        return f"challenge:{self.pk}:board"


class ChallengeGroup(models.Model):
    """A group ranked separately (小学 … 社会) with its own paper rule."""

    challenge = ParentalKey(Challenge, on_delete=models.CASCADE, related_name="groups", verbose_name=_("挑战赛"))
    name = models.CharField(_("组别"), max_length=10, choices=[(g, g) for g in GROUP_NAMES])
    band = models.CharField(
        _("题目学段"), max_length=10, choices=[(b, b) for b in BANDS], help_text=_("从该学段的题目中抽题。")
    )
    question_count = models.PositiveSmallIntegerField(
        _("题目数量"), default=20, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    seconds = models.PositiveIntegerField(
        _("答题时限（秒）"), default=600, validators=[MinValueValidator(30), MaxValueValidator(7200)]
    )
    quotas = models.JSONField(_("分类配额"), default=dict, blank=True, help_text=_('如 {"毒品知识": 5, "毒品危害": 5}'))
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("组别")
        verbose_name_plural = _("组别")
        constraints = [models.UniqueConstraint(fields=["challenge", "name"], name="challenge_group_unique_name")]

    def __str__(self):
        return self.name

    @property
    def is_public_group(self) -> bool:
        """社会组: the public registers with phone and work unit instead of a school."""
        return self.name == "社会"


class Participant(models.Model):
    """One registration for a challenge; its counted result is kept here for the leaderboards."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="challenge_entries"
    )
    name = models.CharField(_("姓名"), max_length=40)
    group = models.ForeignKey(ChallengeGroup, verbose_name=_("组别"), on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey(
        "schools.District", verbose_name=_("区县"), null=True, blank=True, on_delete=models.SET_NULL
    )
    school = models.ForeignKey(
        "schools.School", verbose_name=_("学校"), null=True, blank=True, on_delete=models.SET_NULL
    )
    school_class = models.ForeignKey(
        "schools.SchoolClass", verbose_name=_("班级"), null=True, blank=True, on_delete=models.SET_NULL
    )
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    work_unit = models.CharField(_("工作单位"), max_length=100, blank=True)
    is_under_14 = models.BooleanField(_("未满14周岁"), default=False)
    guardian_name = models.CharField(_("监护人姓名"), max_length=40, blank=True)
    guardian_consent_at = models.DateTimeField(_("监护人同意时间"), null=True, blank=True)
    registered_at = models.DateTimeField(_("报名时间"), auto_now_add=True)
    # The counted attempt's result (best or latest, per the challenge), denormalised for ranking in SQL.
    has_result = models.BooleanField(_("已有成绩"), default=False)
    score = models.PositiveIntegerField(_("成绩"), default=0)
    elapsed_ms = models.PositiveIntegerField(_("用时（毫秒）"), default=0)
    finished_s = models.PositiveBigIntegerField(_("完成时刻（秒）"), default=0)
    level = models.CharField(_("等级"), max_length=10, blank=True)
    full_marks = models.PositiveIntegerField(_("满分"), default=0)

    class Meta:
        ordering = ["-registered_at"]
        verbose_name = _("参赛者")
        verbose_name_plural = _("参赛者")
        constraints = [
            models.UniqueConstraint(
                fields=["challenge", "user"], condition=models.Q(user__isnull=False), name="participant_user_once"
            )
        ]
        indexes = [models.Index(fields=["challenge", "group", "has_result", "score", "elapsed_ms", "finished_s"])]

    def __str__(self):
        return self.name


class ChallengeAttempt(models.Model):
    """One paper taken (or being taken); times come from the server only."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("答题中")
        SUBMITTED = "submitted", _("已交卷")
        EXPIRED = "expired", _("超时自动交卷")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="attempts")
    practice = models.BooleanField(_("练习"), default=False)
    number = models.PositiveIntegerField(_("第几次"), default=1)
    # [{"question_id": 12, "choice_ids": [40, 38, 39]}, ...] in the order this participant sees them.
    paper = models.JSONField(_("试卷"), default=list)
    started_at = models.DateTimeField(_("开始时间"))
    deadline_at = models.DateTimeField(_("截止时间"))
    submitted_at = models.DateTimeField(_("交卷时间"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    score = models.PositiveIntegerField(_("得分"), null=True, blank=True)
    full_marks = models.PositiveIntegerField(_("满分"), default=0)
    correct_count = models.PositiveSmallIntegerField(_("答对题数"), default=0)
    elapsed_ms = models.PositiveIntegerField(_("用时（毫秒）"), default=0)
    finished_s = models.PositiveBigIntegerField(_("完成时刻（秒）"), default=0)
    level = models.CharField(_("等级"), max_length=10, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("答题记录")
        verbose_name_plural = _("答题记录")
        constraints = [
            # A second tab or a double click resumes the paper instead of starting another one.
            models.UniqueConstraint(
                fields=["participant"], condition=models.Q(status="in_progress"), name="one_open_attempt"
            )
        ]
        indexes = [models.Index(fields=["participant", "practice", "started_at"])]

    def __str__(self):
        return f"{self.participant} #{self.number}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.IN_PROGRESS


class AttemptAnswer(models.Model):
    """The current answer to one question of an attempt; may change until the paper is submitted."""

    attempt = models.ForeignKey(ChallengeAttempt, on_delete=models.CASCADE, related_name="answers")
    index = models.PositiveSmallIntegerField(_("题号"))
    choice_ids = models.JSONField(_("所选选项"), default=list)
    answered_at = models.DateTimeField(_("作答时间"))

    class Meta:
        ordering = ["index"]
        verbose_name = _("答题明细")
        verbose_name_plural = _("答题明细")
        constraints = [models.UniqueConstraint(fields=["attempt", "index"], name="one_answer_per_attempt_index")]

    def __str__(self):
        return f"{self.attempt} #{self.index + 1}"


class Certificate(models.Model):
    """A certificate for a passed attempt; its number opens the public verification page."""

    attempt = models.OneToOneField(ChallengeAttempt, on_delete=models.CASCADE, related_name="certificate")
    number = models.CharField(_("证书编号"), max_length=32, unique=True)
    issued_at = models.DateTimeField(_("颁发时间"))

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("证书")
        verbose_name_plural = _("证书")

    def __str__(self):
        return self.number
