"""Answers written in batches keep every rule of a single answer."""

import pytest

from quiz.models import Player, PlayerAnswer
from quiz.services import live
from quiz.services.live import GameError, Submission
from tests.live.conftest import correct_choice


@pytest.fixture
def open_game(make_game):
    game = make_game(n_questions=2, seconds_per_question=20)
    players = [live.join(game, f"批量{n}")[0] for n in range(4)]
    game = live.advance(game.pk, 1000.0)
    return game, players


def test_a_batch_scores_each_answer_on_its_own_time_and_counts_it_once(open_game):
    game, (a, b, c, d) = open_game
    question_id = game.paper[0]["question_id"]
    right = correct_choice(question_id)
    wrong = [cid for cid in game.paper[0]["choice_ids"] if cid not in right][:1]
    live.kick(game, d.pk)
    results = live.submit_answers(
        game.pk,
        [
            Submission(a.pk, question_id, right, 1000.2),  # fast and right: full points
            Submission(b.pk, question_id, wrong, 1005.0),
            Submission(a.pk, question_id, right, 1001.0),  # the same player twice in one batch
            Submission(c.pk, question_id, right, 1021.0),  # after the deadline
            Submission(d.pk, question_id, right, 1002.0),  # kicked
            Submission(b.pk, question_id + 999, right, 1003.0),  # another question
        ],
    )
    assert results[0].points == 1000 and results[0].total == 1000
    assert results[1].points == 0
    assert [r.code for r in results[2:]] == ["duplicate", "late", "kicked", "wrong_question"]
    assert all(isinstance(r, GameError) for r in results[2:])
    stored = dict(PlayerAnswer.objects.filter(game=game).values_list("player__nickname", "points"))
    assert stored == {"批量0": 1000, "批量1": 0}
    assert Player.objects.get(pk=a.pk).score == 1000

    again = live.submit_answers(game.pk, [Submission(a.pk, question_id, right, 1003.0)])
    assert again[0].code == "duplicate"  # already stored by the earlier batch
    assert Player.objects.get(pk=a.pk).score == 1000


def test_streaks_and_speed_points_carry_across_batches(make_game):
    game = make_game(n_questions=2, streak_bonus=True, seconds_per_question=20)
    player, _ = live.join(game, "连对")
    game = live.advance(game.pk, 1000.0)
    first = game.paper[0]["question_id"]
    (one,) = live.submit_answers(game.pk, [Submission(player.pk, first, correct_choice(first), 1010.0)])
    assert one.points == 750  # half the time used: 1000 * (1 - 0.5 / 2)
    live.advance(game.pk, 1020.5)  # reveal
    game = live.advance(game.pk, 1030.0)  # next question
    second = game.paper[1]["question_id"]
    (two,) = live.submit_answers(game.pk, [Submission(player.pk, second, correct_choice(second), 1030.0)])
    assert two.points == 1000 + 100  # full speed points plus the first streak step
    assert two.total == 750 + 1100
