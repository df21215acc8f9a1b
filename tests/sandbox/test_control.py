"""The control routes through SandboxControl, as a demo in another process would use them."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import Bot
from telegram.error import Forbidden, RetryAfter

from bot.sandbox import Fault, SandboxControl, SandboxControlError, SandboxServer

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

USER = 802


@pytest.fixture
async def control(server: SandboxServer) -> AsyncIterator[SandboxControl]:
    async with SandboxControl(server.url) as client:
        yield client


async def test_inject_and_read_back(control: SandboxControl, bot: Bot) -> None:
    await control.inject_text(USER, "/start", first_name="Hùng")
    await control.inject_contact(USER, "+84901234567")
    await control.inject_contact(USER, "+84901234568", contact_user_id=None)
    await control.inject_document(USER, "kh.txt", b"\x00\x01data", caption="KH")
    await control.inject_photo(USER, b"jpg")
    await control.inject_sticker(USER)
    assert await control.pending_updates() == 6
    start, own, anonymous, document, photo, sticker = await bot.get_updates()
    assert start.message is not None
    assert start.message.from_user is not None
    assert start.message.from_user.first_name == "Hùng"
    assert own.message is not None
    assert own.message.contact is not None
    assert own.message.contact.user_id == USER
    assert anonymous.message is not None
    assert anonymous.message.contact is not None
    assert anonymous.message.contact.user_id is None
    assert document.message is not None
    assert document.message.document is not None
    tg_file = await bot.get_file(document.message.document.file_id)
    assert bytes(await tg_file.download_as_bytearray()) == b"\x00\x01data"
    assert photo.message is not None
    assert photo.message.photo
    assert sticker.message is not None
    assert sticker.message.sticker is not None

    message = await bot.send_message(USER, "Chọn", reply_markup=None)
    await bot.send_document(USER, document=b"xlsx-bytes", filename="bc.xlsx")
    sent = await control.wait_for_sent(USER, 2, timeout=180)
    assert [m.method for m in sent] == ["sendMessage", "sendDocument"]
    assert sent[1].document == b"xlsx-bytes"
    assert sent[1].file_name == "bc.xlsx"
    assert [m.seq for m in await control.sent(after_seq=sent[0].seq)] == [sent[1].seq]

    await control.inject_button(USER, message.message_id, "x")
    (update,) = await bot.get_updates(offset=sticker.update_id + 1)
    assert update.callback_query is not None
    assert update.callback_query.data == "x"

    with pytest.raises(TimeoutError, match="got 2"):
        await control.wait_for_sent(USER, 3, timeout=0.1)


async def test_block_faults_limits_stats_reset(control: SandboxControl, bot: Bot) -> None:
    await control.inject_text(USER, "/start")
    await control.block(USER)
    with pytest.raises(Forbidden):
        await bot.send_message(USER, "a")
    await control.block(USER, blocked=False)

    await control.add_fault(Fault(status=429, retry_after=3))
    with pytest.raises(RetryAfter):
        await bot.send_message(USER, "b")
    await control.clear_faults()
    await bot.send_message(USER, "c")

    limits = await control.set_limits(per_chat_burst=1)
    assert limits.per_chat_burst == 1
    assert limits.max_text_length == 4096
    await bot.send_message(USER, "d")  # new limits start with full buckets
    with pytest.raises(RetryAfter):
        await bot.send_message(USER, "e")

    stats = await control.stats()
    assert stats.delivered == 2
    assert stats.throttled == 2
    assert stats.faults == 1
    assert stats.requests["sendMessage"] == 5
    assert stats.responses[403] == 1

    await control.reset()
    assert await control.sent() == []
    assert (await control.stats()).delivered == 0
    assert (await control.limits()).per_chat_burst == 50  # back to the limits it was built with

    with pytest.raises(SandboxControlError, match="unknown Fault fields"):
        await control._call("POST", "faults", body={"status": 500, "metod": "x"})
    with pytest.raises(SandboxControlError, match="unknown injection type"):
        await control._call("POST", "inject", body={"type": "voice", "user_id": 1})
