"""Forms of the public pages: the volunteer application (mobile first, messages in Chinese)."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import phone_validator

from .models import Skill, Team, Volunteer, id_last4_validator

CHINESE_REQUIRED = {"required": _("请填写此项。")}


class ApplicationForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=40, error_messages=CHINESE_REQUIRED)
    phone = forms.CharField(
        label=_("手机号"),
        max_length=11,
        validators=[phone_validator],
        error_messages=CHINESE_REQUIRED,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    gender = forms.ChoiceField(
        label=_("性别"),
        choices=Volunteer.Gender.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择性别。")},
    )
    birth_year = forms.IntegerField(
        label=_("出生年份"),
        min_value=1930,
        max_value=2015,
        error_messages={
            **CHINESE_REQUIRED,
            "invalid": _("请输入四位年份，如 1985。"),
            "min_value": _("出生年份不能早于 1930 年。"),
            "max_value": _("志愿者须年满 10 周岁（出生年份不晚于 2015 年）。"),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "placeholder": "1985"}),
    )
    id_last4 = forms.CharField(
        label=_("身份证后四位（选填）"),
        max_length=4,
        required=False,
        validators=[id_last4_validator],
        help_text=_("仅用于服务证明上的身份核对，证明中会隐去其余号码。"),
    )
    team = forms.ModelChoiceField(
        label=_("希望加入的队伍"),
        queryset=Team.objects.select_related("district"),
        empty_label=_("请选择队伍"),
        error_messages={"required": _("请选择队伍。"), "invalid_choice": _("请选择列表中的队伍。")},
    )
    skills = forms.ModelMultipleChoiceField(
        label=_("技能特长"), queryset=Skill.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    availability = forms.MultipleChoiceField(
        label=_("可服务时间"),
        choices=Volunteer.Availability.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一个可服务时间。")},
    )
    availability_note = forms.CharField(label=_("时间备注（选填）"), max_length=200, required=False)
    consent = forms.BooleanField(
        label=_("我已阅读并同意上方的《志愿者个人信息保护说明》"),
        error_messages={"required": _("请阅读并勾选同意个人信息保护说明后再提交。")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].label_from_instance = team_label

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if len(name) < 2:
            raise forms.ValidationError(_("请填写真实姓名（至少两个字）。"))
        return name

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if len(phone) != 11 or not phone.startswith("1"):
            raise forms.ValidationError(_("请输入 11 位手机号。"))
        return phone

    def clean_birth_year(self):
        year = self.cleaned_data["birth_year"]
        if year > datetime.date.today().year - 10:
            raise forms.ValidationError(_("志愿者须年满 10 周岁。"))
        return year

    def clean_id_last4(self):
        return self.cleaned_data["id_last4"].upper()


def team_label(team) -> str:
    """冷水滩区禁毒妈妈队（禁毒妈妈）; the district is prefixed only when the name does not say it."""
    name = team.name if team.district.name in team.name else f"{team.district.name} · {team.name}"
    return f"{name}（{team.get_kind_display()}）"
