"""The 学校五个一 admin: organisations, activity types, teachers and the review of records.

Wagtail does not scope a record's edit URL by school, so every viewset here
filters its listing *and* every object view through ``access`` (another
school's row is a 404), and forms only offer choices inside the user's scope.
"""

import django_filters
from django.db.models import Q
from django.forms import modelform_factory
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from accounts import roles
from accounts.models import User

from . import access
from .admin_views import ImportView, ReviewQueueView, ReviewRecordView, can_import, import_template
from .models import (
    ActivityRecord,
    District,
    DistrictStaff,
    FiveOnesActivity,
    School,
    SchoolClass,
    TeacherProfile,
)

# Scoping ---------------------------------------------------------------------


def _scoped_views(scope):
    """Index/edit/delete/inspect/history/usage view classes that only see ``scope(user)``."""

    class ScopedObject:
        def get_object(self, *args, **kwargs):
            obj = super().get_object(*args, **kwargs)
            if obj is None or not scope(self.request.user).filter(pk=obj.pk).exists():
                raise Http404
            return obj

    class Index(generic.IndexView):
        def get_base_queryset(self):
            return super().get_base_queryset().filter(pk__in=scope(self.request.user).values("pk"))

    def wrap(view_class):
        return type(view_class.__name__, (ScopedObject, view_class), {})

    return {
        "index_view_class": Index,
        "edit_view_class": wrap(generic.EditView),
        "delete_view_class": wrap(generic.DeleteView),
        "inspect_view_class": wrap(generic.InspectView),
        "history_view_class": wrap(generic.history.HistoryView),
        "usage_view_class": wrap(generic.usage.UsageView),
    }


