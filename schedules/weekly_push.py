"""The weekly push: once a week, at the configured time (moved past a holiday), every officer
gets their branch's summary through the outbox — the text, then the chart, then the workbook,
as three rows (on Zalo the chart goes by its published address and the workbook as a link,
`bot.zalo_files`) whose keys derive from `summary:{person}:{iso week}`.

A planning pass renders only for officers whose text row is not planned yet, and inserts with
the outbox's unique keys, so two passes, two processes or a restart plan each week once.
Rendering takes seconds for a big branch: the bot runs this pass in a process of its own
(`bot.weekly_process`), never on its event loop.

An officer whose branch has no open directive gets the short line that says so (no files):
it is cheap, tells them the bot is still watching, and marks their week as done so that no
later pass computes their figures again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from sqlmodel import Session

from schedules.branch_figures import compute_branch_figures
from schedules.calendar import WorkingCalendar
from schedules.summary import nothing_to_show
from schedules.weekly_summary import iso_week, render_weekly, weekly_due_at, weekly_text
from storage import weekly_summary
from storage.outbox import OutgoingFile, PlannedMessage, enqueue

KIND = "summary"
PUSHED_FOOTER = "Bản tin gửi mỗi tuần. Tắt: /tuantong tat · Xem lại lúc nào cũng được: /tuantong"


@dataclass(frozen=True, slots=True)
class WeeklyMessage:
    """One message of a summary: a text, or a file with its caption."""

    text: str
    file: OutgoingFile | None = None


def summary_messages(
    session: Session,
    *,
    root_ids: Sequence[int],
    now: datetime,
    zone: ZoneInfo,
    footer: str = "",
    files: bool = True,
) -> list[WeeklyMessage]:
    """The summary of the officer's branches at `now`: one text for all of them (`footer`
    last), then each branch's chart and workbook (none for a branch with nothing open, none
    at all when not `files`: the text alone takes milliseconds, the files seconds)."""
    week = iso_week(now, zone)
    texts: list[str] = []
    attached: list[WeeklyMessage] = []
    for root_id in root_ids:
        figures = compute_branch_figures(session, root_id=root_id, now=now)
        if figures is None:
            continue
        if not figures.tasks:
            texts.append(nothing_to_show(figures))
            continue
        if not files:
            texts.append(weekly_text(figures, zone=zone, week=week))
            continue
        rendered = render_weekly(figures, zone=zone, week=week)
        texts.append(rendered.text)
        name = figures.root.name
        attached.append(WeeklyMessage(f"📊 Biểu đồ tổng hợp — {name}", rendered.chart))
        attached.append(WeeklyMessage(f"📎 Bảng tổng hợp (Excel) — {name}", rendered.workbook))
    if not texts:
        return []
    if footer:
        texts.append(footer)
    return [WeeklyMessage("\n\n".join(texts)), *attached]


def plan_weekly_summaries(
    session: Session,
    *,
    now: datetime,
    zone: ZoneInfo,
    calendar: WorkingCalendar,
    weekday: int = 0,
    at: time = time(7, 30),
) -> int:
    """Plan this week's summary for every officer who has not got it yet, once the week's
    moment has come, in one transaction; returns how many rows were inserted. The weekly
    process plans officer by officer instead (`bot.weekly_process.run_weekly_pass`)."""
    due = weekly_due(session, now=now, zone=zone, calendar=calendar, weekday=weekday, at=at)
    return sum(plan_weekly_summary(session, officer, now=now, zone=zone) for officer in due)


@dataclass(frozen=True, slots=True)
class DueSummary:
    """An officer whose summary of the week is due and not planned yet, and its key."""

    recipient: weekly_summary.Recipient
    key: str


def weekly_due(
    session: Session,
    *,
    now: datetime,
    zone: ZoneInfo,
    calendar: WorkingCalendar,
    weekday: int = 0,
    at: time = time(7, 30),
) -> list[DueSummary]:
    """The officers whose summary of this week is due at `now` and not in the outbox yet
    (none before the week's moment): a cheap read, before anything is rendered."""
    if now < weekly_due_at(now, calendar=calendar, weekday=weekday, at=at):
        return []
    week = iso_week(now, zone)
    recipients = weekly_summary.recipients(session)
    keys = {r.person_id: f"{KIND}:{r.person_id}:{week}" for r in recipients}
    done = weekly_summary.planned_keys(session, keys=keys.values())
    return [DueSummary(r, keys[r.person_id]) for r in recipients if keys[r.person_id] not in done]


def plan_weekly_summary(session: Session, due: DueSummary, *, now: datetime, zone: ZoneInfo) -> int:
    """Render one officer's summary and plan it (nothing when another pass planned it
    meanwhile); the rows inserted. The render reads, the rows are written last: committed
    right after, the transaction holds SQLite's one writer for an INSERT, not a render."""
    recipient = due.recipient
    messages = summary_messages(
        session,
        root_ids=recipient.unit_ids,
        now=now,
        zone=zone,
        footer=PUSHED_FOOTER,
    )
    planned = planned_messages(messages, key=due.key, account_id=recipient.account_id, due_at=now)
    return enqueue(session, messages=planned, now=now)


def planned_messages(
    messages: Sequence[WeeklyMessage], *, key: str, account_id: int, due_at: datetime
) -> list[PlannedMessage]:
    """A summary's messages as outbox rows, in order: the text keyed `key`, the files
    `key:1`, `key:2`."""
    return [
        PlannedMessage(
            key=key if number == 0 else f"{key}:{number}",
            account_id=account_id,
            kind=KIND,
            text=message.text,
            due_at=due_at,
            file=message.file,
        )
        for number, message in enumerate(messages)
    ]
