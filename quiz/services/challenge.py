"""The only place that changes challenge state: registration, attempts, answers, submission, certificates.

Every time is the server's (``timezone.now()`` or a ``now`` passed in by tests). The paper handed to the browser
never carries correct answers or explanations; they appear only in :func:`result_view` of a finished attempt.
An attempt whose deadline has passed is submitted automatically on the next access of any kind, and answers
saved after the deadline are refused, so a late answer can never count.
"""

from __future__ import annotations

import datetime
import json
import logging
import secrets
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Avg, Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.masking import mask_name

from .. import bank_cache, engine
from .. import challenge_board as board
from ..bulk_sql import bulk_update
from ..engine.rules import SHANGHAI_OFFSET
from ..models import (
    AttemptAnswer,
    Certificate,
    Challenge,
    ChallengeAttempt,
    ChallengeGroup,
    Participant,
    Question,
)

logger = logging.getLogger(__name__)

KIND = {
    Question.Type.SINGLE: engine.QuestionKind.SINGLE,
    Question.Type.MULTIPLE: engine.QuestionKind.MULTIPLE,
    Question.Type.TRUE_FALSE: engine.QuestionKind.TRUE_FALSE,
}

# Weights of the organisation composite index (percent points of each rate, and the average score out of 100).
DEFAULT_INDEX_WEIGHTS = {"participation": 0.3, "pass": 0.3, "excellent": 0.2, "full_marks": 0.1, "average": 0.1}

LEVEL_LABELS = {"fail": "未合格", "pass": "合格", "excellent": "优秀"}


class ChallengeError(Exception):
    """A refused action; ``code`` is stable for API clients, ``message`` is shown to people."""

    def __init__(self, code: str, message: str, status: int = 400):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status

    def as_json(self) -> dict:
        return {"ok": False, "error": self.code, "message": self.message}


def index_weights() -> dict[str, float]:
    """``settings.CHALLENGE_INDEX_WEIGHTS`` over the defaults."""
    return {**DEFAULT_INDEX_WEIGHTS, **getattr(settings, "CHALLENGE_INDEX_WEIGHTS", {})}


def _ts(dt: datetime.datetime) -> float:
    return dt.timestamp()


def rules_of(challenge: Challenge) -> engine.ContestRules:
    """The engine's view of a challenge's rules."""
    return engine.ContestRules(
        starts_at=_ts(challenge.starts_at),
        ends_at=_ts(challenge.ends_at),
        attempts_per_day=challenge.attempts_per_day,
        counts=challenge.counts,
        pass_percent=challenge.pass_percent,
        excellent_percent=max(challenge.excellent_percent, challenge.pass_percent),
        utc_offset_seconds=SHANGHAI_OFFSET,
    )


