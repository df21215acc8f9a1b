"""`nhacviec demo`: the bot and its sandbox, playing the thin path; no token needed."""

from __future__ import annotations

import argparse
import logging


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="play the bot's main path against the local sandbox (no token needed)",
        description=(
            "Start the sandbox Bot API server and the bot on a temporary SQLite file, play a "
            "short story (an officer and two chairs register, a task is given, the reminder "
            "goes out when the clock reaches it, the chairs answer, the officer reads the "
            "summary) and print the conversation. Exits 0 when everything happened."
        ),
    )
    parser.add_argument("--verbose", action="store_true", help="also print the bot's log")
    parser.set_defaults(handler=_demo)


def _demo(args: argparse.Namespace) -> int:
    # Imported here so that building the parser does not load the bot and its sandbox.
    import asyncio

    from bot.demo import play
    from bot.logging_setup import configure_logging

    configure_logging("INFO" if args.verbose else "WARNING")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    asyncio.run(play())
    return 0
