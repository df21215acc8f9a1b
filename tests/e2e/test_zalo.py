"""Chairs on Zalo, over the sandbox's Zalo dialect, with the real runtime polling it beside
Telegram: registration by invite code, a reminder's numbered list answered by number, a
wrong number answered with the list again, a long notice in parts of at most 2,000
characters, stickers and unsupported messages answered and never stored as a status, and a
person bound on both channels reminded once, on the one they used last."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.cli import main
from bot.runtime import BotRuntime
from bot.sandbox import SandboxServer
from bot.settings import MissingTokenError
from schedules.clock import ManualClock
from storage.engine import Database
from storage.models import ChannelAccount, Progress, Reply
from storage.outbox import PlannedMessage, enqueue
from tests.conftest import VN, bot_settings
from tests.factories import Person, ZaloPerson, gives_task, write_roster

pytestmark = pytest.mark.e2e

REMINDER_TIME = datetime(2026, 12, 9, 7, 30, tzinfo=VN)  # the day before 10/12/2026
REMINDER_LIST = "1. ✅ Đã xong\n2. ⏳ Đang làm\n3. ⚠️ Vướng mắc"
ZALO_LIMIT = 2000


async def officer_of(
    sandbox: SandboxServer, tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> Person:
    monkeypatch.setenv("NHACVIEC_DATABASE_URL", database_url)
    assert main(["roster", "import", str(write_roster(tmp_path / "roster.csv"))]) == 0
    officer = Person(sandbox, 100, "Phạm Văn Đức", phone="0912000003")
    assert officer.name in ((await officer.share_phone()).text or "")
    return officer


async def remind(bot: BotRuntime, clock: ManualClock, chair: ZaloPerson) -> str:
    """The reminder morning: plan, send, and the chair's reminder as Zalo shows it."""
    before = len(chair.inbox())
    clock.set(REMINDER_TIME)
    await bot.plan_now()
    await bot.dispatch_now()
    return (await chair.next_message(before)).text or ""


def replies(db: Database) -> list[Reply]:
    with db.session() as session:
        return list(session.scalars(select(Reply).order_by(Reply.id)))


async def test_a_zalo_chair_registers_by_code_and_answers_by_number(
    tmp_path: Path,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    two_channel_bot: BotRuntime,
    sandbox: SandboxServer,
    clock: ManualClock,
    db: Database,
) -> None:
    assert two_channel_bot.channels == ["telegram", "zalo"]
    officer = await officer_of(sandbox, tmp_path, database_url, monkeypatch)
    an = ZaloPerson(sandbox, "a1b2c3d4e5f60718", "Nguyễn Văn An")
    binh = ZaloPerson(sandbox, "b1b2c3d4e5f60718", "Lê Thị Bình")

    stranger = (await an.say("xin chào")).text or ""
    assert "mã mời" in stranger and "MA " in stranger and "số điện thoại" not in stranger
    assert "CĐCS Trường THCS Bình Lư" in ((await an.register(officer, "CDCS-01")).text or "")
    assert "CĐCS Trạm Y tế Sơn Bình" in ((await binh.register(officer, "CDCS-02")).text or "")
    await gives_task(officer, "/giaoviec 10/12/2026 Nộp báo cáo tổng kết năm 2026")

    reminder = await remind(two_channel_bot, clock, an)
    assert "Nhắc việc" in reminder and reminder.endswith(REMINDER_LIST)
    again = (await an.say("9")).text or ""
    assert "Số 9 không có" in again and again.endswith(REMINDER_LIST)
    assert replies(db) == []
    assert "Đã xong" in ((await an.say("1")).text or "")

    assert binh.inbox()[-1].text.endswith(REMINDER_LIST)  # type: ignore[union-attr]
    question = (await binh.say("2")).text or ""
    assert "bao nhiêu phần trăm" in question and question.endswith("1. 25%\n2. 50%\n3. 75%")
    assert "Đang làm 60%" in ((await binh.say("60")).text or "")

    stored = [(reply.progress, reply.percent) for reply in replies(db)]
    assert stored == [(Progress.DONE, None), (Progress.IN_PROGRESS, 60)]
    summary = (await officer.say("/tonghop")).text or ""
    assert "Hoàn thành 1/3 đơn vị" in summary  # the Zalo chair counted with the others


