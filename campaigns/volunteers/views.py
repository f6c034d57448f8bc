"""Public pages: the application form, upcoming events with open slots, my page, certificates, verification."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import access, certificates, services
from .forms import ApplicationForm
from .models import Assignment, EventRole, ServiceEvent, ServiceRecord, Volunteer

STATUS_BADGES = {
    Assignment.Status.INVITED: "badge-warn",
    Assignment.Status.CONFIRMED: "badge-ok",
    Assignment.Status.ATTENDED: "badge-ok",
    Assignment.Status.DECLINED: "",
    Assignment.Status.ABSENT: "badge-bad",
}


def _my_volunteer(user):
    if not user.is_authenticated:
        return None
    return Volunteer.objects.filter(user=user).select_related("team").first()


def apply(request):
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.apply(
                name=data["name"],
                phone=data["phone"],
                gender=data["gender"],
                birth_year=data["birth_year"],
                id_last4=data["id_last4"],
                team=data["team"],
                skills=data["skills"],
                availability=data["availability"],
                availability_note=data["availability_note"],
                user=request.user if request.user.is_authenticated else None,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            request.session["volunteer_applied_team"] = data["team"].name
            return redirect("volunteers:apply_done")
    return render(request, "volunteers/apply.html", {"form": form})


def apply_done(request):
    return render(request, "volunteers/apply_done.html", {"team": request.session.get("volunteer_applied_team")})


def _open_roles(events):
    taken = Count("assignments", filter=Q(assignments__status__in=Assignment.HOLDING))
    roles = EventRole.objects.filter(event__in=events).select_related("event").annotate(taken=taken)
    by_event = {}
    for role in roles:
        role.open = max(role.slots - role.taken, 0)
        by_event.setdefault(role.event_id, []).append(role)
    return by_event


def events(request):
    upcoming = list(
        ServiceEvent.objects.filter(status=ServiceEvent.Status.OPEN, starts_at__gt=timezone.now())
        .select_related("district")
        .order_by("starts_at")
    )
    roles = _open_roles(upcoming)
    for event in upcoming:
        event.role_list = roles.get(event.pk, [])
        event.open_slots = sum(r.open for r in event.role_list)
    return render(request, "volunteers/events.html", {"events": upcoming})


def event_detail(request, pk):
    event = get_object_or_404(ServiceEvent.objects.select_related("district", "campaign_page"), pk=pk)
    if event.status in (ServiceEvent.Status.DRAFT, ServiceEvent.Status.CANCELLED):
        raise Http404
    volunteer = _my_volunteer(request.user)
    roles = _open_roles([event]).get(event.pk, [])
    mine = {}
    if volunteer is not None:
        mine = {a.role_id: a for a in Assignment.objects.filter(volunteer=volunteer, role__event=event)}
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{_login_url()}?next={request.path}")
        if volunteer is None or volunteer.status != Volunteer.Status.ACTIVE:
            raise PermissionDenied(_("只有已通过审核的在册志愿者可以认领岗位。"))
        role = get_object_or_404(EventRole, pk=request.POST.get("role"), event=event)
        try:
            services.claim_slot(volunteer=volunteer, role=role)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("认领成功：%(role)s。请按时到场签到。") % {"role": role.name})
        return redirect("volunteers:event", pk=event.pk)
    for role in roles:
        role.mine = mine.get(role.pk)
        held = role.mine is not None and role.mine.status in Assignment.HOLDING
        role.clash = None if volunteer is None or held else services.clashing_assignment(volunteer, role)
    context = {
        "event": event,
        "roles": roles,
        "volunteer": volunteer,
        "can_claim": volunteer is not None
        and volunteer.status == Volunteer.Status.ACTIVE
        and event.status == ServiceEvent.Status.OPEN
        and event.starts_at > timezone.now(),
    }
    return render(request, "volunteers/event_detail.html", context)


def _login_url():
    return resolve_url(settings.LOGIN_URL)


@login_required
def me(request):
    volunteer = _my_volunteer(request.user)
    if volunteer is None:
        return render(request, "volunteers/me.html", {"volunteer": None})
    year = timezone.localdate().year
    assignments = (
        Assignment.objects.filter(volunteer=volunteer).select_related("role__event").order_by("-role__event__starts_at")
    )
    for assignment in assignments:
        assignment.badge = STATUS_BADGES.get(assignment.status, "")
    context = {
        "volunteer": volunteer,
        "assignments": assignments,
        "records": volunteer.records.select_related("event"),
        "year": year,
        "year_hours": services.total_hours(volunteer, year),
        "total_hours": services.total_hours(volunteer),
        "now": timezone.now(),
    }
    return render(request, "volunteers/me.html", context)


@login_required
@require_POST
def respond(request, pk, action):
    """The volunteer confirms or declines an invitation, or gives a slot back."""
    assignment = get_object_or_404(
        Assignment.objects.select_related("role__event"), pk=pk, volunteer__user=request.user
    )
    try:
        if action == "confirm":
            services.confirm(assignment=assignment)
            messages.success(request, _("已确认参加。"))
        elif action == "decline":
            services.decline(assignment=assignment)
            messages.success(request, _("已谢绝/退出该岗位。"))
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("volunteers:me")


@login_required
def certificate(request, number, kind):
    """A service certificate for its volunteer, or for leaders and staff who oversee the record."""
    record = get_object_or_404(
        ServiceRecord.objects.select_related("volunteer__team", "event"), certificate_number=number
    )
    own = record.volunteer.user_id == request.user.pk
    if not own and not access.records_for(request.user).filter(pk=record.pk).exists():
        raise Http404
    body = certificates.render(record, request.build_absolute_uri("/"), kind=kind)
    response = HttpResponse(body, content_type="application/pdf" if kind == "pdf" else "image/png")
    response["Content-Disposition"] = f'attachment; filename="certificate-{record.certificate_number}.{kind}"'
    return response


def verify(request, number):
    """Public: confirms a certificate is genuine. Masked name, hours, issuer and date; never a phone."""
    record = ServiceRecord.objects.select_related("volunteer__team").filter(certificate_number=number).first()
    return render(
        request, "volunteers/verify.html", {"record": record, "number": number}, status=200 if record else 404
    )
