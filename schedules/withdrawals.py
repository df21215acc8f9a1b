"""Rows withdrawn after a dispatcher claimed them: the notices of a broadcast its officer
stopped. A batch is claimed at once (up to `outbox_batch_size` rows) and sent at the
platform's pace over many seconds; without this check a stop would skip only the rows not
yet claimed, and up to a whole batch would still go out."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable

from storage.broadcasts import cancelled_among
from storage.engine import Database, error_line, is_transient
from storage.outbox import ClaimedMessage

log = logging.getLogger(__name__)

# The notices themselves (`broadcast:{id}:{account}`); the officer's delivery report
# (`broadcast-report:{id}`) carries the broadcast's id too, and must still go out.
NOTICE_PREFIX = "broadcast:"

# How stale the dispatcher's view of stopped broadcasts may be: at most this long of
# sending (about 30 messages at Telegram's pace) after the officer's stop is confirmed.
REFRESH_SECONDS = 1.0


class StoppedBroadcasts:
    """Which of a batch's broadcasts were stopped, read again at most once a second."""

    def __init__(self, db: Database, broadcast_ids: Iterable[int]) -> None:
        self._db = db
        self._ids = frozenset(broadcast_ids)
        self._stopped: frozenset[int] = frozenset()
        self._read_at: float | None = None
        self._reading = asyncio.Lock()

    async def stopped(self, message: ClaimedMessage) -> bool:
        """Whether the row is a notice whose broadcast was stopped since the batch began."""
        broadcast_id = message.broadcast_id
        if not message.key.startswith(NOTICE_PREFIX) or broadcast_id not in self._ids:
            return False
        async with self._reading:
            now = time.monotonic()  # a refresh cadence, not a schedule: no clock needed
            if self._read_at is None or now - self._read_at >= REFRESH_SECONDS:
                try:
                    self._stopped = await asyncio.to_thread(self._read)
                except Exception as error:  # the database away: keep the last view a second
                    if not is_transient(error):
                        raise
                    log.warning("outbox: stopped notices not read (%s)", error_line(error))
                self._read_at = now
        return broadcast_id in self._stopped

    def _read(self) -> frozenset[int]:
        with self._db.session() as session:
            return frozenset(cancelled_among(session, broadcast_ids=self._ids))
