"""Thin WebSocket consumers of the live game: parse, call services, send.

Shared events reach sockets through the per-process fan-out hub (one encode
and one Redis PUBLISH per event); only messages meant for one socket
(``joined``, ``answer_ack``, ``you``, errors) are sent directly. Protocol:
docs/protocol.md; message shapes: quiz/events.py.
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import logging
import time
from collections import defaultdict
from types import SimpleNamespace

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.layers import get_channel_layer
from django.db import IntegrityError
from django.utils import translation
from django.utils.translation import gettext as _

from . import events
from .fanout import encode, get_hub, publish
from .services import live as services
from .services.live import GameError

logger = logging.getLogger(__name__)

MAX_FRAME_BYTES = 16 * 1024
CLOSE_TOO_BIG = 4009  # Daphne lets applications close with 1000 or 3000-4999; mirrors 1009
CLOSE_NOT_FOUND = 4004
CLOSE_FORBIDDEN = 4003
CLOSE_KICKED = 4001
RATE_PER_SECOND = 5.0
RATE_BURST = 10.0
HOST_NOTIFY_DELAY = 0.3  # coalesce lobby and answer-count updates for the host console
TIMER_GRACE = 0.25  # close a question a moment after its deadline, so on-time answers in flight land first

db = database_sync_to_async


def parallel(func):
    """Run ``func`` in the thread pool instead of Channels' one sync thread.

    Answers from hundreds of phones arrive at once; each is a short transaction of its own, so they need not
    queue behind each other in a single thread.
    """
    return database_sync_to_async(func, thread_sensitive=False)


_background: set[asyncio.Task] = set()


def spawn(coroutine) -> asyncio.Task:
    """Run ``coroutine`` in the background, keeping a strong reference until it is done (the loop keeps weak ones).

    It runs in a fresh context, not the caller's: work shared by many sockets (a batch of answers) must not
    inherit the language, or anything else, of the socket that happened to start it.
    """
    task = asyncio.get_running_loop().create_task(coroutine, context=contextvars.Context())
    _background.add(task)
    task.add_done_callback(_background.discard)
    return task


class NoConnectionSweep:
    """Consumer mixin: handle each message without Channels' ``aclose_old_connections()`` in front of it.

    Channels (>= 4.2) closes stale database connections before every message a consumer handles, a hop to the
    shared sync thread and back: for a socket carrying an answer every few seconds from thousands of phones,
    that hop queue was the largest cost per message. These consumers touch the database only through
    ``database_sync_to_async``, which closes the worker thread's connections around every call itself.

    Used by the paper and board sockets. Not by the live game's sockets: in 2,000-player runs of
    ``bench.live_game`` without the sweep the answer acknowledgements' tail grew (p99 4.4 s -> 13.7 and 15.1 s,
    docs/benchmarks.md); the sweep's hop seems to pace a question's burst of answers into the batcher, and until
    that is understood the game keeps Channels' behaviour.
    """

    async def dispatch(self, message):
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def __call__(self, scope, receive, send):
        """A consumer with no channel layer reads its socket's messages straight from the server, one at a time.

        Channels' loop (``await_many_dispatch``) waits on a new task per message so it can listen to the channel
        layer too; with nothing else to listen to, that task and its ``asyncio.wait`` are pure overhead on every
        answer of the paper socket.
        """
        if get_channel_layer(self.channel_layer_alias) is not None:
            return await super().__call__(scope, receive, send)
        self.scope, self.channel_layer, self.base_send = scope, None, send
        try:
            while True:
                await self.dispatch(await receive())
        except StopConsumer:
            pass


def frame_seq(content: dict | None) -> int | None:
    """The client's sequence number of a frame (an integer), if it carried one."""
    seq = content.get("seq") if content is not None else None
    return seq if isinstance(seq, int) and not isinstance(seq, bool) else None


def refusal(code: str, message: str, content: dict | None, **extra) -> dict:
    """An error event answering ``content``, echoing its ``seq`` if it had one."""
    if (seq := frame_seq(content)) is not None:
        extra["seq"] = seq
    return {**events.error(code, message), **extra}


