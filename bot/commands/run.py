"""`nhacviec run`: the bot, long-polling Telegram and/or Zalo, until Ctrl-C or SIGTERM."""

from __future__ import annotations

import argparse
import signal
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.runtime import BotRuntime


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "run",
        help="run the bot (long polling)",
        description=(
            "Run the bot with long polling, on every channel whose token is set: Telegram "
            "(NHACVIEC_TELEGRAM_TOKEN; server NHACVIEC_TELEGRAM_API_URL) and Zalo "
            "(NHACVIEC_ZALO_TOKEN; server NHACVIEC_ZALO_API_URL, sending rate "
            "NHACVIEC_ZALO_SEND_RATE_PER_SECOND). At least one token is needed. The database "
            "is NHACVIEC_DATABASE_URL; the schema is upgraded on start."
        ),
    )
    parser.add_argument("--log-level", default="INFO", help="logging level (default INFO)")
    parser.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    # Imported here so that building the parser does not load python-telegram-bot.
    import asyncio

    from bot.commands.common import load_settings
    from bot.logging_setup import configure_logging
    from bot.runtime import BotRuntime
    from bot.settings import MissingTokenError

    settings = load_settings()
    if settings is None:
        return 2
    try:
        settings.require_channel()
    except MissingTokenError as error:
        print(f"nhacviec: {error}", file=sys.stderr)
        return 2
    configure_logging(args.log_level, secrets=settings.secrets())
    asyncio.run(_serve(BotRuntime(settings)))
    return 0


async def _serve(runtime: BotRuntime) -> None:
    import asyncio

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with runtime:
        print(f"nhacviec: polling; channels started: {', '.join(runtime.channels)}", flush=True)
        await stop.wait()
