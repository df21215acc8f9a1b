"""What a handler works with: the services of the bot, and the turn being handled."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from datetime import time as time_of_day
from zoneinfo import ZoneInfo

from sqlmodel import Session

from handlers.messages import Incoming
from schedules.calendar import WorkingCalendar
from schedules.clock import Clock
from schedules.reminders import PlanResult, plan_reminders
from storage.engine import Database
from storage.models import ChannelAccount, Person
from storage.people import Standing


def deep_link(bot_username: str, code: str) -> str:
    """The Telegram link that opens the bot and sends `/start CODE` (chat, printed sheets)."""
    return f"https://t.me/{bot_username}?start={code}"


@dataclass(frozen=True, slots=True)
class Patience:
    """How long a turn retries a database that does not answer (lost connections, a lock
    not granted) before the person gets the apology and the message waits in the spool, and
    how it waits and reads the time between attempts: the real clock's monotonic seconds,
    which tests replace with a clock that moves when `sleep` is called."""

    seconds: float = 30.0
    sleep: Callable[[float], None] = time.sleep
    monotonic: Callable[[], float] = time.monotonic


@dataclass(frozen=True, slots=True)
class Services:
    """Long-lived things every handler may use; built once per handler process, in
    `bot.handler_process.serve`."""

    db: Database
    clock: Clock
    zone: ZoneInfo
    bot_username: str = ""
    # The bytes of a file a person sent, by the platform's file id (blocking: the handler
    # process asks the bot process, which downloads it). None on a channel that carries no
    # files.
    fetch_file: Callable[[str], bytes] | None = None
    # The working calendar of the settings (days off, quiet hours), for the reminders a
    # handler plans; None: the public-sector default for the zone.
    calendar: WorkingCalendar | None = None
    # How long a turn retries a database that does not answer (handlers.router.handle).
    patience: Patience = field(default_factory=Patience)
    # The hour of a deadline typed as a day only (`/giaoviec 20/12 …`; settings).
    deadline_time: time_of_day = time_of_day(17, 0)

    def invite_link(self, code: str) -> str:
        if not self.bot_username:
            return f"/start {code}"
        return deep_link(self.bot_username, code)


@dataclass(slots=True)
class Turn:
    """One incoming message being handled, inside one database transaction."""

    services: Services
    session: Session
    incoming: Incoming
    account: ChannelAccount
    inbound_id: int  # the stored message (inbound_messages) this turn handles
    now: datetime
    person: Person | None = None
    standing: Standing | None = None
    after_commit: list[str] = field(default_factory=list)  # events for the runtime, e.g. "outbox"

    @property
    def zone(self) -> ZoneInfo:
        return self.services.zone

    def plan_reminders(
        self,
        *,
        assignment_ids: Sequence[int] | None = None,
        unit_ids: Sequence[int] | None = None,
    ) -> PlanResult:
        """Plan what is due now for these assignments or units, on the settings' calendar,
        and have the runtime dispatch it once the turn is committed."""
        self.session.flush()
        planned = plan_reminders(
            self.session,
            now=self.now,
            zone=self.zone,
            calendar=self.services.calendar,
            assignment_ids=assignment_ids,
            unit_ids=unit_ids,
        )
        if planned:
            self.outbox_changed()
        return planned

    def summary_requested(self) -> None:
        """Ask the runtime to render the summaries asked for once this turn is committed."""
        if "summary" not in self.after_commit:
            self.after_commit.append("summary")

    def outbox_changed(self) -> None:
        """Ask the runtime to run the dispatcher once this turn is committed."""
        if "outbox" not in self.after_commit:
            self.after_commit.append("outbox")
