"""The paper socket (/ws/paper/<id>/) on a real Daphne process with real WebSocket clients; the database referees."""

import datetime
import json

import pytest
from asgiref.sync import sync_to_async
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone

from quiz.models import AttemptAnswer, ChallengeAttempt
from quiz.paper_consumers import CLOSE_NOT_FOUND, CLOSE_PAPER_CLOSED
from quiz.services import challenge as svc

from .factories import correct_choice, make_bank, make_challenge, make_org, register_student, wrong_choice

pytestmark = pytest.mark.integration


def _setup(question_count=4, seconds=600, names=("王小明",)):
    make_bank("小学", 6)
    challenge = make_challenge(question_count=question_count, seconds=seconds, attempts_per_day=3)
    klass = make_org()[2]
    papers = []
    for name in names:
        participant = register_student(challenge, name, klass)
        attempt, _resumed = svc.start_attempt(participant)
        session = SessionStore()
        session[svc.SESSION_KEY] = [participant.pk]
        session.create()
        papers.append((attempt, session.session_key))
    return papers[0] if len(names) == 1 else papers


async def connect(server, attempt_id, session_key=None, language=None):
    import websockets

    headers = {"Cookie": f"sessionid={session_key}"} if session_key else {}
    if language:
        headers["Accept-Language"] = language
    return await websockets.connect(
        f"{server.ws_url}/ws/paper/{attempt_id}/", origin=server.url, additional_headers=headers, open_timeout=20
    )


async def recv(ws) -> dict:
    import asyncio

    return json.loads(await asyncio.wait_for(ws.recv(), timeout=20))


async def test_answers_are_saved_acknowledged_and_resumed_after_reconnect(daphne_server):
    attempt, key = await sync_to_async(_setup)()
    ws = await connect(daphne_server, attempt.pk, key)
    paper = await recv(ws)
    assert paper["type"] == "paper" and paper["attempt_id"] == attempt.pk and paper["status"] == "in_progress"
    assert len(paper["questions"]) == 4 and 590 < paper["remaining"] <= 600
    # The paper never says which choice is right, nor explains.
    text = json.dumps(paper, ensure_ascii=False)
    assert "correct" not in text and "explanation" not in text and "解析" not in text

    first, second = paper["questions"][0], paper["questions"][1]
    picks = {}
    for seq, question in enumerate((first, second)):
        choice = question["choices"][seq]["id"]
        await ws.send(json.dumps({"type": "answer", "index": question["index"], "choice_ids": [choice], "seq": seq}))
        ack = await recv(ws)
        assert ack == {
            "type": "saved",
            "index": question["index"],
            "choice_ids": [choice],
            "seq": seq,
            "remaining": pytest.approx(ack["remaining"]),
        }
        picks[question["index"]] = [choice]
    # Changing an answer keeps one row, with the later choice.
    changed = first["choices"][2]["id"]
    await ws.send(json.dumps({"type": "answer", "index": first["index"], "choice_ids": [changed], "seq": 9}))
    assert (await recv(ws))["type"] == "saved"
    picks[first["index"]] = [changed]
    stored = await sync_to_async(lambda: dict(attempt.answers.values_list("index", "choice_ids")))()
    assert stored == picks
    await ws.close()

    # A dropped phone reconnects: the same paper, its answers, the same deadline.
    again = await connect(daphne_server, attempt.pk, key)
    resumed = await recv(again)
    assert resumed["deadline"] == paper["deadline"]
    assert {q["index"]: q["answer"] for q in resumed["questions"] if q["answer"]} == picks
    assert [q["stem"] for q in resumed["questions"]] == [q["stem"] for q in paper["questions"]]
    await again.close()


