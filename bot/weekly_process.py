"""The weekly summary's planning pass, run in a process of its own.

Rendering a big branch's chart and workbook takes seconds of CPU (and matplotlib seconds
to import): in the bot's process it would hold the GIL while updates wait. The runtime
keeps one worker process (`concurrent.futures.ProcessPoolExecutor`, spawned, so it inherits
no thread or connection) and hands it `run_weekly_pass` with plain, picklable arguments; the
worker opens its own engine once and plans through the outbox, whose unique keys make a
pass repeated by another process or after a restart plan nothing twice.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, time
from functools import cache
from zoneinfo import ZoneInfo

from schedules.calendar import WorkingCalendar
from storage.engine import Database


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
    """Plan this week's summaries due at `now`; returns the outbox rows inserted."""
    from schedules.weekly_push import plan_weekly_summaries

    with _database(database_url).session() as session:
        return plan_weekly_summaries(
            session, now=now, zone=zone, calendar=calendar, weekday=weekday, at=at
        )
