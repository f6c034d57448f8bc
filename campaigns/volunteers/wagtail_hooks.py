"""The 禁毒志愿者 admin: rosters, teams, events with roles, service records, and the custom screens.

Wagtail does not scope a record's edit URL by team, so every viewset filters its
listing *and* every object view through ``access`` (another team's row is a 404),
forms offer only in-scope choices, and phone numbers in listings and exports go
through ``access.phone_for`` (masked outside the team leader and staff).
"""

import django_filters
from django import forms
from django.apps import apps
from django.forms import modelform_factory
from django.http import Http404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, ObjectList, PageChooserPanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from accounts import roles
from accounts.models import User

from . import access
from .admin_views import ApplicationsView, AttendanceView, ImportView, InviteView, ReportView
from .models import ServiceEvent, ServiceRecord, Skill, Team, Volunteer

# Scoping ---------------------------------------------------------------------


class PhoneExportMixin:
    """Exports write the phone as the exporting user may see it (masked outside leader/staff)."""

    def to_row_dict(self, item):
        row = super().to_row_dict(item)
        for field in ("phone", "volunteer.phone"):
            if field in row:
                volunteer = item if field == "phone" else item.volunteer
                row[field] = access.phone_for(self.request.user, volunteer)
        return row


def scoped_views(scope):
    """Index/edit/delete/inspect/history/usage view classes that only see ``scope(user)``."""

    class ScopedObject:
        def get_object(self, *args, **kwargs):
            obj = super().get_object(*args, **kwargs)
            if obj is None or not scope(self.request.user).filter(pk=obj.pk).exists():
                raise Http404
            return obj

    class Index(PhoneExportMixin, generic.IndexView):
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


def _leaders():
    return User.objects.filter(groups__name=roles.TEAM_LEADER).distinct()


