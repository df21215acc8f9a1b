"""`/thongbao` over HTTP against the sandbox, the officer and the chairs on Telegram or on
Zalo (each choice a button there, a typed number here): a notice to a branch of 300 units,
some chairs blocked and some never registered; the delivery report checked number by number
against what the sandbox recorded; acknowledgements (the button on Telegram, its number on
Zalo, or `đã nhận` typed) counted; a cancellation mid-way sends nothing more; a notice with
a photo reaches each Telegram chair once, the photo with the text as its caption, stored once;
a long notice arrives in parts with the button on the last; an audience on Zalo alone is
refused a notice longer than Zalo takes. (The
conversation's every turn is tested in process: tests/handlers/test_broadcast_conversation.py and
test_broadcast_notice_files.py.)"""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator

import pytest
from PIL import Image
from sqlalchemy import func, select

from bot.runtime import BotRuntime
from bot.sandbox import SandboxServer
from bot.sandbox.records import SentMessage
from schedules.clock import ManualClock
from schedules.notice_files import human_size
from storage.engine import Database
from storage.models import BroadcastFile, ChannelAccount, OutboxFile, OutboxMessage, OutboxState
from tests.e2e.conftest import platform_settings
from tests.e2e.platforms import Chat, Message, Platform
from tests.factories import Branch, Person, build_branch

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
        if platform.zalo:  # one choice: the notice's last line asks for «1», with no list
            assert "Gõ «1» hoặc «đã nhận»" in (received[chat][0].text or "")
            answer = await chair.say("1")
        else:
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


# --- a notice with a photo, a long notice, and one too long for Zalo alone ------------------


def seating_plan() -> bytes:
    """A real JPEG (the sandbox, as Telegram, makes a photo only of an image it can read)."""
    picture = Image.effect_noise((400, 300), 80).convert("RGB")
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=95)
    return out.getvalue()


PHOTO = seating_plan()
SMALL = 6  # units of the small branches below


def button(message: SentMessage, label: str) -> str:
    found = [b["callback_data"] for row in message.buttons for b in row if b["text"] == label]
    assert found, f"no button {label!r} in {message.buttons}"
    return found[0]


def small_branch(db: Database, sandbox: SandboxServer, clock: ManualClock, zalo: int) -> Branch:
    """`SMALL` CĐCS with registered chairs, the first `zalo` of them on Zalo."""
    with db.session() as session:
        built = build_branch(session, units=SMALL, now=clock.now(), officer_chat=OFFICER_CHAT)
        for unit_id in built.unit_ids[:zalo]:
            chat = str(built.chat_ids[unit_id])
            account = session.scalars(
                select(ChannelAccount).where(ChannelAccount.chat_id == chat)
            ).one()
            account.channel = "zalo"
            account.external_user_id = account.chat_id = zalo_user(unit_id)
            sandbox.state.zalo.add_user(zalo_user(unit_id))
    for chat in [OFFICER_CHAT, *built.chat_ids.values()]:
        sandbox.state.add_user(chat)
    return built


def zalo_user(unit_id: int) -> str:
    return f"{unit_id:016x}"


async def sent_to_all(officer: Person, ask: SentMessage) -> SentMessage:
    preview = await officer.press(ask.message_id, button(ask, "Mọi đơn vị trực thuộc"))
    await officer.press(preview.message_id, button(preview, "✅ Gửi"))
    return preview


async def test_a_photo_notice_reaches_each_telegram_chair_once_with_its_text(
    two_channel_bot: BotRuntime, sandbox: SandboxServer, clock: ManualClock, db: Database
) -> None:
    branch = small_branch(db, sandbox, clock, zalo=2)
    on_zalo = [zalo_user(unit_id) for unit_id in branch.unit_ids[:2]]
    on_telegram = [branch.chat_ids[unit_id] for unit_id in branch.unit_ids[2:]]
    officer = Person(sandbox, OFFICER_CHAT, "Phạm Văn Đức")
    before = len(officer.inbox())
    sandbox.state.inject_photo(OFFICER_CHAT, PHOTO, caption=f"/thongbao {NOTICE}")
    ask = await officer.next_message(before)
    assert f"Đã đính kèm ảnh ({human_size(len(PHOTO))})" in (ask.text or "")
    preview = await sent_to_all(officer, ask)
    assert f"Kèm ảnh ({human_size(len(PHOTO))})." in (preview.text or "")
    await two_channel_bot.dispatch_now()

    for chat in on_telegram:
        [photo] = sandbox.state.sent(chat)  # the text as the photo's caption: one message
        assert (photo.method, photo.document) == ("sendPhoto", PHOTO)
        assert NOTICE in (photo.caption or "") and (photo.caption or "").startswith("📢")
        assert button(photo, "✅ Đã nhận").startswith("n:")
    for user in on_zalo:  # the text once (the photo itself: the Zalo sender's part)
        texts = [m.text or "" for m in sandbox.state.zalo.sent(user)]
        assert sum(NOTICE in text for text in texts) == 1
        assert "Gõ «1» hoặc «đã nhận»" in texts[-1] and "Bấm" not in texts[-1]
    with db.session() as session:
        stored = session.scalars(select(BroadcastFile.size)).all()
        copies = session.scalar(select(func.count()).select_from(OutboxFile))
    assert (stored, copies) == ([len(PHOTO)], 0)  # one copy for six recipients


async def test_a_long_notice_arrives_in_parts_with_the_button_on_the_last(
    bot: BotRuntime, sandbox: SandboxServer, clock: ManualClock, db: Database
) -> None:
    branch = small_branch(db, sandbox, clock, zalo=0)
    lines = [
        f"{n}. Các CĐCS rà soát danh sách đoàn viên, báo cáo về LĐLĐ huyện." for n in range(95)
    ]
    text = "\n".join(lines)
    assert 6000 <= len(text) < 8192
    officer = Person(sandbox, OFFICER_CHAT, "Phạm Văn Đức")
    ask = await officer.say(f"/thongbao {text}")
    preview = await sent_to_all(officer, ask)
    assert f"Thông báo dài {len(text):,} ký tự".replace(",", ".") in (preview.text or "")
    await bot.dispatch_now()

    for chat in branch.chat_ids.values():
        first, second = sandbox.state.sent(chat)
        assert (first.text or "").startswith("(1/2) 📢") and (second.text or "").startswith("(2/2)")
        assert first.buttons == [] and button(second, "✅ Đã nhận").startswith("n:")
        assert all(line in f"{first.text}\n{second.text}" for line in lines)


async def test_a_zalo_only_audience_is_refused_a_notice_longer_than_zalo_takes(
    two_channel_bot: BotRuntime, sandbox: SandboxServer, clock: ManualClock, db: Database
) -> None:
    branch = small_branch(db, sandbox, clock, zalo=SMALL)
    officer = Person(sandbox, OFFICER_CHAT, "Phạm Văn Đức")
    text = ("Kế hoạch chi tiết tháng 12. " * 90)[:2500]
    ask = await officer.say(f"/thongbao {text}")
    refused = await officer.press(ask.message_id, button(ask, "Mọi đơn vị trực thuộc"))
    assert "Thông báo dài 2.500 ký tự; Zalo chỉ nhận tối đa 2.000 ký tự" in (refused.text or "")
    await two_channel_bot.dispatch_now()
    assert all(sandbox.state.zalo.sent(zalo_user(unit_id)) == [] for unit_id in branch.unit_ids)
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
