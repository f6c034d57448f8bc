"""Front-end views: the teacher desk (phones first), evidence files and the office dashboard."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from campaigns.xlsx import xlsx_response

from . import access, exports, rates, services
from .forms import STATUS_BADGES, ActivityLogForm, DashboardFilterForm
from .models import ActivityFile, ActivityPhoto, ActivityRecord, SchoolClass, current_school_year
from .services import Evidence

Status = ActivityRecord.Status


def _require_teacher(request):
    if not access.is_teacher(request.user):
        raise PermissionDenied(_("只有登记了任教学校的教师可以使用工作台。"))


def _class_rows(classes, school_year):
    """Per class, each required type with its record (or None) and a badge."""
    activities = list(rates.required_activities(school_year))
    records = {
        (r.school_class_id, r.activity_id): r
        for r in ActivityRecord.objects.filter(school_class__in=classes, activity__in=activities)
    }
    rows = []
    for klass in classes:
        items = []
        done = 0
        for activity in activities:
            record = records.get((klass.pk, activity.pk))
            if record is not None and record.status == Status.APPROVED:
                done += 1
            items.append(
                {
                    "activity": activity,
                    "record": record,
                    "badge": STATUS_BADGES.get(record.status, "") if record else "",
                    "label": record.get_status_display() if record else _("未登记"),
                    "can_log": record is None or record.status in (Status.RETURNED, Status.DRAFT),
                }
            )
        rows.append(
            {
                "klass": klass,
                "items": items,
                "done": done,
                "required": len(activities),
                "percent": round(done * 100 / len(activities)) if activities else 0,
            }
        )
    return rows


@login_required
def desk(request):
    """The teacher's classes this school year and where each five-ones activity stands."""
    _require_teacher(request)
    school_year = current_school_year()
    classes = list(
        access.teacher_classes(request.user)
        .filter(school_year=school_year)
        .select_related("school")
        .annotate(student_accounts=Count("student_profiles", filter=Q(student_profiles__user__is_active=True)))
    )
    return render(
        request,
        "schools/desk.html",
        {"rows": _class_rows(classes, school_year), "school_year": school_year, "saved": request.GET.get("saved")},
    )


@login_required
def log_activity(request, class_id):
    """One form to log (or correct a returned) activity for one class."""
    _require_teacher(request)
    klass = get_object_or_404(access.teacher_classes(request.user).select_related("school"), pk=class_id)
    done = ActivityRecord.objects.filter(school_class=klass, status__in=[Status.SUBMITTED, Status.APPROVED]).values(
        "activity"
    )
    activities = rates.required_activities(klass.school_year).exclude(pk__in=done)
    record = None
    activity_id = request.GET.get("activity") or request.POST.get("activity")
    if activity_id and str(activity_id).isdigit():
        record = ActivityRecord.objects.filter(
            school_class=klass, activity_id=activity_id, status=Status.RETURNED
        ).first()
    initial = {}
    if record is not None:
        initial = {
            "activity": record.activity_id,
            "date": record.date,
            "term": record.term,
            "participants": record.participants,
            "description": record.description,
        }
    elif activity_id and str(activity_id).isdigit():
        initial = {"activity": int(activity_id)}
    if request.method == "POST":
        form = ActivityLogForm(request.POST, request.FILES, activities=activities, record=record, initial=initial)
        if form.is_valid():
            data = form.cleaned_data
            files = [("sample_work", f) for f in data["sample_works"]]
            if data["sign_in_sheet"]:
                files.append(("sign_in_sheet", data["sign_in_sheet"]))
            evidence = Evidence(
                date=data["date"],
                term=data["term"],
                participants=data["participants"],
                description=data["description"],
                photos=data["photos"],
                files=files,
                remove_photo_ids=[int(pk) for pk in data.get("remove_photos") or []],
            )
            try:
                if record is not None:
                    services.resubmit(user=request.user, record=record, evidence=evidence)
                else:
                    services.submit_record(
                        user=request.user, school_class=klass, activity=data["activity"], evidence=evidence
                    )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("已提交，等待学校审核。"))
                return redirect(reverse("schools:desk") + f"?saved={klass.pk}")
    else:
        form = ActivityLogForm(activities=activities, record=record, initial=initial)
    return render(
        request,
        "schools/log.html",
        {"form": form, "klass": klass, "record": record, "activities": activities, "max_photos": services.MAX_PHOTOS},
    )


