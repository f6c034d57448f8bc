"""Custom screens of the 禁毒志愿者 admin: applications, invitations, the one-screen attendance,
the hours report with the 十佳 shortlist, and roster import.

Every screen reads through ``access`` (another team's or district's rows are a 404)
and changes state only through ``services``. Phones go through ``access.phone_for``.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from campaigns.xlsx import XlsxImportView, xlsx_response

from . import access, services, spreadsheets
from .models import Assignment, Skill, Volunteer

AStatus = Assignment.Status


class ManagerRequiredMixin:
    permission = "volunteers.view_volunteer"

    def dispatch(self, request, *args, **kwargs):
        if not (access.can_manage(request.user) and request.user.has_perm(self.permission)):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class AdminPage(ManagerRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    header_icon = "group"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


# Applications ----------------------------------------------------------------


class ApplicationsView(AdminPage):
    """Applications waiting in the user's scope; approve (creates the login) or reject with a reason."""

    template_name = "volunteers/admin/applications.html"
    page_title = gettext_lazy("待审核申请")
    permission = "volunteers.change_volunteer"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        pending = (
            access.volunteers_for(user)
            .filter(status=Volunteer.Status.APPLIED)
            .select_related("team__district")
            .prefetch_related("skills")
            .order_by("created_at")
        )
        for volunteer in pending:
            volunteer.shown_phone = access.phone_for(user, volunteer)
        context["pending"] = pending
        # Shown once, on the page rather than in a toast, so the approver can read it out or copy it.
        context["credentials"] = self.request.session.pop("volunteer_credentials", None)
        return context

    def post(self, request):
        volunteer = get_object_or_404(access.volunteers_for(request.user), pk=request.POST.get("volunteer"))
        try:
            if request.POST.get("action") == "approve":
                result = services.approve(volunteer=volunteer, by=request.user)
                if result.password:
                    messages.success(request, _("已批准 %(name)s。") % {"name": volunteer.name})
                    request.session["volunteer_credentials"] = {
                        "name": volunteer.name,
                        "username": result.username,
                        "password": result.password,
                    }
                else:
                    messages.success(
                        request,
                        _("已批准 %(name)s，已关联现有账号 %(username)s。")
                        % {"name": volunteer.name, "username": result.username},
                    )
            elif request.POST.get("action") == "reject":
                services.reject(volunteer=volunteer, by=request.user, reason=request.POST.get("reason", ""))
                messages.success(request, _("已不予通过：%(name)s") % {"name": volunteer.name})
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("volunteers_desk:applications")


# Events ----------------------------------------------------------------------


class EventPage(AdminPage):
    permission = "volunteers.change_serviceevent"

    def get_event(self):
        if not hasattr(self, "_event"):
            self._event = get_object_or_404(
                access.events_for(self.request.user).select_related("district"), pk=self.kwargs["pk"]
            )
        return self._event

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("volunteers_events:index"), "label": _("服务活动")},
            {"url": "", "label": self.get_page_title()},
        ]


class InviteView(EventPage):
    """Pick active volunteers (filter by team and skill) and invite them to one role of the event."""

    template_name = "volunteers/admin/invite.html"
    page_title = gettext_lazy("邀请志愿者")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, event = self.request.user, self.get_event()
        candidates = (
            access.volunteers_for(user)
            .filter(status=Volunteer.Status.ACTIVE)
            .select_related("team")
            .prefetch_related("skills")
        )
        skill, team = self.request.GET.get("skill"), self.request.GET.get("team")
        if skill and skill.isdigit():
            candidates = candidates.filter(skills=skill)
        if team and team.isdigit():
            candidates = candidates.filter(team=team)
        candidates = list(candidates.distinct()[:300])
        for volunteer in candidates:
            volunteer.shown_phone = access.phone_for(user, volunteer)
        context.update(
            event=event,
            roles=event.roles.all(),
            candidates=candidates,
            skills=Skill.objects.all(),
            teams=access.teams_for(user),
            selected_skill=skill,
            selected_team=team,
        )
        return context

    def post(self, request, pk):
        event = self.get_event()
        role = get_object_or_404(event.roles.all(), pk=request.POST.get("role"))
        ids = [int(v) for v in request.POST.getlist("volunteer") if v.isdigit()]
        volunteers = list(access.volunteers_for(request.user).filter(pk__in=ids))
        try:
            count = services.invite(role=role, volunteers=volunteers, by=request.user)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已向 %(n)s 名志愿者发出“%(role)s”邀请。") % {"n": count, "role": role.name})
        return redirect("volunteers_desk:invite", pk=event.pk)


def _local(value):
    return timezone.localtime(value) if value else None


def _combine(date, time_text):
    try:
        time = datetime.time.fromisoformat(time_text)
    except (TypeError, ValueError):
        return None
    return timezone.make_aware(datetime.datetime.combine(date, time))


