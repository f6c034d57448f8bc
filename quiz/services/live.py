"""Live class games: the only code that changes a game, its players and their answers.

Every rule comes from :mod:`quiz.engine` (phases, timing, scoring, ranking);
this module loads rows into the engine's plain data, stores what it returns,
and emits events with :func:`quiz.fanout.publish` *after* the commit, so no
client hears of a state the database does not hold. Times are server
``time.time()`` seconds, passed in as ``now`` so tests control the clock.
"""

from __future__ import annotations

import secrets
import time
from collections import Counter
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import engine, events, leaderboard, nicknames
from ..bulk_sql import bulk_update
from ..fanout import publish
from ..models import Choice, Game, Player, PlayerAnswer, Question, QuizSet

TOP_N = 5
PODIUM_SIZE = 3
REVEAL_TOP = TOP_N
KIND = {
    Question.Type.SINGLE: engine.QuestionKind.SINGLE,
    Question.Type.MULTIPLE: engine.QuestionKind.MULTIPLE,
    Question.Type.TRUE_FALSE: engine.QuestionKind.TRUE_FALSE,
}
# Kahoot-style points: up to 1000 per question, at least 500 for a correct answer when speed counts.
MAX_POINTS = 1000
STREAK_STEP = 100
STREAK_CAP = 500


class GameError(Exception):
    """A request the rules refuse; ``code`` is one of :data:`quiz.events.ERROR_CODES`."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message

    def as_event(self) -> dict:
        return events.error(self.code, self.message)


def server_now() -> float:
    return time.time()


def _emit(topic: str, event: dict) -> None:
    def send():
        # ``server_time`` is the clock clients sync their countdown to: stamp it as the event leaves.
        publish(topic, {**event, "server_time": server_now()} if "server_time" in event else event)

    transaction.on_commit(send)


def scoring_rules(game: Game) -> engine.ScoringRules:
    return engine.ScoringRules(
        points=MAX_POINTS,
        speed=game.speed_points,
        streak_step=STREAK_STEP if game.streak_bonus else 0,
        streak_cap=STREAK_CAP,
    )


def engine_state(game: Game) -> engine.GameState:
    return engine.GameState(
        question_count=game.question_count,
        phase=engine.Phase(game.phase),
        question_index=game.question_index,
        opens_at=game.opens_at,
        closes_at=game.closes_at,
    )


def _store_state(game: Game, state: engine.GameState, *fields: str) -> None:
    game.phase = state.phase.value
    game.question_index = state.question_index
    game.opens_at = state.opens_at
    game.closes_at = state.closes_at
    game.save(update_fields=["phase", "question_index", "opens_at", "closes_at", *fields])


# Creating a game ------------------------------------------------------------------------------------------


def generate_pin() -> str:
    """A 6-digit PIN no running game uses."""
    for _attempt in range(100):
        pin = f"{100000 + secrets.randbelow(900000)}"
        if not Game.objects.filter(pin=pin).exclude(phase__in=[Game.Phase.FINISHED, Game.Phase.CANCELLED]).exists():
            return pin
    raise GameError("no_pin", _("暂时无法分配 PIN 码，请稍后再试。"))


def _question_refs(questions) -> list[engine.QuestionRef]:
    choice_ids: dict[int, list[int]] = {}
    for question_id, choice_id in Choice.objects.filter(question__in=questions).values_list("question_id", "id"):
        choice_ids.setdefault(question_id, []).append(choice_id)
    return [
        engine.QuestionRef(
            id=q.pk,
            category=q.category.name,
            bands=tuple(q.band_names()),
            choice_ids=tuple(choice_ids.get(q.pk, ())),
            # 正确/错误 read best in that order.
            shuffle_choices=q.type != Question.Type.TRUE_FALSE,
        )
        for q in questions
    ]


def build_paper(
    *,
    quiz_set: QuizSet | None = None,
    band: str | None = None,
    count: int = 10,
    categories: tuple[str, ...] = (),
    shuffle: bool = True,
    seed: str | None = None,
) -> list[dict]:
    """The game's paper: a question set's questions (in order unless ``shuffle``) or ``count`` drawn from the bank.

    Returns ``[{"question_id": ..., "choice_ids": [...]}, ...]`` with each question's choices in display order.
    """
    if quiz_set is not None:
        questions = [item.question for item in quiz_set.items.select_related("question__category")]
    else:
        bank = Question.objects.filter(is_active=True).select_related("category").prefetch_related("bands")
        if categories:
            bank = bank.filter(category__name__in=categories)
        questions = list(bank)
    refs = _question_refs(questions)
    if not refs:
        raise GameError("empty_paper", _("没有可用的题目。"))
    if quiz_set is not None and not shuffle:
        return [{"question_id": ref.id, "choice_ids": list(ref.choice_ids)} for ref in refs]
    size = len(refs) if quiz_set is not None else count
    try:
        paper = engine.draw_paper(refs, engine.PaperSpec(size=size, band=band), seed or secrets.token_hex(8))
    except engine.QuotaUnmetError as exc:
        raise GameError("empty_paper", _("题库中符合条件的题目不足：%(detail)s") % {"detail": exc}) from exc
    return [{"question_id": item.question_id, "choice_ids": list(item.choice_ids)} for item in paper.items]


def create_game(host, *, title: str, paper: list[dict], quiz_set: QuizSet | None = None, **options) -> Game:
    """Create a game in the lobby with a fresh PIN; ``options`` are Game's host options."""
    if not paper:
        raise GameError("empty_paper", _("没有可用的题目。"))
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Game.objects.create(
                    host=host, title=title, paper=paper, quiz_set=quiz_set, pin=generate_pin(), **options
                )
        except IntegrityError:  # two hosts drew the same PIN at once: draw again
            continue
    raise GameError("no_pin", _("暂时无法分配 PIN 码，请稍后再试。"))


