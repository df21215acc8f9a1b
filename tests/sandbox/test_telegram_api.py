"""The Telegram dialect, driven by python-telegram-bot's own Bot over real HTTP."""

from __future__ import annotations

import asyncio
import datetime as dtm
import time

import httpx
import pytest
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter

from bot.sandbox import Fault, SandboxServer, SandboxState

from .conftest import TOKEN, png_bytes

USER = 501

# PTB 22 warns that RetryAfter.retry_after will become a timedelta; that is PTB's business.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


def retry_seconds(error: RetryAfter) -> float:
    value = error.retry_after
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


async def test_get_me(bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.is_bot) == (123456, "nhacviec_sandbox_bot", True)


async def test_wrong_token_is_unauthorized(server: SandboxServer) -> None:
    with pytest.raises(InvalidToken):
        async with Bot("999:wrong", base_url=server.bot_base_url) as wrong:
            await wrong.get_me()


async def test_unknown_method_is_not_found(server: SandboxServer) -> None:
    async with httpx.AsyncClient() as client:
        answer = await client.post(f"{server.bot_base_url}{TOKEN}/sendTelepathy")
    assert answer.status_code == 404
    assert answer.json() == {"ok": False, "error_code": 404, "description": "Not Found"}


async def test_injected_command_reaches_get_updates(bot: Bot, state: SandboxState) -> None:
    update_id = state.inject_text(USER, "/start abc", first_name="Lan", username="lan_cd")
    (update,) = await bot.get_updates()
    assert update.update_id == update_id
    message = update.message
    assert message is not None
    assert message.from_user is not None
    assert (message.text, message.chat.id, message.chat.type) == ("/start abc", USER, "private")
    assert message.from_user.username == "lan_cd"
    assert message.entities[0].type == "bot_command"
    assert message.entities[0].length == 6
    assert state.pending_updates() == 0


async def test_long_poll_returns_as_soon_as_an_update_arrives(
    bot: Bot, state: SandboxState
) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=20))
    assert await state.wait(lambda: state.polling > 0, 180)
    started = time.monotonic()
    state.inject_text(USER, "xin chào")
    updates = await asyncio.wait_for(poll, 5)
    assert [u.message.text for u in updates if u.message] == ["xin chào"]
    assert time.monotonic() - started < 5


async def test_offset_confirms_earlier_updates(bot: Bot, state: SandboxState) -> None:
    first = state.inject_text(USER, "một")
    state.inject_text(USER, "hai")
    state.inject_text(USER, "ba")
    assert len(await bot.get_updates()) == 3
    rest = await bot.get_updates(offset=first + 1)
    assert [u.message.text for u in rest if u.message] == ["hai", "ba"]
    assert await bot.get_updates(offset=rest[-1].update_id + 1) == ()
    assert state.unconfirmed_updates() == 0


async def test_send_message_with_buttons_is_recorded(bot: Bot, state: SandboxState) -> None:
    state.inject_text(USER, "/start")
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("Xong", callback_data="done:7")],
            [InlineKeyboardButton("Chưa", callback_data="no:7")],
        ]
    )
    message = await bot.send_message(USER, "Việc 7 đã xong chưa?", reply_markup=keyboard)
    assert message.chat.id == USER
    assert message.from_user is not None
    assert message.from_user.id == 123456
    assert message.reply_markup == keyboard
    (sent,) = state.sent(USER)
    assert (sent.message_id, sent.text, sent.method) == (
        message.message_id,
        message.text,
        "sendMessage",
    )
    assert sent.buttons == [
        [{"text": "Xong", "callback_data": "done:7"}],
        [{"text": "Chưa", "callback_data": "no:7"}],
    ]
    assert not sent.request_contact


async def test_reply_keyboard_with_contact_button(bot: Bot, state: SandboxState) -> None:
    state.inject_text(USER, "/start")
    share = ReplyKeyboardMarkup([[KeyboardButton("Chia sẻ số điện thoại", request_contact=True)]])
    message = await bot.send_message(USER, "Xin số điện thoại", reply_markup=share)
    assert message.reply_markup is None  # Telegram echoes inline keyboards only
    await bot.send_message(USER, "Cảm ơn", reply_markup=ReplyKeyboardRemove())
    assert [m.request_contact for m in state.sent(USER)] == [True, False]


