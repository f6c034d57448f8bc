"""Admin forms of the question bank."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .bank_io.readers import FORMATS
from .models import Category


class QuestionForm(WagtailAdminModelForm):
    """Hands the inline choices being saved to ``Question.clean`` so the one rule set judges them."""

    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("choices")
        if formset is not None and formset.is_valid():
            self.instance.pending_choices = [
                (form.cleaned_data.get("text", ""), form.cleaned_data.get("is_correct", False))
                for form in formset.forms
                if form.cleaned_data and not form.cleaned_data.get("DELETE")
            ]
        return cleaned


class ImportForm(forms.Form):
    file = forms.FileField(label=_("题库文件"), help_text=_("xlsx、csv、GIFT（.gift/.txt）或 Aiken（.txt）"))
    format = forms.ChoiceField(
        label=_("格式"),
        choices=[("", _("按扩展名自动识别"))]
        + [(name, name.upper() if name != "aiken" else "Aiken") for name in FORMATS],
        required=False,
    )
    category = forms.ModelChoiceField(
        label=_("默认分类"),
        queryset=Category.objects.all(),
        required=False,
        to_field_name="name",
        empty_label=_("（不指定）"),
        help_text=_("文件中没有写分类的题目放入此分类（Aiken 文件必选）。"),
    )
    dry_run = forms.BooleanField(label=_("只检查，不导入"), required=False)
    skip_invalid = forms.BooleanField(
        label=_("跳过有错误的题目"), required=False, help_text=_("不勾选时，只要有一题出错，整个文件都不导入。")
    )

    max_size = 10 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.max_size:
            raise forms.ValidationError(_("文件不能超过 10 MB。"))
        return upload
