import asyncio
import json

import pytest
import websockets

from quiz.models import Question
from quiz.services import live
from tests.factories import UserFactory
from tests.quiz.factories import QuestionFactory


@pytest.fixture
def teacher(db):
    return UserFactory(username="host-teacher", display_name="刘老师")


@pytest.fixture
def make_game(teacher):
    """``make_game(n_questions=3, **options)``: a game over fresh questions, hosted by ``teacher``."""

    def make(n_questions=3, **options):
        questions = [QuestionFactory() for _ in range(n_questions)]
        multiple = options.pop("multiple", False)
        if multiple:
            questions.append(
                QuestionFactory(
                    type=Question.Type.MULTIPLE, choices=[("甲", True), ("乙", True), ("丙", False), ("丁", False)]
                )
            )
        paper = [{"question_id": q.pk, "choice_ids": list(q.choices.values_list("id", flat=True))} for q in questions]
        options.setdefault("seconds_per_question", 20)
        return live.create_game(teacher, title="禁毒知识课堂竞答", paper=paper, **options)

    return make


def correct_choice(question_id):
    return list(Question.objects.get(pk=question_id).choices.filter(is_correct=True).values_list("id", flat=True))


class Client:
    """A player's phone: a real WebSocket with a queue of received messages."""

    def __init__(self, ws):
        self.ws = ws
        self.received = []

    @classmethod
    async def connect(cls, server, path):
        ws = await websockets.connect(server.ws_url + path, origin=server.url, open_timeout=20)
        return cls(ws)

    async def send(self, **message):
        await self.ws.send(json.dumps(message))

    async def expect(self, kind, timeout=15):
        """Next message of ``kind`` (earlier messages of other kinds are kept in ``received``)."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            remaining = deadline - asyncio.get_running_loop().time()
            message = json.loads(await asyncio.wait_for(self.ws.recv(), max(remaining, 0.01)))
            self.received.append(message)
            if message["type"] == kind:
                return message

    async def close(self):
        await self.ws.close()
