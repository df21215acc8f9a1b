"""Messages from the inbound spool handed to the handlers again: those an earlier run left
(at start) and those kept while the database was away (every `RETRY_KEPT_SECONDS`).

A replayed message goes the way a new one does — its chat's lock, the handler processes,
the answers — with the time it first reached the bot. One whose bot is not running any
more (another token, a channel switched off) cannot be answered: it goes to the spool's
dead-letter file, for an operator.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable

from bot.inbound_spool import RETRY_KEPT_SECONDS, InboundSpool, Spooled
from bot.telegram_adapter import TelegramApplication, UpdateRouter
from bot.zalo_channel import ZaloChannel
from handlers.messages import Channel

log = logging.getLogger(__name__)


class Replayer:
    """Replays spooled messages on the channels this process runs."""

    def __init__(
        self,
        spool: InboundSpool,
        *,
        telegram: tuple[TelegramApplication, UpdateRouter] | None,
        zalo: ZaloChannel | None,
        every: float = RETRY_KEPT_SECONDS,
    ) -> None:
        self._spool = spool
        self._telegram = telegram
        self._zalo = zalo
        self._every = every
        self._timer: asyncio.Task[None] | None = None

    def replay(self, messages: Iterable[Spooled]) -> int:
        """Hand each message to its channel (in the background); the number handed."""
        handed = 0
        for spooled in messages:
            if self._hand(spooled):
                handed += 1
            else:
                self._spool.dead(spooled.incoming, spooled.arrived, "its bot is not running here")
        if handed:
            log.info("%d message(s) from the spool handed to the handlers again", handed)
        return handed

    def _hand(self, spooled: Spooled) -> bool:
        incoming = spooled.incoming
        if self._telegram is not None and incoming.channel is Channel.TELEGRAM:
            application, router = self._telegram
            if incoming.bot_id != str(application.bot.id):
                return False
            turn = router.turn(application.bot, incoming, arrived=spooled.arrived)
            application.create_task(turn, name=f"replay:{incoming.update_id}")
            return True
        zalo = self._zalo
        if zalo is not None and incoming.channel is Channel.ZALO and incoming.bot_id == zalo.bot_id:
            zalo.accept(incoming, spooled.arrived)
            return True
        return False

    def replay_kept(self) -> int:
        """The messages kept while the database was away, tried again now."""
        return self.replay(self._spool.take_kept())

    def start(self) -> None:
        """Try the kept messages again every `every` seconds, until `stop`."""
        self._timer = asyncio.get_running_loop().create_task(self._repeat())

    async def stop(self) -> None:
        timer, self._timer = self._timer, None
        if timer is not None:
            timer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await timer

    async def _repeat(self) -> None:
        while True:
            await asyncio.sleep(self._every)
            try:
                self.replay_kept()
            except Exception:  # the next round tries again
                log.exception("replaying kept messages failed")
