"""Admin pages for importing questions: upload, progress + report, JSON status, template download.

The import runs in a background thread so the page can show progress; its
state lives in the cache (Redis when configured, so any Daphne process can
answer the status poll) under a random job id bound to the uploading user.
"""

import io
import logging
import threading
import uuid

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import connections
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .bank_io.readers import guess_format, read_file
from .bank_io.records import STATUS_LABELS
from .bank_io.tabular import template_xlsx
from .forms import ImportForm
from .services import import_questions

logger = logging.getLogger(__name__)
JOB_TTL = 60 * 60
PERMISSION = "quiz.add_question"


def _key(job_id: str) -> str:
    return f"quiz:import-job:{job_id}"


def _update(job_id: str, **changes):
    job = cache.get(_key(job_id)) or {}
    job.update(changes)
    cache.set(_key(job_id), job, JOB_TTL)


def run_in_background(target, *args):
    """Run ``target`` in a daemon thread that closes its database connections when done."""

    def run():
        try:
            target(*args)
        finally:
            connections.close_all()

    threading.Thread(target=run, daemon=True, name="quiz-import").start()


def run_job(job_id, data, filename, file_format, category, dry_run, skip_invalid):
    """Parse and import one uploaded file, writing progress and the final report into the cache."""
    try:
        file_format = file_format or guess_format(filename, data)
        _update(job_id, state="parsing", format=file_format)
        items = read_file(data, file_format)
        _update(job_id, state="running", done=0, total=len(items))
        report = import_questions(
            items,
            default_category=category,
            dry_run=dry_run,
            skip_invalid=skip_invalid,
            progress=lambda done, total: _update(job_id, done=done, total=total),
        )
        _update(job_id, state="done", done=1, total=1, report=report.as_dict())
    except Exception as exc:  # the page must show a failure instead of spinning forever
        logger.exception("question import %s failed", job_id)
        _update(job_id, state="failed", error=str(exc))


def _job_for(request, job_id):
    job = cache.get(_key(job_id))
    if not job or job.get("user") != request.user.pk:
        raise Http404
    return job


class BankPermissionMixin:
    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ImportView(BankPermissionMixin, WagtailAdminTemplateMixin, FormView):
    form_class = ImportForm
    template_name = "quiz/admin/import_form.html"
    page_title = gettext_lazy("批量导入题目")
    header_icon = "upload"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("questions:index"), "label": _("题目")},
            {"url": "", "label": self.page_title},
        ]

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        category = form.cleaned_data["category"]
        job_id = uuid.uuid4().hex
        cache.set(
            _key(job_id),
            {
                "state": "queued",
                "done": 0,
                "total": 0,
                "user": self.request.user.pk,
                "filename": upload.name,
                "dry_run": form.cleaned_data["dry_run"],
            },
            JOB_TTL,
        )
        run_in_background(
            run_job,
            job_id,
            upload.read(),
            upload.name,
            form.cleaned_data["format"],
            category.name if category else "",
            form.cleaned_data["dry_run"],
            form.cleaned_data["skip_invalid"],
        )
        return redirect("question-import:job", job_id=job_id)


class ImportJobView(BankPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "quiz/admin/import_job.html"
    page_title = gettext_lazy("导入进度与报告")
    header_icon = "upload"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("questions:index"), "label": _("题目")},
            {"url": reverse("question-import:upload"), "label": _("批量导入题目")},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        job = _job_for(self.request, kwargs["job_id"])
        report = job.get("report")
        if report:
            for row in report["rows"]:
                row["status_label"] = STATUS_LABELS[row["status"]]
            report["summary_items"] = [
                (status, STATUS_LABELS[status], count) for status, count in report["summary"].items() if count
            ]
            report["refused"] = bool(report["summary"]["not_imported"])
        context.update(
            job=job,
            report=report,
            percent=_percent(job),
            status_url=reverse("question-import:status", args=[kwargs["job_id"]]),
        )
        return context


def _percent(job) -> int:
    if job.get("state") in ("done", "failed"):
        return 100
    total = job.get("total") or 0
    return min(99, int(100 * (job.get("done") or 0) / total)) if total else 0


def job_status(request, job_id):
    """JSON polled by quiz_import.js: state, percent, and an error message when the job failed."""
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    job = _job_for(request, job_id)
    return JsonResponse({"state": job.get("state"), "percent": _percent(job), "error": job.get("error", "")})


def template_download(request):
    """The xlsx template with the expected columns and one example per question type."""
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    stream = io.BytesIO()
    template_xlsx(stream)
    response = HttpResponse(
        stream.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="question-bank-template.xlsx"'
    return response
