"""The outbox dispatcher: claims due rows, sends them within the platform's limits, records
what happened as it happens (`schedules.outbox_journal`). A timer calls `run_once`; the
database, not the timer, holds the schedule."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol

from schedules.calendar import WorkingCalendar
from schedules.clock import Clock
from schedules.message_parts import split_text, text_limit
from schedules.outbox_journal import (
    Final,
    JournalError,
    Mark,
    OutboxJournal,
)
from schedules.withdrawals import StoppedBroadcasts
from storage.engine import Database, error_line, is_transient
from storage.outbox import ClaimedMessage, claim_due, count_in_doubt

log = logging.getLogger(__name__)

# Sends in flight at once: a slot is held from the write that a row's request starts to the
# queueing of its outcome, so this is also the most rows a kill can leave in doubt, i.e. the
# most messages that can arrive twice after one (docs/reliability.md). A slot's turn now
# includes that write (one commit, shared with the other slots'), so it is longer than the
# request alone: bench/broadcast.py sent 2,000 notices at 230–250 a second with 32 slots,
# 329 with 48 (the sandbox's limit is 300). It also keeps a batch's rows from all queueing
# in the rate limiter at once, past the point where a stopped broadcast could still
# withdraw them: at Telegram's 30 a second, about a second and a half.
MAX_IN_FLIGHT = 48
# A send that has not answered in this long (at most half the lease) is given up and retried
# later, freeing its slot; the platform's HTTP time-outs are half of it (`request_timeout`),
# so a send that waited for a connection a hung request held still has time for its own.
SEND_TIMEOUT_MAX = 60.0
REQUEST_TIMEOUT_MAX = 15.0


def send_timeout(lease: timedelta) -> float:
    """How long one send may take in all (waiting for the rate limiter and a connection,
    the request, a file's second request)."""
    return min(SEND_TIMEOUT_MAX, lease.total_seconds() / 2)


def request_timeout(lease: timedelta) -> float:
    """The time-outs of one HTTP request to a platform (connect, write, read): a quarter of
    the lease at most, so a hung request ends long before another worker could take its row
    over, and frees its connection for the sends waiting for one."""
    return min(REQUEST_TIMEOUT_MAX, lease.total_seconds() / 4)


@dataclass(frozen=True, slots=True)
class Sent:
    platform_message_id: str  # of the last part
    parts: int = 1


@dataclass(frozen=True, slots=True)
class RetryLater:
    """A passing failure: 429 (with the platform's wait), 5xx, a timeout."""

    error: str
    after: timedelta | None = None  # None: exponential back-off by attempt


@dataclass(frozen=True, slots=True)
class Unreachable:
    """The person blocked the bot or the chat is gone: stop writing to this account."""

    error: str


@dataclass(frozen=True, slots=True)
class Rejected:
    """The platform refuses this message for good (too long, malformed)."""

    error: str


@dataclass(frozen=True, slots=True)
class Withdrawn:
    """Not sent after all: the row's broadcast was stopped after the row was claimed."""

    reason: str


SendOutcome = Sent | RetryLater | Unreachable | Rejected | Withdrawn


class Sender(Protocol):
    """Sends one outbox message on one platform and says how it went; never raises.

    The message's text already fits the channel (`schedules.message_parts.TEXT_LIMITS`): the
    dispatcher cuts a longer row into parts and hands the sender one part at a time."""

    async def send(self, message: ClaimedMessage) -> SendOutcome: ...


@dataclass(frozen=True, slots=True)
class DispatchReport:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0

    def __add__(self, other: DispatchReport) -> DispatchReport:
        return DispatchReport(
            self.claimed + other.claimed,
            self.sent + other.sent,
            self.retried + other.retried,
            self.failed + other.failed,
        )


def backoff(attempt: int) -> timedelta:
    """30 s, 1 min, 2 min … up to 30 min: quick after a blip, patient with an outage."""
    return timedelta(seconds=min(30 * 2 ** max(attempt - 1, 0), 1800))


class Dispatcher:
    """Sends what is due. Several dispatchers (processes) may share one PostgreSQL database."""

    def __init__(
        self,
        *,
        db: Database,
        clock: Clock,
        senders: Mapping[str, Sender],
        worker: str,
        lease: timedelta = timedelta(minutes=2),
        batch_size: int = 200,
        max_attempts: int = 8,
        per_chat_interval: float = 1.0,
        max_in_flight: int = MAX_IN_FLIGHT,
        calendar: WorkingCalendar | None = None,
    ) -> None:
        self._db = db
        self._clock = clock
        self._senders = senders
        self._worker = worker
        self._lease = lease
        self._batch_size = batch_size
        self._max_attempts = max_attempts
        self._per_chat_interval = per_chat_interval
        self._in_flight = asyncio.Semaphore(max_in_flight)
        self._calendar = calendar
        self._running = asyncio.Lock()
        self._send_timeout = send_timeout(lease)
        self._doubt_reported = False

    @property
    def busy(self) -> bool:
        """Whether a pass is running now."""
        return self._running.locked()

    async def run_once(self) -> DispatchReport:
        """Send everything due now, batch after batch; overlapping calls wait for each other.

        In the calendar's quiet hours nothing is claimed: whatever the due times say (a
        row planned by hand, a retry computed elsewhere), nobody's phone rings at night.
        A database that does not answer the claim ends the pass (the next one tries again).
        """
        total = DispatchReport()
        async with self._running:
            if not self._doubt_reported:
                await self._report_in_doubt()
            while True:
                if self._calendar is not None and self._calendar.is_quiet(self._clock.now()):
                    return total
                try:
                    claimed = await asyncio.to_thread(self._claim)
                except Exception as error:
                    if not is_transient(error):
                        raise
                    log.warning(
                        "outbox: claim failed (%s); next pass tries again", error_line(error)
                    )
                    return total
                report = await self._run_batch(claimed)
                total += report
                if report.claimed < self._batch_size:
                    return total

    async def _report_in_doubt(self) -> None:
        """At start-up, one line: rows whose send request started and whose outcome was never
        written (a process died mid-send, or another process is sending them now)."""
        try:
            count = await asyncio.to_thread(self._count_in_doubt)
        except Exception as error:
            if not is_transient(error):
                raise
            return  # the next pass counts them
        self._doubt_reported = True
        if count:
            log.warning(
                "outbox: %d message(s) in doubt: a send started and no outcome was written "
                "(a process stopped mid-send, or another one is sending them); once their "
                "lease ends they are sent again and may arrive twice",
                count,
            )

    def _count_in_doubt(self) -> int:
        with self._db.session() as session:
            return count_in_doubt(session)

    async def _run_batch(self, claimed: list[ClaimedMessage]) -> DispatchReport:
        if not claimed:
            return DispatchReport()
        if doubtful := sum(message.in_doubt for message in claimed):
            log.warning(
                "outbox: %d message(s) in doubt taken over from a sender that stopped "
                "mid-send: sent again, they may arrive twice",
                doubtful,
            )
        by_chat: dict[tuple[str, str], list[ClaimedMessage]] = defaultdict(list)
        for message in claimed:
            by_chat[(message.channel, message.chat_id)].append(message)
        stopped = StoppedBroadcasts(
            self._db, {m.broadcast_id for m in claimed if m.broadcast_id is not None}
        )
        counts = Counter[Final]()
        async with OutboxJournal(
            db=self._db,
            clock=self._clock,
            worker=self._worker,
            lease=self._lease,
            held=claimed,
        ) as journal:
            chats = await asyncio.gather(
                *(self._send_chat(msgs, stopped, journal) for msgs in by_chat.values())
            )
        for chat in chats:
            counts.update(chat)
        return DispatchReport(
            len(claimed),
            counts[Final.SENT],
            counts[Final.RETRY],
            counts[Final.FAILED] + counts[Final.BLOCKED],
        )

    def _claim(self) -> list[ClaimedMessage]:
        with self._db.session() as session:
            return claim_due(
                session,
                now=self._clock.now(),
                worker=self._worker,
                lease=self._lease,
                limit=self._batch_size,
            )

    async def _send_chat(
        self,
        messages: Sequence[ClaimedMessage],
        stopped: StoppedBroadcasts,
        journal: OutboxJournal,
    ) -> Counter[Final]:
        """One chat's messages in order, spaced to respect the per-chat limit. A send slot is
        held from the row's start (written before the request) until its outcome is queued
        for writing: the journal commits that outcome no later than the next start."""
        counts = Counter[Final]()
        for index, message in enumerate(messages):
            if index:
                await asyncio.sleep(self._per_chat_interval)
            try:
                async with self._in_flight:  # checked right before the send, not at the claim
                    mark = await self._send_one(message, stopped, journal)
                    if mark is None:
                        continue  # another worker holds the row now
                    written = journal.outcome(message, mark)
                await written
            except JournalError:
                continue  # logged by the journal; the row is left to its lease
            except Exception:  # a bug must not stop the chats beside it
                log.exception("outbox %s: not sent, left to its lease", message.id)
                continue
            counts[mark.final] += 1
            if mark.final is Final.BLOCKED:
                # The rest for this chat would fail the same way.
                for other in messages[index + 1 :]:
                    try:
                        await journal.outcome(other, mark)
                    except JournalError:
                        continue
                    counts[mark.final] += 1
                break
        return counts

    async def _send_one(
        self, message: ClaimedMessage, stopped: StoppedBroadcasts, journal: OutboxJournal
    ) -> Mark | None:
        """Send one row (its start written first) and say what to write; None when the row
        is no longer this worker's."""
        if await stopped.stopped(message):
            return self._mark(message, Withdrawn("broadcast cancelled"))
        sender = self._senders.get(message.channel)
        if sender is None:
            return self._mark(message, Rejected(f"no sender for channel {message.channel}"))
        if not await journal.started(message):
            return None
        return self._mark(message, await self._send_parts(sender, message, journal))

    async def _send_parts(
        self, sender: Sender, message: ClaimedMessage, journal: OutboxJournal
    ) -> SendOutcome:
        """A row whose text is longer than its channel allows goes out in numbered parts,
        buttons on the last one. Each accepted part is recorded on the row at once, so a
        retry (a 429 after part 2, a restart) goes on from the next part, never repeating."""
        parts = split_text(message.text, text_limit(message.channel))
        if len(parts) == 1:
            return await self._send(sender, message)
        first = min(message.parts_sent, len(parts) - 1)
        for index in range(first, len(parts)):
            if index > first:
                await asyncio.sleep(self._per_chat_interval)
            last = index == len(parts) - 1
            part = replace(
                message,
                text=parts[index],
                choices=message.choices if last else None,
                file=message.file if last else None,
            )
            outcome = await self._send(sender, part)
            if not isinstance(outcome, Sent):
                return outcome
            if last:
                return Sent(outcome.platform_message_id, parts=len(parts))
            if not await journal.part(message, index + 1):
                return RetryLater("lease lost while sending parts")
        raise AssertionError("unreachable: the last part returns")

    async def _send(self, sender: Sender, message: ClaimedMessage) -> SendOutcome:
        """One send, bounded in time; whatever escapes the sender is a passing failure."""
        try:
            async with asyncio.timeout(self._send_timeout):
                return await sender.send(message)
        except TimeoutError:
            return RetryLater(f"no answer in {self._send_timeout:.0f} s")
        except Exception as error:  # a sender never raises; if one does, retry the row
            return RetryLater(f"{type(error).__name__} while sending")

    def _sendable(self, moment: datetime) -> datetime:
        """A retry that would fall at night or on a day off waits for the working morning."""
        return moment if self._calendar is None else self._calendar.next_sendable(moment)

    def _mark(self, message: ClaimedMessage, outcome: SendOutcome) -> Mark:
        """What to write for the row, logged in one line where someone should know."""
        match outcome:
            case Sent(platform_message_id, parts):
                return Mark(Final.SENT, platform_message_id=platform_message_id, parts=parts)
            case RetryLater(error, after) if message.attempts < self._max_attempts:
                wait = after if after is not None else backoff(message.attempts)
                log.warning(
                    "outbox %s: %s; retry in %.0f s (attempt %d)",
                    message.id,
                    error,
                    wait.total_seconds(),
                    message.attempts,
                )
                due = self._sendable(self._clock.now() + wait)
                return Mark(Final.RETRY, error=error, due_at=due)
            case Unreachable(error):
                log.info("outbox %s: account %s unreachable", message.id, message.account_id)
                return Mark(Final.BLOCKED, error=error)
            case Withdrawn(reason):
                return Mark(Final.CANCELLED, error=reason)
            case RetryLater(error, _) | Rejected(error):
                log.warning("outbox %s: failed for good (%s)", message.id, error)
                return Mark(Final.FAILED, error=error)
        raise AssertionError(f"unknown outcome {outcome!r}")