# Players ----------------------------------------------------------------------------------------------------


def active_game_by_pin(pin: str) -> Game:
    game = Game.objects.filter(pin=pin).exclude(phase__in=[Game.Phase.FINISHED, Game.Phase.CANCELLED]).first()
    if game is None:
        raise GameError(events.GAME_NOT_FOUND, _("找不到这个 PIN 对应的竞答，或竞答已结束。"))
    return game


def join(game: Game, nickname: str = "", *, user=None, school_class=None) -> tuple[Player, bool]:
    """Add a player (late joining allowed) and return ``(player, resumed)``.

    A signed-in student joins under their masked real name, once per game: joining again returns the same
    player. Others choose a nickname that passes the word filter and is free in this game.
    """
    if game.phase in (Game.Phase.FINISHED, Game.Phase.CANCELLED):
        raise GameError(events.GAME_OVER, _("本场竞答已结束。"))
    if user is not None and user.is_authenticated:
        existing = Player.objects.filter(game=game, user=user).first()
        if existing is not None:
            if existing.kicked:
                raise GameError(events.KICKED, _("你已被主持人移出本场竞答。"))
            return existing, True
        nickname = user.masked_name
        error = None
    else:
        user = None
        nickname, error = nicknames.check(nickname)
    if error:
        raise GameError(events.NICKNAME_INVALID, error)
    try:
        with transaction.atomic():
            player = Player.objects.create(
                game=game, nickname=nickname, user=user, school_class=school_class, token=secrets.token_urlsafe(24)
            )
    except IntegrityError as exc:
        if user is not None:  # the same student in two tabs at once: the first one won
            return Player.objects.get(game=game, user=user), True
        raise GameError(events.NICKNAME_TAKEN, _("昵称“%(name)s”已被使用，换一个吧。") % {"name": nickname}) from exc
    leaderboard.record(game.pk, player.pk, 0, 0)
    return player, False


def resume(game: Game, token: str) -> Player:
    """The player holding ``token`` in this game (a dropped phone, a reload, or another server process)."""
    player = Player.objects.filter(game=game, token=str(token)[:64]).first()
    if player is None:
        raise GameError(events.BAD_TOKEN, _("无法恢复：请重新加入。"))
    if player.kicked:
        raise GameError(events.KICKED, _("你已被主持人移出本场竞答。"))
    return player


def kick(game: Game, player_id: int) -> None:
    """Remove a player from the game (their answers stay in the record; they leave the board)."""
    updated = Player.objects.filter(game=game, pk=player_id, kicked=False).update(kicked=True)
    if updated:
        leaderboard.remove(game.pk, player_id)
        _emit(f"player:{player_id}", events.kicked())


