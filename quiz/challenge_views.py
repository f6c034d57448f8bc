"""Pages and small JSON endpoints of the city-wide challenge; every change goes through services.challenge.

Public pages (board, big screen, verification) show masked names only. JSON for an open paper never carries
correct answers or explanations: they come with the result page, after submission.
"""

from __future__ import annotations

import datetime
import io
import json

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.masking import mask_name
from campaigns.schools import access
from campaigns.schools.models import District, School, SchoolClass

from . import certificates
from .models import Certificate, Challenge, ChallengeAttempt, ChallengeGroup, Participant
from .services import challenge as svc

SESSION_KEY = svc.SESSION_KEY


def ns(request) -> str:
    """The namespace these views were reached through (``quiz:challenge`` now, ``challenge`` once moved)."""
    match = getattr(request, "resolver_match", None)
    return match.namespace if match is not None and match.namespace else "quiz:challenge"


def curl(name: str, *args, request=None) -> str:
    """Reverse a challenge URL in the current namespace, or wherever the module is included."""
    spaces = [ns(request)] if request is not None else []
    for space in [*spaces, "quiz:challenge", "challenge"]:
        try:
            return reverse(f"{space}:{name}", args=args)
        except NoReverseMatch:
            continue
    raise NoReverseMatch(name)


def _ctx(request, **extra) -> dict:
    return {"ns": ns(request) + ":", **extra}


def _published(slug: str) -> Challenge:
    return get_object_or_404(Challenge.objects.prefetch_related("groups"), slug=slug, is_published=True)


def _session_ids(request) -> list[int]:
    return svc.session_ids(request.session)


def _me(request, challenge) -> Participant | None:
    return svc.participant_for(challenge, request.user, _session_ids(request))


def _own_attempt(request, pk: int) -> ChallengeAttempt:
    """The attempt, if it belongs to the caller (signed-in user or this browser's registration); else 404."""
    return _own_attempt_for(request.user, _session_ids(request), pk)


def _own_attempt_for(user, session_ids, pk: int) -> ChallengeAttempt:
    attempt = get_object_or_404(
        ChallengeAttempt.objects.select_related("participant__challenge", "participant__group"), pk=pk
    )
    if not svc.owns(attempt, user, session_ids):
        raise Http404
    return svc.expire_if_due(attempt)


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "") or request.content_type == "application/json"


def _json_error(exc: svc.ChallengeError) -> JsonResponse:
    return JsonResponse(exc.as_json(), status=exc.status)


# Landing, registration, start -----------------------------------------------------------------------------------


@require_GET
def index(request):
    challenges = Challenge.objects.filter(is_published=True).order_by("-starts_at")
    return render(request, "quiz/challenge/index.html", _ctx(request, challenges=challenges))


@require_GET
def landing(request, slug):
    challenge = _published(slug)
    me = _me(request, challenge)
    now = timezone.now()
    attempts, today, open_attempt = [], 0, None
    if me is not None:
        for overdue in me.attempts.filter(status=ChallengeAttempt.Status.IN_PROGRESS, deadline_at__lt=now):
            svc.expire_if_due(overdue, now)
        attempts = list(me.attempts.order_by("-started_at")[:10])
        today = svc.scored_attempts_today(me, now)
        open_attempt = next((a for a in attempts if a.is_open and a.deadline_at >= now), None)
    return render(
        request,
        "quiz/challenge/landing.html",
        _ctx(
            request,
            challenge=challenge,
            me=me,
            attempts=attempts,
            today=today,
            left_today=max(0, challenge.attempts_per_day - today),
            open_attempt=open_attempt,
            is_open=svc.is_open(challenge, now),
            not_started=now < challenge.starts_at,
            level_labels=svc.LEVEL_LABELS,
        ),
    )


class RegistrationForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("姓名"), max_length=40)
    group = forms.ModelChoiceField(
        label=gettext_lazy("组别"), queryset=ChallengeGroup.objects.none(), empty_label=gettext_lazy("请选择组别")
    )
    district = forms.ModelChoiceField(label=gettext_lazy("区县"), queryset=District.objects.all(), required=False)
    school = forms.ModelChoiceField(label=gettext_lazy("学校"), queryset=School.objects.all(), required=False)
    school_class = forms.ModelChoiceField(
        label=gettext_lazy("班级"), queryset=SchoolClass.objects.all(), required=False
    )
    phone = forms.RegexField(
        label=gettext_lazy("手机号"), regex=r"^1\d{10}$", required=False, max_length=11,
        error_messages={"invalid": gettext_lazy("请填写 11 位手机号。")},
    )  # fmt: skip
    work_unit = forms.CharField(label=gettext_lazy("工作单位"), max_length=100, required=False)
    is_under_14 = forms.BooleanField(label=gettext_lazy("我未满 14 周岁"), required=False)
    guardian_name = forms.CharField(label=gettext_lazy("监护人姓名"), max_length=40, required=False)
    guardian_consent = forms.BooleanField(
        label=gettext_lazy("监护人已阅读并同意本平台为参赛目的处理孩子的姓名、学校和成绩"), required=False
    )

    def __init__(self, *args, challenge, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = challenge.groups.all()
        audience = challenge.districts.all()
        if audience.exists():
            self.fields["district"].queryset = audience
            self.fields["school"].queryset = School.objects.filter(district__in=audience)
            self.fields["school_class"].queryset = SchoolClass.objects.filter(school__district__in=audience)


def register(request, slug):
    challenge = _published(slug)
    me = _me(request, challenge)
    if me is not None:
        return redirect(curl("landing", slug, request=request))
    # A signed-in student with a class account registers in that class: shown read-only, never taken from the post.
    profile = access.student_profile(request.user)
    student_class = profile.school_class if profile is not None else None
    initial = {}
    if request.user.is_authenticated:
        initial["name"] = getattr(request.user, "display_name", "") or request.user.get_full_name()
    data = request.POST or None
    if student_class is not None and data is not None:
        data = data.copy()
        for key in ("district", "school", "school_class"):
            data.pop(key, None)
    form = RegistrationForm(data, challenge=challenge, initial=initial)
    if student_class is not None:
        form.fields["group"].queryset = challenge.groups.filter(
            pk__in=[g.pk for g in challenge.groups.all() if not g.is_public_group]
        )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if student_class is not None:
            data["district"] = student_class.school.district
            data["school"] = student_class.school
            data["school_class"] = student_class
        try:
            participant = svc.register(
                challenge,
                svc.Registration(
                    name=data["name"],
                    group=data["group"],
                    district=data["district"],
                    school=data["school"],
                    school_class=data["school_class"],
                    phone=data["phone"] or "",
                    work_unit=data["work_unit"],
                    is_under_14=data["is_under_14"],
                    guardian_name=data["guardian_name"],
                    guardian_consent=data["guardian_consent"],
                ),
                user=request.user,
            )
        except svc.ChallengeError as exc:
            form.add_error(None, exc.message)
        else:
            if participant.user_id is None:
                request.session[SESSION_KEY] = [*_session_ids(request), participant.pk]
            messages.success(request, _("报名成功！"))
            return redirect(curl("landing", slug, request=request))
    schools = School.objects.select_related("district").order_by("district__order", "name")
    classes = SchoolClass.objects.select_related("school").order_by("school__name", "grade", "name")
    audience = list(challenge.districts.values_list("pk", flat=True))
    if audience:
        schools = schools.filter(district__in=audience)
        classes = classes.filter(school__district__in=audience)
    return render(
        request,
        "quiz/challenge/register.html",
        _ctx(
            request,
            challenge=challenge,
            form=form,
            districts=form.fields["district"].queryset,
            schools=schools,
            classes=classes,
            student_class=student_class,
            public_groups=[] if student_class else [g.pk for g in challenge.groups.all() if g.is_public_group],
        ),
    )


@require_POST
def start(request, slug):
    """Start (or resume) a paper. Form posts are redirected; JSON callers get the attempt or the refusal."""
    challenge = _published(slug)
    me = _me(request, challenge)
    practice = request.POST.get("practice") == "1"
    if _wants_json(request) and request.body and request.content_type == "application/json":
        try:
            practice = bool(json.loads(request.body).get("practice"))
        except (ValueError, AttributeError):
            practice = False
    if me is None:
        if _wants_json(request):
            return JsonResponse({"ok": False, "error": "not_registered", "message": _("请先报名。")}, status=403)
        return redirect(curl("register", slug, request=request))
    try:
        attempt, resumed = svc.start_attempt(me, practice=practice)
    except svc.ChallengeError as exc:
        if _wants_json(request):
            return _json_error(exc)
        messages.error(request, exc.message)
        return redirect(curl("landing", slug, request=request))
    url = curl("paper", attempt.pk, request=request)
    if _wants_json(request):
        return JsonResponse({"ok": True, "attempt_id": attempt.pk, "resumed": resumed, "url": url})
    return redirect(url)


# Taking a paper ----------------------------------------------------------------------------------------------------


@require_GET
def paper(request, pk):
    attempt = _own_attempt(request, pk)
    if not attempt.is_open:
        return redirect(curl("result", attempt.pk, request=request))
    challenge = attempt.participant.challenge
    return render(
        request,
        "quiz/challenge/paper.html",
        _ctx(
            request,
            challenge=challenge,
            attempt=attempt,
            view=svc.attempt_view(attempt),
            answer_url=curl("answer", attempt.pk, request=request),
            submit_url=curl("submit", attempt.pk, request=request),
            state_url=curl("state", attempt.pk, request=request),
            result_url=curl("result", attempt.pk, request=request),
        ),
    )


@require_GET
def state(request, pk):
    attempt = _own_attempt(request, pk)
    return JsonResponse({"ok": True, **svc.attempt_view(attempt)})


def _json_body(request) -> dict:
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        body = None
    return body if isinstance(body, dict) else {}


def _answer(user, session_ids, pk: int, body: dict) -> JsonResponse:
    attempt = _own_attempt_for(user, session_ids, pk)
    try:
        saved = svc.save_answer(attempt.pk, body.get("index"), body.get("choice_ids"))
    except svc.ChallengeError as exc:
        return _json_error(exc)
    remaining = max(0.0, (attempt.deadline_at - timezone.now()).total_seconds())
    return JsonResponse({"ok": True, "index": saved.index, "choice_ids": saved.choice_ids, "remaining": remaining})


@require_POST
def answer(request, pk):
    """Save one answer (Django runs each request's sync code in its own thread under ASGI, so answers from many
    phones are saved in parallel)."""
    return _answer(request.user, _session_ids(request), pk, _json_body(request))


@require_POST
def submit(request, pk):
    attempt = _own_attempt(request, pk)
    result_url = curl("result", attempt.pk, request=request)
    try:
        svc.submit(attempt.pk)
    except svc.ChallengeError as exc:
        if _wants_json(request):
            return JsonResponse({**exc.as_json(), "url": result_url}, status=exc.status)
        return redirect(result_url)
    if _wants_json(request):
        return JsonResponse({"ok": True, "url": result_url})
    return redirect(result_url)


@require_GET
def result(request, pk):
    attempt = _own_attempt(request, pk)
    if attempt.is_open:
        return redirect(curl("paper", attempt.pk, request=request))
    participant = attempt.participant
    certificate = Certificate.objects.filter(attempt=attempt).first()
    return render(
        request,
        "quiz/challenge/result.html",
        _ctx(
            request,
            challenge=participant.challenge,
            attempt=attempt,
            participant=participant,
            result=svc.result_view(attempt),
            ranks=svc.ranks_for(participant) if not attempt.practice else {},
            certificate=certificate,
            seconds=round(attempt.elapsed_ms / 1000, 1),
        ),
    )


# Certificates ------------------------------------------------------------------------------------------------------


@require_GET
def certificate(request, number, kind):
    if kind not in ("png", "pdf"):
        raise Http404
    cert = get_object_or_404(Certificate.objects.select_related("attempt__participant"), number=number)
    _own_attempt(request, cert.attempt_id)  # only the holder downloads the full-name certificate
    content = certificates.render(cert, request.build_absolute_uri("/"), kind)
    response = HttpResponse(content, content_type="application/pdf" if kind == "pdf" else "image/png")
    response["Content-Disposition"] = f'attachment; filename="certificate-{cert.number}.{kind}"'
    return response


@require_GET
def verify(request, number):
    cert = (
        Certificate.objects.select_related("attempt__participant__challenge", "attempt__participant__school")
        .filter(number=number)
        .first()
    )
    context = {"number": number, "certificate": cert}
    if cert is not None:
        p = cert.attempt.participant
        context.update(
            masked_name=mask_name(p.name),
            challenge=p.challenge,
            level_label=svc.LEVEL_LABELS.get(cert.attempt.level, ""),
        )
    return render(request, "quiz/challenge/verify.html", _ctx(request, **context), status=200 if cert else 404)


# Public boards ------------------------------------------------------------------------------------------------------


def _group_param(request, challenge) -> ChallengeGroup | None:
    groups = list(challenge.groups.all())
    wanted = request.GET.get("group")
    return next((g for g in groups if str(g.pk) == wanted), groups[0] if groups else None)


@require_GET
def board(request, slug):
    challenge = _published(slug)
    group = _group_param(request, challenge)
    rows = svc.public_top(challenge, group, 50) if group else []
    return render(
        request,
        "quiz/challenge/board.html",
        _ctx(
            request,
            challenge=challenge,
            group=group,
            rows=rows,
            schools=svc.org_rankings(challenge, "school", group=group)[:20],
            districts=svc.org_rankings(challenge, "district", group=group)[:20],
        ),
    )


@require_GET
def screen(request, slug):
    challenge = _published(slug)
    labels = {  # the words the screen's script writes (site/static/js/challenge.js)
        "group": _("%(name)s组"),
        "points": _("%(score)s分 %(seconds)s秒"),
        "school": _("指数 %(index)s · %(count)s人"),
        "waiting": _("等待第一位交卷者"),
        "live": _("实时"),
        "reconnecting": _("重新连接中"),
    }
    return render(
        request,
        "quiz/challenge/screen.html",
        _ctx(
            request,
            challenge=challenge,
            snapshot=svc.board_snapshot(challenge),
            ws_path=f"/ws/board/{challenge.pk}/",
            labels=labels,
        ),
    )


# Statistics ----------------------------------------------------------------------------------------------------------


class StatsFilter(forms.Form):
    group = forms.ModelChoiceField(
        label=gettext_lazy("组别"),
        queryset=ChallengeGroup.objects.none(),
        required=False,
        empty_label=gettext_lazy("全部组别"),
    )
    date_from = forms.DateField(
        label=gettext_lazy("开始日期"), required=False, widget=forms.DateInput({"type": "date"})
    )
    date_to = forms.DateField(label=gettext_lazy("结束日期"), required=False, widget=forms.DateInput({"type": "date"}))

    def __init__(self, *args, challenge, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = challenge.groups.all()


def _stats_scope(request, slug):
    if not access.can_review(request.user):
        raise PermissionDenied(_("只有学校管理员和禁毒办人员可以查看统计。"))
    challenge = get_object_or_404(Challenge, slug=slug)
    form = StatsFilter(request.GET or None, challenge=challenge)
    filters = {"group": None, "date_from": None, "date_to": None}
    if form.is_valid():
        filters.update({k: v for k, v in form.cleaned_data.items() if v})
    schools = access.schools_for(request.user)
    attempts = svc.scored_attempts(challenge, schools=schools, **filters)
    tables = {
        "districts": svc.org_rankings(challenge, "district", schools=schools, **filters),
        "schools": svc.org_rankings(challenge, "school", schools=schools, **filters),
        "questions": svc.question_correctness(attempts),
        "daily": svc.daily_participation(attempts),
    }
    return challenge, form, tables


@require_GET
def stats(request, slug):
    challenge, form, tables = _stats_scope(request, slug)
    return render(
        request,
        "quiz/challenge/stats.html",
        _ctx(request, challenge=challenge, form=form, query=request.GET.urlencode(), **tables),
    )


def _pct(value: float) -> str:
    return f"{value:.1%}"


@require_GET
def stats_export(request, slug):
    """Every table of the statistics page, one sheet each, with the page's filters."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    challenge, _form, tables = _stats_scope(request, slug)
    wb = Workbook()
    org_header = [_("名称"), _("参与人数"), _("在册学生"), _("参与率"), _("合格率"), _("优秀率"), _("满分率"),
                  _("平均分"), _("综合指数")]  # fmt: skip
    sheets = [
        (_("区县"), org_header, [
            [r["name"], r["participants"], r["registered"], _pct(r["participation"]), _pct(r["pass_rate"]),
             _pct(r["excellent_rate"]), _pct(r["full_rate"]), r["average"], r["index"]]
            for r in tables["districts"]
        ]),
        (_("学校"), org_header, [
            [r["name"], r["participants"], r["registered"], _pct(r["participation"]), _pct(r["pass_rate"]),
             _pct(r["excellent_rate"]), _pct(r["full_rate"]), r["average"], r["index"]]
            for r in tables["schools"]
        ]),
        (_("题目正确率"), [_("题目ID"), _("题干"), _("作答次数"), _("答对次数"), _("正确率")], [
            [r["question_id"], r["stem"], r["asked"], r["right"], _pct(r["rate"])] for r in tables["questions"]
        ]),
        (_("每日参与"), [_("日期"), _("答题人次"), _("答题人数")], [
            [r["day"].isoformat() if isinstance(r["day"], datetime.date) else r["day"], r["attempts"], r["people"]]
            for r in tables["daily"]
        ]),
    ]  # fmt: skip
    wb.remove(wb.active)
    for title, header, rows in sheets:
        ws = wb.create_sheet(title)
        ws.append(header)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="challenge-{challenge.slug}-stats.xlsx"'
    return response
