"""Telegram updates into the inbound spool (`bot.inbound_spool`) before Telegram is told
they arrived.

PTB's updater confirms the updates of one getUpdates answer by asking for the next offset:
it puts each update into the application's `update_queue`, then calls getUpdates again.
So the queue writes each update it is given into the spool (no fsync yet), and the
getUpdates request fsyncs the spool before it goes out: one fsync per batch, and no update
confirmed before it is on disk. In webhook mode the server puts the update into the same
queue and syncs before answering 200 (`bot.webhook_mode`).
"""

from __future__ import annotations

import asyncio
import logging

from telegram import Update
from telegram._utils.types import ODVInput
from telegram.error import NetworkError
from telegram.request import BaseRequest, HTTPXRequest, RequestData

from bot.inbound_spool import InboundSpool
from bot.telegram_adapter import to_incoming
from schedules.clock import Clock

log = logging.getLogger(__name__)


def bot_id_of(update: Update) -> str:
    """The id of the bot an update came to (getMe's, known once the application started)."""
    try:
        return str(update.get_bot().id)
    except RuntimeError:  # an update built without a bot (tests)
        return ""


class SpoolingQueue(asyncio.Queue[object]):
    """PTB's update queue, writing each update a person sent into the spool as it is put."""

    def __init__(self, spool: InboundSpool, clock: Clock) -> None:
        super().__init__()
        self._spool = spool
        self._clock = clock

    async def put(self, item: object) -> None:
        self.spool(item)
        await super().put(item)

    def put_nowait(self, item: object) -> None:
        self.spool(item)
        super().put_nowait(item)

    def spool(self, item: object) -> None:
        """A spool that cannot be written raises NetworkError: PTB's poll loop retries the
        same offset (what was queued already comes again, and the inbound table knows it);
        the webhook server answers 500."""
        if not isinstance(item, Update):
            return
        incoming = to_incoming(item, bot_id=bot_id_of(item))
        if incoming is None:  # what the bot does not act on needs no keeping
            return
        try:
            self._spool.write(incoming, self._clock.now())
        except OSError as error:
            log.error("the inbound spool could not be written: %s", error)
            raise NetworkError(f"inbound spool not written ({type(error).__name__})") from error


class SpoolSyncingRequest(HTTPXRequest):
    """The getUpdates request: the spool is on disk before the next offset confirms what
    the last answer carried. A spool that cannot be written fails the poll (PTB retries it)
    rather than confirming updates nobody kept."""

    def __init__(self, spool: InboundSpool) -> None:
        super().__init__(connection_pool_size=1)  # as PTB's own getUpdates request
        self._spool = spool

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        try:
            await self._spool.sync()
        except OSError as error:
            log.error("the inbound spool could not be written: %s", error)
            raise NetworkError(f"inbound spool not written ({type(error).__name__})") from error
        return await super().do_request(
            url,
            method,
            request_data,
            read_timeout=read_timeout,
            write_timeout=write_timeout,
            connect_timeout=connect_timeout,
            pool_timeout=pool_timeout,
        )