def lobby_snapshot(game: Game, limit: int = 200) -> dict:
    """The host's lobby: player count and the newest nicknames."""
    players = Player.objects.filter(game=game, kicked=False)
    names = list(players.order_by("-joined_at").values_list("nickname", flat=True)[:limit])
    return events.lobby(game, players.count(), nicknames=names[::-1])


# Running a game --------------------------------------------------------------------------------------------


def _question_event(game: Game, now: float) -> dict:
    item = game.paper[game.question_index]
    question = Question.objects.prefetch_related("choices").get(pk=item["question_id"])
    return events.question(game, events.question_payload(question, item["choice_ids"]), now)


def current_question_event(game: Game, now: float | None = None) -> dict | None:
    """The open question as a player (re)joining now should see it, or None."""
    if game.phase != Game.Phase.QUESTION_OPEN:
        return None
    return _question_event(game, server_now() if now is None else now)


def advance(game_id: int, now: float) -> Game:
    """The host's one button: start, reveal the open question, open the next one, or finish after the last."""
    with transaction.atomic():
        game = Game.objects.select_for_update().get(pk=game_id)
        state = engine_state(game)
        try:
            if state.phase is engine.Phase.LOBBY:
                _open_question(game, engine.start(state, now, game.seconds_per_question), now, "started_at")
            elif state.phase is engine.Phase.QUESTION_OPEN:
                _close_question(game, state, now)
            elif state.phase is engine.Phase.REVEALED and state.is_last_question:
                _finish(game, state, now)
            elif state.phase is engine.Phase.REVEALED:
                _open_question(game, engine.next_question(state, now, game.seconds_per_question), now)
            else:
                raise engine.IllegalTransition(state.phase, engine.Action.NEXT_QUESTION)
        except engine.IllegalTransition as exc:
            raise GameError(events.ILLEGAL, _("本场竞答已结束。")) from exc
    return game


def close_if_due(game_id: int, question_index: int, now: float) -> bool:
    """Close the question at ``question_index`` if its time ran out (timer ticks call this; idempotent)."""
    with transaction.atomic():
        game = Game.objects.select_for_update().get(pk=game_id)
        state = engine_state(game)
        if game.question_index != question_index or not engine.is_due_to_close(state, now):
            return False
        _close_question(game, state, now)
        return True


def close_if_all_answered(game_id: int, question_index: int, now: float) -> bool:
    """Reveal early once every player in the game has answered the open question."""
    with transaction.atomic():
        game = Game.objects.select_for_update().get(pk=game_id)
        if game.phase != Game.Phase.QUESTION_OPEN or game.question_index != question_index:
            return False
        players = Player.objects.filter(game=game, kicked=False).count()
        answered = PlayerAnswer.objects.filter(game=game, question_index=question_index, player__kicked=False).count()
        if players == 0 or answered < players:
            return False
        _close_question(game, engine_state(game), now)
        return True


def finish_early(game_id: int, now: float) -> Game:
    """The host ends the game now (after revealing an open question, so its answers count)."""
    with transaction.atomic():
        game = Game.objects.select_for_update().get(pk=game_id)
        state = engine_state(game)
        if state.phase is engine.Phase.LOBBY:
            game.phase = Game.Phase.CANCELLED
            game.ended_at = timezone.now()
            game.save(update_fields=["phase", "ended_at"])
            _emit(game.topic, events.game_over([]))
            _emit(game.host_topic, events.game_over([]))
            return game
        if state.phase is engine.Phase.QUESTION_OPEN:
            state = _close_question(game, state, now)
        if state.phase is engine.Phase.REVEALED:
            _finish(game, state, now)
    return game


def _open_question(game: Game, state: engine.GameState, now: float, *extra_fields: str) -> None:
    if "started_at" in extra_fields:
        game.started_at = timezone.now()
    _store_state(game, state, *extra_fields)
    question = _question_event(game, now)
    _emit(game.topic, question)
    _emit(game.host_topic, question)
    _emit(game.host_topic, host_state(game))