async def test_submit_over_the_socket_scores_every_acknowledged_answer(daphne_server):
    attempt, key = await sync_to_async(_setup)()
    ws = await connect(daphne_server, attempt.pk, key)
    paper = await recv(ws)
    for seq, question in enumerate(paper["questions"]):
        qid = attempt.paper[question["index"]]["question_id"]
        choice = await sync_to_async(correct_choice if seq < 3 else wrong_choice)(qid)
        await ws.send(json.dumps({"type": "answer", "index": question["index"], "choice_ids": [choice], "seq": seq}))
    acks = [await recv(ws) for _ in paper["questions"]]
    assert [a["seq"] for a in acks] == [0, 1, 2, 3] and {a["type"] for a in acks} == {"saved"}
    await ws.send(json.dumps({"type": "submit"}))
    assert await recv(ws) == {"type": "submitted", "attempt_id": attempt.pk}
    await ws.wait_closed()
    assert ws.close_code == CLOSE_PAPER_CLOSED

    done = await sync_to_async(ChallengeAttempt.objects.get)(pk=attempt.pk)
    assert done.status == "submitted" and done.correct_count == 3 and done.score == 75

    # A submitted paper opens read-only: its state, then the socket closes; answers are no longer taken.
    late = await connect(daphne_server, attempt.pk, key)
    closed = await recv(late)
    assert closed["type"] == "paper" and closed["status"] == "submitted"
    await late.wait_closed()
    assert late.close_code == CLOSE_PAPER_CLOSED


async def test_someone_elses_paper_is_not_found(daphne_server):
    attempt, _key = await sync_to_async(_setup)()
    stranger = await sync_to_async(SessionStore)()
    await sync_to_async(stranger.create)()
    for key in (None, stranger.session_key):
        ws = await connect(daphne_server, attempt.pk, key)
        message = await recv(ws)
        assert message["type"] == "error" and message["code"] == "not_found"
        assert "questions" not in message
        await ws.wait_closed()
        assert ws.close_code == CLOSE_NOT_FOUND


async def test_bad_answers_are_refused_and_store_nothing(daphne_server):
    attempt, key = await sync_to_async(_setup)()
    ws = await connect(daphne_server, attempt.pk, key)
    paper = await recv(ws)
    question = paper["questions"][0]
    foreign = paper["questions"][1]["choices"][0]["id"]
    cases = [
        ({"index": 99, "choice_ids": [question["choices"][0]["id"]]}, "bad_index"),
        ({"index": "0", "choice_ids": [question["choices"][0]["id"]]}, "bad_index"),
        ({"index": 0, "choice_ids": []}, "bad_choice"),
        ({"index": 0, "choice_ids": [foreign]}, "bad_choice"),
        ({"index": 0, "choice_ids": [c["id"] for c in question["choices"][:2]]}, "bad_choice"),  # single choice
        ({"index": 0, "choice_ids": [True]}, "bad_choice"),
    ]
    for seq, (body, code) in enumerate(cases):
        await ws.send(json.dumps({"type": "answer", "seq": seq, **body}))
        reply = await recv(ws)
        assert (reply["type"], reply["code"], reply["seq"]) == ("error", code, seq), body
    await ws.send("not json")
    assert (await recv(ws))["code"] == "bad_message"
    await ws.send(json.dumps({"type": "shout", "seq": 41}))
    assert ((reply := await recv(ws))["code"], reply["seq"]) == ("bad_message", 41)
    # A flood past the burst is refused frame by frame, each refusal naming its frame; nothing of it is saved.
    for seq in range(100, 150):
        await ws.send(json.dumps({"type": "answer", "seq": seq, "index": 99, "choice_ids": []}))
    replies = [await recv(ws) for _ in range(50)]
    limited = [r["seq"] for r in replies if r["code"] == "rate_limited"]
    assert limited and set(limited) <= set(range(100, 150)) and len(limited) < 50
    assert not await sync_to_async(AttemptAnswer.objects.filter(attempt_id=attempt.pk).exists)()
    await ws.send(json.dumps({"type": "answer", "index": 0, "choice_ids": [1], "pad": "x" * 5000}))
    await ws.wait_closed()
    assert ws.close_code == 4009
    assert await sync_to_async(AttemptAnswer.objects.filter(attempt=attempt).count)() == 0


