"""The outbox dispatcher: claims due rows, sends them within the platform's limits, records
what happened. A timer calls `run_once`; the database, not the timer, holds the schedule."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol

from schedules.broadcast_report import record_final
from schedules.calendar import WorkingCalendar
from schedules.clock import Clock
from schedules.message_parts import split_text, text_limit
from schedules.withdrawals import StoppedBroadcasts
from storage.accounts import mark_unreachable
from storage.engine import Database
from storage.outbox import (
    ClaimedMessage,
    claim_due,
    mark_failed,
    mark_parts_sent,
    mark_retry,
    mark_sent_many,
    mark_withdrawn,
)

log = logging.getLogger(__name__)

# Sends waiting at once (in the platform's rate limiter or on the wire). A batch's chats are
# all started together; without a bound, every row of the batch would queue in the rate
# limiter at once, past the point where a stopped broadcast could still withdraw it. At
# Telegram's 30 a second this is about a second of sending.
MAX_IN_FLIGHT = 32


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

    @property
    def busy(self) -> bool:
        """Whether a pass is running now."""
        return self._running.locked()

    async def run_once(self) -> DispatchReport:
        """Send everything due now, batch after batch; overlapping calls wait for each other.

        In the calendar's quiet hours nothing is claimed: whatever the due times say (a
        row planned by hand, a retry computed elsewhere), nobody's phone rings at night.
        """
        total = DispatchReport()
        async with self._running:
            while True:
                if self._calendar is not None and self._calendar.is_quiet(self._clock.now()):
                    return total
                report = await self._run_batch()
                total += report
                if report.claimed < self._batch_size:
                    return total

    async def _run_batch(self) -> DispatchReport:
        claimed = await asyncio.to_thread(self._claim)
        if not claimed:
            return DispatchReport()
        by_chat: dict[tuple[str, str], list[ClaimedMessage]] = defaultdict(list)
        for message in claimed:
            by_chat[(message.channel, message.chat_id)].append(message)
        stopped = StoppedBroadcasts(
            self._db, {m.broadcast_id for m in claimed if m.broadcast_id is not None}
        )
        outcomes = await asyncio.gather(
            *(self._send_chat(msgs, stopped) for msgs in by_chat.values())
        )
        results = [pair for chat in outcomes for pair in chat]
        return await asyncio.to_thread(self._record, results)

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
        self, messages: Sequence[ClaimedMessage], stopped: StoppedBroadcasts
    ) -> list[tuple[ClaimedMessage, SendOutcome]]:
        """One chat's messages in order, spaced to respect the per-chat limit."""
        results: list[tuple[ClaimedMessage, SendOutcome]] = []
        for index, message in enumerate(messages):
            if index:
                await asyncio.sleep(self._per_chat_interval)
            sender = self._senders.get(message.channel)
            async with self._in_flight:  # checked right before the send, not at the claim
                if await stopped.stopped(message):
                    results.append((message, Withdrawn("broadcast cancelled")))
                    continue
                if sender is None:
                    outcome: SendOutcome = Rejected(f"no sender for channel {message.channel}")
                else:
                    outcome = await self._send_parts(sender, message)
            results.append((message, outcome))
            if isinstance(outcome, Unreachable):
                # The rest for this chat would fail the same way.
                results.extend((rest, outcome) for rest in messages[index + 1 :])
                break
        return results

    async def _send_parts(self, sender: Sender, message: ClaimedMessage) -> SendOutcome:
        """A row whose text is longer than its channel allows goes out in numbered parts,
        buttons on the last one. Each accepted part is recorded on the row at once, so a
        retry (a 429 after part 2, a restart) goes on from the next part, never repeating."""
        parts = split_text(message.text, text_limit(message.channel))
        if len(parts) == 1:
            return await sender.send(message)
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
            outcome = await sender.send(part)
            if not isinstance(outcome, Sent):
                return outcome
            if last:
                return Sent(outcome.platform_message_id, parts=len(parts))
            if not await asyncio.to_thread(self._record_part, message.id, index + 1):
                return RetryLater("lease lost while sending parts")
        raise AssertionError("unreachable: the last part returns")

    def _record_part(self, message_id: int, parts_sent: int) -> bool:
        with self._db.session() as session:
            return mark_parts_sent(
                session, message_id=message_id, worker=self._worker, parts_sent=parts_sent
            )

    def _sendable(self, moment: datetime) -> datetime:
        """A retry that would fall at night or on a day off waits for the working morning."""
        return moment if self._calendar is None else self._calendar.next_sendable(moment)

    def _record(self, results: Sequence[tuple[ClaimedMessage, SendOutcome]]) -> DispatchReport:
        """Write each outcome to its row, and count them as written."""
        now = self._clock.now()
        counts = Counter[str]()
        final: list[tuple[str, int, str]] = []  # (key, id, outcome) of rows now final
        sent: list[tuple[int, str, int]] = []  # (id, platform message id, parts), in one go
        with self._db.session() as session:
            for message, outcome in results:
                match outcome:
                    case Sent(platform_message_id, parts):
                        counts["sent"] += 1
                        sent.append((message.id, platform_message_id, parts))
                        final.append((message.key, message.id, "sent"))
                    case RetryLater(error, after) if message.attempts < self._max_attempts:
                        counts["retried"] += 1
                        wait = after if after is not None else backoff(message.attempts)
                        log.info("outbox %s: retry in %s (%s)", message.id, wait, error)
                        mark_retry(
                            session,
                            message_id=message.id,
                            worker=self._worker,
                            due_at=self._sendable(now + wait),
                            error=error,
                        )
                    case Unreachable(error):
                        counts["failed"] += 1
                        log.info(
                            "outbox %s: account %s unreachable", message.id, message.account_id
                        )
                        mark_unreachable(session, account_id=message.account_id)
                        mark_failed(
                            session, message_id=message.id, worker=self._worker, error=error
                        )
                        final.append((message.key, message.id, "blocked"))
                    case Withdrawn(reason):
                        mark_withdrawn(
                            session, message_id=message.id, worker=self._worker, reason=reason
                        )
                        final.append((message.key, message.id, "cancelled"))
                    case RetryLater(error, _) | Rejected(error):
                        counts["failed"] += 1
                        log.warning("outbox %s: failed for good (%s)", message.id, error)
                        mark_failed(
                            session, message_id=message.id, worker=self._worker, error=error
                        )
                        final.append((message.key, message.id, "failed"))
            mark_sent_many(session, sent=sent, worker=self._worker, now=now)
            # A broadcast whose last row ended here gets its one delivery report.
            record_final(session, outcomes=final, now=now)
        return DispatchReport(len(results), counts["sent"], counts["retried"], counts["failed"])
