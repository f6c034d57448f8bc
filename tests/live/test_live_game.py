"""The live game end to end: real Daphne, real WebSocket clients, the database as the referee."""

import asyncio
import json

import pytest
from asgiref.sync import sync_to_async

from quiz.models import Game, Player, PlayerAnswer
from tests.live.conftest import Client, correct_choice

pytestmark = pytest.mark.integration


async def host_connect(server, game, user):
    """The host console socket, signed in as ``user`` through the session cookie."""
    import websockets
    from django.test import Client as HttpClient

    http = HttpClient()
    await sync_to_async(http.force_login)(user)
    cookie = f"sessionid={http.cookies['sessionid'].value}"
    ws = await websockets.connect(
        f"{server.ws_url}/ws/host/{game.pk}/", origin=server.url, additional_headers={"Cookie": cookie}
    )
    return Client(ws)


async def test_full_game_with_answers_reveal_ranks_and_podium(daphne_server, make_game, teacher):
    game = await sync_to_async(make_game)(n_questions=2)
    host = await host_connect(daphne_server, game, teacher)
    await host.expect("state")

    alice = await Client.connect(daphne_server, f"/ws/play/{game.pin}/")
    bob = await Client.connect(daphne_server, f"/ws/play/{game.pin}/")
    await alice.send(type="join", nickname="勇敢的熊猫")
    joined = await alice.expect("joined")
    assert joined["token"] and joined["resumed"] is False
    await bob.send(type="join", nickname="机智的白鸽")
    await bob.expect("joined")
    lobby = await host.expect("lobby")
    while lobby["player_count"] < 2:
        lobby = await host.expect("lobby")
    assert set(lobby["nicknames"]) == {"勇敢的熊猫", "机智的白鸽"}

    for index in range(2):
        await host.send(type="next")  # start / open the next question
        question = await alice.expect("question")
        await bob.expect("question")
        assert question["index"] == index and question["total"] == 2
        assert question["opens_at"] <= question["server_time"] <= question["closes_at"]
        right = await sync_to_async(correct_choice)(question["question_id"])
        wrong = [c["id"] for c in question["choices"] if c["id"] not in right][:1]
        await alice.send(type="answer", question_id=question["question_id"], choice_ids=right)
        ack = await alice.expect("answer_ack")
        assert ack["accepted"] is True and 500 <= ack["points"] <= 1000
        await bob.send(type="answer", question_id=question["question_id"], choice_ids=wrong)
        assert (await bob.expect("answer_ack"))["points"] == 0
        # Everyone answered: the console reveals without waiting for the timer.
        reveal = await alice.expect("reveal")
        assert reveal["correct_choice_ids"] == right
        assert reveal["distribution"][str(right[0])] == 1
        assert reveal["top"][0]["nickname"] == "勇敢的熊猫"
        you = await alice.expect("you")
        assert you["rank"] == 1
        assert (await bob.expect("you"))["rank"] == 2
        await host.expect("reveal")

    await host.send(type="next")  # after the last reveal: finish
    over = await alice.expect("game_over")
    assert over["you"]["rank"] == 1 and over["podium"][0]["nickname"] == "勇敢的熊猫"
    assert (await bob.expect("game_over"))["you"]["rank"] == 2
    await host.expect("game_over")

    game = await sync_to_async(Game.objects.get)(pk=game.pk)
    assert game.phase == Game.Phase.FINISHED
    assert await sync_to_async(PlayerAnswer.objects.filter(game=game).count)() == 4
    for client in (alice, bob, host):
        await client.close()


async def test_no_frame_carries_the_answer_before_reveal(daphne_server, make_game, teacher):
    game = await sync_to_async(make_game)(n_questions=1, multiple=True)
    host = await host_connect(daphne_server, game, teacher)
    player = await Client.connect(daphne_server, f"/ws/play/{game.pin}/")
    await player.send(type="join", nickname="阳光的海豚")
    await player.expect("joined")
    frames = []
    for _ in range(2):
        await host.send(type="next")
        question = await player.expect("question")
        frames.append(json.dumps(question, ensure_ascii=False))
        assert set(question) == {
            "type", "index", "total", "question_id", "kind", "text", "choices", "opens_at", "closes_at", "server_time"
        }  # fmt: skip
        assert all(set(choice) == {"id", "text"} for choice in question["choices"])
        await host.send(type="next")  # reveal without answering
        await player.expect("reveal")
    for frame in frames + [json.dumps(m, ensure_ascii=False) for m in player.received if m["type"] != "reveal"]:
        assert "is_correct" not in frame and "correct_choice_ids" not in frame
    await player.close()
    await host.close()