class AttendanceView(EventPage):
    """One screen after the event: attended/absent and check-in/out for every assigned volunteer, one submit."""

    template_name = "volunteers/admin/attendance.html"
    page_title = gettext_lazy("签到签退与服务时长")

    def get_rows(self):
        event, user = self.get_event(), self.request.user
        assignments = (
            Assignment.objects.filter(
                role__event=event, status__in=[AStatus.CONFIRMED, AStatus.ATTENDED, AStatus.ABSENT]
            )
            .select_related("volunteer__team", "role")
            .order_by("role__sort_order", "role__pk", "volunteer__name")
        )
        records = {r.volunteer_id: r for r in event.records.all()}
        rows = []
        for a in assignments:
            record = records.get(a.volunteer_id)
            start = _local(record.check_in if record else a.role.shift_start)
            end = _local(record.check_out if record else a.role.shift_end)
            rows.append(
                {
                    "assignment": a,
                    "phone": access.phone_for(user, a.volunteer),
                    "attended": a.status != AStatus.ABSENT,
                    "check_in": start.strftime("%H:%M"),
                    "check_out": end.strftime("%H:%M"),
                    "hours": record.hours if record else None,
                    "record": record,
                }
            )
        return rows

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event = self.get_event()
        context.update(
            event=event,
            rows=kwargs.get("rows") or self.get_rows(),
            event_date=_local(event.starts_at).date(),
            errors=kwargs.get("errors", []),
        )
        return context

    def post(self, request, pk):
        event = self.get_event()
        day = _local(event.starts_at).date()
        rows = []
        for key in request.POST:
            prefix, _sep, number = key.partition("-")
            if prefix != "status" or not number.isdigit():
                continue
            assignment_id = int(number)
            attended = request.POST[key] == "attended"
            rows.append(
                services.AttendanceRow(
                    assignment_id=assignment_id,
                    attended=attended,
                    check_in=_combine(day, request.POST.get(f"in-{assignment_id}")),
                    check_out=_combine(day, request.POST.get(f"out-{assignment_id}")),
                    content=request.POST.get(f"content-{assignment_id}", ""),
                )
            )
        try:
            written = services.record_attendance(event=event, rows=rows, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("volunteers_desk:attendance", pk=event.pk)
        messages.success(request, _("已保存出勤情况，生成/更新 %(n)s 条服务记录。") % {"n": written})
        return redirect("volunteers_desk:attendance", pk=event.pk)


# Hours report ----------------------------------------------------------------


class ReportView(AdminPage):
    """Totals per team and volunteer for a year, and the 十佳 shortlist; ?export=xlsx downloads it."""

    template_name = "volunteers/admin/report.html"
    page_title = gettext_lazy("服务时长统计")
    header_icon = "table"

    def get_year(self):
        year = self.request.GET.get("year", "")
        return int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else timezone.localdate().year

    def get_data(self):
        user, year = self.request.user, self.get_year()
        teams = services.team_hours(access.teams_for(user).select_related("district"), year).order_by("-year_hours")
        volunteers = (
            services.volunteer_hours(access.volunteers_for(user).select_related("team"), year)
            .filter(year_hours__gt=0)
            .order_by("-year_hours", "name")
        )
        return year, list(teams), [(v, access.phone_for(user, v)) for v in volunteers]

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            year, teams, volunteers = self.get_data()
            return xlsx_response(spreadsheets.hours_workbook(year, teams, volunteers), f"volunteer-hours-{year}.xlsx")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year, teams, volunteers = self.get_data()
        this_year = timezone.localdate().year
        context.update(
            year=year,
            years=range(this_year, this_year - 5, -1),
            teams=teams,
            volunteers=volunteers[:100],
            shortlist=services.ranking(access.volunteers_for(self.request.user), year, limit=10),
        )
        return context


# Import ----------------------------------------------------------------------


class ImportView(ManagerRequiredMixin, XlsxImportView):
    """Upload a roster; every row gets a line in the report (新增/更新/错误)."""

    template_name = "volunteers/admin/import.html"
    page_title = gettext_lazy("导入志愿者名册")
    permission = "volunteers.add_volunteer"

    def get(self, request, *args, **kwargs):
        if request.GET.get("template"):
            return xlsx_response(spreadsheets.template_workbook(), "volunteer-roster-template.xlsx")
        return super().get(request, *args, **kwargs)

    def import_file(self, file, *, dry_run):
        try:
            return spreadsheets.import_roster(file, by=self.request.user, dry_run=dry_run)
        except ValidationError:
            raise
        except Exception as exc:  # a broken upload is the user's error, not a server error
            raise ValidationError(_("无法读取该文件，请上传 xlsx 格式的名册。")) from exc
