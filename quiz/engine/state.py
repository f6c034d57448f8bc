"""The live game's state machine, as pure data: lobby -> question open -> revealed -> ... -> finished.

Each transition is a function taking the current :class:`GameState` (and the server clock ``now``) and
returning a new one; an action not allowed in the current phase raises :class:`IllegalTransition`. The live
game's services persist the state and call these functions, so the rules of the game live in one place:

* ``start`` (host, lobby only) opens the first question;
* ``close_question`` (timer ran out, everyone answered, or the host skipped) reveals the answer;
* ``next_question`` opens the next question after a reveal, unless it was the last one;
* ``finish`` ends the game after a reveal: normally after the last question, or earlier if the host stops;
* ``cancel`` abandons a game that has not finished (nobody gets a result).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from . import timing

__all__ = [
    "Action",
    "GameState",
    "IllegalTransition",
    "Phase",
    "accepts_answers",
    "cancel",
    "close_question",
    "finish",
    "is_due_to_close",
    "new_game",
    "next_question",
    "start",
]


class Phase(StrEnum):
    """Where a live game is."""

    LOBBY = "lobby"
    QUESTION_OPEN = "question_open"
    REVEALED = "revealed"
    FINISHED = "finished"
    CANCELLED = "cancelled"


class Action(StrEnum):
    """What can happen to a live game."""

    START = "start"
    CLOSE_QUESTION = "close_question"
    NEXT_QUESTION = "next_question"
    FINISH = "finish"
    CANCEL = "cancel"


# The whole machine: (phase, action) -> next phase. Anything not listed is illegal.
TRANSITIONS: dict[tuple[Phase, Action], Phase] = {
    (Phase.LOBBY, Action.START): Phase.QUESTION_OPEN,
    (Phase.QUESTION_OPEN, Action.CLOSE_QUESTION): Phase.REVEALED,
    (Phase.REVEALED, Action.NEXT_QUESTION): Phase.QUESTION_OPEN,
    (Phase.REVEALED, Action.FINISH): Phase.FINISHED,
    (Phase.LOBBY, Action.CANCEL): Phase.CANCELLED,
    (Phase.QUESTION_OPEN, Action.CANCEL): Phase.CANCELLED,
    (Phase.REVEALED, Action.CANCEL): Phase.CANCELLED,
}


class IllegalTransition(Exception):
    """An action was attempted in a phase that does not allow it."""

    def __init__(self, phase: Phase, action: Action, detail: str = "") -> None:
        self.phase, self.action = phase, action
        super().__init__(f"cannot {action} in phase {phase}" + (f": {detail}" if detail else ""))


@dataclass(frozen=True)
class GameState:
    """A live game at one moment.

    ``question_index`` is 0-based (-1 in the lobby); ``opens_at``/``closes_at`` are the server times the
    current question opened and must close (``closes_at`` None when questions have no limit); ``ended_at`` is
    set when the game finishes or is cancelled.
    """

    question_count: int
    phase: Phase = Phase.LOBBY
    question_index: int = -1
    opens_at: float | None = None
    closes_at: float | None = None
    ended_at: float | None = None

    @property
    def is_last_question(self) -> bool:
        """Whether the current question is the paper's last."""
        return self.question_index == self.question_count - 1


def new_game(question_count: int) -> GameState:
    """Return a game in the lobby for a paper of ``question_count`` questions."""
    if question_count < 1:
        raise ValueError("a live game needs at least one question")
    return GameState(question_count)


def _move(state: GameState, action: Action, **changes: float | None) -> GameState:
    # Every transition goes through the table, so an action can never skip the legality check.
    target = TRANSITIONS.get((state.phase, action))
    if target is None:
        raise IllegalTransition(state.phase, action)
    return replace(state, phase=target, **changes)


def _open(state: GameState, action: Action, now: float, limit: float | None) -> GameState:
    return _move(
        state, action, question_index=state.question_index + 1, opens_at=now, closes_at=timing.deadline(now, limit)
    )


def start(state: GameState, now: float, limit: float | None) -> GameState:
    """Start the game: open the first question at ``now`` for ``limit`` seconds."""
    return _open(state, Action.START, now, limit)


def close_question(state: GameState, now: float) -> GameState:
    """Close the open question and reveal its answer (answers arriving afterwards are late)."""
    # A host skip closes before the deadline; a timer tick runs a little after it, and must not extend it.
    closes_at = now if state.closes_at is None else min(state.closes_at, now)
    return _move(state, Action.CLOSE_QUESTION, closes_at=closes_at)


def next_question(state: GameState, now: float, limit: float | None) -> GameState:
    """Open the next question at ``now`` after a reveal; illegal after the last question."""
    if state.phase is Phase.REVEALED and state.is_last_question:
        raise IllegalTransition(state.phase, Action.NEXT_QUESTION, "that was the last question")
    return _open(state, Action.NEXT_QUESTION, now, limit)


def finish(state: GameState, now: float) -> GameState:
    """Finish the game after a reveal (after the last question, or early when the host stops)."""
    return _move(state, Action.FINISH, ended_at=now)


def cancel(state: GameState, now: float) -> GameState:
    """Abandon a game that has not finished."""
    return _move(state, Action.CANCEL, ended_at=now)


def accepts_answers(state: GameState, now: float) -> bool:
    """Whether an answer arriving at ``now`` is on time for the current question."""
    return state.phase is Phase.QUESTION_OPEN and not timing.is_late(now, state.closes_at)


def is_due_to_close(state: GameState, now: float) -> bool:
    """Whether the open question's time has run out at ``now`` (the services then call :func:`close_question`)."""
    return state.phase is Phase.QUESTION_OPEN and state.closes_at is not None and now > state.closes_at