async def test_long_notices_stickers_and_unsupported_on_zalo(
    tmp_path: Path,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    two_channel_bot: BotRuntime,
    sandbox: SandboxServer,
    clock: ManualClock,
    db: Database,
) -> None:
    officer = await officer_of(sandbox, tmp_path, database_url, monkeypatch)
    an = ZaloPerson(sandbox, "a1b2c3d4e5f60718", "Nguyễn Văn An")
    await an.register(officer, "CDCS-01")
    await gives_task(officer, "/giaoviec 10/12/2026 Nộp báo cáo")

    before = len(an.inbox())
    sandbox.state.zalo.inject_sticker(an.user_id)
    assert "nhãn dán" in ((await an.next_message(before)).text or "")
    before = len(an.inbox())
    sandbox.state.zalo.inject_unsupported(an.user_id)
    assert "vui lòng trả lời một dòng ngắn" in ((await an.next_message(before)).text or "")
    assert replies(db) == []

    lines = [f"{n}. CĐCS số {n} đã nộp báo cáo tổng kết năm 2026 đúng hạn." for n in range(90)]
    notice = "Thông báo kết quả:\n" + "\n".join(lines)
    assert len(notice) > 2 * ZALO_LIMIT
    with db.session() as session:
        account_id = session.scalars(
            select(ChannelAccount.id).where(ChannelAccount.external_user_id == an.user_id)
        ).one()
        enqueue(
            session,
            messages=[
                PlannedMessage(
                    key="test:notice",
                    account_id=account_id,
                    kind="notice",
                    text=notice,
                    due_at=clock.now(),
                )
            ],
            now=clock.now(),
        )
    before = len(an.inbox())
    await two_channel_bot.dispatch_now()
    parts = [m.text or "" for m in await sandbox.state.zalo.wait_for_sent(an.user_id, before + 3)]
    parts = parts[before:]
    assert all(len(part) <= ZALO_LIMIT for part in parts)
    count = len(parts)
    assert [re.match(r"\((\d+)/(\d+)\) ", part).groups() for part in parts] == [  # type: ignore[union-attr]
        (str(k), str(count)) for k in range(1, count + 1)
    ]
    joined = "\n".join(re.sub(r"^\(\d+/\d+\) ", "", part) for part in parts)
    assert all(line in joined for line in lines)


async def test_a_chair_on_both_channels_is_reminded_once_where_they_wrote_last(
    tmp_path: Path,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    two_channel_bot: BotRuntime,
    sandbox: SandboxServer,
    clock: ManualClock,
) -> None:
    officer = await officer_of(sandbox, tmp_path, database_url, monkeypatch)
    on_telegram = Person(sandbox, 201, "Nguyễn Văn An", phone="0912000011")  # CDCS-01's chair
    assert on_telegram.name in ((await on_telegram.share_phone()).text or "")
    clock.advance(timedelta(minutes=5))
    on_zalo = ZaloPerson(sandbox, "a1b2c3d4e5f60718", "Nguyễn Văn An")
    assert "Nguyễn Văn An" in ((await on_zalo.register(officer, "CDCS-01")).text or "")
    await gives_task(officer, "/giaoviec 10/12/2026 Nộp báo cáo tổng kết")

    assert "Nhắc việc" in await remind(two_channel_bot, clock, on_zalo)
    assert not [m for m in on_telegram.inbox() if "Nhắc việc" in (m.text or "")]


async def test_a_zalo_only_bot_answers_and_its_own_timer_sends_the_outbox(
    database_url: str, sandbox: SandboxServer, clock: ManualClock, db: Database
) -> None:
    """No Telegram token: no PTB application, the dispatch timer is the runtime's own."""
    settings = bot_settings(database_url, sandbox, telegram=False, zalo=True)
    lan = ZaloPerson(sandbox, "c1b2c3d4e5f60718", "Lò Thị Lan")
    async with BotRuntime(settings, clock=clock, dispatch_interval=0.05) as runtime:
        assert runtime.channels == ["zalo"] and runtime.application is None
        assert "mã mời" in ((await lan.say("chào bot")).text or "")
        with db.session() as session:
            account_id = session.scalars(
                select(ChannelAccount.id).where(ChannelAccount.external_user_id == lan.user_id)
            ).one()
            enqueue(
                session,
                messages=[
                    PlannedMessage(
                        key="test:hello",
                        account_id=account_id,
                        kind="notice",
                        text="Thông báo: họp giao ban thứ Hai.",
                        due_at=clock.now(),
                    )
                ],
                now=clock.now(),
            )
        assert (await lan.next_message(1)).text == "Thông báo: họp giao ban thứ Hai."
    assert sandbox.state.zalo.sent(lan.user_id)[-1].text == "Thông báo: họp giao ban thứ Hai."


async def test_a_bot_without_any_token_refuses_to_start(
    database_url: str, sandbox: SandboxServer
) -> None:
    settings = bot_settings(database_url, sandbox, telegram=False, zalo=False)
    runtime = BotRuntime(settings)
    with pytest.raises(MissingTokenError, match="NHACVIEC_ZALO_TOKEN"):
        await runtime.start()
    assert runtime.db is None and runtime.channels == []
