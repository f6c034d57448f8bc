"""The challenge paper's socket: ``/ws/paper/<attempt_id>/`` (protocol: docs/protocol.md).

A phone taking a timed paper keeps one socket open. Its first frame is the whole paper (questions, choices, saved
answers, the server's clock), so a phone that dropped and reconnected carries on where it was. Each answer is
checked in memory against the paper (no query), stamped with the server's time, and written by the process's
:class:`BatchWriter` together with every other answer that arrived meanwhile: one short transaction per batch
instead of one per answer. The ``saved`` acknowledgement goes out only after that transaction has committed, so an
acknowledged answer is never lost. Submissions are batched the same way (a whole room submits at the bell). The
HTTP endpoints (``…/answer/``, ``…/submit/``) stay as the fallback for a browser whose socket cannot connect; both
paths go through the same service rules.
"""

from __future__ import annotations

import asyncio
import datetime
import logging
import time
from concurrent.futures import ThreadPoolExecutor

from channels.db import database_sync_to_async
from django.utils.translation import gettext as _

from . import events
from .consumers import CLOSE_NOT_FOUND, JsonSocket, NoConnectionSweep, TokenBucket, frame_seq, refusal, spawn
from .services import challenge as svc

logger = logging.getLogger(__name__)

MAX_FRAME_BYTES = 4 * 1024
CLOSE_PAPER_CLOSED = 4010  # submitted or expired: the page goes to its result
ANSWERS_PER_SECOND = 5.0  # frames, mostly answers: one every few seconds; a burst resends what was pending
ANSWER_BURST = 40.0

# This socket neither joins groups nor receives channel-layer messages: without a layer Channels does not give
# each connection a channel of its own to listen on.
NO_CHANNEL_LAYER = "clearsky-none"


def _now() -> float:
    return time.time()


class BatchWriter:
    """Writes what this process's paper sockets hand it (answers, or submissions), one batch at a time.

    ``write`` takes a list of items and returns one result per item (``None`` for done, else a refusal), in one
    transaction. While one batch is being written, new items gather for the next; the first item after a quiet
    spell waits ``window`` seconds for company. Batches are written one after another (never two at once) on the
    writer's own thread, so the later of two answers to the same question from one socket is always the one
    stored, and a batch never queues behind handshakes on the shared pool.
    """

    def __init__(self, write, name: str, window: float = 0.005, batch_max: int = 2000):
        self.queue: list[tuple[object, asyncio.Future]] = []
        self.running = False
        self.batches = 0  # written so far (diagnostics and tests)
        self.name, self.window, self.batch_max = name, window, batch_max
        self._write = database_sync_to_async(
            write, thread_sensitive=False, executor=ThreadPoolExecutor(1, thread_name_prefix=name)
        )

    async def save(self, item) -> svc.ChallengeError | Exception | None:
        future = asyncio.get_running_loop().create_future()
        self.queue.append((item, future))
        if not self.running:
            self.running = True
            spawn(self._drain())
        return await future

    async def _drain(self):
        try:
            await asyncio.sleep(self.window)
            while self.queue:
                batch, self.queue = self.queue[: self.batch_max], self.queue[self.batch_max :]
                results = await self._write_each_if_need_be([item for item, _future in batch])
                self.batches += 1
                for (_item, future), result in zip(batch, results, strict=True):
                    if not future.done():
                        future.set_result(result)
        finally:
            self.running = False
            if self.queue:  # arrived between the last check and here
                self.running = True
                spawn(self._drain())

    async def _write_each_if_need_be(self, items: list) -> list:
        """The batch's results; if the batch fails as a whole (a deadlock with a lone request, one bad item), its
        items are written one by one, so one item's trouble is not every waiting socket's."""
        try:
            return await self._write(items)
        except Exception as exc:
            logger.exception("challenge %s: a batch of %d could not be written", self.name, len(items))
            if len(items) == 1:
                return [exc]
        results = []
        for item in items:
            try:
                results.extend(await self._write([item]))
            except Exception as exc:  # the waiting socket hears of it
                logger.exception("challenge %s: an item could not be written", self.name)
                results.append(exc)
        return results


WRITER = BatchWriter(svc.save_answers, "answers")
# A room's papers are submitted together at the bell: scoring them in one transaction per batch (a few queries
# for the lot) instead of one each keeps the last phone's wait short.
SUBMITTER = BatchWriter(svc.submit_many, "submissions", batch_max=500)


