"""The real python-telegram-bot Application, polling the sandbox as the bot will."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, CommandHandler, ContextTypes

from bot.sandbox import SandboxServer, SandboxState, serve_forever

from .conftest import TOKEN

USER = 42


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Xong", callback_data="done")]])
    await update.effective_message.reply_text(f"Chào {context.args}", reply_markup=keyboard)


async def done(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer("Đã ghi nhận")
    await query.edit_message_text("Đã xong")


async def test_application_polls_answers_and_edits(
    server: SandboxServer, state: SandboxState
) -> None:
    app = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(server.bot_base_url)
        .base_file_url(server.file_base_url)
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(done))
    async with app:
        assert app.updater is not None
        await app.start()
        await app.updater.start_polling(poll_interval=0, timeout=10)
        state.inject_text(USER, "/start ma_moi")
        (greeting,) = await state.wait_for_sent(USER, 1, timeout=180)
        assert greeting.text == "Chào ['ma_moi']"
        assert greeting.buttons == [[{"text": "Xong", "callback_data": "done"}]]

        state.inject_button(USER, greeting.message_id, "done")
        assert await state.wait(lambda: greeting.text == "Đã xong", 180)
        assert greeting.edits == ["Chào ['ma_moi']"]
        assert [a.text for a in state.callback_answers] == ["Đã ghi nhận"]
        await state.wait_until_idle(timeout=180)
        await app.updater.stop()
        await app.stop()


async def test_serve_forever_prints_its_address(capsys: pytest.CaptureFixture[str]) -> None:
    task: asyncio.Task[Any] = asyncio.create_task(serve_forever("127.0.0.1", 0))
    for _ in range(1000):  # yields to the loop, no timed sleep
        if "listening on http://127.0.0.1:" in capsys.readouterr().out:
            break
        await asyncio.sleep(0)
    else:
        pytest.fail("serve_forever printed no address")
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
