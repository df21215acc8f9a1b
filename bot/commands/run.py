"""`nhacviec run`: the bot, long-polling the Bot API, until Ctrl-C or SIGTERM."""

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
            "Run the bot with long polling. Needs NHACVIEC_TELEGRAM_TOKEN; the Bot API server "
            "is NHACVIEC_TELEGRAM_API_URL (official by default) and the database "
            "NHACVIEC_DATABASE_URL. The schema is upgraded on start."
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
        token = settings.require_token()
    except MissingTokenError as error:
        print(f"nhacviec: {error}", file=sys.stderr)
        return 2
    configure_logging(args.log_level, secrets=[token])
    asyncio.run(_serve(BotRuntime(settings)))
    return 0


async def _serve(runtime: BotRuntime) -> None:
    import asyncio

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with runtime:
        await stop.wait()