class TokenBucket:
    """Per-connection rate limit: ``burst`` messages at once, ``rate`` per second sustained."""

    def __init__(self, rate: float = RATE_PER_SECOND, burst: float = RATE_BURST):
        self.rate, self.capacity, self.tokens, self.stamp = rate, burst, burst, time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


def socket_language(scope) -> str:
    """The language a page would be served in to this handshake (language cookie, then Accept-Language), as
    Django's LocaleMiddleware chooses it for HTTP requests."""
    accept = next((value for name, value in scope.get("headers", ()) if name == b"accept-language"), b"")
    request = SimpleNamespace(
        COOKIES=scope.get("cookies") or {}, META={"HTTP_ACCEPT_LANGUAGE": accept.decode("latin-1")}
    )
    return translation.get_language_from_request(request)


class JsonSocket(AsyncJsonWebsocketConsumer):
    """Size limit, rate limit and error replies shared by the game and paper sockets.

    A frame is a JSON object with a ``type`` that names its handler in ``handlers``; every frame takes a token from
    the socket's ``bucket``. A refusal of a frame that carried a ``seq`` echoes it, so a client can tell which of
    its messages was refused.
    """

    max_frame_bytes = MAX_FRAME_BYTES
    handlers: dict[str, str] = {}

    async def websocket_connect(self, message):
        # For the socket's whole life (its task's context, and the service calls it makes on threads): refusals
        # come in the language of the page that opened it.
        translation.activate(socket_language(self.scope))
        await super().websocket_connect(message)

    async def send_json(self, content, close=False):
        if content.get("type") == "error" and isinstance(content.get("message"), str):
            # Messages made by shared work (a batch written for many sockets) are in the site's first language;
            # their text is the catalogue's key, so this gives the socket's own.
            content = {**content, "message": translation.gettext(content["message"])}
        await super().send_json(content, close=close)

    async def websocket_receive(self, message):
        text = message.get("text")
        if message.get("bytes") is not None or text is None or len(text.encode()) > self.max_frame_bytes:
            await self.close(code=CLOSE_TOO_BIG)
            return
        try:
            content = json.loads(text)
        except ValueError:
            content = None
        if not isinstance(content, dict) or not isinstance(content.get("type"), str):
            content = None
        if not self.bucket.take():
            await self.send_json(refusal(events.RATE_LIMITED, _("操作太频繁，请稍后再试。"), content))
            return
        if content is None:
            await self.send_json(events.error(events.BAD_MESSAGE, _("无法识别的消息。")))
            return
        handler = self.handlers.get(content["type"])
        if handler is None:
            await self.send_json(refusal(events.BAD_MESSAGE, _("未知的消息类型。"), content))
            return
        try:
            await getattr(self, handler)(content)
        except GameError as exc:
            await self.send_json(exc.as_event())

    @classmethod
    async def encode_json(cls, content):
        return encode(content)

    async def send_frame(self, frame: str):
        await self.send(text_data=frame)


# Players --------------------------------------------------------------------------------------------------


class LocalPlayers:
    """This process's player sockets per game, for the personal messages sent after a reveal.

    A reveal is published once; each process then asks the database (or Redis) for the ranks of *its*
    players in one batch and sends each their own ``you`` (or ``game_over``) message.
    """

    def __init__(self):
        self.games: dict[int, dict[int, PlayConsumer]] = defaultdict(dict)
        self._sinks: dict[int, object] = {}

    async def add(self, game_id: int, player_id: int, consumer: PlayConsumer):
        first = not self.games[game_id]
        previous = self.games[game_id].get(player_id)
        self.games[game_id][player_id] = consumer
        if previous is not None and previous is not consumer:
            await previous.replaced()
        if first:
            await get_hub().attach(f"game:{game_id}:standings", self._standings_sink(game_id))

    async def remove(self, game_id: int, player_id: int, consumer: PlayConsumer):
        players = self.games.get(game_id)
        if players is None or players.get(player_id) is not consumer:
            return
        del players[player_id]
        if not players:
            del self.games[game_id]
            await get_hub().detach(f"game:{game_id}:standings", self._sinks.pop(game_id))

    def _standings_sink(self, game_id: int):
        async def sink(frame: str):
            await self.send_standings(game_id, json.loads(frame))

        self._sinks[game_id] = sink
        return sink

    async def send_standings(self, game_id: int, event: dict):
        local = dict(self.games.get(game_id, {}))
        if not local:
            return
        messages = await parallel(services.standings_for)(game_id, list(local))
        for player_id, you in messages.items():
            consumer = local.get(player_id)
            if consumer is None:
                continue
            message = events.game_over(event.get("podium", []), you) if event.get("final") else you
            try:
                await consumer.send_json(message)
            except Exception:  # noqa: BLE001 - a closed socket just misses its rank
                logger.debug("standings: socket of player %s gone", player_id)


