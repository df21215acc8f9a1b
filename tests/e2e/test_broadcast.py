"""`/thongbao` over HTTP against the sandbox, the officer and the chairs on Telegram or on
Zalo (each choice a button there, a typed number here): a notice to a branch of 300 units,
some chairs blocked and some never registered; the delivery report checked number by number
against what the sandbox recorded; acknowledgements (the button on Telegram, its number on
Zalo, or `đã nhận` typed) counted; a cancellation mid-way sends nothing more. (The
conversation's every turn is tested in process: tests/handlers/test_broadcast_conversation.py.)"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from bot.runtime import BotRuntime
from bot.sandbox import SandboxServer
from schedules.clock import ManualClock
from storage.engine import Database
from storage.models import OutboxMessage, OutboxState
from tests.e2e.conftest import platform_settings
from tests.e2e.platforms import Chat, Message, Platform
from tests.factories import Branch, build_branch

pytestmark = pytest.mark.e2e

UNITS = 300
UNREGISTERED = 30
OFFICER_CHAT = 99
NOTICE = "Họp trực tuyến sơ kết 6 tháng lúc 14h thứ Sáu."
SECONDS = 300  # bounds a failure only
BATCH = 200  # rows a dispatcher claims at once (the settings' default)


@pytest.fixture
def branch(db: Database, sandbox: SandboxServer, platform: Platform, clock: ManualClock) -> Branch:
    with db.session() as session:
        built = build_branch(
            session,
            units=UNITS,
            now=clock.now(),
            unregistered=UNREGISTERED,
            officer_chat=OFFICER_CHAT,
            channel=platform.name,
            officer_channel=platform.name,
        )
    for chat in [OFFICER_CHAT, *built.chat_ids.values()]:
        platform.add_user(chat)
    return built


@pytest.fixture
async def slow_bot(
    database_url: str, sandbox: SandboxServer, clock: ManualClock
) -> AsyncIterator[BotRuntime]:
    """The bot sending 5 messages a second: the 300 notices take a minute, so the officer's
    stop lands mid-way even on a machine too busy to answer within a few seconds."""
    settings = platform_settings(database_url, sandbox, send_rate_per_second=5)
    runtime = BotRuntime(settings, clock=clock, dispatch_interval=None, per_chat_interval=0)
    async with runtime:
        yield runtime


def notices(platform: Platform, chats: list[int]) -> dict[int, list[Message]]:
    return {
        chat: [m for m in platform.sent(chat) if (m.text or "").startswith("📢")] for chat in chats
    }


async def confirmed(officer: Chat, audience_label: str) -> Message:
    """The officer writes the notice, picks the audience and confirms; the bot's answer."""
    ask = await officer.say(f"/thongbao {NOTICE}")
    preview = await officer.choose(ask, audience_label)
    assert f"{UNITS} đơn vị" in (preview.text or "")
    assert f"{UNITS - UNREGISTERED} chủ tịch" in (preview.text or "")
    assert f"{UNREGISTERED} đơn vị chưa có chủ tịch" in (preview.text or "")
    return await officer.choose(preview, "✅ Gửi")


async def report_of(officer: Chat, sandbox: SandboxServer) -> str:
    def arrived() -> bool:
        return any((m.text or "").startswith("📊") for m in officer.inbox())

    assert await sandbox.state.wait(arrived, SECONDS)
    [report] = [m.text or "" for m in officer.inbox() if (m.text or "").startswith("📊")]
    return report


async def test_branch_notice_report_matches_the_sandbox(
    branch: Branch, platform_bot: BotRuntime, sandbox: SandboxServer, platform: Platform
) -> None:
    bot = platform_bot
    chats = list(branch.chat_ids.values())
    blocked = chats[::25]  # 11 chairs blocked the bot
    for chat in blocked:
        platform.block(chat)
    officer = platform.chat(OFFICER_CHAT, "Phạm Văn Đức")
    sending = await confirmed(officer, "Mọi đơn vị trực thuộc")
    assert "Đang gửi" in (sending.text or "")
    await bot.dispatch_now()
    await bot.dispatch_now()  # the report, planned when the last notice was recorded
    report = await report_of(officer, sandbox)

    received = notices(platform, chats)
    delivered = [chat for chat, got in received.items() if got]
    assert all(len(got) <= 1 for got in received.values())  # each recipient once
    assert set(delivered) == set(chats) - set(blocked)
    assert f"Đã gửi: {len(delivered)}" in report
    assert f"Đã chặn bot: {len(blocked)}" in report
    assert "Gửi lỗi: 0" in report
    assert f"Chưa có tài khoản: {UNREGISTERED} đơn vị" in report

    for chat in delivered[:5]:
        chair = platform.chat(chat, f"Chủ tịch {chat}")
        answer = await chair.choose(received[chat][0], "✅ Đã nhận")
        assert "Đã ghi nhận" in (answer.text or "")
    typed = platform.chat(delivered[5], "Chủ tịch")
    assert "Đã ghi nhận" in ((await typed.say("da nhan")).text or "")
    recent = await officer.say("/thongbao")
    assert f"đã gửi {len(delivered)}/{len(chats)}, đã xác nhận 6/{len(delivered)}" in (
        recent.text or ""
    )
    await bot.dispatch_now()
    assert len([m for m in officer.inbox() if (m.text or "").startswith("📊")]) == 1


async def test_cancel_mid_way_sends_nothing_more(
    branch: Branch, slow_bot: BotRuntime, sandbox: SandboxServer, platform: Platform, db: Database
) -> None:
    bot = slow_bot
    chats = list(branch.chat_ids.values())
    officer = platform.chat(OFFICER_CHAT, "Phạm Văn Đức")
    sending = await confirmed(officer, "Mọi đơn vị trực thuộc")

    def some_arrived() -> bool:
        return sum(len(got) for got in notices(platform, chats).values()) >= 20

    dispatching = asyncio.create_task(bot.dispatch_now())
    assert await sandbox.state.wait(some_arrived, SECONDS)
    stopped = await officer.choose(sending, "⏹ Dừng gửi")
    assert "tin chưa gửi sẽ không gửi nữa" in (stopped.text or "")
    await dispatching
    await bot.dispatch_now()
    report = await report_of(officer, sandbox)

    with db.session() as session:
        rows = [
            row
            for row in session.scalars(select(OutboxMessage))
            if row.key.startswith("broadcast:")
        ]
    states = {state: sum(row.state == state for row in rows) for state in OutboxState}
    got = sum(len(m) for m in notices(platform, chats).values())
    # Fewer than the first claimed batch went out: the rows already claimed when the officer
    # stopped it were withdrawn, not only the rows still planned.
    assert 20 <= got < BATCH
    assert states[OutboxState.SENT] == got
    assert states[OutboxState.SKIPPED] == len(chats) - got
    assert f"Đã gửi: {got}" in report
    assert f"Đã dừng, không gửi: {len(chats) - got}" in report
    await bot.dispatch_now()
    assert sum(len(m) for m in notices(platform, chats).values()) == got  # nothing more
