"""A diagnostics socket: clock sync and a relay through the channel layer.

``ping`` answers with the server clock (clients use it to measure their
offset); ``subscribe``/``relay`` pass a short text to everyone subscribed to a
room through the channel layer, which is how operators (and the integration
tests) check that several Daphne processes really share one Redis layer.
``watch`` attaches the socket to the room's topic on the per-process fan-out
hub (quiz/fanout.py), which only the server side publishes to: the fan-out
benchmark measures that path. Rooms are unguessable tokens chosen by the
client, texts are short.
"""

import os
import re
import time

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from quiz.fanout import get_hub

MAX_FRAME_BYTES = 16 * 1024
# Daphne only lets applications close with 1000 or 3000-4999; 4009 mirrors 1009 "message too big".
CLOSE_TOO_BIG = 4009
ROOM_RE = re.compile(r"^[A-Za-z0-9]{16,64}$")


class DiagnosticsConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        self.rooms = set()
        self.watched = set()
        await self.accept()

    async def disconnect(self, code):
        for room in self.rooms:
            await self.channel_layer.group_discard(f"diag.{room}", self.channel_name)
        for room in self.watched:
            await get_hub().detach(f"diag:{room}", self.send_frame)

    async def send_frame(self, frame):
        await self.send(text_data=frame)

    async def websocket_receive(self, message):
        text = message.get("text") or ""
        if len(text.encode()) > MAX_FRAME_BYTES or message.get("bytes"):
            await self.close(code=CLOSE_TOO_BIG)
            return
        await super().websocket_receive(message)

    @classmethod
    async def decode_json(cls, text_data):
        try:
            return await super().decode_json(text_data)
        except ValueError:
            return {"type": "__invalid__"}

    async def receive_json(self, content, **kwargs):
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "ping":
            await self.send_json({"type": "pong", "server_time": time.time(), "pid": os.getpid()})
        elif kind in {"subscribe", "relay", "watch"}:
            room = str(content.get("room", ""))
            if not ROOM_RE.match(room):
                await self.send_json({"type": "error", "code": "bad_room", "message": "房间号须为16-64位字母或数字。"})
                return
            if kind == "watch":
                self.watched.add(room)
                await get_hub().attach(f"diag:{room}", self.send_frame)
                await self.send_json({"type": "watching", "room": room, "pid": os.getpid()})
            elif kind == "subscribe":
                self.rooms.add(room)
                await self.channel_layer.group_add(f"diag.{room}", self.channel_name)
                await self.send_json({"type": "subscribed", "room": room, "pid": os.getpid()})
            else:
                text = str(content.get("text", ""))[:200]
                await self.channel_layer.group_send(
                    f"diag.{room}", {"type": "diag.relay", "room": room, "text": text, "origin_pid": os.getpid()}
                )
        else:
            await self.send_json({"type": "error", "code": "unknown_type", "message": "未知的消息类型。"})

    async def diag_relay(self, event):
        await self.send_json(
            {
                "type": "relay",
                "room": event["room"],
                "text": event["text"],
                "origin_pid": event["origin_pid"],
                "pid": os.getpid(),
            }
        )