LOCAL_PLAYERS = LocalPlayers()


class HostNotifier:
    """Coalesces lobby and answer-count updates for the host console to a few per second per process."""

    def __init__(self):
        self.pending: set[tuple[int, str, int]] = set()

    def poke(self, game_id: int, kind: str, question_index: int = -1):
        key = (game_id, kind, question_index)
        if key in self.pending:
            return
        self.pending.add(key)
        asyncio.get_running_loop().call_later(HOST_NOTIFY_DELAY, lambda: spawn(self._flush(key)))

    async def _flush(self, key):
        self.pending.discard(key)
        game_id, kind, question_index = key
        if kind == "lobby":
            await parallel(_publish_lobby)(game_id)
        else:
            await parallel(_publish_answer_count)(game_id, question_index)


def _publish_lobby(game_id: int):
    from .models import Game

    game = Game.objects.get(pk=game_id)
    publish(game.host_topic, services.lobby_snapshot(game))


def _publish_answer_count(game_id: int, question_index: int):
    from .models import Game

    game = Game.objects.only("paper", "question_index").get(pk=game_id)
    if game.question_index != question_index:
        return
    answered, players = services.answer_count(game_id, question_index)
    publish(game.host_topic, events.answer_count(game.paper[question_index]["question_id"], answered, players))


HOST_NOTIFIER = HostNotifier()


class AnswerBatcher:
    """Writes the answers this process receives for a game within a few milliseconds in one transaction.

    A question opening on forty (or four thousand) phones brings their answers in a burst; one short
    transaction per answer makes the last phones wait for all the others. Batching keeps every rule (each
    answer is checked against its own receipt time, counted once, scored by the engine) and costs a single
    answer at most ``BATCH_WINDOW`` seconds.
    """

    BATCH_WINDOW = 0.02
    BATCH_MAX = 500

    def __init__(self):
        self.queues: dict[int, list[tuple[services.Submission, asyncio.Future]]] = {}

    async def submit(self, game_id: int, submission) -> services.AnswerResult:
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        queue = self.queues.setdefault(game_id, [])
        queue.append((submission, future))
        if len(queue) == 1:
            loop.call_later(self.BATCH_WINDOW, lambda: spawn(self.flush(game_id)))
        elif len(queue) >= self.BATCH_MAX:
            spawn(self.flush(game_id))
        return await future

    async def flush(self, game_id: int):
        batch = self.queues.pop(game_id, [])
        if not batch:
            return
        submissions = [submission for submission, _ in batch]
        try:
            results = await parallel(services.submit_answers)(game_id, submissions)
        except IntegrityError:
            # The unique constraint caught what the batch's own check did not: retry one by one.
            results = [await parallel(_submit_one)(game_id, submission) for submission in submissions]
        except Exception as exc:  # noqa: BLE001 - every waiting socket must hear of it
            results = [exc] * len(batch)
        for (_submission, future), result in zip(batch, results, strict=True):
            if future.done():
                continue
            if isinstance(result, Exception):
                future.set_exception(result)
            else:
                future.set_result(result)


