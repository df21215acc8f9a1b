"""The bot process's side of one turn, on every channel: hand the message to the handler
processes, settle it in the inbound spool, and answer a failure with an apology.

Nothing escapes from here: a message either reached the database (done in the spool), or
the database could not be reached within the turn's bound (the person gets the apology and
the message is kept in the spool, handled again later), or handling it failed for good
(the apology, and the message in the spool's dead-letter file for an operator). PTB's error
handler is left for bugs in the adapter itself.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from bot.inbound_spool import InboundSpool
from handlers.messages import Incoming, Outgoing
from handlers.router import Handled
from handlers.texts import INTERNAL_ERROR
from schedules.clock import Clock

log = logging.getLogger(__name__)

HandleAt = Callable[[Incoming, datetime], Awaitable[Handled]]


class Turns:
    """`run(incoming, arrived)` for the channel adapters; `arrived` is given for a message
    replayed from the spool (when it first reached the bot), else the clock's now."""

    def __init__(self, handle: HandleAt, spool: InboundSpool | None, clock: Clock) -> None:
        self._handle = handle
        self._spool = spool
        self._clock = clock

    async def run(self, incoming: Incoming, arrived: datetime | None = None) -> Handled:
        arrived = arrived or self._clock.now()
        try:
            handled = await self._handle(incoming, arrived)
        except Exception as error:
            log.error(
                "update %s failed: %s", incoming.update_id, type(error).__name__, exc_info=error
            )
            self._settle(incoming, arrived, dead=type(error).__name__)
            return Handled([Outgoing(INTERNAL_ERROR)])
        self._settle(incoming, arrived, kept=not handled.stored)
        return handled

    def _settle(
        self, incoming: Incoming, arrived: datetime, *, kept: bool = False, dead: str = ""
    ) -> None:
        if self._spool is None:
            return
        try:
            if dead:
                self._spool.dead(incoming, arrived, dead)
            elif kept:
                self._spool.keep(incoming, arrived)
            else:
                self._spool.done(incoming)
        except OSError as error:  # the disk: the message stays open in the spool file
            log.error("the inbound spool could not be updated: %s", error)