class ScopedForm(WagtailAdminModelForm):
    """Limits foreign-key choices to what the editing user oversees."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if for_user is None:
            return
        limits = {
            "district": access.districts_for(for_user),
            "school": access.schools_for(for_user),
            "classes": access.classes_for(for_user),
        }
        if not access.is_city_staff(for_user):
            # Teachers of the schools in scope, plus teachers not yet placed anywhere.
            teachers = User.objects.filter(groups__name=roles.TEACHER).filter(
                Q(teacher_profile__isnull=True) | Q(teacher_profile__school__in=limits["school"])
            )
            limits["user"] = teachers.distinct()
            limits["head_teacher"] = teachers.distinct()
        for name, queryset in limits.items():
            if name in self.fields:
                self.fields[name].queryset = queryset


def _schools_scope(user):
    return access.schools_for(user)


def _classes_scope(user):
    return access.classes_for(user)


def _teachers_scope(user):
    return TeacherProfile.objects.filter(school__in=access.schools_for(user))


def _districts_scope(user):
    return access.districts_for(user)


def _records_scope(user):
    return access.records_for(user)


def _activities_scope(user):
    return FiveOnesActivity.objects.all()  # types are city-wide data; permissions decide who edits


# Viewsets --------------------------------------------------------------------


class ScopedModelViewSet(ModelViewSet):
    """A ModelViewSet whose add/edit form offers only in-scope choices (see :class:`ScopedForm`)."""

    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return modelform_factory(
            self.model, form=ScopedForm, formfield_callback=self.formfield_for_dbfield, fields=self.form_fields
        )


class DistrictViewSet(ScopedModelViewSet):
    model = District
    icon = "site"
    menu_label = _("区县")
    form_fields = ["name", "code", "order"]
    list_display = ["name", "code", "order"]
    copy_view_enabled = False
    locals().update(_scoped_views(_districts_scope))


class SchoolViewSet(ScopedModelViewSet):
    model = School
    icon = "home"
    menu_label = _("学校")
    form_fields = ["district", "name", "level", "demonstration", "address", "contact_name", "contact_phone"]
    list_display = ["name", "district", "level", "demonstration", "contact_name"]
    list_filter = ["district", "level", "demonstration"]
    search_fields = ["name"]
    list_export = [
        "district.name",
        "name",
        "get_level_display",
        "get_demonstration_display",
        "address",
        "contact_name",
        "contact_phone",
    ]
    export_headings = {
        "district.name": _("区县"),
        "get_level_display": _("学段"),
        "get_demonstration_display": _("示范学校"),
    }
    copy_view_enabled = False
    locals().update(_scoped_views(_schools_scope))


class SchoolClassViewSet(ScopedModelViewSet):
    model = SchoolClass
    icon = "group"
    menu_label = _("班级")
    form_fields = ["school", "school_year", "grade", "name", "student_count", "head_teacher"]
    list_display = ["name", "school", "school_year", "grade", "student_count", "head_teacher"]
    list_filter = ["school_year", "grade", "school"]
    search_fields = ["name"]
    copy_view_enabled = False
    locals().update(_scoped_views(_classes_scope))


class TeacherProfileViewSet(ScopedModelViewSet):
    model = TeacherProfile
    icon = "user"
    menu_label = _("教师")
    form_fields = ["user", "school", "classes"]
    list_display = ["user", "school"]
    list_filter = ["school"]
    copy_view_enabled = False
    locals().update(_scoped_views(_teachers_scope))


class FiveOnesActivityViewSet(ModelViewSet):
    model = FiveOnesActivity
    icon = "list-ol"
    menu_label = _("活动类型")
    form_fields = [
        "school_year",
        "name",
        "description",
        "order",
        "active",
        "min_photos",
        "requires_participant_count",
        "requires_sample_works",
        "requires_sign_in_sheet",
    ]
    list_display = ["name", "school_year", "order", "active", "min_photos"]
    list_filter = ["school_year", "active"]
    copy_view_enabled = True


class DistrictStaffViewSet(ModelViewSet):
    model = DistrictStaff
    icon = "user"
    menu_label = _("禁毒办人员")
    form_fields = ["user", "district"]
    list_display = ["user", "district"]
    copy_view_enabled = False


class RecordFilterSet(WagtailFilterSet):
    district = django_filters.ModelChoiceFilter(
        label=_("区县"), field_name="school_class__school__district", queryset=District.objects.all()
    )
    school = django_filters.ModelChoiceFilter(
        label=_("学校"), field_name="school_class__school", queryset=School.objects.all()
    )
    grade = django_filters.NumberFilter(label=_("年级"), field_name="school_class__grade")
    date = django_filters.DateFromToRangeFilter(label=_("活动日期"), widget=DateRangePickerWidget)

    class Meta:
        model = ActivityRecord
        fields = ["district", "school", "grade", "activity", "status", "term", "date"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None:
            self.filters["district"].queryset = access.districts_for(request.user)
            self.filters["school"].queryset = access.schools_for(request.user)


# Inline: the generic listing does not load this app's stylesheet.
THUMB_STYLE = "object-fit:cover;border-radius:4px;margin-right:4px"


class ThumbnailsColumn(Column):
    def get_value(self, instance):
        photos = list(instance.photos.all())[:3]
        return (
            format_html_join(
                "",
                '<img src="{}" alt="" width="48" height="48" loading="lazy" style="{}">',
                ((reverse("schools:photo", args=[p.pk, "thumb"]), THUMB_STYLE) for p in photos),
            )
            or "-"
        )


class ReviewLinkColumn(Column):
    def get_value(self, instance):
        return format_html('<a href="{}">{}</a>', reverse("fiveones_review:record", args=[instance.pk]), _("查看/审核"))


class RecordEditRedirectView(generic.EditView):
    """Records change only through review (services): the edit URL opens the review page, which checks scope."""

    def dispatch(self, request, *args, **kwargs):
        return redirect("fiveones_review:record", pk=kwargs["pk"])


class ActivityRecordViewSet(ModelViewSet):
    """Records are evidence: reviewers list, filter, export and review them, but never edit them here."""

    model = ActivityRecord
    icon = "doc-full"
    menu_label = _("活动记录")
    form_fields = ["status"]  # edit needs "change", which no role holds; review goes through services
    filterset_class = RecordFilterSet
    list_display = [
        ThumbnailsColumn("photos", label=_("照片"), classname="fiveones-thumbs"),
        Column("school_class", label=_("班级")),
        "activity",
        "date",
        "participants",
        Column("get_status_display", label=_("状态")),
        ReviewLinkColumn("review", label=_("审核")),
    ]
    list_export = [
        "school_class.school.district.name",
        "school_class.school.name",
        "school_class.grade",
        "school_class.name",
        "school_class.student_count",
        "activity.name",
        "school_year",
        "term",
        "date",
        "participants",
        "get_status_display",
        "return_reason",
        "submitted_by_name",
        "reviewed_by_name",
        "description",
    ]
    export_headings = {
        "school_class.school.district.name": _("区县"),
        "school_class.school.name": _("学校"),
        "school_class.grade": _("年级"),
        "school_class.name": _("班级"),
        "school_class.student_count": _("班级人数"),
        "activity.name": _("活动类型"),
        "get_status_display": _("状态"),
        "submitted_by_name": _("提交人"),
        "reviewed_by_name": _("审核人"),
    }
    export_filename = "fiveones-records"
    copy_view_enabled = False
    locals().update(_scoped_views(_records_scope))
    edit_view_class = RecordEditRedirectView

    def get_queryset(self, request):
        return ActivityRecord.objects.select_related(
            "school_class__school__district", "activity", "submitted_by", "reviewed_by"
        ).prefetch_related("photos")


class ReviewMenuItem(MenuItem):
    def is_shown(self, request):
        return access.can_review(request.user) and request.user.has_perm("schools.review_activityrecord")


class ReviewViewSet(ViewSet):
    """The review queue (bulk approve) and one record's review page."""

    name = "fiveones_review"
    icon = "tasks"
    menu_label = _("待审核")
    menu_item_class = ReviewMenuItem

    def get_urlpatterns(self):
        return [
            path("", ReviewQueueView.as_view(), name="queue"),
            path("<int:pk>/", ReviewRecordView.as_view(), name="record"),
        ]


class DashboardMenuItem(ReviewMenuItem):
    pass


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_import(request.user)


class ImportViewSet(ViewSet):
    """Upload schools, classes and head teachers from the office's xlsx."""

    name = "fiveones_import"
    icon = "upload"
    menu_label = _("导入学校班级")
    menu_item_class = ImportMenuItem

    def get_urlpatterns(self):
        return [
            path("", ImportView.as_view(), name="upload"),
            path("template.xlsx", import_template, name="template"),
        ]


class FiveOnesGroup(ModelViewSetGroup):
    menu_label = _("学校五个一")
    menu_icon = "tasks"
    menu_order = 250
    items = (
        ReviewViewSet(),
        ActivityRecordViewSet("fiveones_records"),
        FiveOnesActivityViewSet("fiveones_activities"),
        SchoolClassViewSet("fiveones_classes"),
        TeacherProfileViewSet("fiveones_teachers"),
        SchoolViewSet("fiveones_schools"),
        DistrictViewSet("fiveones_districts"),
        DistrictStaffViewSet("fiveones_district_staff"),
        ImportViewSet(),
    )

    def get_submenu_items(self):
        items = super().get_submenu_items()
        items.append(DashboardMenuItem(_("完成率统计"), reverse("schools:dashboard"), icon_name="view", order=99))
        return items


@hooks.register("register_admin_viewset")
def register_five_ones():
    return FiveOnesGroup()
