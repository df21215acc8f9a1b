"""The baseline: a bare python-telegram-bot echo bot, updates answered per second, against
the sandbox with its rate limits lifted (we measure the bot, not Telegram's quota)."""

from __future__ import annotations

import asyncio
import time

from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters

from bench.results import Result, at_least
from bench.sandbox_process import sandbox_process
from bot.sandbox import SandboxControl

USERS = 2000
UNLIMITED = {"overall_per_second": 1e9, "per_chat_per_second": 1e9, "per_chat_burst": 1e9}


async def _echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer with the same text."""
    assert update.message is not None
    await update.message.reply_text(update.message.text or "")


async def echo_rate(url: str, control: SandboxControl, users: int = USERS) -> float:
    """Updates per second for a default PTB application that echoes each text."""
    for user in range(1, users + 1):
        await control.inject_text(10_000 + user, f"tin nhắn {user}")
    application = (
        ApplicationBuilder().token("1:ECHO").base_url(f"{url}/bot").base_file_url(f"{url}/file/bot")
    ).build()
    application.add_handler(MessageHandler(filters.TEXT, _echo))
    start_sent = (await control.stats()).delivered
    async with application:
        started = time.perf_counter()
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0.0)
        while (await control.stats()).delivered - start_sent < users:  # noqa: ASYNC110
            await asyncio.sleep(0.05)  # the sandbox is another process: ask it again
        elapsed = time.perf_counter() - started
        await application.updater.stop()
        await application.stop()
    return users / elapsed


async def _run() -> list[Result]:
    async with sandbox_process(**UNLIMITED) as (url, control):
        rate = await echo_rate(url, control)
    return [at_least("echo", rate, "updates/s", 50)]


def run() -> list[Result]:
    return asyncio.run(_run())