def _add_errors(form, exc: ValidationError):
    field_map = {"sample_works": "sample_works", "sign_in_sheet": "sign_in_sheet"}
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field_map.get(field, field)
            form.add_error(target if target in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
def photo(request, pk, kind):
    """Serve a photo only to the teachers of its class and the reviewers in scope (minors appear in them)."""
    item = get_object_or_404(ActivityPhoto.objects.select_related("record"), pk=pk)
    if not access.can_see_record(request.user, item.record):
        raise Http404
    field = {"thumb": item.thumbnail, "display": item.image, "original": item.original}.get(kind)
    if not field:
        raise Http404
    response = FileResponse(field.open("rb"))
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def evidence_file(request, pk):
    item = get_object_or_404(ActivityFile.objects.select_related("record"), pk=pk)
    if not access.can_see_record(request.user, item.record):
        raise Http404
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name or None)


def _dashboard_scope(request):
    if not access.can_review(request.user):
        raise PermissionDenied(_("只有学校管理员和禁毒办人员可以查看统计。"))
    years = sorted(
        set(SchoolClass.objects.values_list("school_year", flat=True)) | {current_school_year()}, reverse=True
    )
    districts = access.districts_for(request.user)
    form = DashboardFilterForm(request.GET or None, years=years, districts=districts)
    school_year, term, district = current_school_year(), None, None
    if form.is_valid():
        school_year = form.cleaned_data["school_year"] or school_year
        term = form.cleaned_data["term"]
        district = form.cleaned_data["district"]
    schools = access.schools_for(request.user)
    if district is not None:
        schools = schools.filter(district=district)
    return form, schools, school_year, term


@login_required
def dashboard(request):
    """Completion by district, school and activity type, and who is still missing what."""
    form, schools, school_year, term = _dashboard_scope(request)
    activities = list(rates.required_activities(school_year))
    total = rates.totals(schools, school_year, term)
    school_rows = list(rates.schools_with_rates(schools, school_year, term).order_by("district__order", "name"))
    for s in school_rows:
        s.required_pairs = s.class_count * s.required
        s.percent = round(rates.rate(s.done_pairs, s.required_pairs) * 100)
    district_rows = list(
        rates.districts_with_rates(
            access.districts_for(request.user).filter(schools__in=schools).distinct(), school_year, term
        )
    )
    for d in district_rows:
        d.required_pairs = d.class_count * d.required
        d.percent = round(rates.rate(d.done_pairs, d.required_pairs) * 100)
    by_type = rates.completed_classes_by_type(schools, school_year, term)
    type_rows = [
        {
            "activity": a,
            "done": by_type.get(a.pk, 0),
            "percent": round(by_type.get(a.pk, 0) * 100 / total.classes) if total.classes else 0,
        }
        for a in activities
    ]
    classes = rates.classes_with_rates(SchoolClass.objects.filter(school__in=schools), school_year, term)
    missing = list(
        classes.filter(done__lt=len(activities)).order_by("school__district__order", "school__name", "grade", "name")[
            :200
        ]
    )
    _attach_missing(missing, activities, term)
    return render(
        request,
        "schools/dashboard.html",
        {
            "form": form,
            "school_year": school_year,
            "term": term,
            "total": total,
            "schools": school_rows,
            "districts": district_rows,
            "types": type_rows,
            "missing": missing,
            "query": request.GET.urlencode(),
        },
    )


def _attach_missing(classes, activities, term):
    approved = set(
        ActivityRecord.objects.filter(
            school_class__in=classes, status=Status.APPROVED, **({"term": term} if term else {})
        ).values_list("school_class_id", "activity_id")
    )
    for klass in classes:
        klass.missing = [a for a in activities if (klass.pk, a.pk) not in approved]


@login_required
def dashboard_export(request):
    """The office sheet: a row per school, a column per activity type (completed classes / classes)."""
    _form, schools, school_year, term = _dashboard_scope(request)
    content = exports.office_workbook(schools, school_year, term)
    suffix = f"-T{term}" if term else ""
    return xlsx_response(content, f"fiveones-{school_year}{suffix}.xlsx")