def _close_question(game: Game, state: engine.GameState, now: float) -> engine.GameState:
    state = engine.close_question(state, now)
    _store_state(game, state)
    item = game.paper[game.question_index]
    correct = list(
        Choice.objects.filter(question_id=item["question_id"], is_correct=True)
        .order_by("order", "id")
        .values_list("id", flat=True)
    )
    distribution = Counter(dict.fromkeys(item["choice_ids"], 0))
    for choice_ids in PlayerAnswer.objects.filter(game=game, question_index=game.question_index).values_list(
        "choice_ids", flat=True
    ):
        distribution.update(choice_ids)
    reveal = events.reveal(
        item["question_id"],
        correct if game.show_answers_on_phones else None,
        dict(distribution),
        top_players(game, TOP_N),
    )
    _emit(game.topic, reveal)
    # The projector always shows the answer, even when phones do not.
    _emit(game.host_topic, {**reveal, "correct_choice_ids": correct})
    _emit(f"{game.topic}:standings", {"type": "standings", "game_id": game.pk, "final": False})
    return state


def _finish(game: Game, state: engine.GameState, now: float) -> None:
    state = engine.finish(state, now)
    game.ended_at = timezone.now()
    _store_state(game, state, "ended_at")
    podium = top_players(game, PODIUM_SIZE)
    _emit(f"{game.topic}:standings", {"type": "standings", "game_id": game.pk, "final": True, "podium": podium})
    _emit(game.host_topic, events.game_over(top_players(game, TOP_N)))


def host_state(game: Game) -> dict:
    players = Player.objects.filter(game=game, kicked=False).count()
    answered = (
        PlayerAnswer.objects.filter(game=game, question_index=game.question_index).count()
        if game.question_index >= 0
        else 0
    )
    return events.state(game, player_count=players, answered=answered)


def top_players(game: Game, n: int) -> list[dict]:
    ranked = leaderboard.top(game.pk, n)
    rows = Player.objects.in_bulk([player_id for _, player_id in ranked])
    return [
        events.leaderboard_entry(position, rows[player_id].nickname, rows[player_id].score)
        for position, player_id in ranked
        if player_id in rows
    ]


def standings_for(game_id: int, player_ids: list[int]) -> dict[int, dict]:
    """``you`` messages for a batch of players (one query and one leaderboard round trip for all)."""
    players = dict(Player.objects.filter(pk__in=player_ids, game_id=game_id).values_list("pk", "score"))
    ranks = leaderboard.ranks(game_id, list(players))
    total = leaderboard.player_count(game_id)
    return {pid: events.you(score, ranks.get(pid), total) for pid, score in players.items()}


# Answers ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerResult:
    question_id: int
    points: int
    total: int
    question_index: int


_answer_keys: dict[int, tuple[str, frozenset[int]]] = {}


def _answer_key(question_id: int) -> tuple[str, frozenset[int]]:
    """``(type, correct choice ids)`` of a question, cached per process: the bank does not change under a
    running game, and this keeps an answer to one read and one short write transaction."""
    cached = _answer_keys.get(question_id)
    if cached is None:
        kind = Question.objects.values_list("type", flat=True).get(pk=question_id)
        correct = frozenset(
            Choice.objects.filter(question_id=question_id, is_correct=True).values_list("id", flat=True)
        )
        if len(_answer_keys) > 5000:
            _answer_keys.clear()
        cached = _answer_keys[question_id] = (kind, correct)
    return cached


@dataclass(frozen=True)
class Submission:
    """One answer as received: who, for which question, which choices, and the server's receipt time."""

    player_id: int
    question_id: object
    choice_ids: object
    now: float


def _checked(game: Game, submission: Submission) -> engine.Answer:
    """The engine's view of an answer, or :class:`GameError` for anything the rules refuse before scoring."""
    index = game.question_index
    if game.phase != Game.Phase.QUESTION_OPEN or index < 0:
        raise GameError(events.NOT_OPEN, _("现在不是答题时间。"))
    item = game.paper[index]
    if submission.question_id != item["question_id"]:
        raise GameError(events.WRONG_QUESTION, _("这道题已经结束了。"))
    if not engine.accepts_answers(engine_state(game), submission.now):
        raise GameError(events.LATE, _("时间到，本题不再接受作答。"))
    choice_ids = submission.choice_ids
    if not isinstance(choice_ids, list) or not choice_ids or not all(isinstance(c, int) for c in choice_ids):
        raise GameError(events.BAD_CHOICE, _("请选择答案。"))
    picked = set(choice_ids)
    kind, correct_ids = _answer_key(submission.question_id)
    if not picked <= set(item["choice_ids"]) or (kind != Question.Type.MULTIPLE and len(picked) != 1):
        raise GameError(events.BAD_CHOICE, _("所选答案无效。"))
    return engine.Answer(
        question_id=submission.question_id,
        kind=KIND[kind],
        correct_ids=correct_ids,
        picked_ids=picked,
        opens_at=game.opens_at,
        answered_at=submission.now,
        time_limit=game.closes_at - game.opens_at if game.closes_at is not None else None,
    )


