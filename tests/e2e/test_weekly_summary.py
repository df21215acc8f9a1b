"""The weekly summary over the wire: planned once per officer and week across two planner
passes and a restart, moved past a public holiday (Monday 03/05/2027, the day off for Labour
Day, sends it on Tuesday morning), and received as a text, a photo and a document whose
figures match the database."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PIL import Image
from sqlalchemy import select

from bot.cli import main
from bot.runtime import BotRuntime
from bot.sandbox import SandboxServer
from schedules.clock import ManualClock
from schedules.status import Status
from schedules.summary_chart import chart_size
from storage.engine import Database
from storage.models import Assignment, OutboxMessage, Progress, Unit
from tests.conftest import VN, bot_settings
from tests.factories import Person, build_branch, give_task, write_roster

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
    clock: ManualClock,
    db: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NHACVIEC_DATABASE_URL", database_url)
    assert main(["roster", "import", str(write_roster(tmp_path / "roster.csv"))]) == 0
    settings = bot_settings(database_url, sandbox)
    officer = Person(sandbox, 100, "Phạm Văn Đức", phone="0912000003")  # LDLD-TU
    chair = Person(sandbox, 201, "Nguyễn Văn An", phone="0912000011")  # CDCS-01
    clock.set(datetime(2027, 4, 29, 9, 0, tzinfo=VN))
    async with BotRuntime(
        settings, clock=clock, dispatch_interval=None, per_chat_interval=0
    ) as bot:
        await officer.share_phone()
        await chair.share_phone()
        given = await officer.say("/giaoviec 31/05/2027 Nộp danh sách đoàn viên")
        assert "Việc số 1" in (given.text or "")
        assert "Việc số 1" in ((await chair.say("việc 1 xong")).text or "")

        clock.set(HOLIDAY_MONDAY)
        assert await bot.plan_weekly_now() == 0  # a public holiday: not today
        clock.set(TUESDAY_EARLY)
        assert await bot.plan_weekly_now() == 0
        clock.set(TUESDAY_MORNING)
        assert await bot.plan_weekly_now() == 3  # text, chart, workbook
        assert await bot.plan_weekly_now() == 0  # a second pass plans nothing

    before = len(officer.inbox())
    async with BotRuntime(
        settings, clock=clock, dispatch_interval=None, per_chat_interval=0
    ) as bot:
        assert await bot.plan_weekly_now() == 0  # nor does a restarted bot
        assert (await bot.dispatch_now()).sent == 3
        assert (await bot.dispatch_now()).claimed == 0

    keys = [row.key for row in summary_rows(db)]
    assert keys[0].startswith("summary:") and keys[0].endswith(":2027-W18")
    assert keys[1:] == [f"{keys[0]}:1", f"{keys[0]}:2"]
    text, photo, document = officer.inbox()[before:]
    assert (text.method, photo.method, document.method) == (
        "sendMessage",
        "sendPhoto",
        "sendDocument",
    )
    assert (text.text or "").startswith("📊 Tổng hợp tuần 18 — LĐLĐ huyện Tam Đường")
    assert "Hoàn thành 1/3 đơn vị (33%)" in (text.text or "")
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
    process, and the dispatcher's tick sends the text, the photo and the document."""
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
