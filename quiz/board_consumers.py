"""The big-screen board socket: ``/ws/board/<challenge_id>/``.

Read-only: on connect it sends the current board, then every frame published on the challenge's fan-out topic
(``challenge:<id>:board``; the services publish at most once a second per process). Frames carry masked names.
"""

from __future__ import annotations

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from .consumers import NoConnectionSweep
from .fanout import encode, get_hub

CLOSE_NOT_FOUND = 4004


def _snapshot(challenge_id: int) -> dict | None:
    from .models import Challenge
    from .services import challenge as svc

    challenge = Challenge.objects.filter(pk=challenge_id, is_published=True).first()
    return None if challenge is None else svc.board_snapshot(challenge)


class BoardConsumer(NoConnectionSweep, AsyncWebsocketConsumer):
    """Listens on the challenge's board topic; ignores whatever the screen sends."""

    topic: str | None = None

    async def connect(self):
        challenge_id = self.scope["url_route"]["kwargs"]["challenge_id"]
        snapshot = await database_sync_to_async(_snapshot, thread_sensitive=False)(challenge_id)
        if snapshot is None:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        await self.accept()
        self.topic = f"challenge:{challenge_id}:board"
        await get_hub().attach(self.topic, self.send_frame)
        await self.send(text_data=encode(snapshot))

    async def send_frame(self, frame: str):
        await self.send(text_data=frame)

    async def receive(self, text_data=None, bytes_data=None):
        """The screen only listens."""

    async def disconnect(self, code):
        if self.topic is not None:
            await get_hub().detach(self.topic, self.send_frame)
            self.topic = None