def is_open(challenge: Challenge, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return challenge.is_published and challenge.starts_at <= now < challenge.ends_at


# Registration ------------------------------------------------------------------------------------------------


@dataclass
class Registration:
    """What a registration form hands over; organisation objects already looked up."""

    name: str
    group: ChallengeGroup
    district: object = None
    school: object = None
    school_class: object = None
    phone: str = ""
    work_unit: str = ""
    is_under_14: bool = False
    guardian_name: str = ""
    guardian_consent: bool = False


def participant_for(challenge: Challenge, user=None, session_ids=()) -> Participant | None:
    """The caller's registration: by signed-in user, else by the ids remembered in their session."""
    qs = Participant.objects.filter(challenge=challenge).select_related(
        "challenge", "group", "district", "school", "school_class"
    )
    if user is not None and user.is_authenticated:
        found = qs.filter(user=user).first()
        if found is not None:
            return found
    if session_ids:
        return qs.filter(pk__in=list(session_ids), user__isnull=True).first()
    return None


def register(challenge: Challenge, data: Registration, *, user=None, now: datetime.datetime | None = None):
    """Register for a challenge, or return the existing registration of a signed-in user.

    Students give district, school and class; 社会组 gives phone and work unit. Under 14 requires the guardian's
    consent and name (个人信息保护法 Art. 31), and the consent time is recorded.
    """
    now = now or timezone.now()
    if not challenge.is_published:
        raise ChallengeError("not_published", _("该挑战赛尚未发布。"), 404)
    if now >= challenge.ends_at:
        raise ChallengeError("closed", _("挑战赛已结束，不再接受报名。"))
    if data.group.challenge_id != challenge.pk:
        raise ChallengeError("bad_group", _("请选择本次挑战赛的组别。"))
    name = " ".join((data.name or "").split())
    if not name:
        raise ChallengeError("name_required", _("请填写姓名。"))
    if data.group.is_public_group:
        if not data.phone.strip() or not data.work_unit.strip():
            raise ChallengeError("public_fields", _("社会组请填写手机号和工作单位。"))
        school, school_class = None, None
    else:
        school, school_class = data.school, data.school_class
        if school is None or school_class is None:
            raise ChallengeError("school_required", _("请依次选择区县、学校和班级。"))
        if school_class.school_id != school.pk:
            raise ChallengeError("bad_class", _("所选班级不属于该学校。"))
    district = data.district or (school.district if school is not None else None)
    if school is not None and district is not None and school.district_id != district.pk:
        raise ChallengeError("bad_school", _("所选学校不属于该区县。"))
    audience = set(challenge.districts.values_list("pk", flat=True))
    if audience and (district is None or district.pk not in audience):
        raise ChallengeError("not_in_audience", _("本次挑战赛只面向指定区县。"))
    if data.is_under_14 and (not data.guardian_consent or not data.guardian_name.strip()):
        raise ChallengeError("guardian_consent", _("未满14周岁须由监护人同意并填写监护人姓名。"))

    if user is not None and user.is_authenticated:
        existing = Participant.objects.filter(challenge=challenge, user=user).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            return Participant.objects.create(
                challenge=challenge,
                user=user if user is not None and user.is_authenticated else None,
                name=name,
                group=data.group,
                district=district,
                school=school,
                school_class=school_class,
                phone=data.phone.strip() if data.group.is_public_group else "",
                work_unit=data.work_unit.strip() if data.group.is_public_group else "",
                is_under_14=data.is_under_14,
                guardian_name=data.guardian_name.strip() if data.is_under_14 else "",
                guardian_consent_at=now if data.is_under_14 else None,
            )
    except IntegrityError:  # the same user registering twice at once
        return Participant.objects.get(challenge=challenge, user=user)


# Attempts -------------------------------------------------------------------------------------------------


def draw(group: ChallengeGroup, seed: str) -> list[dict]:
    """Draw a paper for ``group``: ``[{"question_id", "choice_ids"}]`` in display order."""
    spec = engine.PaperSpec(size=group.question_count, band=group.band, quotas=dict(group.quotas or {}))
    try:
        paper = engine.draw_paper(bank_cache.band_refs(group.band), spec, seed)
    except engine.QuotaUnmetError as exc:
        raise ChallengeError("bank_too_small", _("题库中该组别的题目不足，请联系主办方。"), 503) from exc
    return [{"question_id": item.question_id, "choice_ids": list(item.choice_ids)} for item in paper.items]


def scored_attempts_today(
    participant: Participant, now: datetime.datetime, scored_starts: Iterable[datetime.datetime] | None = None
) -> int:
    """Scored attempts started on ``now``'s Asia/Shanghai day; ``scored_starts`` saves the query when the caller
    has read the start times of the participant's scored attempts already."""
    if scored_starts is None:
        scored_starts = participant.attempts.filter(practice=False).values_list("started_at", flat=True)
    return engine.attempts_on_day((_ts(s) for s in scored_starts), _ts(now), SHANGHAI_OFFSET)


def start_attempt(participant: Participant, *, practice: bool = False, now: datetime.datetime | None = None):
    """Start a paper, or resume the one in progress.

    Scored attempts: inside the window and under the daily limit (Asia/Shanghai days, engine rules), checked under
    a row lock on the participant so two simultaneous starts cannot both pass. Practice attempts are unlimited
    and never ranked. Returns ``(attempt, resumed)``.
    """
    now = now or timezone.now()
    challenge = participant.challenge
    if not challenge.is_published:
        raise ChallengeError("not_published", _("该挑战赛尚未发布。"), 404)
    with transaction.atomic():
        locked = Participant.objects.select_for_update().select_related("group").get(pk=participant.pk)
        # One read of the participant's attempts answers all three questions: one open? how many? how many today?
        taken = list(locked.attempts.order_by().values_list("pk", "status", "practice", "started_at"))
        open_pk = next((pk for pk, status, _p, _s in taken if status == ChallengeAttempt.Status.IN_PROGRESS), None)
        if open_pk is not None:
            open_attempt = ChallengeAttempt.objects.select_related("participant__challenge").get(pk=open_pk)
            if now <= open_attempt.deadline_at:
                return open_attempt, True
            _finish([open_attempt], now)
        if practice:
            if not challenge.practice_enabled:
                raise ChallengeError("no_practice", _("本次挑战赛未开放练习模式。"), 403)
        else:
            today = scored_attempts_today(
                locked, now, (started for _pk, _st, is_practice, started in taken if not is_practice)
            )
            ok, reason = engine.can_start_attempt(rules_of(challenge), _ts(now), today)
            if not ok:
                messages = {
                    engine.StartCheck.NOT_OPEN_YET: _("挑战赛尚未开始。"),
                    engine.StartCheck.CLOSED: _("挑战赛已结束。"),
                    engine.StartCheck.DAILY_LIMIT: _("今天的答题次数已用完，明天再来吧。"),
                }
                raise ChallengeError(str(reason), messages[reason], 403)
        number = len(taken) + 1
        paper = draw(locked.group, engine.paper_seed(challenge.pk, locked.pk, number))
        deadline = now + datetime.timedelta(seconds=locked.group.seconds)
        if not practice:
            deadline = min(deadline, challenge.ends_at)  # a scored paper cannot outlive the challenge
        attempt = ChallengeAttempt.objects.create(
            participant=locked,
            practice=practice,
            number=number,
            paper=paper,
            started_at=now,
            deadline_at=deadline,
            full_marks=board.points_per_question(len(paper)) * len(paper),
        )
    return attempt, False


def expire_if_due(attempt: ChallengeAttempt, now: datetime.datetime | None = None) -> ChallengeAttempt:
    """Submit an attempt whose deadline has passed (any access does this); returns the fresh attempt."""
    now = now or timezone.now()
    if attempt.is_open and now > attempt.deadline_at:
        with transaction.atomic():
            locked = ChallengeAttempt.objects.select_for_update().get(pk=attempt.pk)
            if locked.is_open:
                _finish([locked], now)
            return locked
    return attempt


def _question_type(question_id: int) -> str | None:
    found = bank_cache.facts([question_id]).get(question_id)
    return found.type if found is not None else None


def expire_overdue(challenge_id: int | None = None, now: datetime.datetime | None = None) -> int:
    """Submit every open paper whose deadline has passed (a phone that never came back); returns how many.

    Each paper is also submitted on its owner's next access; this sweep (run by ``rebuild_leaderboards``) puts
    abandoned papers on the boards and in the statistics without waiting for that.
    """
    now = now or timezone.now()
    overdue = ChallengeAttempt.objects.filter(status=ChallengeAttempt.Status.IN_PROGRESS, deadline_at__lt=now)
    if challenge_id is not None:
        overdue = overdue.filter(participant__challenge_id=challenge_id)
    count = 0
    for attempt in overdue.only("pk", "status", "deadline_at"):
        if expire_if_due(attempt, now).status == ChallengeAttempt.Status.EXPIRED:
            count += 1
    return count


def checked_choices(choice_ids, allowed, multiple: bool) -> list[int]:
    """``choice_ids`` as stored (sorted, unique) if they answer a question offering ``allowed``; else refused."""
    if (
        not isinstance(choice_ids, list)
        or not choice_ids
        or not all(isinstance(c, int) and not isinstance(c, bool) for c in choice_ids)
    ):
        raise ChallengeError("bad_choice", _("请选择答案。"))
    picked = sorted(set(choice_ids))
    if not set(picked) <= set(allowed) or (not multiple and len(picked) != 1):
        raise ChallengeError("bad_choice", _("所选答案无效。"))
    return picked


def _valid_index(index, size: int) -> int:
    if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < size:
        raise ChallengeError("bad_index", _("题号无效。"))
    return index


def save_answer(attempt_id: int, index: int, choice_ids, now: datetime.datetime | None = None) -> AttemptAnswer:
    """Save (or change) the answer to question ``index`` while the paper is open (one request, one transaction).

    After the deadline nothing is saved: the paper is submitted as it stood and ``expired`` is raised.
    """
    now = now or timezone.now()
    with transaction.atomic():
        attempt = ChallengeAttempt.objects.select_for_update().get(pk=attempt_id)
        if not attempt.is_open:
            raise ChallengeError("already_submitted", _("试卷已提交，不能再修改答案。"), 409)
        if now > attempt.deadline_at:
            _finish([attempt], now)
            expired = True
        else:
            expired = False
            item = attempt.paper[_valid_index(index, len(attempt.paper))]
            multiple = _question_type(item["question_id"]) == Question.Type.MULTIPLE
            picked = checked_choices(choice_ids, item["choice_ids"], multiple)
            answer, _created = AttemptAnswer.objects.update_or_create(
                attempt=attempt, index=index, defaults={"choice_ids": picked, "answered_at": now}
            )
    if expired:
        raise ChallengeError("expired", _("答题时间已到，试卷已自动提交。"), 409)
    return answer


@dataclass(frozen=True)
class OpenPaper:
    """What a paper socket needs to check answers without the database: the choices offered per question."""

    attempt_id: int
    deadline: float  # epoch seconds, the server's
    allowed: tuple[frozenset[int], ...]
    multiple: tuple[bool, ...]

    def check(self, index, choice_ids) -> list[int]:
        """The stored form of an answer to question ``index``, or :class:`ChallengeError` (as :func:`save_answer`)."""
        index = _valid_index(index, len(self.allowed))
        return checked_choices(choice_ids, self.allowed[index], self.multiple[index])


def open_paper(attempt: ChallengeAttempt) -> OpenPaper:
    items = attempt.paper
    known = bank_cache.facts(item["question_id"] for item in items)
    return OpenPaper(
        attempt_id=attempt.pk,
        deadline=_ts(attempt.deadline_at),
        allowed=tuple(frozenset(item["choice_ids"]) for item in items),
        multiple=tuple(item["question_id"] in known and known[item["question_id"]].multiple for item in items),
    )


SESSION_KEY = "challenge_participants"  # the session remembers the registrations made in this browser


def session_ids(session) -> list[int]:
    """The participant ids a browser session registered (no sign-in needed)."""
    remembered = session.get(SESSION_KEY, []) if session is not None else []
    return [int(x) for x in remembered if str(x).isdigit()]


def owns(attempt: ChallengeAttempt, user, session_ids) -> bool:
    """Whether the caller took this paper: its signed-in user, or this browser's registration (session ids)."""
    p = attempt.participant
    if user is not None and user.is_authenticated and p.user_id == user.pk:
        return True
    return p.user_id is None and p.pk in session_ids


@dataclass(frozen=True)
class PendingAnswer:
    """An answer checked against its paper (:meth:`OpenPaper.check`), stamped when the server received it."""

    attempt_id: int
    index: int
    choice_ids: list[int]
    answered_at: datetime.datetime


def save_answers(batch: list[PendingAnswer]) -> list[ChallengeError | None]:
    """Save checked answers from many papers in one transaction: ``None`` for each saved, else why not.

    The papers' rows are locked (FOR NO KEY UPDATE, in id order so batches from several processes never deadlock)
    and their status and deadline read under the lock: a paper submitted first refuses the answer, and a submit
    that comes later waits for this batch and scores with its answers. Two answers to one question in a batch:
    the later one is stored (a socket sends in order and each batch is written after the one before).
    """
    results: list[ChallengeError | None] = [None] * len(batch)
    if not batch:
        return results
    postgresql = connection.vendor == "postgresql"
    with transaction.atomic():
        deadlines = _lock_open_papers({a.attempt_id for a in batch}, postgresql)
        rows: dict[tuple[int, int], PendingAnswer] = {}
        for position, pending in enumerate(batch):
            deadline = deadlines.get(pending.attempt_id)
            if deadline is None:
                results[position] = ChallengeError("already_submitted", _("试卷已提交，不能再修改答案。"), 409)
            elif pending.answered_at > deadline:
                results[position] = ChallengeError("expired", _("答题时间已到，试卷已自动提交。"), 409)
            else:
                rows[(pending.attempt_id, pending.index)] = pending
        if rows and postgresql:
            _upsert_answers_postgresql(list(rows.values()))
        elif rows:
            AttemptAnswer.objects.bulk_create(
                [
                    AttemptAnswer(attempt_id=p.attempt_id, index=p.index, choice_ids=p.choice_ids,
                                  answered_at=p.answered_at)
                    for p in rows.values()
                ],
                update_conflicts=True,
                unique_fields=["attempt", "index"],
                update_fields=["choice_ids", "answered_at"],
            )  # fmt: skip
    return results


# The answer path's two statements on PostgreSQL, in plain SQL: at a couple of thousand answers a second, the ORM's
# compilation of a multi-row upsert (and its per-value adaptation) was the largest single cost of a batch. A batch
# travels as one JSON document and one array literal, so the driver adapts two strings whatever the batch size.
_LOCK_SQL = """
    SELECT id, deadline_at FROM {attempt} WHERE id = ANY(%s::bigint[]) AND status = %s ORDER BY id FOR NO KEY UPDATE
"""
_UPSERT_SQL = """
    INSERT INTO {answer} ("attempt_id", "index", "choice_ids", "answered_at")
    SELECT (r->>0)::bigint, (r->>1)::smallint, r->2, TIMESTAMPTZ 'epoch' + (r->>3)::bigint * INTERVAL '1 microsecond'
      FROM jsonb_array_elements(%s::jsonb) AS r
    ON CONFLICT ("attempt_id", "index") DO UPDATE SET "choice_ids" = EXCLUDED."choice_ids",
                                                "answered_at" = EXCLUDED."answered_at"
"""
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def _lock_open_papers(attempt_ids: set[int], postgresql: bool) -> dict[int, datetime.datetime]:
    """Lock the papers still in progress among ``attempt_ids`` (in id order: batches from several processes never
    deadlock) and return their deadlines."""
    if not postgresql:
        return dict(
            ChallengeAttempt.objects.select_for_update(no_key=True)
            .filter(pk__in=attempt_ids, status=ChallengeAttempt.Status.IN_PROGRESS)
            .order_by("pk")
            .values_list("pk", "deadline_at")
        )
    sql = _LOCK_SQL.format(attempt=connection.ops.quote_name(ChallengeAttempt._meta.db_table))
    with connection.cursor() as cursor:
        cursor.execute(sql, ["{" + ",".join(map(str, attempt_ids)) + "}", ChallengeAttempt.Status.IN_PROGRESS])
        return dict(cursor.fetchall())


def _upsert_answers_postgresql(rows: list[PendingAnswer]) -> None:
    document = json.dumps(
        [
            (p.attempt_id, p.index, p.choice_ids, (p.answered_at - _EPOCH) // datetime.timedelta(microseconds=1))
            for p in rows
        ],
        separators=(",", ":"),
    )
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT_SQL.format(answer=connection.ops.quote_name(AttemptAnswer._meta.db_table)), [document])


def submit(attempt_id: int, now: datetime.datetime | None = None) -> ChallengeAttempt:
    """Submit a paper: the server scores it with the engine. A second submit changes nothing and is refused."""
    now = now or timezone.now()
    with transaction.atomic():
        attempt = (
            ChallengeAttempt.objects.select_for_update(of=("self",))
            .select_related("participant__challenge")
            .get(pk=attempt_id)
        )
        if not attempt.is_open:
            raise ChallengeError("already_submitted", _("试卷已提交。"), 409)
        _finish([attempt], now)
    return attempt


def _correct_map(question_ids) -> dict[int, frozenset[int]]:
    known = bank_cache.facts(question_ids)
    return {qid: known[qid].correct if qid in known else frozenset() for qid in question_ids}


SCORED_FIELDS = ["status", "submitted_at", "score", "full_marks", "correct_count", "elapsed_ms", "finished_s", "level"]
COUNTED_FIELDS = ["has_result", "score", "elapsed_ms", "finished_s", "level", "full_marks"]


def submit_many(attempt_ids: list[int], now: datetime.datetime | None = None) -> list[ChallengeError | None]:
    """Submit many papers in one transaction (the paper sockets' submissions at the bell): ``None`` for each
    submitted, else why not. Scores, certificates and counted results are the same as :func:`submit` gives."""
    now = now or timezone.now()
    results: list[ChallengeError | None] = [None] * len(attempt_ids)
    if not attempt_ids:
        return results
    with transaction.atomic():
        locked = {
            attempt.pk: attempt
            for attempt in ChallengeAttempt.objects.select_for_update(of=("self",))
            .select_related("participant__challenge")
            .filter(pk__in=set(attempt_ids))
            .order_by("pk")  # the same lock order as every other batch: no deadlocks between processes
        }
        finishing: dict[int, ChallengeAttempt] = {}
        for position, attempt_id in enumerate(attempt_ids):
            attempt = locked.get(attempt_id)
            if attempt is None:
                results[position] = ChallengeError("not_found", _("找不到这份试卷。"), 404)
            elif not attempt.is_open or attempt_id in finishing:
                results[position] = ChallengeError("already_submitted", _("试卷已提交。"), 409)
            else:
                finishing[attempt_id] = attempt
        _finish(list(finishing.values()), now)
    return results


def _finish(attempts: list[ChallengeAttempt], now: datetime.datetime) -> None:
    """Score and close locked, open attempts (a paper past its deadline closes as expired); update their
    participants' counted results. Inside a transaction; one query per step whatever the number of papers."""
    if not attempts:
        return
    saved: dict[int, dict[int, AttemptAnswer]] = {attempt.pk: {} for attempt in attempts}
    for answer in AttemptAnswer.objects.filter(attempt_id__in=saved):
        saved[answer.attempt_id][answer.index] = answer
    for attempt in attempts:
        _score(attempt, saved[attempt.pk], now)
    bulk_update(ChallengeAttempt, attempts, SCORED_FIELDS)
    counted = [attempt for attempt in attempts if not attempt.practice]
    _issue_certificates([attempt for attempt in counted if attempt.level != engine.Level.FAIL], now)
    participants = _update_counted({attempt.participant_id for attempt in counted})
    if participants:
        transaction.on_commit(lambda: _after_results(participants))


def _score(attempt: ChallengeAttempt, saved: dict[int, AttemptAnswer], now: datetime.datetime) -> None:
    """Set an attempt's result fields from its saved answers (by index), as the engine scores them."""
    known = bank_cache.facts(item["question_id"] for item in attempt.paper)
    started, deadline = _ts(attempt.started_at), _ts(attempt.deadline_at)
    answers = []
    for index, item in enumerate(attempt.paper):
        a, facts = saved.get(index), known.get(item["question_id"])
        answers.append(
            engine.Answer(
                question_id=item["question_id"],
                kind=KIND.get(facts.type if facts else None, engine.QuestionKind.SINGLE),
                correct_ids=(facts.correct if facts else None) or frozenset({-1}),
                picked_ids=a.choice_ids if a else (),
                opens_at=started,
                answered_at=_ts(a.answered_at) if a else None,
                paper_deadline=deadline,  # an answer stamped after the deadline scores nothing
            )
        )
    rules = engine.ScoringRules(points=board.points_per_question(len(attempt.paper)))
    result = engine.score_paper(rules, answers)
    finished_at = min(now, attempt.deadline_at)
    challenge = attempt.participant.challenge
    auto = now > attempt.deadline_at
    attempt.status = ChallengeAttempt.Status.EXPIRED if auto else ChallengeAttempt.Status.SUBMITTED
    attempt.submitted_at = finished_at
    attempt.score = result.total
    attempt.full_marks = result.full_marks
    attempt.correct_count = result.correct_count
    attempt.elapsed_ms = engine.to_ms(max(0.0, _ts(finished_at) - started))
    attempt.finished_s = engine.seconds_since(_ts(challenge.starts_at), max(_ts(finished_at), _ts(challenge.starts_at)))
    attempt.level = str(rules_of(challenge).level(result.total, result.full_marks))


def _update_counted(participant_ids: set[int]) -> list[Participant]:
    """Lock these participants (in id order) and set each one's counted result from their finished scored
    attempts; returns them."""
    if not participant_ids:
        return []
    participants = list(
        Participant.objects.select_for_update(of=("self",))
        .select_related("challenge")
        .filter(pk__in=participant_ids)
        .order_by("pk")
    )
    finished: dict[int, list[ChallengeAttempt]] = {p.pk: [] for p in participants}
    for attempt in (
        ChallengeAttempt.objects.filter(participant_id__in=finished, practice=False)
        .exclude(status=ChallengeAttempt.Status.IN_PROGRESS)
        .order_by("started_at", "pk")
        .only("pk", "participant_id", "score", "elapsed_ms", "finished_s", "level", "full_marks")
    ):
        finished[attempt.participant_id].append(attempt)
    changed = []
    for participant in participants:
        by_pk = {a.pk: a for a in finished[participant.pk]}
        entry = engine.counted_attempt(
            [engine.Entry(a.pk, a.score or 0, a.elapsed_ms, a.finished_s) for a in by_pk.values()],
            participant.challenge.counts,
        )
        if entry is None:
            continue
        best = by_pk[entry.key]
        participant.has_result = True
        participant.score, participant.elapsed_ms, participant.finished_s = best.score, best.elapsed_ms, best.finished_s
        participant.level, participant.full_marks = best.level, best.full_marks
        changed.append(participant)
    bulk_update(Participant, changed, COUNTED_FIELDS)
    return participants


def _after_results(participants: list[Participant]) -> None:
    """After the commit: index the participants' counted results (as committed, under the row locks) on the
    boards, and ask for one board update per challenge."""
    try:
        board.record_many(participants)
    except Exception:  # the index is derived; rebuild_leaderboards repairs it
        logger.exception("challenge board: could not record %d participants", len(participants))
    for challenge_id in {participant.challenge_id for participant in participants}:
        poke_board(challenge_id)


def _certificate_number(now: datetime.datetime) -> str:
    return f"JK{timezone.localtime(now):%Y%m%d}{secrets.token_hex(4).upper()}"


def _issue_certificates(attempts: list[ChallengeAttempt], now: datetime.datetime) -> None:
    """Certificates for attempts passed just now (in this transaction: none can have one yet), in one insert;
    if a number happens to be taken, one at a time with fresh numbers."""
    if len(attempts) > 1:
        try:
            with transaction.atomic():
                Certificate.objects.bulk_create(
                    [Certificate(attempt=a, number=_certificate_number(now), issued_at=now) for a in attempts]
                )
            return
        except IntegrityError:
            pass
    for attempt in attempts:
        issue_certificate(attempt, now, fresh=True)


def issue_certificate(
    attempt: ChallengeAttempt, now: datetime.datetime | None = None, *, fresh: bool = False
) -> Certificate:
    """The certificate of a passed attempt (one per attempt); numbers are unique and hard to guess.

    ``fresh``: the attempt was scored just now, in this transaction, so it cannot have one yet.
    """
    existing = None if fresh else Certificate.objects.filter(attempt=attempt).first()
    if existing is not None:
        return existing
    now = now or timezone.now()
    for _try in range(5):
        try:
            with transaction.atomic():
                return Certificate.objects.create(attempt=attempt, number=_certificate_number(now), issued_at=now)
        except IntegrityError:
            continue
    raise ChallengeError("certificate", _("证书编号分配失败，请重试。"), 503)


# Views of an attempt ----------------------------------------------------------------------------------------


def attempt_view(attempt: ChallengeAttempt, now: datetime.datetime | None = None) -> dict:
    """What the paper page needs: questions and choices (never which is correct), saved answers, server times."""
    now = now or timezone.now()
    questions = bank_cache.facts(item["question_id"] for item in attempt.paper)
    choices = {cid: text for q in questions.values() for cid, text in q.choices.items()}
    saved = dict(AttemptAnswer.objects.filter(attempt=attempt).values_list("index", "choice_ids"))
    return {
        "attempt_id": attempt.pk,
        "status": attempt.status,
        "practice": attempt.practice,
        "server_now": _ts(now),
        "deadline": _ts(attempt.deadline_at),
        "remaining": max(0.0, _ts(attempt.deadline_at) - _ts(now)),
        "questions": [
            {
                "index": i,
                "type": questions[item["question_id"]].type,
                "stem": questions[item["question_id"]].stem,
                "choices": [{"id": cid, "text": choices.get(cid, "")} for cid in item["choice_ids"]],
                "answer": saved.get(i, []),
            }
            for i, item in enumerate(attempt.paper)
            if item["question_id"] in questions
        ],
    }


def result_view(attempt: ChallengeAttempt) -> dict:
    """Score, time, level and every question with the correct choices and explanation: finished attempts only."""
    if attempt.is_open:
        raise ChallengeError("not_submitted", _("交卷后才能查看答案。"), 403)
    questions = bank_cache.facts(item["question_id"] for item in attempt.paper)
    saved = {a.index: a for a in attempt.answers.all()}
    items = []
    for i, item in enumerate(attempt.paper):
        q = questions.get(item["question_id"])
        if q is None:
            continue
        answer = saved.get(i)
        on_time = answer is not None and answer.answered_at <= attempt.deadline_at
        picked = set(answer.choice_ids) if answer else set()
        shown = [cid for cid in item["choice_ids"] if cid in q.choices]
        correct = q.correct.intersection(shown)
        items.append(
            {
                "index": i,
                "stem": q.stem,
                "explanation": q.explanation,
                "choices": [
                    {"id": cid, "text": q.choices[cid], "correct": cid in correct, "picked": cid in picked}
                    for cid in shown
                ],
                "right": on_time and picked == correct,
            }
        )
    return {
        "score": attempt.score,
        "full_marks": attempt.full_marks,
        "correct_count": attempt.correct_count,
        "elapsed_ms": attempt.elapsed_ms,
        "level": attempt.level,
        "level_label": LEVEL_LABELS.get(attempt.level, ""),
        "items": items,
    }


def ranks_for(participant: Participant) -> dict[str, int | None]:
    """The participant's rank on each board of their counted result (city, district, school, class)."""
    participant.refresh_from_db(fields=["has_result"])
    if not participant.has_result:
        return {}
    return {scope.level: board.rank_of(scope, participant.pk) for scope in board.scopes_of(participant)}


# Public boards --------------------------------------------------------------------------------------------------


def public_top(challenge: Challenge, group: ChallengeGroup, n: int = 20) -> list[dict]:
    """The city board of a group with masked names (张*明), never full names."""
    ranked = board.top(board.Scope(challenge.pk, group.pk), n)
    people = Participant.objects.in_bulk([pid for _r, pid in ranked])
    rows = []
    for position, pid in ranked:
        p = people.get(pid)
        if p is None:
            continue
        rows.append(
            {
                "rank": position,
                "name": mask_name(p.name),
                "school": p.school.name if p.school_id else (p.district.name if p.district_id else ""),
                "score": p.score,
                "seconds": round(p.elapsed_ms / 1000, 1),
            }
        )
    return rows


def org_rankings(
    challenge: Challenge, level: str = "school", *, group=None, date_from=None, date_to=None, schools=None
):
    """Organisation indicators for schools or districts, best composite index first.

    Participation = participants with a result / registered students (sum of class sizes), capped at 100%;
    pass, excellent and full-mark rates and the average score (out of 100) among those with a result; the index
    weighs them with :func:`index_weights`. ``schools`` restricts everything to a queryset of schools.
    """
    from campaigns.schools.models import District, School, SchoolClass

    field = "school_id" if level == "school" else "district_id"
    qs = Participant.objects.filter(challenge=challenge, has_result=True).exclude(**{f"{field}__isnull": True})
    if group is not None:
        qs = qs.filter(group=group)
    if date_from is not None or date_to is not None:
        attempts = ChallengeAttempt.objects.filter(practice=False).exclude(status=ChallengeAttempt.Status.IN_PROGRESS)
        if date_from is not None:
            attempts = attempts.filter(submitted_at__date__gte=date_from)
        if date_to is not None:
            attempts = attempts.filter(submitted_at__date__lte=date_to)
        qs = qs.filter(pk__in=attempts.values("participant_id"))
    if schools is not None:
        qs = qs.filter(school__in=schools)
    stats = qs.values(field).annotate(
        n=Count("pk"),
        passed=Count("pk", filter=Q(level__in=["pass", "excellent"])),
        excellent=Count("pk", filter=Q(level="excellent")),
        full=Count("pk", filter=Q(score=F("full_marks"))),
        avg=Avg(F("score") * 100.0 / F("full_marks")),
    )
    model = School if level == "school" else District
    names = {o.pk: o for o in model.objects.filter(pk__in=[s[field] for s in stats])}
    class_field = "school_id" if level == "school" else "school__district_id"
    classes = SchoolClass.objects.filter(**{f"{class_field}__in": list(names)})
    if schools is not None:
        classes = classes.filter(school__in=schools)
    students = dict(classes.values(class_field).annotate(total=Sum("student_count")).values_list(class_field, "total"))
    weights = index_weights()
    rows = []
    for s in stats:
        org = names.get(s[field])
        if org is None:
            continue
        n = s["n"]
        registered = students.get(s[field]) or 0
        rates = {
            "participation": min(1.0, n / registered) if registered else (1.0 if n else 0.0),
            "pass": s["passed"] / n,
            "excellent": s["excellent"] / n,
            "full_marks": s["full"] / n,
        }
        average = float(s["avg"] or 0)
        index = sum(weights[k] * rates[k] * 100 for k in rates) + weights["average"] * average
        rows.append(
            {
                "org": org,
                "name": org.name,
                "participants": n,
                "registered": registered,
                "participation": rates["participation"],
                "pass_rate": rates["pass"],
                "excellent_rate": rates["excellent"],
                "full_rate": rates["full_marks"],
                "average": round(average, 1),
                "index": round(index, 1),
            }
        )
    rows.sort(key=lambda r: (-r["index"], r["name"]))
    return rows


def board_snapshot(challenge: Challenge, n: int = 10) -> dict:
    """The big-screen board: top individuals per group (masked), top schools and districts, participants."""
    groups = list(challenge.groups.all())
    return {
        "type": "board",
        "challenge": challenge.pk,
        "title": challenge.title,
        "participants": Participant.objects.filter(challenge=challenge).count(),
        "finished": Participant.objects.filter(challenge=challenge, has_result=True).count(),
        "groups": [{"name": g.name, "top": public_top(challenge, g, n)} for g in groups],
        "schools": [
            {"name": r["name"], "index": r["index"], "participants": r["participants"]}
            for r in org_rankings(challenge, "school")[:n]
        ],
        "districts": [
            {"name": r["name"], "index": r["index"], "participants": r["participants"]}
            for r in org_rankings(challenge, "district")[:n]
        ],
        "at": time.time(),
    }


# Board coalescing ----------------------------------------------------------------------------------------------

BOARD_INTERVAL = 1.0  # seconds: the big screen updates at most once a second


class BoardCoalescer:
    """Turns any number of pokes into at most one board publication per second and challenge (per process, and
    across processes through :func:`_claim_board_slot`)."""

    def __init__(self, interval: float = BOARD_INTERVAL):
        self.interval = interval
        self._lock = threading.Lock()
        self._pending: set[int] = set()
        self._last: dict[int, float] = {}

    def poke(self, challenge_id: int) -> None:
        with self._lock:
            if challenge_id in self._pending:
                return
            self._pending.add(challenge_id)
            delay = max(0.0, self._last.get(challenge_id, 0.0) + self.interval - time.monotonic())
        timer = threading.Timer(delay, self._fire, args=(challenge_id,))
        timer.daemon = True
        timer.start()

    def _fire(self, challenge_id: int) -> None:
        if not _claim_board_slot(challenge_id, self.interval):
            # Another process published within the interval: publish (a fresh snapshot) once its slot is over.
            timer = threading.Timer(self.interval / 4, self._fire, args=(challenge_id,))
            timer.daemon = True
            timer.start()
            return
        with self._lock:
            self._pending.discard(challenge_id)
            self._last[challenge_id] = time.monotonic()
        try:
            publish_board(challenge_id)
        except Exception:
            logger.exception("challenge board: publishing failed for %s", challenge_id)
        finally:
            connection.close()  # this timer thread's own connection; the next timer opens a fresh one


def _claim_board_slot(challenge_id: int, interval: float) -> bool:
    """Whether this process may publish the board now: with several processes (``REDIS_URL``) one Redis key
    (SET NX PX) lets only one of them publish per interval, so a screen gets at most one board a second however
    many processes serve the challenge. One process on its own needs no claim."""
    if not getattr(settings, "REDIS_URL", None):
        return True
    try:
        key = f"{board.key_prefix(challenge_id)}board-slot"
        return bool(board.redis_client().set(key, "1", nx=True, px=max(1, int(interval * 1000))))
    except Exception:  # Redis down: publish anyway, the per-process limit still holds
        logger.exception("challenge board: could not claim the publication slot")
        return True


coalescer = BoardCoalescer()


def poke_board(challenge_id: int) -> None:
    """Ask for a board update soon (coalesced: at most one per second)."""
    coalescer.poke(challenge_id)


def publish_board(challenge_id: int) -> dict:
    """Publish a fresh board snapshot on the challenge's fan-out topic."""
    from ..fanout import publish

    challenge = Challenge.objects.get(pk=challenge_id)
    snapshot = board_snapshot(challenge)
    publish(challenge.board_topic, snapshot)
    return snapshot


# Statistics (reads) ------------------------------------------------------------------------------------------


def scored_attempts(challenge: Challenge, *, schools=None, group=None, date_from=None, date_to=None):
    """Finished scored attempts of a challenge, filtered like the statistics pages."""
    qs = ChallengeAttempt.objects.filter(participant__challenge=challenge, practice=False).exclude(
        status=ChallengeAttempt.Status.IN_PROGRESS
    )
    if schools is not None:
        qs = qs.filter(participant__school__in=schools)
    if group is not None:
        qs = qs.filter(participant__group=group)
    if date_from is not None:
        qs = qs.filter(submitted_at__date__gte=date_from)
    if date_to is not None:
        qs = qs.filter(submitted_at__date__lte=date_to)
    return qs


def question_correctness(attempts) -> list[dict]:
    """Per question: how often it was asked and answered correctly (item analysis), hardest first."""
    asked: dict[int, int] = {}
    right: dict[int, int] = {}
    rows = list(attempts.values_list("pk", "paper"))
    by_attempt: dict[int, dict[int, list]] = {}
    for attempt_id, index, choice_ids in AttemptAnswer.objects.filter(attempt__in=attempts).values_list(
        "attempt_id", "index", "choice_ids"
    ):
        by_attempt.setdefault(attempt_id, {})[index] = choice_ids
    ids = {item["question_id"] for _pk, paper in rows for item in paper}
    correct = _correct_map(ids)
    for attempt_id, paper in rows:
        answers = by_attempt.get(attempt_id, {})
        for index, item in enumerate(paper):
            qid = item["question_id"]
            asked[qid] = asked.get(qid, 0) + 1
            if set(answers.get(index, ())) == correct.get(qid):
                right[qid] = right.get(qid, 0) + 1
    stems = dict(Question.objects.filter(pk__in=ids).values_list("pk", "stem"))
    out = [
        {
            "question_id": qid,
            "stem": stems.get(qid, ""),
            "asked": n,
            "right": right.get(qid, 0),
            "rate": right.get(qid, 0) / n,
        }
        for qid, n in asked.items()
    ]
    out.sort(key=lambda r: (r["rate"], r["question_id"]))
    return out


def daily_participation(attempts) -> list[dict]:
    """Scored attempts and distinct participants per local (Asia/Shanghai) day."""
    from django.db.models.functions import TruncDate

    rows = (
        attempts.annotate(day=TruncDate("submitted_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(attempts=Count("pk"), people=Count("participant", distinct=True))
        .order_by("day")
    )
    return [{"day": r["day"], "attempts": r["attempts"], "people": r["people"]} for r in rows]