def _submit_one(game_id: int, submission):
    try:
        return services.submit_answer(
            game_id, submission.player_id, submission.question_id, submission.choice_ids, submission.now
        )
    except GameError as exc:
        return exc


ANSWERS = AnswerBatcher()


class PlayConsumer(JsonSocket):
    """``/ws/play/<pin>/``: one player's phone."""

    handlers = {"join": "on_join", "resume": "on_resume", "answer": "on_answer", "ping": "on_ping"}

    async def connect(self):
        self.bucket = TokenBucket()
        self.game = None
        self.player = None
        self.topics: list[str] = []
        pin = self.scope["url_route"]["kwargs"]["pin"]
        await self.accept()
        try:
            self.game = await db(services.active_game_by_pin)(pin)
        except GameError as exc:
            await self.send_json(exc.as_event())
            await self.close(code=CLOSE_NOT_FOUND)
            return
        await self.send_json(events.lobby(self.game, await db(_player_count)(self.game.pk)))

    async def disconnect(self, code):
        hub = get_hub()
        for topic in self.topics:
            await hub.detach(topic, self.on_frame)
        if self.player is not None:
            await LOCAL_PLAYERS.remove(self.game.pk, self.player.pk, self)

    async def on_frame(self, frame: str):
        await self.send(text_data=frame)

    async def replaced(self):
        """The same player connected again elsewhere in this process: this older socket steps aside."""
        await self.disconnect(None)
        self.player = None
        self.topics = []
        await self.close(code=1000)

    async def on_ping(self, content):
        await self.send_json(events.pong(services.server_now()))

    async def on_join(self, content):
        if self.player is not None:
            raise GameError(events.ALREADY_JOINED, _("你已经加入了。"))
        if self.game is None:
            raise GameError(events.GAME_NOT_FOUND, _("找不到这场竞答。"))
        user = self.scope.get("user")
        nickname = content.get("nickname") if isinstance(content.get("nickname"), str) else ""
        player, resumed = await db(services.join)(self.game, nickname, user=user)
        await self._enter(player, resumed)
        if not resumed:
            HOST_NOTIFIER.poke(self.game.pk, "lobby")

    async def on_resume(self, content):
        if self.game is None:
            raise GameError(events.GAME_NOT_FOUND, _("找不到这场竞答。"))
        player = await db(services.resume)(self.game, content.get("token", ""))
        await self._enter(player, True)

    async def _enter(self, player, resumed: bool):
        self.player = player
        hub = get_hub()
        self.topics = [self.game.topic, f"player:{player.pk}"]
        for topic in self.topics:
            await hub.attach(topic, self.on_frame)
        await LOCAL_PLAYERS.add(self.game.pk, player.pk, self)
        await self.send_json(events.joined(player, resumed=resumed))
        snapshot = await db(_resume_snapshot)(self.game.pk, player.pk)
        for message in snapshot:
            await self.send_json(message)

    async def on_answer(self, content):
        if self.player is None:
            raise GameError(events.NOT_JOINED, _("请先加入竞答。"))
        submission = services.Submission(
            self.player.pk, content.get("question_id"), content.get("choice_ids"), services.server_now()
        )
        result = await ANSWERS.submit(self.game.pk, submission)
        await self.send_json(
            events.answer_ack(result.question_id, accepted=True, points=result.points, total=result.total)
        )
        HOST_NOTIFIER.poke(self.game.pk, "answers", result.question_index)


def _player_count(game_id: int) -> int:
    from .models import Player

    return Player.objects.filter(game_id=game_id, kicked=False).count()


def _resume_snapshot(game_id: int, player_id: int) -> list[dict]:
    """What a (re)joining phone must see at once: the open question it has not answered, and its score."""
    from .models import Game, Player

    game = Game.objects.get(pk=game_id)
    player = Player.objects.get(pk=player_id)
    view = services.player_view(player)
    messages = []
    if game.phase == Game.Phase.LOBBY:
        messages.append(events.lobby(game, _player_count(game_id)))
    question = services.current_question_event(game)
    if question is not None:
        question["answered"] = game.question_index in view["answered"]
        messages.append(question)
    if game.phase in (Game.Phase.REVEALED, Game.Phase.QUESTION_OPEN) or view["answered"]:
        messages.extend(services.standings_for(game_id, [player_id]).values())
    if game.phase == Game.Phase.FINISHED:
        you = services.standings_for(game_id, [player_id]).get(player_id)
        messages.append(events.game_over(services.top_players(game, services.PODIUM_SIZE), you))
    return messages


