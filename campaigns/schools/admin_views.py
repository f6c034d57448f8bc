"""Review screens in the Wagtail admin: the queue with bulk approve, and one record's evidence.

Both read through ``access.records_for`` (a record outside the reviewer's
school or district is a 404) and change state only through ``services``.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from campaigns.xlsx import XlsxImportView, xlsx_response

from . import access, services
from .forms import STATUS_BADGES, ReturnForm
from .imports import import_workbook, template_workbook
from .models import ActivityRecord

Status = ActivityRecord.Status


class ReviewerRequiredMixin:
    def dispatch(self, request, *args, **kwargs):
        if not (access.can_review(request.user) and request.user.has_perm("schools.review_activityrecord")):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ReviewQueueView(ReviewerRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """Submitted records in scope, oldest first, with checkboxes for bulk approval."""

    template_name = "schools/admin/review_queue.html"
    page_title = gettext_lazy("五个一审核")
    header_icon = "tasks"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        records = (
            access.records_for(self.request.user)
            .filter(status=Status.SUBMITTED)
            .select_related("school_class__school__district", "activity", "submitted_by")
            .prefetch_related("photos")
            .order_by("submitted_at", "pk")
        )
        context["page_obj"] = Paginator(records, 50).get_page(self.request.GET.get("p"))
        return context

    def post(self, request):
        ids = [int(pk) for pk in request.POST.getlist("record") if pk.isdigit()]
        if not ids:
            messages.warning(request, _("请先勾选要通过的记录。"))
        else:
            count = services.bulk_approve(user=request.user, record_ids=ids)
            messages.success(request, _("已批量通过 %(n)s 条记录。") % {"n": count})
        return redirect("fiveones_review:queue")


class ReviewRecordView(ReviewerRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """One record with its photos and files; approve, or return with a reason."""

    template_name = "schools/admin/review_record.html"
    header_icon = "tasks"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.record = None

    def get_record(self):
        if self.record is None:
            self.record = get_object_or_404(
                access.records_for(self.request.user).select_related(
                    "school_class__school__district", "activity", "submitted_by", "reviewed_by"
                ),
                pk=self.kwargs["pk"],
            )
        return self.record

    def get_page_title(self):
        return str(self.get_record())

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("fiveones_review:queue"), "label": _("五个一审核")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, return_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        record = self.get_record()
        context.update(
            record=record,
            badge=STATUS_BADGES.get(record.status, ""),
            photos=record.photos.all(),
            files=record.files.all(),
            return_form=return_form or ReturnForm(),
            can_decide=record.status == Status.SUBMITTED,
        )
        return context

    def post(self, request, pk):
        record = self.get_record()
        action = request.POST.get("action")
        try:
            if action == "approve":
                services.approve(user=request.user, record=record)
                messages.success(request, _("已通过：%(r)s") % {"r": record})
            elif action == "return":
                form = ReturnForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(return_form=form), status=400)
                services.return_with_reason(user=request.user, record=record, reason=form.cleaned_data["reason"])
                messages.success(request, _("已退回：%(r)s") % {"r": record})
            else:
                return redirect("fiveones_review:record", pk=record.pk)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("fiveones_review:record", pk=record.pk)
        next_url = request.POST.get("next")
        if next_url and next_url.startswith("/admin/"):
            return redirect(next_url)
        return redirect(reverse("fiveones_review:queue"))


def can_import(user) -> bool:
    return access.can_review(user) and user.has_perm("schools.add_school") and access.districts_for(user).exists()


class ImportView(XlsxImportView):
    """Upload the office's xlsx: schools, classes and head teachers, one row per class."""

    template_name = "schools/admin/import.html"
    page_title = gettext_lazy("导入学校和班级")

    def dispatch(self, request, *args, **kwargs):
        if not can_import(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def import_file(self, file, *, dry_run):
        return import_workbook(file, user=self.request.user, dry_run=dry_run)


def import_template(request):
    if not can_import(request.user):
        raise PermissionDenied
    return xlsx_response(template_workbook(), "schools-import-template.xlsx")
