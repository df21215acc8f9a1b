"""The weekly summary over the wire: planned once per officer and week across two planner
passes and a restart, moved past a public holiday (Monday 03/05/2027, the day off for Labour
Day, sends it on Tuesday morning), and received — the officer and the chair on Telegram or
on Zalo — as a text, and on Telegram a photo and a document whose figures match the
database. (Zalo takes files only as public addresses: there the text is checked.)"""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PIL import Image
from sqlalchemy import select

from bot.runtime import BotRuntime
from bot.sandbox import SandboxServer, SentMessage
from schedules.clock import ManualClock
from schedules.status import Status
from schedules.summary_chart import chart_size
from storage.engine import Database
from storage.models import Assignment, OutboxMessage, Progress, Unit
from tests.conftest import VN, bot_settings
from tests.e2e.conftest import platform_settings
from tests.e2e.platforms import Platform, load_roster, officer_on
from tests.factories import build_branch, give_task, gives_task

pytestmark = pytest.mark.e2e

HOLIDAY_MONDAY = datetime(2027, 5, 3, 8, 0, tzinfo=VN)
TUESDAY_EARLY = datetime(2027, 5, 4, 7, 29, tzinfo=VN)
TUESDAY_MORNING = datetime(2027, 5, 4, 7, 31, tzinfo=VN)
OFFICER_CHAT = 99


def summary_rows(db: Database) -> list[OutboxMessage]:
    with db.session() as session:
        return list(
            session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.kind == "summary")
                .order_by(OutboxMessage.id)
            )
        )


def statuses_in_database(db: Database) -> dict[str, str]:
    """Unit name → its status label, for the one task given (all before its deadline)."""
    with db.session() as session:
        rows = session.execute(
            select(Unit.name, Assignment.progress).join(Unit, Unit.id == Assignment.unit_id)
        ).all()
    labels = {Progress.DONE: Status.DONE_ON_TIME.label, Progress.OPEN: Status.NO_REPORT.label}
    return {str(name): labels[Progress(progress)] for name, progress in rows}


async def test_once_per_officer_past_a_holiday_across_a_restart(
    tmp_path: Path,
    database_url: str,
    sandbox: SandboxServer,
    platform: Platform,
    clock: ManualClock,
    db: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    load_roster(tmp_path, database_url, monkeypatch)
    settings = platform_settings(database_url, sandbox)
    chair = platform.chat(201, "Nguyễn Văn An")  # CDCS-01
    clock.set(datetime(2027, 4, 29, 9, 0, tzinfo=VN))
    async with BotRuntime(
        settings, clock=clock, dispatch_interval=None, per_chat_interval=0
    ) as bot:
        officer = await officer_on(platform)  # LDLD-TU
        await chair.register(officer, "CDCS-01")
        given = await gives_task(officer, "/giaoviec 31/05/2027 Nộp danh sách đoàn viên")
        assert "Việc số 1" in (given.text or "")
        assert "Việc số 1" in ((await chair.say("việc 1 xong")).text or "")

        clock.set(HOLIDAY_MONDAY)
        assert await bot.plan_weekly_now() == 0  # a public holiday: not today
        clock.set(TUESDAY_EARLY)
        assert await bot.plan_weekly_now() == 0
        clock.set(TUESDAY_MORNING)
        planned = await bot.plan_weekly_now()  # text, chart, workbook (the text on Zalo)
        assert planned == 3 or (platform.zalo and planned >= 1)
        assert await bot.plan_weekly_now() == 0  # a second pass plans nothing

    before = len(officer.inbox())
    async with BotRuntime(
        settings, clock=clock, dispatch_interval=None, per_chat_interval=0
    ) as bot:
        assert await bot.plan_weekly_now() == 0  # nor does a restarted bot
        assert (await bot.dispatch_now()).sent == planned
        assert (await bot.dispatch_now()).claimed == 0

    keys = [row.key for row in summary_rows(db)]
    assert keys[0].startswith("summary:") and keys[0].endswith(":2027-W18")
    assert keys[1:] == [f"{keys[0]}:{number}" for number in range(1, planned)]
    received = await officer.wait_for(before + planned)
    summary = received[before].text or ""
    assert summary.startswith("📊 Tổng hợp tuần 18 — LĐLĐ huyện Tam Đường")
    assert "Hoàn thành 1/3 đơn vị (33%)" in summary
    if platform.zalo:
        return
    text, photo, document = officer.inbox()[before:]
    assert isinstance(photo, SentMessage) and isinstance(document, SentMessage)
    assert (text.method, photo.method, document.method) == (
        "sendMessage",
        "sendPhoto",
        "sendDocument",
    )
    assert photo.document is not None and document.document is not None
    image = Image.open(io.BytesIO(photo.document))
    assert image.format == "PNG" and image.size == chart_size(1)

    workbook = load_workbook(io.BytesIO(document.document))
    assert workbook.sheetnames == ["Tổng hợp", "Việc số 1"]
    task_rows = [
        row for row in workbook["Việc số 1"].iter_rows(min_row=5, values_only=True) if row[0]
    ]
    assert {str(row[1]): str(row[4]) for row in task_rows} == statuses_in_database(db)
    chairs = {str(row[1]): row[2] for row in task_rows}
    assert chairs["CĐCS Trường THCS Bình Lư"] == "Nguyễn Văn An"  # registered
    summary = {
        str(row[1]): row[2:4]
        for row in workbook["Tổng hợp"].iter_rows(min_row=5, values_only=True)
        if isinstance(row[0], int)
    }
    assert summary["CĐCS Trường THCS Bình Lư"] == (1, 1)
    assert summary["CĐCS Trạm Y tế Sơn Bình"] == (1, 0)


async def test_the_planner_timer_sends_it_without_a_test_hook(
    database_url: str, sandbox: SandboxServer, clock: ManualClock, db: Database
) -> None:
    """No test hook: the job queue's planning tick plans the week's summary in the weekly
    process, and the dispatcher's tick sends the text, the photo and the document. (On
    Telegram only: the timers do not depend on the platform, the delivery on Zalo is above.)"""
    clock.set(datetime(2027, 5, 10, 9, 0, tzinfo=VN))  # a Monday, after 07:30
    with db.session() as session:
        branch = build_branch(session, units=3, now=clock.now(), officer_chat=OFFICER_CHAT)
        give_task(session, branch, deadline=clock.now() + timedelta(days=20), now=clock.now())
    sandbox.state.add_user(OFFICER_CHAT, first_name="Đức")
    settings = bot_settings(database_url, sandbox).model_copy(
        update={"plan_interval_seconds": 0.2, "dispatch_interval_seconds": 0.2}
    )
    async with BotRuntime(settings, clock=clock, per_chat_interval=0):
        # The bound is on the real clock and only bounds a failure.
        arrived = await sandbox.state.wait_for_sent(OFFICER_CHAT, 3, timeout=180)
    assert [message.method for message in arrived] == ["sendMessage", "sendPhoto", "sendDocument"]
    assert (arrived[0].text or "").startswith("📊 Tổng hợp tuần 19 — LĐLĐ huyện X")
    assert len(sandbox.state.sent(OFFICER_CHAT)) == 3