# Host -----------------------------------------------------------------------------------------------------


class HostConsumer(JsonSocket):
    """``/ws/host/<game_id>/``: the teacher's console on the projector (signed in, the game's host)."""

    handlers = {"next": "on_next", "kick": "on_kick", "finish": "on_finish", "ping": "on_ping"}

    async def connect(self):
        self.bucket = TokenBucket(rate=10, burst=20)
        self.timer: asyncio.Task | None = None
        self.game_id = int(self.scope["url_route"]["kwargs"]["game_id"])
        user = self.scope.get("user")
        allowed = await db(_may_host)(self.game_id, user)
        if not allowed:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        await self.accept()
        self.topic = f"game:{self.game_id}:host"
        await get_hub().attach(self.topic, self.on_frame)
        for message in await db(_host_snapshot)(self.game_id):
            await self.on_frame(encode(message))

    async def disconnect(self, code):
        if self.timer is not None:
            self.timer.cancel()
        if hasattr(self, "topic"):
            await get_hub().detach(self.topic, self.on_frame)

    async def on_frame(self, frame: str):
        await self.send(text_data=frame)
        # The console drives the clock: arm the timer when a question opens, reveal early when all answered.
        if '"type":"question"' in frame or '"type":"state"' in frame:
            event = json.loads(frame)
            if event.get("closes_at") and event.get("phase", "question_open") == "question_open":
                self._arm(event["index"], event["closes_at"])
        elif '"type":"answer_count"' in frame:
            event = json.loads(frame)
            if event["players"] and event["answered"] >= event["players"]:
                await parallel(services.close_if_all_answered)(
                    self.game_id, await db(_index)(self.game_id), services.server_now()
                )

    def _arm(self, index: int, closes_at: float):
        if self.timer is not None:
            self.timer.cancel()

        async def close_when_due():
            await asyncio.sleep(max(0.0, closes_at - services.server_now()) + TIMER_GRACE)
            await parallel(services.close_if_due)(self.game_id, index, services.server_now())

        self.timer = asyncio.ensure_future(close_when_due())

    async def on_ping(self, content):
        await self.send_json(events.pong(services.server_now()))

    async def on_next(self, content):
        await parallel(services.advance)(self.game_id, services.server_now())

    async def on_finish(self, content):
        await parallel(services.finish_early)(self.game_id, services.server_now())

    async def on_kick(self, content):
        player_id = content.get("player_id")
        if not isinstance(player_id, int):
            raise GameError(events.BAD_MESSAGE, _("缺少 player_id。"))
        await db(_kick)(self.game_id, player_id)
        HOST_NOTIFIER.poke(self.game_id, "lobby")


def _may_host(game_id: int, user) -> bool:
    from .models import Game

    if user is None or not user.is_authenticated:
        return False
    game = Game.objects.filter(pk=game_id).only("host_id").first()
    return game is not None and (game.host_id == user.pk or user.is_superuser)


def _index(game_id: int) -> int:
    from .models import Game

    return Game.objects.values_list("question_index", flat=True).get(pk=game_id)


def _kick(game_id: int, player_id: int):
    from .models import Game

    services.kick(Game.objects.get(pk=game_id), player_id)


def _host_snapshot(game_id: int) -> list[dict]:
    from .models import Game

    game = Game.objects.get(pk=game_id)
    messages = [services.host_state(game), services.lobby_snapshot(game)]
    question = services.current_question_event(game)
    if question is not None:
        messages.append(question)
    if game.phase == Game.Phase.FINISHED:
        messages.append(events.game_over(services.top_players(game, services.TOP_N)))
    return messages
