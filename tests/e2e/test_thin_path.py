"""The walking skeleton, end to end: roster → registration → task → reminder → reply → summary,
through the real PTB application over HTTP against the sandbox."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.cli import main
from bot.runtime import BotRuntime
from bot.sandbox import SandboxServer
from schedules.clock import ManualClock
from storage.engine import Database
from storage.models import Assignment, Progress, Reply
from tests.conftest import VN
from tests.factories import Person, gives_task, invite_code, write_roster

pytestmark = pytest.mark.e2e


@pytest.fixture
def roster(tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The province roster, loaded with the real command line."""
    monkeypatch.setenv("NHACVIEC_DATABASE_URL", database_url)
    assert main(["roster", "import", str(write_roster(tmp_path / "roster.csv"))]) == 0


async def test_thin_path(
    roster: None, bot: BotRuntime, sandbox: SandboxServer, clock: ManualClock, db: Database
) -> None:
    officer = Person(sandbox, 100, "Phạm Văn Đức", phone="0912 000 003")  # LĐLĐ huyện Tam Đường
    chair = Person(sandbox, 201, "Nguyễn Văn An")  # CĐCS Trường THCS Bình Lư

    # The officer registers by sharing the phone number the roster has.
    welcome = await officer.say("/start")
    assert welcome.request_contact
    greeting = await officer.share_phone()
    assert "Phạm Văn Đức" in greeting.text
    assert "Cán bộ LĐLĐ huyện Tam Đường" in greeting.text

    # The officer asks for an invite code, and the chair registers with it.
    invite = await officer.say("/moi CDCS-01")
    code = invite_code(invite.text)
    assert f"t.me/{sandbox.state.bot_username}?start={code}" in invite.text
    bound = await chair.say(f"/start {code}")
    assert "Nguyễn Văn An" in bound.text
    assert "Chủ tịch CĐCS Trường THCS Bình Lư" in bound.text

    # The officer gives a task with a deadline to the branch.
    given = await gives_task(officer, "/giaoviec 10/12/2026 Nộp báo cáo tổng kết năm 2026")
    assert "cho 3 đơn vị" in given.text
    assert "hạn 10/12/2026" in given.text
    assert "2 đơn vị chưa có chủ tịch đăng ký" in given.text

    # Nothing is sent before the reminder is due …
    assert not await bot.plan_now()
    await bot.dispatch_now()
    assert len(chair.inbox()) == 1

    # … and exactly once when the clock reaches it (07:30 the last working day before the
    # deadline; the bot was off for the earlier steps, which that one supersedes).
    clock.set(datetime(2026, 12, 9, 7, 29, tzinfo=VN))
    assert (await bot.plan_now()).rows == 1
    assert (await bot.dispatch_now()).sent == 0
    clock.set(datetime(2026, 12, 9, 7, 30, tzinfo=VN))
    assert not await bot.plan_now()
    assert (await bot.dispatch_now()).sent == 1
    assert (await bot.dispatch_now()).sent == 0
    reminders = [m for m in chair.inbox() if m.text and "Nhắc việc" in m.text]
    assert len(reminders) == 1
    assert "Nộp báo cáo tổng kết năm 2026" in reminders[0].text
    assert "Hạn: 10/12/2026 (còn 1 ngày)" in reminders[0].text

    # The chair answers "xong": stored with its raw text, the assignment is done.
    clock.set(datetime(2026, 12, 9, 9, 14, tzinfo=VN))
    receipt = await chair.say("xong")
    assert receipt.text.startswith("Đã ghi nhận: Việc số 1 — Đã xong, 09/12/2026 09:14")
    with db.session() as session:
        reply = session.scalars(select(Reply)).one()
        assert reply.raw_text == "xong"
        assert reply.progress == Progress.DONE
        done = session.scalars(select(Assignment).where(Assignment.progress == Progress.DONE)).all()
        assert len(done) == 1

    # The officer's summary names the done unit and the missing ones.
    summary = (await officer.say("/tonghop")).text
    assert "Hoàn thành 1/3 đơn vị" in summary
    assert "⚪ Chưa báo cáo: CĐCS Trạm Y tế Sơn Bình; CĐCS Công ty Chè Tam Đường" in summary
    assert "Mường So" not in summary  # another district: outside this officer's branch
