"""`/tonghop` over the sandbox counts the chairs of both platforms together: one chair
answers the reminder on Telegram (a button), one on Zalo (its number, then the percent), one
never registered; the officer asks on Telegram or on Zalo and reads the same figures.
(Every figure of the summary is tested in process: tests/handlers/test_summary_conversation.py.)"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from bot.runtime import BotRuntime
from bot.sandbox import SandboxServer
from schedules.clock import ManualClock
from tests.conftest import VN
from tests.e2e.platforms import Platform, load_roster, officer_on
from tests.factories import gives_task

pytestmark = pytest.mark.e2e

REMINDER_TIME = datetime(2026, 12, 9, 7, 30, tzinfo=VN)  # the day before 10/12/2026


async def test_tonghop_counts_telegram_and_zalo_chairs_together(
    tmp_path: Path,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    two_channel_bot: BotRuntime,
    sandbox: SandboxServer,
    platform: Platform,
    clock: ManualClock,
) -> None:
    load_roster(tmp_path, database_url, monkeypatch)
    officer = await officer_on(platform)
    an = Platform("telegram", sandbox).chat(201, "Nguyễn Văn An")  # CDCS-01
    binh = Platform("zalo", sandbox).chat(202, "Lê Thị Bình")  # CDCS-02
    await an.register(officer, "CDCS-01")
    await binh.register(officer, "CDCS-02")
    await gives_task(officer, "/giaoviec 10/12/2026 Nộp báo cáo tổng kết năm 2026")

    clock.set(REMINDER_TIME)
    await two_channel_bot.plan_now()
    await two_channel_bot.dispatch_now()
    for chair in (an, binh):
        (*_, reminder) = await chair.wait_for(2)  # the greeting, then the reminder
        assert "Nhắc việc" in (reminder.text or "")
        if chair is an:
            assert "Đã xong" in ((await an.choose(reminder, "✅ Đã xong")).text or "")
        else:
            asked = await binh.choose(reminder, "⏳ Đang làm")
            assert "Đang làm 60%" in ((await binh.say("60")).text or ""), asked.text

    summary = (await officer.say("/tonghop")).text or ""
    assert "Hoàn thành 1/3 đơn vị" in summary
    assert "Đang thực hiện (trong hạn): CĐCS Trạm Y tế Sơn Bình (60%)" in summary
    assert "Chưa báo cáo: CĐCS Công ty Chè Tam Đường" in summary
    assert "Chưa có chủ tịch đăng ký với bot (1)" in summary
