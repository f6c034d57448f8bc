"""The host's new-game form: a question set or a paper drawn from the bank, and the game's options."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import BANDS, Category, QuizSet

SOURCE_SET = "set"
SOURCE_PAPER = "paper"


class NewGameForm(forms.Form):
    title = forms.CharField(label=_("竞答标题"), max_length=100, initial=_("禁毒知识课堂竞答"))
    source = forms.ChoiceField(
        label=_("题目来源"),
        choices=[(SOURCE_SET, _("使用题组")), (SOURCE_PAPER, _("从题库随机抽题"))],
        initial=SOURCE_SET,
        widget=forms.RadioSelect,
    )
    quiz_set = forms.ModelChoiceField(
        label=_("题组"), queryset=QuizSet.objects.none(), required=False, empty_label=_("请选择题组")
    )
    band = forms.ChoiceField(
        label=_("适用学段"), choices=[("", _("不限"))] + [(band, band) for band in BANDS], required=False
    )
    count = forms.IntegerField(
        label=_("题目数量"),
        min_value=5,
        max_value=50,
        initial=10,
        required=False,
        error_messages={
            "min_value": _("题目数量至少 5 道。"),
            "max_value": _("题目数量最多 50 道。"),
            "invalid": _("请填写 5 到 50 之间的整数。"),
        },
    )
    categories = forms.ModelMultipleChoiceField(
        label=_("限定分类（可选）"),
        queryset=Category.objects.all(),
        to_field_name="name",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    seconds_per_question = forms.IntegerField(
        label=_("每题限时（秒）"),
        min_value=5,
        max_value=300,
        initial=20,
        error_messages={
            "required": _("请填写每题限时。"),
            "min_value": _("每题限时至少 5 秒。"),
            "max_value": _("每题限时最多 300 秒。"),
            "invalid": _("请填写 5 到 300 之间的整数。"),
        },
    )
    speed_points = forms.BooleanField(label=_("速度加分（答得越快得分越高）"), required=False, initial=True)
    streak_bonus = forms.BooleanField(label=_("连对奖励"), required=False, initial=False)
    shuffle = forms.BooleanField(label=_("打乱题目与选项顺序"), required=False, initial=True)
    show_answers_on_phones = forms.BooleanField(
        label=_("在学生手机上显示正确答案"),
        required=False,
        initial=True,
        help_text=_("不勾选时，正确答案只在投屏上显示。"),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        sets = QuizSet.objects.all()
        if user is not None and not user.is_superuser:
            sets = sets.filter(Q(is_public=True) | Q(owner=user))
        self.fields["quiz_set"].queryset = sets.order_by("title")
        self.fields["title"].error_messages["required"] = _("请填写竞答标题。")

    def clean(self):
        data = super().clean()
        if data.get("source") == SOURCE_SET:
            quiz_set = data.get("quiz_set")
            if quiz_set is None and "quiz_set" not in self.errors:
                self.add_error("quiz_set", _("请选择一个题组。"))
            elif quiz_set is not None and not quiz_set.items.exists():
                self.add_error("quiz_set", _("这个题组还没有题目。"))
        elif data.get("source") == SOURCE_PAPER and data.get("count") is None and "count" not in self.errors:
            self.add_error("count", _("请填写题目数量（5 到 50 道）。"))
        return data

    def game_options(self) -> dict:
        data = self.cleaned_data
        return {
            "seconds_per_question": data["seconds_per_question"],
            "speed_points": data["speed_points"],
            "streak_bonus": data["streak_bonus"],
            "shuffle": data["shuffle"],
            "show_answers_on_phones": data["show_answers_on_phones"],
        }