async def test_html_text_is_recorded_as_seen(bot: Bot, state: SandboxState) -> None:
    state.inject_text(USER, "/start")
    await bot.send_message(USER, "<b>Hạn</b> 5/6 &amp; 6/6", parse_mode="HTML")
    (sent,) = state.sent(USER)
    assert (sent.text, sent.raw_text) == ("Hạn 5/6 & 6/6", "<b>Hạn</b> 5/6 &amp; 6/6")


async def test_unknown_chat_blocked_chat_and_bad_texts(bot: Bot, state: SandboxState) -> None:
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(777, "ai đó")
    state.inject_text(USER, "/start")
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(USER, "x" * 4097)
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(USER, "  ")
    too_long_data = InlineKeyboardMarkup([[InlineKeyboardButton("a", callback_data="d" * 65)]])
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await bot.send_message(USER, "nút", reply_markup=too_long_data)
    state.block(USER)
    with pytest.raises(Forbidden, match="blocked by the user"):
        await bot.send_message(USER, "còn đó không?")
    state.block(USER, blocked=False)
    await bot.send_message(USER, "4096 ký tự vừa đủ"[:16] + "x" * 4080)
    assert len(state.sent(USER)) == 1
    assert state.stats.responses[400] == 4
    assert state.stats.responses[403] == 1


async def test_fault_429_raises_retry_after_and_does_not_deliver(
    bot: Bot, state: SandboxState
) -> None:
    state.inject_text(USER, "/start")
    state.add_fault(Fault(status=429, retry_after=7, count=1))
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(USER, "lần 1")
    assert retry_seconds(caught.value) == 7
    await bot.send_message(USER, "lần 2")
    assert [m.text for m in state.sent(USER)] == ["lần 2"]
    assert (state.stats.throttled, state.stats.faults) == (1, 1)


async def test_fault_500_and_hang(bot: Bot, state: SandboxState) -> None:
    state.inject_text(USER, "/start")
    state.add_fault(Fault(status=502, method=None, count=1))
    with pytest.raises(NetworkError):
        await bot.send_chat_action(USER, "typing")
    state.add_fault(Fault(status="hang", count=1, hang_seconds=0.05))
    with pytest.raises(NetworkError):
        await bot.send_message(USER, "treo")
    assert state.sent(USER) == []
    assert await bot.get_me()  # getMe is never faulted by a method-less fault


async def test_per_chat_burst_then_429(bot: Bot, state: SandboxState) -> None:
    state.set_limits(per_chat_burst=3, per_chat_per_second=1.0)
    state.inject_text(USER, "/start")
    outcomes: list[str | float] = []
    for n in range(5):
        try:
            await bot.send_message(USER, f"tin {n}")
            outcomes.append("ok")
        except RetryAfter as error:
            outcomes.append(retry_seconds(error))
    assert outcomes == ["ok", "ok", "ok", 1, 1]
    assert len(state.sent(USER)) == 3
    assert state.stats.throttled == 2


async def test_document_round_trip(bot: Bot, state: SandboxState) -> None:
    content = "Số: 534/LĐLĐ\nV/v sơ kết 6 tháng".encode()
    state.inject_document(USER, "cv534.txt", content, mime_type="text/plain", caption="CV mới")
    (update,) = await bot.get_updates()
    assert update.message is not None
    assert update.message.document is not None
    assert update.message.document.file_name == "cv534.txt"
    assert update.message.caption == "CV mới"
    tg_file = await bot.get_file(update.message.document.file_id)
    assert bytes(await tg_file.download_as_bytearray()) == content

    report = await bot.send_document(USER, document=b"a,b\n1,2\n", filename="bao_cao.csv")
    assert report.document is not None
    assert report.document.file_name == "bao_cao.csv"
    (sent,) = state.sent(USER)
    assert (sent.method, sent.document, sent.file_name) == (
        "sendDocument",
        b"a,b\n1,2\n",
        "bao_cao.csv",
    )