def _open(attempt_id: int, user, session_ids) -> tuple[svc.OpenPaper | None, dict | None]:
    """The caller's paper (expired papers are submitted first) and its view; ``(None, None)`` if not theirs."""
    from .models import ChallengeAttempt

    attempt = (
        ChallengeAttempt.objects.select_related("participant__challenge", "participant__group")
        .filter(pk=attempt_id)
        .first()
    )
    if attempt is None or not svc.owns(attempt, user, session_ids):
        return None, None
    attempt = svc.expire_if_due(attempt)
    return svc.open_paper(attempt), svc.attempt_view(attempt)


def _expire(attempt_id: int) -> None:
    from .models import ChallengeAttempt

    svc.expire_if_due(ChallengeAttempt.objects.get(pk=attempt_id))


class PaperConsumer(NoConnectionSweep, JsonSocket):
    """One participant's open paper."""

    channel_layer_alias = NO_CHANNEL_LAYER
    max_frame_bytes = MAX_FRAME_BYTES
    handlers = {"answer": "on_answer", "submit": "on_submit", "ping": "on_ping"}

    async def connect(self):
        self.paper: svc.OpenPaper | None = None
        self.bucket = TokenBucket(ANSWERS_PER_SECOND, ANSWER_BURST)
        session_ids = svc.session_ids(self.scope.get("session"))
        attempt_id = self.scope["url_route"]["kwargs"]["attempt_id"]
        # Accept first: the handshake must not wait for the database (Daphne drops handshakes not accepted within
        # a few seconds, and at the top of the hour thousands of phones connect at once). Frames that arrive
        # meanwhile wait: a consumer handles one message at a time.
        await self.accept()
        paper, view = await database_sync_to_async(_open, thread_sensitive=False)(
            attempt_id, self.scope.get("user"), session_ids
        )
        if paper is None:
            await self.send_json(events.error("not_found", _("找不到这份试卷。")))
            await self.close(code=CLOSE_NOT_FOUND)
            return
        await self.send_json({"type": "paper", **view})
        if view["status"] != "in_progress":
            await self.close(code=CLOSE_PAPER_CLOSED)
            return
        self.paper = paper

    async def _refused_as_closed(self, content: dict) -> bool:
        """A frame after the paper was submitted, expired or not found (the socket is closing) is refused."""
        if self.paper is not None:
            return False
        await self.send_json(refusal("closed", _("这份试卷已不再接受答案。"), content))
        return True

    def _remaining(self) -> float:
        return max(0.0, self.paper.deadline - _now())

    async def on_ping(self, content: dict):
        if not await self._refused_as_closed(content):
            await self.send_json({"type": "pong", "server_now": _now(), "remaining": self._remaining()})

    async def on_answer(self, content: dict):
        if await self._refused_as_closed(content):
            return
        index = content.get("index")
        received = _now()
        if received > self.paper.deadline:
            await database_sync_to_async(_expire, thread_sensitive=False)(self.paper.attempt_id)
            await self._closed("expired", _("答题时间已到，试卷已自动提交。"), content)
            return
        try:
            picked = self.paper.check(index, content.get("choice_ids"))
        except svc.ChallengeError as exc:
            await self.send_json(refusal(exc.code, exc.message, content, index=index))
            return
        stamp = datetime.datetime.fromtimestamp(received, tz=datetime.UTC)
        result = await WRITER.save(svc.PendingAnswer(self.paper.attempt_id, index, picked, stamp))
        if result is None:
            await self.send_json(
                {"type": "saved", "index": index, "choice_ids": picked, "seq": frame_seq(content),
                 "remaining": self._remaining()}
            )  # fmt: skip
        elif isinstance(result, svc.ChallengeError) and result.code in ("expired", "already_submitted"):
            if result.code == "expired":
                await database_sync_to_async(_expire, thread_sensitive=False)(self.paper.attempt_id)
            await self._closed(result.code, result.message, content)
        else:
            await self.send_json(refusal("not_saved", _("答案未保存，请重新选择。"), content, index=index))

    async def on_submit(self, content: dict):
        if await self._refused_as_closed(content):
            return
        # This socket's answers were all acknowledged before this frame was read (one frame at a time), so the
        # paper is scored with every one of them.
        result = await SUBMITTER.save(self.paper.attempt_id)
        if isinstance(result, svc.ChallengeError):
            await self._closed(result.code, result.message, content)
            return
        if result is not None:  # the batch failed: nothing changed, the paper stays open
            await self.send_json(refusal("not_submitted", _("交卷未成功，请重试。"), content))
            return
        await self.send_json({"type": "submitted", "attempt_id": self.paper.attempt_id})
        self.paper = None
        await self.close(code=CLOSE_PAPER_CLOSED)

    async def _closed(self, code: str, message: str, content: dict):
        await self.send_json(refusal(code, message, content))
        self.paper = None
        await self.close(code=CLOSE_PAPER_CLOSED)