def submit_answers(game_id: int, submissions: list[Submission]) -> list[AnswerResult | GameError]:
    """Accept a batch of answers to a game's open question in one transaction; a result or error for each.

    Each answer is checked against its own receipt time and scored by the engine. It counts once per
    (player, question): a second one in the batch, or one already stored, is a ``duplicate`` (the unique
    constraint stays the last word). Player rows are locked in id order, so batches from several processes
    never deadlock; their score and streak are read and written under the lock.
    """
    game = Game.objects.only(
        "phase", "question_index", "opens_at", "closes_at", "paper", "speed_points", "streak_bonus",
        "seconds_per_question",
    ).get(pk=game_id)  # fmt: skip
    results: list[AnswerResult | GameError | None] = [None] * len(submissions)
    accepted: list[tuple[int, Submission, engine.Answer]] = []
    batch_players: set[int] = set()
    for position, submission in enumerate(submissions):
        try:
            answer = _checked(game, submission)
        except GameError as exc:
            results[position] = exc
            continue
        if submission.player_id in batch_players:
            results[position] = GameError(events.DUPLICATE, _("这道题你已经答过了。"))
            continue
        batch_players.add(submission.player_id)
        accepted.append((position, submission, answer))
    if not accepted:
        return results

    index, rules = game.question_index, scoring_rules(game)
    with transaction.atomic():
        players = {
            player.pk: player
            for player in Player.objects.select_for_update()
            .filter(pk__in=batch_players, game_id=game_id)
            .order_by("pk")
        }
        answered = set(
            PlayerAnswer.objects.filter(player_id__in=batch_players, question_index=index).values_list(
                "player_id", flat=True
            )
        )
        rows, changed = [], []
        for position, submission, answer in accepted:
            player = players.get(submission.player_id)
            if player is None or player.kicked:
                results[position] = GameError(events.KICKED, _("你已被主持人移出本场竞答。"))
                continue
            if player.pk in answered:
                results[position] = GameError(events.DUPLICATE, _("这道题你已经答过了。"))
                continue
            outcome = engine.score_answer(rules, answer, streak_before=player.streak)
            elapsed_ms = engine.to_ms(outcome.elapsed or 0.0)
            rows.append(
                PlayerAnswer(
                    game_id=game_id,
                    player=player,
                    question_index=index,
                    question_id=submission.question_id,
                    choice_ids=sorted(answer.picked_ids),
                    answered_at=submission.now,
                    elapsed_ms=elapsed_ms,
                    is_correct=outcome.correct,
                    points=outcome.total,
                )
            )
            player.score += outcome.total
            player.streak = outcome.streak
            player.correct_count += int(outcome.correct)
            player.elapsed_ms += elapsed_ms
            changed.append(player)
            results[position] = AnswerResult(submission.question_id, outcome.total, player.score, index)
        PlayerAnswer.objects.bulk_create(rows)
        bulk_update(Player, changed, ["score", "streak", "correct_count", "elapsed_ms"])
        standings = [(player.pk, player.score, player.elapsed_ms) for player in changed]
        transaction.on_commit(lambda: leaderboard.record_many(game_id, standings))
    return results


def submit_answer(game_id: int, player_id: int, question_id, choice_ids, now: float) -> AnswerResult:
    """Accept one answer (see :func:`submit_answers`); raises :class:`GameError` and changes nothing if refused."""
    (result,) = submit_answers(game_id, [Submission(player_id, question_id, choice_ids, now)])
    if isinstance(result, GameError):
        raise result
    return result


def answer_count(game_id: int, question_index: int) -> tuple[int, int]:
    """``(answered, players)`` for the host's live counter."""
    answered = PlayerAnswer.objects.filter(game_id=game_id, question_index=question_index).count()
    return answered, Player.objects.filter(game_id=game_id, kicked=False).count()


def player_view(player: Player) -> dict:
    """What a resuming player needs besides the open question: their score and answered questions."""
    answered = list(player.answers.values_list("question_index", flat=True))
    return {"score": player.score, "answered": answered}
