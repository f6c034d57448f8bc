"""Several games and several Daphne processes: isolation, and surviving a killed process."""

import asyncio
import json

import pytest
from asgiref.sync import sync_to_async

from quiz.models import Player
from tests.live.conftest import Client, correct_choice
from tests.live.test_live_game import host_connect

pytestmark = pytest.mark.integration


async def test_two_games_at_once_never_see_each_others_events(daphne_server, make_game, teacher):
    first = await sync_to_async(make_game)(n_questions=2)
    second = await sync_to_async(make_game)(n_questions=2)
    hosts = [await host_connect(daphne_server, game, teacher) for game in (first, second)]
    players = {}
    for game in (first, second):
        players[game.pk] = []
        for n in range(3):
            client = await Client.connect(daphne_server, f"/ws/play/{game.pin}/")
            await client.send(type="join", nickname=f"玩家{game.pk}x{n}")
            await client.expect("joined")
            players[game.pk].append(client)
    for host in hosts:
        await host.send(type="next")
    for game in (first, second):
        own_ids = {item["question_id"] for item in game.paper}
        for client in players[game.pk]:
            question = await client.expect("question")
            assert question["question_id"] in own_ids
            right = await sync_to_async(correct_choice)(question["question_id"])
            await client.send(type="answer", question_id=question["question_id"], choice_ids=right)
            await client.expect("answer_ack")
    for game in (first, second):
        for client in players[game.pk]:
            await client.expect("reveal")  # everyone in this game answered
            await client.expect("you")
    await asyncio.sleep(0.5)  # anything misrouted would have arrived by now
    for game in (first, second):
        own_ids = {item["question_id"] for item in game.paper}
        for client in players[game.pk]:
            try:
                while True:
                    client.received.append(json.loads(await asyncio.wait_for(client.ws.recv(), 0.2)))
            except TimeoutError:
                pass
            for message in client.received:
                if "question_id" in message:
                    assert message["question_id"] in own_ids, message
                if message["type"] == "lobby":
                    assert message["pin"] == game.pin
            await client.close()
    for host in hosts:
        await host.close()


@pytest.mark.redis
async def test_players_survive_a_killed_daphne_process(daphne_factory, redis_url, make_game, teacher):
    """A process dies mid-game: its players reconnect to the other one and finish with their scores intact."""
    doomed = daphne_factory(redis_url=redis_url, name="daphne-doomed")
    survivor = daphne_factory(redis_url=redis_url, name="daphne-survivor")
    game = await sync_to_async(make_game)(n_questions=2)
    host = await host_connect(survivor, game, teacher)
    phone = await Client.connect(doomed, f"/ws/play/{game.pin}/")
    steady = await Client.connect(survivor, f"/ws/play/{game.pin}/")
    await phone.send(type="join", nickname="无畏的雄鹰")
    token = (await phone.expect("joined"))["token"]
    await steady.send(type="join", nickname="沉着的青松")
    await steady.expect("joined")

    await host.send(type="next")
    question = await phone.expect("question")  # delivered across processes through Redis
    right = await sync_to_async(correct_choice)(question["question_id"])
    await phone.send(type="answer", question_id=question["question_id"], choice_ids=right)
    points = (await phone.expect("answer_ack"))["points"]
    assert points > 0

    doomed.kill()  # SIGKILL: no goodbye, no cleanup

    phone = await Client.connect(survivor, f"/ws/play/{game.pin}/")
    await phone.send(type="resume", token=token)
    assert (await phone.expect("joined"))["resumed"] is True
    current = await phone.expect("question")
    assert current["question_id"] == question["question_id"] and current["answered"] is True
    assert (await phone.expect("you"))["score"] == points

    await steady.send(type="answer", question_id=question["question_id"], choice_ids=right)
    await steady.expect("answer_ack")
    await phone.expect("reveal")
    await host.send(type="next")
    second = await phone.expect("question")
    right = await sync_to_async(correct_choice)(second["question_id"])
    await phone.send(type="answer", question_id=second["question_id"], choice_ids=right)
    more = (await phone.expect("answer_ack"))["points"]
    await steady.send(type="answer", question_id=second["question_id"], choice_ids=right)
    await phone.expect("reveal")
    await host.send(type="next")
    over = await phone.expect("game_over")
    assert over["you"]["score"] == points + more
    db_score = await sync_to_async(Player.objects.values_list("score", flat=True).get)(game=game, nickname="无畏的雄鹰")
    assert db_score == points + more
    assert await sync_to_async(Player.objects.filter(game=game).count)() == 2
    for client in (phone, steady, host):
        await client.close()
