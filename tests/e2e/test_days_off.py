"""The settings' working calendar reaches every planner, the handlers' included: with
Saturday off, a task given early on a Saturday sends its chair nothing that weekend."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path

import pytest

from bot.cli import main
from bot.runtime import BotRuntime
from bot.sandbox import SandboxServer
from bot.settings import Settings
from schedules.clock import ManualClock
from tests.conftest import TEST_TOKEN, VN
from tests.factories import Person, gives_task, write_roster

pytestmark = pytest.mark.e2e


@pytest.fixture
async def bot_resting_saturday(
    tmp_path: Path,
    database_url: str,
    sandbox: SandboxServer,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[BotRuntime]:
    monkeypatch.setenv("NHACVIEC_DATABASE_URL", database_url)
    assert main(["roster", "import", str(write_roster(tmp_path / "roster.csv"))]) == 0
    settings = Settings(
        _env_file=None,
        database_url=database_url,
        telegram_token=TEST_TOKEN,
        telegram_api_url=sandbox.url,
        saturday_off=True,
    )
    async with BotRuntime(
        settings, clock=clock, dispatch_interval=None, per_chat_interval=0
    ) as runtime:
        yield runtime


async def test_a_task_given_on_a_saturday_off_waits_for_monday(
    bot_resting_saturday: BotRuntime, sandbox: SandboxServer, clock: ManualClock
) -> None:
    bot = bot_resting_saturday
    officer = Person(sandbox, 100, "Phạm Văn Đức", phone="0912000003")
    chair = Person(sandbox, 201, "Nguyễn Văn An", phone="0912000011")  # CDCS-01
    await officer.share_phone()
    await chair.share_phone()

    # Saturday 12/12/2026, 07:20: a task due on Monday. With Saturday working, its last
    # working day before the deadline would be this morning, 07:30.
    clock.set(datetime(2026, 12, 12, 7, 20, tzinfo=VN))
    given = await gives_task(officer, "/giaoviec 14/12/2026 Nộp danh sách đoàn viên")
    assert "hạn 14/12/2026" in (given.text or "")
    saturday, sunday = datetime(2026, 12, 12, 7, 31, tzinfo=VN), datetime(2026, 12, 13, tzinfo=VN)
    for moment in (saturday, sunday.replace(hour=10)):
        clock.set(moment)
        await bot.plan_now()
        await bot.dispatch_now()
    assert not [m for m in chair.inbox() if "Nhắc việc" in (m.text or "")]

    clock.set(datetime(2026, 12, 14, 7, 30, tzinfo=VN))
    await bot.plan_now()
    await bot.dispatch_now()
    reminders = [m for m in chair.inbox() if "Nhắc việc" in (m.text or "")]
    assert len(reminders) == 1
    assert "Nộp danh sách đoàn viên" in (reminders[0].text or "")
