"""A task changed, extended for two units, and cancelled, over HTTP against the sandbox, on
Telegram and on Zalo: the officer confirms each preview (a button, or the listed number),
the chairs' messages and the outbox are checked after each, and the clock is moved past the
old ladder's times: no stale reminder goes out (issue 14, item 3)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.runtime import BotRuntime
from schedules.clock import ManualClock
from storage.engine import Database
from storage.models import Assignment, OutboxMessage, OutboxState, Unit
from tests.conftest import VN
from tests.e2e.platforms import Chat, Platform, load_roster, officer_on
from tests.factories import gives_task

pytestmark = pytest.mark.e2e

AN, BINH, CHU = 201, 202, 203  # the chairs of CDCS-01, CDCS-02, CDCS-03
OLD_TEXT = "Nộp báo cáo năm"
NEW_TEXT = "Nộp báo cáo năm kèm số liệu đoàn viên"


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=VN)


def pending_reminders(db: Database) -> list[tuple[str, str]]:
    """(unit code, text) of the reminders still to go out."""
    with db.session() as session:
        rows = session.execute(
            select(Unit.code, OutboxMessage.text)
            .join(Assignment, Assignment.id == OutboxMessage.assignment_id)
            .join(Unit, Unit.id == Assignment.unit_id)
            .where(
                OutboxMessage.kind == "reminder",
                OutboxMessage.state.in_([OutboxState.PENDING, OutboxState.SENDING]),
            )
            .order_by(Unit.code)
        ).all()
    return [(code, text) for code, text in rows]


def reminders(platform: Platform, user: int) -> list[str]:
    return [text for text in platform.texts(user) if "Nhắc việc" in text]


async def next_text(chat: Chat, seen: dict[int, int]) -> str:
    """The chat's next message after those already looked at (a bound only for a failure)."""
    message = await chat.next_message(seen[id(chat)])
    seen[id(chat)] += 1
    return message.text or ""


async def tick(bot: BotRuntime, clock: ManualClock, moment: datetime) -> None:
    """The bot's timer at `moment`: plan, then send what is due."""
    clock.set(moment)
    await bot.plan_now()
    await bot.dispatch_now()


async def test_changed_extended_and_cancelled_no_stale_reminder(
    tmp_path: Path,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    two_channel_bot: BotRuntime,
    platform: Platform,
    clock: ManualClock,
    db: Database,
) -> None:
    bot = two_channel_bot
    load_roster(tmp_path, database_url, monkeypatch)
    officer = await officer_on(platform)
    chairs: dict[int, Chat] = {}
    for user, name, code in (
        (AN, "Nguyễn Văn An", "CDCS-01"),
        (BINH, "Lê Thị Bình", "CDCS-02"),
        (CHU, "Vàng A Chư", "CDCS-03"),
    ):
        chairs[user] = platform.chat(user, name)
        assert name in ((await chairs[user].register(officer, code)).text or "")
    seen = {id(chat): len(chat.inbox()) for chat in chairs.values()}
    given = await gives_task(officer, f"/giaoviec 10/12/2026 {OLD_TEXT}")
    assert "Đã giao Việc số 1 cho 3 đơn vị" in (given.text or "")

    # 03/12 16:55: the «7 days before» reminders are planned for 17:00.
    await tick(bot, clock, at(3, 16, 55))
    assert [code for code, _ in pending_reminders(db)] == ["CDCS-01", "CDCS-02", "CDCS-03"]

    # The text changes: previewed, confirmed; the planned rows withdrawn; each chair told once.
    clock.set(at(3, 16, 56))
    preview = await officer.say(f"/suaviec 1 {NEW_TEXT}")
    assert "Xem trước — Việc số 1" in (preview.text or "")
    assert len(pending_reminders(db)) == 3  # a preview changes nothing
    done = await officer.choose(preview, "✅ Xác nhận")
    assert "Đã sửa nội dung Việc số 1. Đã báo 3 người" in (done.text or "")
    # The old rows are withdrawn; the new ladder's 17:00 rows carry the new text.
    assert [NEW_TEXT in text for _, text in pending_reminders(db)] == [True, True, True]
    await bot.dispatch_now()
    for user in chairs:
        notice = await next_text(chairs[user], seen)
        assert f"Nội dung mới: {NEW_TEXT}" in notice, user
    # 17:00: the reminders go out once each, in the new words.
    await tick(bot, clock, at(3, 17, 0))
    for user in chairs:
        reminder = await next_text(chairs[user], seen)
        assert NEW_TEXT in reminder and "Hạn: 10/12/2026" in reminder

    # Extended for two units: CDCS-01 and CDCS-02 now have until 17/12.
    clock.set(at(4, 9, 0))
    preview = await officer.say("/giahan 1 17/12 CDCS-01 CDCS-02")
    assert "Đơn vị chưa xong được báo: 2" in (preview.text or "")
    done = await officer.choose(preview, "✅ Xác nhận")
    assert "Đã gia hạn Việc số 1. Đã báo 2 người" in (done.text or "")
    await bot.dispatch_now()
    for user in (AN, BINH):
        notice = await next_text(chairs[user], seen)
        assert "Hạn mới của đơn vị anh/chị: 17/12/2026." in notice
    # 07/12 17:00, the old ladder's «3 days before»: CDCS-03 only.
    await tick(bot, clock, at(7, 16, 55))
    assert [code for code, _ in pending_reminders(db)] == ["CDCS-03"]
    await tick(bot, clock, at(7, 17, 0))
    reminder = await next_text(chairs[CHU], seen)
    assert "Hạn: 10/12/2026 (còn 3 ngày)" in reminder
    assert [len(reminders(platform, user)) for user in (AN, BINH, CHU)] == [1, 1, 2]

    # Cancelled: every chair told, nothing pending, and the old ladders send nothing more.
    clock.set(at(8, 9, 0))
    preview = await officer.say("/huyviec 1")
    done = await officer.choose(preview, "✅ Xác nhận")
    assert "Đã hủy Việc số 1. Đã báo 3 người" in (done.text or "")
    await bot.dispatch_now()
    for user in chairs:
        notice = await next_text(chairs[user], seen)
        assert "Đã hủy việc — Việc số 1" in notice
    assert pending_reminders(db) == []
    before = {user: len(platform.texts(user)) for user in chairs}
    for moment in (at(9, 7, 30), at(10, 7, 30), at(10, 17, 0), at(11, 7, 30), at(14, 17, 0)):
        await tick(bot, clock, moment)
        assert pending_reminders(db) == []
    await tick(bot, clock, at(16, 7, 30))
    assert {user: len(platform.texts(user)) for user in chairs} == before
    assert "không có việc nào đang chờ" in ((await chairs[AN].say("/viec")).text or "")
    # The outbox: no reminder ever sent with the old text after the change.
    with db.session() as session:
        sent = session.scalars(
            select(OutboxMessage.text).where(
                OutboxMessage.kind == "reminder", OutboxMessage.state == OutboxState.SENT
            )
        ).all()
    assert len(sent) == 4 and all(NEW_TEXT in text for text in sent)
    assert "đã bị hủy từ trước" in ((await officer.say("/huyviec 1")).text or "")