async def test_an_answer_after_the_deadline_submits_the_paper_as_it_stood(daphne_server):
    attempt, key = await sync_to_async(_setup)(seconds=600)
    ws = await connect(daphne_server, attempt.pk, key)
    paper = await recv(ws)
    question = paper["questions"][0]
    await ws.send(json.dumps({"type": "answer", "index": 0, "choice_ids": [question["choices"][0]["id"]], "seq": 1}))
    assert (await recv(ws))["type"] == "saved"

    # The deadline passes while the socket is open (moved on the server, as the clock would).
    past = timezone.now() - datetime.timedelta(seconds=1)
    await sync_to_async(ChallengeAttempt.objects.filter(pk=attempt.pk).update)(deadline_at=past)
    ws2 = await connect(daphne_server, attempt.pk, key)  # a fresh socket reads the new deadline
    state = await recv(ws2)
    assert state["status"] == "expired"  # opening it after the deadline submitted it
    await ws2.wait_closed()

    other = paper["questions"][1]["choices"][0]["id"]
    await ws.send(json.dumps({"type": "answer", "index": 1, "choice_ids": [other], "seq": 2}))
    reply = await recv(ws)
    assert reply["type"] == "error" and reply["code"] in ("already_submitted", "expired") and reply["seq"] == 2
    await ws.wait_closed()
    assert ws.close_code == CLOSE_PAPER_CLOSED
    rows = await sync_to_async(lambda: list(attempt.answers.values_list("index", flat=True)))()
    assert rows == [0]


async def test_the_socket_itself_refuses_an_answer_once_its_clock_passes_the_deadline(daphne_server):
    import asyncio

    attempt, key = await sync_to_async(_setup)(seconds=2)
    ws = await connect(daphne_server, attempt.pk, key)
    paper = await recv(ws)
    await asyncio.sleep(max(0.0, paper["remaining"]) + 0.3)
    choice = paper["questions"][0]["choices"][0]["id"]
    await ws.send(json.dumps({"type": "answer", "index": 0, "choice_ids": [choice], "seq": 5}))
    reply = await recv(ws)
    assert (reply["type"], reply["code"], reply["seq"]) == ("error", "expired", 5)
    await ws.wait_closed()
    done = await sync_to_async(ChallengeAttempt.objects.get)(pk=attempt.pk)
    assert done.status == "expired" and done.score == 0
    assert await sync_to_async(AttemptAnswer.objects.filter(attempt=attempt).count)() == 0


async def test_refusals_come_in_the_language_of_the_page_that_opened_the_socket(daphne_server):
    import asyncio

    from django.utils import translation

    def english(text):
        with translation.override("en"):
            return translation.gettext(text)

    (mine, my_key), (theirs, their_key) = await sync_to_async(_setup)(names=("王小明", "李小红"))
    en = await connect(daphne_server, mine.pk, my_key, language="en-GB,en;q=0.9")
    zh = await connect(daphne_server, theirs.pk, their_key, language="zh-CN,zh;q=0.9")
    papers = [await recv(en), await recv(zh)]
    await en.send("not json")
    assert (await recv(en))["message"] == english("无法识别的消息。") != "无法识别的消息。"
    await zh.send("not json")
    assert (await recv(zh))["message"] == "无法识别的消息。"

    # Both papers are submitted elsewhere; the next answers are refused by the writer shared by every socket of
    # the process (likely in one batch), and each socket still hears it in its own language.
    await sync_to_async(svc.submit)(mine.pk)
    await sync_to_async(svc.submit)(theirs.pk)
    for ws, paper in ((en, papers[0]), (zh, papers[1])):
        choice = paper["questions"][0]["choices"][0]["id"]
        await ws.send(json.dumps({"type": "answer", "index": 0, "choice_ids": [choice], "seq": 9}))
    replies = await asyncio.gather(recv(en), recv(zh))
    assert [r["code"] for r in replies] == ["already_submitted", "already_submitted"]
    assert replies[0]["message"] == english("试卷已提交，不能再修改答案。") != "试卷已提交，不能再修改答案。"
    assert replies[1]["message"] == "试卷已提交，不能再修改答案。"