async def test_photo_sticker_and_contact_updates(bot: Bot, state: SandboxState) -> None:
    state.inject_photo(USER, b"\xff\xd8jpeg", caption="ảnh")
    state.inject_sticker(USER)
    state.inject_contact(USER, "+84912345678")
    state.inject_contact(USER, "0987654321", contact_user_id=None)
    photo, sticker, own, other = await bot.get_updates()
    assert photo.message is not None
    assert photo.message.photo[-1].file_size == 6
    assert sticker.message is not None
    assert sticker.message.sticker is not None
    assert own.message is not None
    assert own.message.contact is not None
    assert own.message.contact.user_id == USER
    assert other.message is not None
    assert other.message.contact is not None
    assert other.message.contact.user_id is None
    await bot.send_photo(USER, photo=png_bytes(), caption="biểu đồ")
    assert state.sent(USER)[0].caption == "biểu đồ"


async def test_callback_query_edit_and_answer(bot: Bot, state: SandboxState) -> None:
    state.inject_text(USER, "/start")
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Xong", callback_data="done:7")]])
    message = await bot.send_message(USER, "Việc 7?", reply_markup=keyboard)
    state.inject_button(USER, message.message_id, "done:7")
    _, update = await bot.get_updates()
    query = update.callback_query
    assert query is not None
    assert query.data == "done:7"
    assert query.message is not None
    assert query.message.message_id == message.message_id
    assert query.from_user.id == USER

    assert await query.answer("Đã ghi nhận")
    with pytest.raises(BadRequest, match=r"(?i)query id is invalid"):
        await query.answer()
    assert state.callback_answers[0].text == "Đã ghi nhận"

    edited = await bot.edit_message_text(
        "Việc 7: đã xong", chat_id=USER, message_id=message.message_id
    )
    assert not isinstance(edited, bool)
    assert edited.text == "Việc 7: đã xong"
    (sent,) = state.sent(USER)
    assert (sent.text, sent.edits, sent.buttons) == ("Việc 7: đã xong", ["Việc 7?"], [])
    with pytest.raises(BadRequest, match=r"(?i)not modified"):
        await bot.edit_message_text("Việc 7: đã xong", chat_id=USER, message_id=message.message_id)
    await bot.edit_message_reply_markup(USER, message.message_id, reply_markup=keyboard)
    assert sent.buttons == [[{"text": "Xong", "callback_data": "done:7"}]]


async def test_commands_webhook_and_json_bodies(bot: Bot, server: SandboxServer) -> None:
    assert await bot.set_my_commands([("start", "Bắt đầu"), ("viec", "Việc của tôi")])
    assert [c.command for c in await bot.get_my_commands()] == ["start", "viec"]
    server.state.inject_text(USER, "/start")
    assert (await bot.get_webhook_info()).pending_update_count == 1
    assert await bot.delete_webhook(drop_pending_updates=True)
    assert server.state.pending_updates() == 0
    async with httpx.AsyncClient() as client:
        server.state.inject_text(USER, "hi")
        answer = await client.post(
            f"{server.bot_base_url}{TOKEN}/sendMessage",
            json={"chat_id": USER, "text": "json", "reply_markup": {"inline_keyboard": []}},
        )
        by_get = await client.get(f"{server.bot_base_url}{TOKEN}/getme")  # any case, GET too
        missing = await client.get(f"{server.file_base_url}{TOKEN}/documents/nope.txt")
    assert answer.status_code == 200
    assert answer.json()["result"]["text"] == "json"
    assert by_get.json()["result"]["username"] == "nhacviec_sandbox_bot"
    assert missing.status_code == 404


async def test_stop_ends_a_pending_long_poll(state: SandboxState) -> None:
    server = SandboxServer(state)
    await server.start()
    async with Bot(TOKEN, base_url=server.bot_base_url) as tg_bot:
        poll = asyncio.create_task(tg_bot.get_updates(timeout=30))
        assert await state.wait(lambda: state.polling > 0, 180)
        started = time.monotonic()
        await server.stop()
        assert await asyncio.wait_for(poll, 5) == ()
    assert time.monotonic() - started < 3
