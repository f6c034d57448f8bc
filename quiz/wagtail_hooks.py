"""The question bank in the Wagtail admin: questions, categories and the import page, under 题库."""

import django_filters
from django import forms
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column, TitleColumn
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from . import admin_views
from .forms import QuestionForm
from .models import AudienceBand, Category, Challenge, Question


class QuestionFilterSet(WagtailFilterSet):
    category = django_filters.ModelChoiceFilter(label=_("分类"), queryset=Category.objects.all())
    type = django_filters.ChoiceFilter(label=_("题型"), choices=Question.Type.choices)
    bands = django_filters.ModelChoiceFilter(label=_("适用学段"), queryset=AudienceBand.objects.all())
    difficulty = django_filters.ChoiceFilter(label=_("难度"), choices=[(n, str(n)) for n in range(1, 6)])
    is_active = django_filters.BooleanFilter(label=_("启用"))

    class Meta:
        model = Question
        fields = ["category", "type", "bands", "difficulty", "is_active"]


class QuestionViewSet(ModelViewSet):
    model = Question
    name = "questions"
    icon = "help"
    menu_label = _("题目")
    # Django's ORM search: questions are not in Wagtail's search index.
    search_fields = ["stem", "explanation"]
    search_backend_name = None
    filterset_class = QuestionFilterSet
    list_display = [
        TitleColumn("stem", label=_("题干"), accessor="__str__", url_name="questions:edit"),
        Column("category", label=_("分类")),
        Column("type", label=_("题型"), accessor="type_label"),
        Column("difficulty", label=_("难度")),
        Column("bands", label=_("适用学段"), accessor="band_list"),
        BooleanColumn("is_active", label=_("启用")),
        "updated_at",
    ]
    list_per_page = 30
    # The listing's spreadsheet export (the xlsx/csv buttons); the filters apply to it.
    list_export = ["id", "category", "type_label", "stem", "choices_text", "answer", "explanation", "difficulty",
                   "band_list", "source", "is_active", "updated_at"]  # fmt: skip
    export_headings = {
        "id": "ID",
        "category": _("分类"),
        "type_label": _("题型"),
        "stem": _("题干"),
        "choices_text": _("选项"),
        "answer": _("答案"),
        "explanation": _("解析"),
        "difficulty": _("难度"),
        "band_list": _("适用学段"),
        "source": _("出处"),
        "is_active": _("启用"),
        "updated_at": _("更新时间"),
    }
    export_filename = "question-bank"
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("category"), FieldPanel("type"), FieldPanel("difficulty")]),
            FieldPanel("stem"),
            InlinePanel("choices", heading=_("选项"), label=_("选项"), min_num=2, max_num=6),
            FieldPanel("explanation"),
            MultiFieldPanel(
                [
                    FieldPanel("source"),
                    FieldPanel("bands", widget=forms.CheckboxSelectMultiple),
                    FieldPanel("tags"),
                    FieldPanel("image"),
                    FieldPanel("is_active"),
                ],
                heading=_("出处与适用范围"),
            ),
        ],
        base_form_class=QuestionForm,
    )

    def get_queryset(self, request):
        return Question.objects.select_related("category").prefetch_related("bands", "choices")


class CategoryViewSet(ModelViewSet):
    model = Category
    name = "question-categories"
    icon = "folder-open-1"
    menu_label = _("分类")
    list_display = [
        TitleColumn("name", label=_("名称"), url_name="question-categories:edit"),
        Column("parent", label=_("上级分类")),
        Column("order", label=_("排序")),
    ]
    search_fields = ["name"]
    search_backend_name = None
    form_fields = ["name", "parent", "order"]
    copy_view_enabled = False


class BankMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("quiz.add_question")


class QuestionImportViewSet(ViewSet):
    """The upload page, its progress/report page, the status URL polled by JS, and the xlsx template."""

    name = "question-import"
    icon = "upload"
    menu_label = _("批量导入")
    menu_item_class = BankMenuItem

    def get_urlpatterns(self):
        return [
            path("", admin_views.ImportView.as_view(), name="upload"),
            path("template.xlsx", admin_views.template_download, name="template"),
            path("<str:job_id>/", admin_views.ImportJobView.as_view(), name="job"),
            path("<str:job_id>/status/", admin_views.job_status, name="status"),
        ]


class ChallengeViewSet(ModelViewSet):
    """City-wide challenges: window, groups with their paper rules, thresholds, audience and certificate."""

    model = Challenge
    name = "challenges"
    icon = "trophy"
    menu_label = _("知识挑战赛")
    list_display = [
        TitleColumn("title", label=_("标题"), url_name="challenges:edit"),
        Column("starts_at", label=_("开始时间")),
        Column("ends_at", label=_("结束时间")),
        BooleanColumn("is_published", label=_("已发布")),
    ]
    search_fields = ["title"]
    search_backend_name = None
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("title"), FieldPanel("slug")]),
            FieldPanel("rules_text"),
            FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
            FieldRowPanel([FieldPanel("attempts_per_day"), FieldPanel("counts"), FieldPanel("practice_enabled")]),
            FieldRowPanel([FieldPanel("pass_percent"), FieldPanel("excellent_percent")]),
            InlinePanel("groups", heading=_("组别与试卷规则"), label=_("组别"), min_num=1, max_num=5),
            FieldPanel("districts", widget=forms.CheckboxSelectMultiple),
            MultiFieldPanel([FieldPanel("certificate_text"), FieldPanel("certificate_background")], heading=_("证书")),
            FieldPanel("is_published"),
        ]
    )


class QuestionBankGroup(ViewSetGroup):
    menu_label = _("题库")
    menu_icon = "help"
    menu_order = 250
    items = (QuestionViewSet, CategoryViewSet, QuestionImportViewSet, ChallengeViewSet)


@hooks.register("register_admin_viewset")
def register_question_bank():
    return QuestionBankGroup()
