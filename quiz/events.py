"""Every server -> client message of the live game, in one place (mirrors docs/protocol.md).

Each function returns the message as a dict; consumers send it as one JSON
text frame and :mod:`quiz.fanout` publishes shared ones encoded once. No
question payload carries the correct answer before :func:`reveal`.
"""

from __future__ import annotations

# Error codes (``error.code``); messages are human-readable Chinese.
BAD_MESSAGE = "bad_message"
TOO_BIG = "too_big"
RATE_LIMITED = "rate_limited"
GAME_NOT_FOUND = "game_not_found"
GAME_OVER = "game_over"
NOT_JOINED = "not_joined"
ALREADY_JOINED = "already_joined"
NICKNAME_TAKEN = "nickname_taken"
NICKNAME_INVALID = "nickname_invalid"
BAD_TOKEN = "bad_token"  # noqa: S105 - an error code, not a secret
KICKED = "kicked"
NOT_OPEN = "not_open"
WRONG_QUESTION = "wrong_question"
BAD_CHOICE = "bad_choice"
DUPLICATE = "duplicate"
LATE = "late"
NOT_HOST = "not_host"
ILLEGAL = "illegal"

ERROR_CODES = (
    BAD_MESSAGE,
    TOO_BIG,
    RATE_LIMITED,
    GAME_NOT_FOUND,
    GAME_OVER,
    NOT_JOINED,
    ALREADY_JOINED,
    NICKNAME_TAKEN,
    NICKNAME_INVALID,
    BAD_TOKEN,
    KICKED,
    NOT_OPEN,
    WRONG_QUESTION,
    BAD_CHOICE,
    DUPLICATE,
    LATE,
    NOT_HOST,
    ILLEGAL,
)


def error(code: str, message: str) -> dict:
    return {"type": "error", "code": code, "message": message}


def pong(server_time: float) -> dict:
    return {"type": "pong", "server_time": server_time}


def joined(player, *, resumed: bool) -> dict:
    """To the joining socket only: who it is and the token to resume with."""
    return {
        "type": "joined",
        "player_id": player.pk,
        "token": player.token,
        "nickname": player.nickname,
        "resumed": resumed,
    }


def lobby(game, player_count: int, nicknames: list[str] | None = None) -> dict:
    """The waiting room: to everyone on join/leave; the host also gets the names."""
    message = {"type": "lobby", "title": game.title, "pin": game.pin, "player_count": player_count}
    if nicknames is not None:
        message["nicknames"] = nicknames
    return message


def question(game, payload: dict, server_time: float) -> dict:
    """The open question. ``payload`` comes from :func:`question_payload` (no answer in it)."""
    return {
        "type": "question",
        "index": game.question_index,
        "total": game.question_count,
        **payload,
        "opens_at": game.opens_at,
        "closes_at": game.closes_at,
        "server_time": server_time,
    }


def question_payload(question, choice_ids: list[int]) -> dict:
    """Stem and choices in the paper's order for this game: ids and texts only, never ``is_correct``."""
    texts = {choice.pk: choice.text for choice in question.choices.all()}
    return {
        "question_id": question.pk,
        "kind": question.type,
        "text": question.stem,
        "choices": [{"id": choice_id, "text": texts[choice_id]} for choice_id in choice_ids],
    }


def answer_ack(question_id: int, *, accepted: bool, points: int, total: int, correct: bool | None = None) -> dict:
    """To the answering socket: the answer is stored (or why not, via ``error``), with the points it earned.

    ``correct`` is only filled in when the game shows answers on phones and the question is revealed;
    before the reveal an ack never says whether the answer was right.
    """
    message = {"type": "answer_ack", "question_id": question_id, "accepted": accepted, "points": points, "total": total}
    if correct is not None:
        message["correct"] = correct
    return message


def answer_count(question_id: int, answered: int, players: int) -> dict:
    """Host only: how many players have answered the open question."""
    return {"type": "answer_count", "question_id": question_id, "answered": answered, "players": players}


def reveal(question_id: int, correct_choice_ids: list[int] | None, distribution: dict, top: list[dict]) -> dict:
    """After the question closes: the answer (unless hidden from phones), the distribution and the top N."""
    return {
        "type": "reveal",
        "question_id": question_id,
        "correct_choice_ids": correct_choice_ids,
        "distribution": {str(key): value for key, value in distribution.items()},
        "top": top,
    }


def you(score: int, rank: int | None, players: int, *, last_points: int | None = None) -> dict:
    """To one player: their own score and competition rank (1, 2, 2, 4 …)."""
    message = {"type": "you", "score": score, "rank": rank, "players": players}
    if last_points is not None:
        message["last_points"] = last_points
    return message


def game_over(podium: list[dict], you_message: dict | None = None) -> dict:
    message = {"type": "game_over", "podium": podium}
    if you_message is not None:
        message["you"] = you_message
    return message


def kicked() -> dict:
    return {"type": "kicked", "message": "你已被主持人移出本场竞答。"}


def state(game, *, player_count: int, answered: int) -> dict:
    """Host only: the whole console state, sent on (re)connect."""
    return {
        "type": "state",
        "game_id": game.pk,
        "phase": game.phase,
        "index": game.question_index,
        "total": game.question_count,
        "opens_at": game.opens_at,
        "closes_at": game.closes_at,
        "player_count": player_count,
        "answered": answered,
    }


def leaderboard_entry(rank: int, nickname: str, score: int) -> dict:
    return {"rank": rank, "nickname": nickname, "score": score}