async def test_duplicate_late_and_foreign_answers_are_rejected(daphne_server, make_game, teacher):
    game = await sync_to_async(make_game)(n_questions=2, seconds_per_question=5)
    host = await host_connect(daphne_server, game, teacher)
    player = await Client.connect(daphne_server, f"/ws/play/{game.pin}/")
    other = await Client.connect(daphne_server, f"/ws/play/{game.pin}/")
    await player.send(type="join", nickname="认真的松鼠")
    await player.expect("joined")
    await other.send(type="join", nickname="安静的麋鹿")
    await other.expect("joined")
    await host.send(type="next")
    question = await player.expect("question")
    right = await sync_to_async(correct_choice)(question["question_id"])

    await player.send(type="answer", question_id=question["question_id"], choice_ids=[999_999])
    assert (await player.expect("error"))["code"] == "bad_choice"
    await player.send(type="answer", question_id=question["question_id"] + 10_000, choice_ids=right)
    assert (await player.expect("error"))["code"] == "wrong_question"
    await player.send(type="answer", question_id=question["question_id"], choice_ids=right)
    first = await player.expect("answer_ack")
    await player.send(type="answer", question_id=question["question_id"], choice_ids=right)
    duplicate = await player.expect("error")
    assert duplicate["code"] == "duplicate"

    # The other player waits past the deadline: the server's clock decides, the answer is refused.
    await asyncio.sleep(max(0, question["closes_at"] - question["server_time"]) + 0.1)
    await other.send(type="answer", question_id=question["question_id"], choice_ids=right)
    late = await other.expect("error")
    assert late["code"] in {"late", "not_open"}

    answers = await sync_to_async(list)(
        PlayerAnswer.objects.filter(game=game).values_list("player__nickname", "points")
    )
    assert answers == [("认真的松鼠", first["points"])]
    score = await sync_to_async(Player.objects.values_list("score", flat=True).get)(nickname="认真的松鼠", game=game)
    assert score == first["points"]  # counted once
    for client in (player, other, host):
        await client.close()


async def test_reload_resumes_the_same_player_with_score(daphne_server, make_game, teacher):
    game = await sync_to_async(make_game)(n_questions=2)
    host = await host_connect(daphne_server, game, teacher)
    phone = await Client.connect(daphne_server, f"/ws/play/{game.pin}/")
    await phone.send(type="join", nickname="闪亮的星星")
    token = (await phone.expect("joined"))["token"]
    await host.send(type="next")
    question = await phone.expect("question")
    right = await sync_to_async(correct_choice)(question["question_id"])
    await phone.send(type="answer", question_id=question["question_id"], choice_ids=right)
    points = (await phone.expect("answer_ack"))["points"]
    await phone.close()  # the phone drops

    again = await Client.connect(daphne_server, f"/ws/play/{game.pin}/")
    await again.send(type="resume", token=token)
    resumed = await again.expect("joined")
    assert resumed["resumed"] is True and resumed["nickname"] == "闪亮的星星"
    current = await again.expect("question")  # the open question, with its original deadline
    assert current["question_id"] == question["question_id"] and current["closes_at"] == question["closes_at"]
    assert current["answered"] is True
    assert (await again.expect("you"))["score"] == points
    assert await sync_to_async(Player.objects.filter(game=game).count)() == 1  # no duplicate player

    await again.send(type="resume", token="forged-token")
    assert (await again.expect("error"))["code"] == "bad_token"
    await again.close()
    await host.close()


async def test_nickname_filter_and_unknown_pin(daphne_server, make_game):
    game = await sync_to_async(make_game)(n_questions=1)
    phone = await Client.connect(daphne_server, f"/ws/play/{game.pin}/")
    await phone.send(type="join", nickname="冰毒大王")
    assert (await phone.expect("error"))["code"] == "nickname_invalid"
    await phone.send(type="join", nickname="快乐的企鹅")
    await phone.expect("joined")
    twin = await Client.connect(daphne_server, f"/ws/play/{game.pin}/")
    await twin.send(type="join", nickname="快乐的企鹅")
    assert (await twin.expect("error"))["code"] == "nickname_taken"
    nowhere = await Client.connect(daphne_server, "/ws/play/000000/")
    assert (await nowhere.expect("error"))["code"] == "game_not_found"
    for client in (phone, twin, nowhere):
        await client.close()


async def test_host_socket_requires_the_games_host(daphne_server, make_game):
    import websockets

    game = await sync_to_async(make_game)(n_questions=1)
    # Refused before the handshake completes: an anonymous socket never sees the console.
    with pytest.raises(websockets.InvalidStatus) as refused:
        await websockets.connect(f"{daphne_server.ws_url}/ws/host/{game.pk}/", origin=daphne_server.url)
    assert refused.value.response.status_code == 403
