"""The weekly summary's process: the weekly push's planning pass, and the summaries officers
ask for with `/tuantong`, rendered in a process of their own.

Rendering a big branch's chart and workbook takes seconds of CPU (and matplotlib seconds
to import): in the bot's process it would hold the GIL while updates wait, and in a handler
process (one, on SQLite) it would hold every other person's turn. `WeeklyProcess` keeps one
worker process (`concurrent.futures.ProcessPoolExecutor`, spawned, so it inherits no thread
or connection) and hands it `run_weekly_pass` or `run_requested` with plain, picklable
arguments; the worker opens its own engine once and plans through the outbox, whose unique
keys make a pass repeated by another process or after a restart plan nothing twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import multiprocessing
from collections.abc import Awaitable, Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime, time
from functools import cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from schedules.calendar import WorkingCalendar
from storage.engine import Database

if TYPE_CHECKING:  # the worker process imports this module: it needs neither
    from bot.settings import Settings
    from schedules.clock import Clock

log = logging.getLogger(__name__)


def weekly_pool() -> ProcessPoolExecutor:
    """One worker: passes run one at a time, and a second core stays for the handlers."""
    return ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))


@cache
def _database(url: str) -> Database:
    return Database.from_url(url)


def run_weekly_pass(
    database_url: str,
    *,
    now: datetime,
    zone: ZoneInfo,
    calendar: WorkingCalendar,
    weekday: int,
    at: time,
) -> int:
    """The summaries still asked for (left by a restart), then this week's summaries due at
    `now`, each officer's rendered and committed in a transaction of its own (one
    transaction for all would hold SQLite's writer from the first officer's rows through
    every later render, and every person's turn with it); returns the outbox rows inserted."""
    from schedules.weekly_push import plan_weekly_summary, weekly_due

    inserted = run_requested(database_url, now=now, zone=zone)
    db = _database(database_url)
    with db.session() as session:
        due = weekly_due(session, now=now, zone=zone, calendar=calendar, weekday=weekday, at=at)
    for officer in due:
        with db.session() as session:
            inserted += plan_weekly_summary(session, officer, now=now, zone=zone)
    return inserted


def run_requested(database_url: str, *, now: datetime, zone: ZoneInfo) -> int:
    """Render the summaries officers asked for; returns the outbox rows inserted."""
    from schedules.summary_on_demand import deliver_requested

    return deliver_requested(_database(database_url), now=now, zone=zone)


class WeeklyProcess:
    """The worker process and the passes handed to it from the bot's event loop: the weekly
    pass at each planner tick, and a pass for the summaries asked for as soon as a turn has
    asked (again after the one running, if it asked meanwhile). `on_planned` is called when
    a pass put something in the outbox."""

    def __init__(
        self,
        settings: Settings,
        clock: Clock,
        on_planned: Callable[[], None],
        pool: Callable[[], ProcessPoolExecutor] | None = None,
    ) -> None:
        self._settings = settings
        self._clock = clock
        self._on_planned = on_planned
        self._new_pool = pool or weekly_pool
        self._pool: ProcessPoolExecutor | None = None
        self._weekly_pass: asyncio.Task[None] | None = None
        self._requested_pass: asyncio.Task[None] | None = None
        self._asked_again = False

    def start(self) -> None:
        self._pool = self._new_pool()

    async def stop(self) -> None:
        """Stop the passes in hand (a pass's rows are inserted in one transaction per
        officer or request, or not at all: what is left is done after a restart), then end
        the process."""
        for task in (self._weekly_pass, self._requested_pass):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self._weekly_pass = self._requested_pass = None
        pool, self._pool = self._pool, None
        if pool is not None:
            await asyncio.to_thread(pool.shutdown, wait=True, cancel_futures=True)

    async def plan_weekly_now(self) -> int:
        """Plan the weekly summaries due at the clock's current time (and the ones asked
        for); the rows inserted."""
        settings = self._settings
        return await self._run(
            functools.partial(
                run_weekly_pass,
                settings.database_url,
                now=self._clock.now(),
                zone=settings.zone,
                calendar=settings.calendar,
                weekday=settings.weekly_summary_weekday,
                at=settings.weekly_summary_time,
            )
        )

    async def render_requested_now(self) -> int:
        """Render the summaries asked for; the rows inserted."""
        settings = self._settings
        return await self._run(
            functools.partial(
                run_requested, settings.database_url, now=self._clock.now(), zone=settings.zone
            )
        )

    def start_weekly_pass(self) -> None:
        """The planner's tick: one weekly pass at a time, beside the reminders' planning, so
        a slow render never holds the reminders back."""
        if self._weekly_pass is None or self._weekly_pass.done():
            self._weekly_pass = asyncio.get_running_loop().create_task(
                self._pass(self.plan_weekly_now, "weekly summary planning")
            )

    def summary_requested(self) -> None:
        """A turn asked for a summary: render it now, or after the pass in hand."""
        self._asked_again = True
        if self._requested_pass is None or self._requested_pass.done():
            self._requested_pass = asyncio.get_running_loop().create_task(self._requested())

    async def requested_rendered(self) -> None:
        """Wait until the summaries asked for so far are rendered and planned (a test or the
        demo, whose dispatch timer is off, dispatches after this)."""
        while self._requested_pass is not None and not self._requested_pass.done():
            await asyncio.shield(self._requested_pass)

    async def _requested(self) -> None:
        while self._asked_again:
            self._asked_again = False
            await self._pass(self.render_requested_now, "rendering the summaries asked for")

    async def _run(self, work: Callable[[], int]) -> int:
        assert self._pool is not None, "the weekly process is not started"
        return await asyncio.get_running_loop().run_in_executor(self._pool, work)

    async def _pass(self, run: Callable[[], Awaitable[int]], what: str) -> None:
        """One pass; a failure is logged and the next tick tries again (a worker that died
        is replaced)."""
        try:
            planned = await run()
        except BrokenProcessPool:
            log.exception("the weekly summary's process died; starting another")
            if self._pool is not None:
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = self._new_pool()
            return
        except Exception:
            log.exception("%s failed", what)
            return
        if planned:
            self._on_planned()
