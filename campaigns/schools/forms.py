"""Forms of the teacher desk and the review screens."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ActivityRecord, FiveOnesActivity


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that accepts several files and cleans to a list."""

    def __init__(self, *args, accept="", **kwargs):
        kwargs.setdefault("required", False)
        attrs = {"multiple": True}
        if accept:
            attrs["accept"] = accept
        kwargs.setdefault("widget", MultipleFileInput(attrs=attrs))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ActivityLogForm(forms.Form):
    """One activity of one class: what a teacher fills in on the phone."""

    activity = forms.ModelChoiceField(FiveOnesActivity.objects.none(), label=_("活动类型"), empty_label=None)
    date = forms.DateField(label=_("活动日期"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    term = forms.TypedChoiceField(
        label=_("学期"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("按活动日期自动判断")), (1, _("第一学期")), (2, _("第二学期"))],
    )
    participants = forms.IntegerField(
        label=_("参与人数"), min_value=0, required=False, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    description = forms.CharField(
        label=_("活动简述"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("时间、地点、形式、效果，一两句即可")}),
    )
    photos = MultipleFileField(
        label=_("活动照片"),
        accept="image/*",
        help_text=_("最多 9 张，手机照片会自动旋转和压缩。"),
    )
    remove_photos = forms.MultipleChoiceField(
        label=_("删除已上传的照片"), required=False, widget=forms.CheckboxSelectMultiple
    )
    sample_works = MultipleFileField(label=_("作品样本（可选）"))
    sign_in_sheet = forms.FileField(label=_("签到表（可选）"), required=False)

    def __init__(self, *args, activities, record=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.record = record
        self.fields["activity"].queryset = activities
        if record is not None:
            self.fields["activity"].disabled = True
            self.fields["remove_photos"].choices = [(str(p.pk), str(p.pk)) for p in record.photos.all()]
        else:
            del self.fields["remove_photos"]


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("退回原因"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("教师会在工作台看到这段话，请写明需要补充或修改的内容。"),
    )


class DashboardFilterForm(forms.Form):
    school_year = forms.ChoiceField(label=_("学年"), required=False)
    term = forms.TypedChoiceField(
        label=_("学期"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("全学年")), (1, _("第一学期")), (2, _("第二学期"))],
    )
    district = forms.ModelChoiceField(queryset=None, label=_("区县"), required=False, empty_label=_("全部"))

    def __init__(self, *args, years, districts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_year"].choices = [(y, y) for y in years]
        self.fields["district"].queryset = districts


STATUS_BADGES = {
    ActivityRecord.Status.APPROVED: "badge-ok",
    ActivityRecord.Status.SUBMITTED: "badge-warn",
    ActivityRecord.Status.RETURNED: "badge-bad",
}


class StudentNamesForm(forms.Form):
    """Names pasted from a class list, one per line; every problem comes back at once, the text kept."""

    names = forms.CharField(
        label=_("学生姓名"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8, "placeholder": _("每行一个姓名，例如：\n张小明\n李华")}),
        help_text=_("可直接从花名册复制粘贴；空行会被忽略。一次最多 60 名。"),
        error_messages={"required": _("请至少填写一个姓名，每行一个。")},
    )

    def __init__(self, *args, school_class, **kwargs):
        super().__init__(*args, **kwargs)
        self.school_class = school_class

    def clean_names(self):
        from .services import parse_student_names

        return parse_student_names(self.cleaned_data["names"], school_class=self.school_class)


class StudentImportForm(forms.Form):
    file = forms.FileField(label=_("xlsx 文件"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))

    max_size = 2 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.max_size:
            raise forms.ValidationError(_("文件不能超过 2 MB。"))
        return upload