class ScopedForm(WagtailAdminModelForm):
    """Limits team/district/leader choices to what the editing user oversees."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.for_user = for_user
        if for_user is None:
            return
        limits = {
            "team": access.teams_for(for_user),
            "district": access.districts_for(for_user),
            "leader": _leaders(),
        }
        for name, queryset in limits.items():
            if name in self.fields:
                self.fields[name].queryset = queryset


class VolunteerForm(ScopedForm):
    availability = forms.MultipleChoiceField(
        label=_("可服务时间"),
        choices=Volunteer.Availability.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def clean_status(self):
        status = self.cleaned_data["status"]
        was = self.instance.status if self.instance.pk else None
        if was == Volunteer.Status.APPLIED and status == Volunteer.Status.ACTIVE:
            raise forms.ValidationError(_("请在“待审核申请”中批准（会为志愿者生成登录账号）。"))
        return status


class EventForm(ScopedForm):
    def clean(self):
        cleaned = super().clean()
        user = self.for_user
        # A leader who is not office staff must keep the event inside their own team, or lose it.
        leader_only = user is not None and not access.is_city_staff(user) and access.staff_district_id(user) is None
        if leader_only and not cleaned.get("team"):
            self.add_error("team", _("队长创建的活动须选择本队为组织队伍。"))
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("结束时间须晚于开始时间。"))
        return cleaned


class ScopedModelViewSet(ModelViewSet):
    copy_view_enabled = False
    form_class = ScopedForm

    def get_form_class(self, for_update=False):
        if self._edit_handler:
            return self._edit_handler.get_form_class()
        return modelform_factory(
            self.model, form=self.form_class, formfield_callback=self.formfield_for_dbfield, fields=self.form_fields
        )


# Columns ---------------------------------------------------------------------


class PhoneColumn(Column):
    """The phone as the viewing user may see it."""

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context.get("request")
        volunteer = instance if isinstance(instance, Volunteer) else instance.volunteer
        context["value"] = access.phone_for(request.user, volunteer) if request else volunteer.masked_phone
        return context


class EventActionsColumn(Column):
    def get_value(self, instance):
        return format_html(
            '<a class="button button-small button-secondary" href="{}">{}</a> '
            '<a class="button button-small" href="{}">{}</a>',
            reverse("volunteers_desk:invite", args=[instance.pk]),
            _("邀请"),
            reverse("volunteers_desk:attendance", args=[instance.pk]),
            _("签到与时长"),
        )


class CertificateColumn(Column):
    def get_value(self, instance):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("volunteers:certificate", args=[instance.certificate_number, "png"]),
            instance.certificate_number,
        )


# Filters ---------------------------------------------------------------------


class VolunteerFilterSet(WagtailFilterSet):
    district = django_filters.ModelChoiceFilter(
        label=_("区县"), field_name="team__district", queryset=apps.get_model("schools", "District").objects.all()
    )
    skill = django_filters.ModelChoiceFilter(label=_("技能"), field_name="skills", queryset=Skill.objects.all())

    class Meta:
        model = Volunteer
        fields = ["team", "district", "skill", "status", "gender"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None:
            self.filters["team"].queryset = access.teams_for(request.user)
            self.filters["district"].queryset = access.districts_for(request.user)


class EventFilterSet(WagtailFilterSet):
    class Meta:
        model = ServiceEvent
        fields = ["district", "team", "status"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None:
            self.filters["team"].queryset = access.teams_for(request.user)
            self.filters["district"].queryset = access.districts_for(request.user)


class RecordFilterSet(WagtailFilterSet):
    team = django_filters.ModelChoiceFilter(label=_("队伍"), field_name="volunteer__team", queryset=Team.objects.all())
    year = django_filters.NumberFilter(label=_("年份"), field_name="check_in__year")

    class Meta:
        model = ServiceRecord
        fields = ["team", "year", "event"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None:
            self.filters["team"].queryset = access.teams_for(request.user)
            self.filters["event"].queryset = access.events_for(request.user)


# Viewsets --------------------------------------------------------------------


class VolunteerViewSet(ScopedModelViewSet):
    model = Volunteer
    icon = "user"
    menu_label = _("志愿者名册")
    form_class = VolunteerForm
    form_fields = [
        "name",
        "phone",
        "id_last4",
        "gender",
        "birth_year",
        "team",
        "skills",
        "availability",
        "availability_note",
        "status",
        "joined_on",
    ]
    filterset_class = VolunteerFilterSet
    list_display = [
        "name",
        PhoneColumn("phone", label=_("手机号")),
        "team",
        Column("skill_names", label=_("技能特长")),
        Column("get_status_display", label=_("状态")),
        "joined_on",
    ]
    search_fields = ["name"]
    list_export = [
        "name",
        "phone",
        "get_gender_display",
        "birth_year",
        "team.name",
        "team.district.name",
        "skill_names",
        "availability_labels",
        "availability_note",
        "get_status_display",
        "joined_on",
    ]
    export_headings = {
        "get_gender_display": _("性别"),
        "team.name": _("队伍"),
        "team.district.name": _("区县"),
        "skill_names": _("技能特长"),
        "availability_labels": _("可服务时间"),
        "get_status_display": _("状态"),
    }
    export_filename = "volunteers"
    locals().update(scoped_views(access.volunteers_for))

    def get_queryset(self, request):
        return Volunteer.objects.select_related("team__district", "team__leader").prefetch_related("skills")

    def formfield_for_dbfield(self, db_field, **kwargs):
        if db_field.name == "skills":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_dbfield(db_field, **kwargs)


class TeamViewSet(ScopedModelViewSet):
    model = Team
    icon = "group"
    menu_label = _("队伍")
    form_fields = ["name", "kind", "district", "leader", "description"]
    list_display = ["name", Column("get_kind_display", label=_("队伍类型")), "district", "leader"]
    list_filter = ["kind", "district"]
    search_fields = ["name"]
    list_export = ["name", "get_kind_display", "district.name", "leader.name", "description"]
    export_headings = {"get_kind_display": _("队伍类型"), "district.name": _("区县"), "leader.name": _("队长")}
    export_filename = "volunteer-teams"
    locals().update(scoped_views(access.teams_for))


class SkillViewSet(ModelViewSet):
    model = Skill
    icon = "tag"
    menu_label = _("技能")
    form_fields = ["name", "order"]
    list_display = ["name", "order"]
    copy_view_enabled = False


def _campaign_page_type():
    """Campaign pages if the pages app defines them (checked at runtime: it is being written alongside)."""
    try:
        apps.get_model("pages", "CampaignPage")
    except LookupError:
        return None
    return "pages.CampaignPage"


class ServiceEventViewSet(ScopedModelViewSet):
    model = ServiceEvent
    icon = "date"
    menu_label = _("服务活动")
    filterset_class = EventFilterSet
    list_display = [
        "title",
        "starts_at",
        "district",
        "team",
        Column("get_status_display", label=_("状态")),
        EventActionsColumn("actions", label=_("操作")),
    ]
    search_fields = ["title", "place"]
    list_export = ["title", "starts_at", "ends_at", "district.name", "team.name", "place", "get_status_display"]
    export_headings = {"district.name": _("区县"), "team.name": _("组织队伍"), "get_status_display": _("状态")}
    export_filename = "volunteer-events"
    locals().update(scoped_views(access.events_for))

    def get_queryset(self, request):
        return ServiceEvent.objects.select_related("district", "team")

    def get_edit_handler(self):
        page_type = _campaign_page_type()
        panels = [
            FieldPanel("title"),
            PageChooserPanel("campaign_page", page_type=page_type) if page_type else FieldPanel("campaign_page"),
            FieldRowPanel([FieldPanel("district"), FieldPanel("team")]),
            FieldPanel("place"),
            FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
            FieldPanel("description"),
            FieldRowPanel([FieldPanel("status"), FieldPanel("organisation")]),
            InlinePanel(
                "roles",
                heading=_("岗位与名额"),
                label=_("岗位"),
                min_num=1,
                panels=[
                    FieldRowPanel([FieldPanel("name"), FieldPanel("slots")]),
                    FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
                ],
            ),
        ]
        return ObjectList(panels, base_form_class=EventForm).bind_to_model(self.model)


class ServiceRecordViewSet(ModelViewSet):
    """Service records are evidence: listed, filtered and exported here; written by the attendance screen."""

    model = ServiceRecord
    icon = "doc-full"
    menu_label = _("服务记录")
    form_fields = ["content"]  # no role holds add/change: records come from the attendance screen
    filterset_class = RecordFilterSet
    list_display = [
        Column("volunteer", label=_("志愿者")),
        PhoneColumn("phone", label=_("手机号")),
        Column("event", label=_("服务活动")),
        "check_in",
        "hours",
        CertificateColumn("certificate_number", label=_("证明编号")),
    ]
    list_export = [
        "volunteer.name",
        "volunteer.phone",
        "volunteer.team.name",
        "content",
        "check_in",
        "check_out",
        "hours",
        "organisation",
        "certificate_number",
        "issued_on",
    ]
    export_headings = {"volunteer.name": _("姓名"), "volunteer.phone": _("手机号"), "volunteer.team.name": _("队伍")}
    export_filename = "volunteer-service-records"
    copy_view_enabled = False
    locals().update(scoped_views(access.records_for))

    def get_queryset(self, request):
        return ServiceRecord.objects.select_related("volunteer__team", "event")


class DeskMenuItem(MenuItem):
    def __init__(self, *args, permission, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return access.can_manage(request.user) and request.user.has_perm(self.permission)


class DeskViewSet(ViewSet):
    """Applications, invitations, attendance, the hours report and roster import."""

    name = "volunteers_desk"
    add_to_admin_menu = False

    def get_urlpatterns(self):
        return [
            path("applications/", ApplicationsView.as_view(), name="applications"),
            path("events/<int:pk>/invite/", InviteView.as_view(), name="invite"),
            path("events/<int:pk>/attendance/", AttendanceView.as_view(), name="attendance"),
            path("report/", ReportView.as_view(), name="report"),
            path("import/", ImportView.as_view(), name="import"),
        ]


class VolunteersGroup(ModelViewSetGroup):
    menu_label = _("禁毒志愿者")
    menu_icon = "group"
    menu_order = 260
    items = (
        VolunteerViewSet("volunteers_roster"),
        ServiceEventViewSet("volunteers_events"),
        ServiceRecordViewSet("volunteers_records"),
        TeamViewSet("volunteers_teams"),
        SkillViewSet("volunteers_skills"),
    )

    def get_submenu_items(self):
        items = super().get_submenu_items()
        items.insert(
            0,
            DeskMenuItem(
                _("待审核申请"),
                reverse("volunteers_desk:applications"),
                icon_name="tasks",
                order=1,
                permission="volunteers.change_volunteer",
            ),
        )
        items.append(
            DeskMenuItem(
                _("服务时长统计"),
                reverse("volunteers_desk:report"),
                icon_name="table",
                order=98,
                permission="volunteers.view_volunteer",
            )
        )
        items.append(
            DeskMenuItem(
                _("导入名册"),
                reverse("volunteers_desk:import"),
                icon_name="upload",
                order=99,
                permission="volunteers.add_volunteer",
            )
        )
        return items


@hooks.register("register_admin_viewset")
def register_volunteers():
    return [DeskViewSet(), VolunteersGroup()]
