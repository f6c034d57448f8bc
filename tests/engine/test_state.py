"""The live game's state machine."""

import pytest

from quiz.engine import (
    GameState,
    IllegalTransition,
    Phase,
    accepts_answers,
    cancel,
    close_question,
    finish,
    is_due_to_close,
    new_game,
    next_question,
    start,
)


def test_a_two_question_game_from_lobby_to_podium():
    game = new_game(2)
    assert (game.phase, game.question_index) == (Phase.LOBBY, -1)
    game = start(game, now=100.0, limit=20)
    assert (game.phase, game.question_index, game.opens_at, game.closes_at) == (Phase.QUESTION_OPEN, 0, 100.0, 120.0)
    game = close_question(game, now=120.5)
    assert (game.phase, game.closes_at) == (Phase.REVEALED, 120.0)  # a late timer tick does not extend the deadline
    game = next_question(game, now=130.0, limit=30)
    assert (game.phase, game.question_index, game.closes_at) == (Phase.QUESTION_OPEN, 1, 160.0)
    game = close_question(game, now=140.0)  # everyone answered: closes early
    assert game.closes_at == 140.0 and game.is_last_question
    game = finish(game, now=150.0)
    assert (game.phase, game.ended_at) == (Phase.FINISHED, 150.0)


def test_states_are_immutable_values():
    game = new_game(3)
    started = start(game, 0.0, 10)
    assert game.phase is Phase.LOBBY and started is not game
    with pytest.raises(AttributeError):
        started.phase = Phase.FINISHED  # type: ignore[misc]


def test_no_next_question_after_the_last_one():
    game = close_question(start(new_game(1), 0.0, 10), 5.0)
    with pytest.raises(IllegalTransition, match="last question"):
        next_question(game, 6.0, 10)


def test_the_host_may_finish_early_after_a_reveal():
    game = close_question(start(new_game(5), 0.0, 10), 5.0)
    assert finish(game, 6.0).phase is Phase.FINISHED


@pytest.mark.parametrize(
    ("state", "action"),
    [
        (GameState(3), lambda s: close_question(s, 1.0)),
        (GameState(3), lambda s: next_question(s, 1.0, 10)),
        (GameState(3), lambda s: finish(s, 1.0)),
        (GameState(3, Phase.QUESTION_OPEN, 0), lambda s: start(s, 1.0, 10)),
        (GameState(3, Phase.QUESTION_OPEN, 0), lambda s: next_question(s, 1.0, 10)),
        (GameState(3, Phase.QUESTION_OPEN, 0), lambda s: finish(s, 1.0)),
        (GameState(3, Phase.REVEALED, 0), lambda s: close_question(s, 1.0)),
        (GameState(3, Phase.FINISHED, 2), lambda s: cancel(s, 1.0)),
        (GameState(3, Phase.FINISHED, 2), lambda s: start(s, 1.0, 10)),
        (GameState(3, Phase.CANCELLED, 0), lambda s: next_question(s, 1.0, 10)),
    ],
)
def test_illegal_transitions_raise(state, action):
    with pytest.raises(IllegalTransition) as caught:
        action(state)
    assert caught.value.phase is state.phase


@pytest.mark.parametrize("phase", [Phase.LOBBY, Phase.QUESTION_OPEN, Phase.REVEALED])
def test_an_unfinished_game_can_be_cancelled(phase):
    game = cancel(GameState(3, phase, 0), 9.0)
    assert (game.phase, game.ended_at) == (Phase.CANCELLED, 9.0)


def test_answers_are_accepted_only_while_the_question_is_open_and_on_time():
    game = start(new_game(2), 100.0, 20)
    assert accepts_answers(game, 120.0)
    assert not accepts_answers(game, 120.1)
    assert not is_due_to_close(game, 120.0) and is_due_to_close(game, 120.1)
    closed = close_question(game, 110.0)
    assert not accepts_answers(closed, 111.0) and not is_due_to_close(closed, 200.0)


def test_questions_without_a_limit_stay_open_until_closed():
    game = start(new_game(1), 100.0, None)
    assert game.closes_at is None and accepts_answers(game, 10**9) and not is_due_to_close(game, 10**9)
    assert close_question(game, 150.0).closes_at == 150.0


def test_a_game_needs_questions():
    with pytest.raises(ValueError):
        new_game(0)
