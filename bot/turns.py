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
from handlers.texts import INTERNAL_ERROR, RECEIVED
from schedules.clock import Clock

log = logging.getLogger(__name__)

HandleAt = Callable[[Incoming, datetime], Awaitable[Handled]]
SendAnswers = Callable[[Handled], Awaitable[None]]


class Turns:
    """`run(incoming, send, arrived)` for the channel adapters: `send` sends the answers (the
    adapter's own way); `arrived` is given for a message replayed from the spool (when it
    first reached the bot), else the clock's now.

    A message is marked done in the spool once its answers were sent, not once it was
    stored: a process killed in between replays it at the next start, where the inbound
    table says it was handled, and the person is told it was received (`RECEIVED`) rather
    than nothing. A new message the table already knows is a platform's re-delivery: no
    answer."""

    def __init__(self, handle: HandleAt, spool: InboundSpool | None, clock: Clock) -> None:
        self._handle = handle
        self._spool = spool
        self._clock = clock

    async def run(
        self, incoming: Incoming, send: SendAnswers, arrived: datetime | None = None
    ) -> Handled:
        replayed = arrived is not None
        arrived = arrived or self._clock.now()
        dead = ""
        try:
            handled = await self._handle(incoming, arrived)
        except Exception as error:
            log.error(
                "update %s failed: %s", incoming.update_id, type(error).__name__, exc_info=error
            )
            dead = type(error).__name__
            handled = Handled([Outgoing(INTERNAL_ERROR)], stored=False)
        if replayed and handled.duplicate:
            handled = Handled([Outgoing(RECEIVED)])
        try:
            await send(handled)
        finally:  # sent or not, the message is stored (or kept, or dead-lettered)
            self._settle(incoming, arrived, kept=not handled.stored, dead=dead)
        return handled

    def _settle(self, incoming: Incoming, arrived: datetime, *, kept: bool, dead: str) -> None:
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
