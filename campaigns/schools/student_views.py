"""Student class accounts: a teacher's class page (paste names, reset, deactivate) and the staff xlsx import.

Initial passwords live only in the response that shows them (printable table and an xlsx built into the same
page): nothing keeps them in clear, and the page is marked ``no-store`` so the back button cannot bring them back.
A reload that re-posts the names is refused as "already has an account", never doubled.
"""

import base64
import io
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.xlsx import XLSX_CONTENT_TYPE, xlsx_response

from . import access, exports, imports, services
from .forms import StudentImportForm, StudentNamesForm
from .models import StudentProfile, current_school_year

IMPORT_SESSION_KEY = "schools_student_import"


def _managed_class(request, class_id):
    return get_object_or_404(access.student_classes_for(request.user).select_related("school__district"), pk=class_id)


def _managed_profile(request, klass, pk):
    return get_object_or_404(
        StudentProfile.objects.select_related("user", "school_class__school"), school_class=klass, user_id=pk
    )


def _passwords_page(request, accounts, *, title, back_url, report=None):
    """The one page that shows initial passwords: printable, with the same table as an xlsx download."""
    workbook = exports.student_accounts_workbook(accounts) if accounts else b""
    response = render(
        request,
        "schools/students/passwords.html",
        {
            "accounts": accounts,
            "title": title,
            "back_url": back_url,
            "report": report,
            "xlsx_data": base64.b64encode(workbook).decode("ascii"),
            "xlsx_mime": XLSX_CONTENT_TYPE,
        },
    )
    add_never_cache_headers(response)
    return response


@login_required
def class_students(request, class_id):
    """A class's student accounts, and the form that creates more from pasted names."""
    klass = _managed_class(request, class_id)
    form = StudentNamesForm(request.POST or None, school_class=klass)
    if request.method == "POST" and form.is_valid():
        try:
            accounts = services.create_student_accounts(
                user=request.user, school_class=klass, names=form.cleaned_data["names"]
            )
        except ValidationError as exc:
            form.add_error("names", exc)
        else:
            return _passwords_page(
                request,
                accounts,
                title=_("%(c)s：新建 %(n)s 个学生账号") % {"c": klass.name, "n": len(accounts)},
                back_url=reverse("schools:class_students", args=[klass.pk]),
            )
    students = (
        StudentProfile.objects.filter(school_class=klass)
        .select_related("user", "created_by")
        .order_by("-user__is_active", "user__username")
    )
    return render(
        request,
        "schools/students/class.html",
        {
            "klass": klass,
            "form": form,
            "students": students,
            "active_count": sum(1 for s in students if s.user.is_active),
            "prefix": services.student_username_prefix(klass),
            "is_teacher": access.teacher_classes(request.user).filter(pk=klass.pk).exists(),
        },
    )


@login_required
@require_POST
def reset_password(request, class_id, pk):
    klass = _managed_class(request, class_id)
    profile = _managed_profile(request, klass, pk)
    account = services.reset_student_password(user=request.user, profile=profile)
    return _passwords_page(
        request,
        [account],
        title=_("%(name)s 的新密码") % {"name": account.name},
        back_url=reverse("schools:class_students", args=[klass.pk]),
    )


@login_required
@require_POST
def set_active(request, class_id, pk):
    klass = _managed_class(request, class_id)
    profile = _managed_profile(request, klass, pk)
    active = request.POST.get("active") == "1"
    try:
        services.set_student_active(user=request.user, profile=profile, active=active)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if active:
            messages.success(request, _("已重新启用 %(name)s 的账号。") % {"name": profile.user.name})
        else:
            messages.success(request, _("已停用 %(name)s 的账号，该学生不能再登录。") % {"name": profile.user.name})
    return redirect("schools:class_students", class_id=klass.pk)


def _require_importer(request):
    if not access.can_import_students(request.user):
        raise PermissionDenied(_("只有学校管理员和禁毒办人员可以导入学生账号。"))


@login_required
def import_students(request):
    """Upload → dry run with a line per row → confirm → accounts created, passwords shown once."""
    _require_importer(request)
    form = StudentImportForm()
    report = None
    token = ""
    if request.method == "POST" and request.POST.get("token"):
        pending = request.session.get(IMPORT_SESSION_KEY) or {}
        if not secrets.compare_digest(str(pending.get("token", "")), request.POST["token"]):
            messages.error(request, _("预览已过期或已导入，请重新上传文件。"))
            return redirect("schools:import_students")
        del request.session[IMPORT_SESSION_KEY]
        try:
            report = imports.import_students(
                io.BytesIO(base64.b64decode(pending["data"])), user=request.user, dry_run=False
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("schools:import_students")
        return _passwords_page(
            request,
            report.accounts,
            title=_("导入完成：新建 %(n)s 个学生账号") % {"n": len(report.accounts)},
            back_url=reverse("schools:import_students"),
            report=report,
        )
    if request.method == "POST":
        form = StudentImportForm(request.POST, request.FILES)
        if form.is_valid():
            content = form.cleaned_data["file"].read()
            try:
                report = imports.import_students(io.BytesIO(content), user=request.user, dry_run=True)
            except ValidationError as exc:
                form.add_error("file", exc)
            else:
                if report.ok_count:
                    # The checked file waits in the session for the confirmation; only names, no passwords yet.
                    token = secrets.token_urlsafe(16)
                    request.session[IMPORT_SESSION_KEY] = {
                        "token": token,
                        "data": base64.b64encode(content).decode("ascii"),
                    }
    classes = (
        access.student_classes_for(request.user)
        .filter(school_year=current_school_year())
        .select_related("school")
        .annotate(accounts=Count("student_profiles", filter=Q(student_profiles__user__is_active=True)))
        .order_by("school__district__order", "school__name", "grade", "name")[:300]
    )
    return render(
        request,
        "schools/students/import.html",
        {"form": form, "report": report, "token": token, "max_rows": imports.MAX_STUDENT_ROWS, "classes": classes},
    )


@login_required
def import_template(request):
    _require_importer(request)
    return xlsx_response(imports.student_template_workbook(), "students-import-template.xlsx")
