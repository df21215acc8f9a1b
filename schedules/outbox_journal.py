"""The dispatcher's bookkeeping, written as it happens: each send request's start before it
goes out, each accepted part of a long text, each outcome, and the batch's lease.

Why a journal rather than one write at the end of a batch: a batch takes minutes at the
platform's pace, and its outcomes written at the end were lost whole to a kill or a database
blip, so the whole batch went out again when its lease ran out (issue 16). Here the writes
waiting at one moment go together in one short transaction (within milliseconds of each
other, so a group, not a batch), a failed write is retried with back-off until the
database answers (never left to the lease), and the lease of the rows still held is
renewed while they are being sent. The dispatcher holds a send slot from the start write
to the outcome write, so after a kill at most the slots' rows can be sent again
(docs/reliability.md).
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlmodel import Session

from schedules.broadcast_report import PREFIX as NOTICE_PREFIX
from schedules.broadcast_report import record_final
from schedules.clock import Clock
from storage.accounts import mark_unreachable
from storage.engine import Database, error_line, is_transient
from storage.outbox import (
    ClaimedMessage,
    mark_failed,
    mark_parts_sent,
    mark_retry,
    mark_sent_many,
    mark_started,
    mark_withdrawn,
    renew_leases,
)

log = logging.getLogger(__name__)

# Back-off of a failed write: quick after a blip, one try every few seconds in an outage.
RETRY_FIRST = 0.1
RETRY_MAX = 5.0


class Final(StrEnum):
    """What a row became (also the broadcast delivery's outcome, where it is one)."""

    SENT = "sent"
    RETRY = "retry"  # back to pending, due again at `due_at`
    BLOCKED = "blocked"  # failed for good, and the account is unreachable
    FAILED = "failed"
    CANCELLED = "cancelled"  # withdrawn: its broadcast was stopped


@dataclass(frozen=True, slots=True)
class Mark:
    """The outcome of one row, as it is to be written."""

    final: Final
    error: str = ""
    platform_message_id: str = ""
    parts: int = 1
    due_at: datetime | None = None  # for RETRY


class JournalError(RuntimeError):
    """A write failed for a reason retrying will not cure (a bug, a constraint): the rows
    concerned are left to their lease."""


@dataclass
class _Pending:
    started: list[tuple[int, asyncio.Future[bool]]] = field(default_factory=list)
    parts: list[tuple[int, int, asyncio.Future[bool]]] = field(default_factory=list)
    outcomes: list[tuple[ClaimedMessage, Mark, asyncio.Future[None]]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.started or self.parts or self.outcomes)

    def futures(self) -> list[asyncio.Future[Any]]:
        return [
            *(f for _, f in self.started),
            *(f for _, _, f in self.parts),
            *(f for _, _, f in self.outcomes),
        ]


class OutboxJournal:
    """One batch's writes, grouped and retried; `async with` runs its writer task."""

    def __init__(
        self,
        *,
        db: Database,
        clock: Clock,
        worker: str,
        lease: timedelta,
        held: Sequence[ClaimedMessage],
    ) -> None:
        self._db = db
        self._clock = clock
        self._worker = worker
        self._lease = lease
        self._held = {m.id for m in held}  # claimed, no outcome yet: their lease is renewed
        # Per broadcast, its notices this batch holds with no outcome yet: while one is held,
        # the broadcast cannot have ended, and its delivery report is not looked for.
        self._notices_held = Counter(
            m.broadcast_id for m in held if m.broadcast_id is not None and _notice(m)
        )
        self._pending = _Pending()
        self._wake = asyncio.Event()
        self._closing = False
        self._task: asyncio.Task[None] | None = None
        self.retried_writes = 0  # how many times a write failed and was tried again

    async def __aenter__(self) -> OutboxJournal:
        self._task = asyncio.get_running_loop().create_task(self._run(), name="outbox-journal")
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._closing = True
        self._wake.set()
        if self._task is not None:
            await self._task

    async def started(self, message: ClaimedMessage) -> bool:
        """Write that the row's send request starts now; False when the row is no longer
        this worker's (then it must not be sent)."""
        future: asyncio.Future[bool] = self._submit()
        self._pending.started.append((message.id, future))
        return await future

    async def part(self, message: ClaimedMessage, parts_sent: int) -> bool:
        """Write that the first `parts_sent` parts of a long row were accepted; False when
        the row is no longer this worker's."""
        future: asyncio.Future[bool] = self._submit()
        self._pending.parts.append((message.id, parts_sent, future))
        return await future

    def outcome(self, message: ClaimedMessage, mark: Mark) -> asyncio.Future[None]:
        """Queue the row's outcome; the future is done once it is committed. A start queued
        after it is never committed before it (groups are written in order), so a send slot
        may pass to the next row as soon as its outcome is queued: at every commit, the rows
        started and not settled are at most the slots."""
        future: asyncio.Future[None] = self._submit()
        self._pending.outcomes.append((message, mark, future))
        return future

    def _submit(self) -> asyncio.Future[Any]:
        if self._task is None or self._task.done():
            raise JournalError("the journal is closed")
        self._wake.set()
        return asyncio.get_running_loop().create_future()

    def _renew_every(self) -> float:
        return max(self._lease.total_seconds() / 3, 0.05)

    async def _run(self) -> None:
        """Write what waits, as one group; renew the lease every third of it meanwhile."""
        loop = asyncio.get_running_loop()
        renew_at = loop.time() + self._renew_every()
        while True:
            if not self._pending:
                if self._closing:
                    return
                try:
                    async with asyncio.timeout(max(renew_at - loop.time(), 0)):
                        await self._wake.wait()
                except TimeoutError:
                    pass
            # One turn of the loop first: a slot freed by an outcome just queued is taken
            # by the next row at once, whose start then goes in this same group.
            await asyncio.sleep(0)
            self._wake.clear()
            renew = loop.time() >= renew_at
            batch, self._pending = self._pending, _Pending()
            if not batch and not renew:
                continue
            await self._write_until_done(batch, renew)
            if renew:
                renew_at = loop.time() + self._renew_every()

    async def _write_until_done(self, batch: _Pending, renew: bool) -> None:
        """One transaction for the group, tried again with back-off while the database is
        away; its waiters get their answers (or the error that retrying cannot cure)."""
        wait = RETRY_FIRST
        while True:
            try:
                results = await asyncio.to_thread(self._write, batch, renew)
            except Exception as error:
                if not is_transient(error):
                    log.error("outbox journal: write failed for good: %s", type(error).__name__)
                    for future in batch.futures():
                        if not future.done():
                            future.set_exception(JournalError(type(error).__name__))
                    return
                self.retried_writes += 1
                log.warning(
                    "outbox journal: database unavailable (%s); writing again in %.1f s",
                    error_line(error),
                    wait,
                )
                await asyncio.sleep(wait)
                wait = min(wait * 2, RETRY_MAX)
                continue
            held, parts, notices_held = results
            self._notices_held = notices_held
            for message_id, future in batch.started:
                if not future.done():
                    future.set_result(message_id in held)
            for (_, _, future), kept in zip(batch.parts, parts, strict=True):
                if not future.done():
                    future.set_result(kept)
            for message, _, future in batch.outcomes:
                self._held.discard(message.id)
                if not future.done():
                    future.set_result(None)
            return

    def _write(self, batch: _Pending, renew: bool) -> tuple[set[int], list[bool], Counter[int]]:
        now = self._clock.now()
        notices_held = self._notices_held.copy()
        ended: set[int] = set()  # broadcasts whose last held notice is settled in this group
        for message, mark, _ in batch.outcomes:
            if message.broadcast_id is not None and _notice(message):
                notices_held[message.broadcast_id] -= 1
                if notices_held[message.broadcast_id] <= 0 and mark.final is not Final.RETRY:
                    ended.add(message.broadcast_id)
        with self._db.session() as session:
            held = mark_started(
                session,
                message_ids=[message_id for message_id, _ in batch.started],
                worker=self._worker,
                now=now,
            )
            parts = [
                mark_parts_sent(session, message_id=message_id, worker=self._worker, parts_sent=n)
                for message_id, n, _ in batch.parts
            ]
            write_outcomes(
                session,
                [(message, mark) for message, mark, _ in batch.outcomes],
                worker=self._worker,
                now=now,
                settle_only={b for b in ended if notices_held[b] <= 0},
            )
            settled = {message.id for message, _, _ in batch.outcomes}
            if renew and (still := sorted(self._held - settled)):
                renew_leases(
                    session, message_ids=still, worker=self._worker, until=now + self._lease
                )
        return held, parts, notices_held


def write_outcomes(
    session: Session,
    outcomes: Sequence[tuple[ClaimedMessage, Mark]],
    *,
    worker: str,
    now: datetime,
    settle_only: set[int] | None = None,
) -> None:
    """Write each row's outcome; a broadcast whose last row ended here (among `settle_only`,
    when given) gets its report in the same transaction. Each write only touches a row this
    worker still holds, so writing a group again after a commit whose answer was lost
    changes nothing."""
    sent: list[tuple[int, str, int]] = []
    final: list[tuple[str, int, str]] = []  # (key, id, outcome) of rows now final
    for message, mark in outcomes:
        match mark.final:
            case Final.SENT:
                sent.append((message.id, mark.platform_message_id, mark.parts))
            case Final.RETRY:
                assert mark.due_at is not None
                mark_retry(
                    session,
                    message_id=message.id,
                    worker=worker,
                    due_at=mark.due_at,
                    error=mark.error,
                )
                continue
            case Final.BLOCKED:
                mark_unreachable(session, account_id=message.account_id)
                mark_failed(session, message_id=message.id, worker=worker, error=mark.error)
            case Final.FAILED:
                mark_failed(session, message_id=message.id, worker=worker, error=mark.error)
            case Final.CANCELLED:
                mark_withdrawn(session, message_id=message.id, worker=worker, reason=mark.error)
        final.append((message.key, message.id, mark.final.value))
    mark_sent_many(session, sent=sent, worker=worker, now=now)
    record_final(session, outcomes=final, now=now, settle_only=settle_only)


def _notice(message: ClaimedMessage) -> bool:
    """A broadcast's notice itself (its delivery report carries the broadcast's id too)."""
    return message.key.startswith(NOTICE_PREFIX)
