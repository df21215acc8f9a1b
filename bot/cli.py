"""The `nhacviec` command line: one sub-command per module in `bot.commands`."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

# Each module defines `register(subparsers)`, which adds its parser and sets `handler`
# to a function taking the parsed namespace and returning the exit code. The modules import
# their heavy dependencies inside those functions, so building the parser stays fast.
COMMAND_MODULES: tuple[str, ...] = (
    "run",
    "demo",
    "sandbox",
    "db",
    "roster",
    "invite",
    "invites",
    "read_reply",
    "parse",
    "summary",
)


def build_parser() -> argparse.ArgumentParser:
    """Build the full parser; this loads no command's dependencies until its handler runs."""
    parser = argparse.ArgumentParser(
        prog="nhacviec",
        description="Nhắc việc: reminders and progress replies for trade-union directives.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(f"bot.commands.{name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    # Opt in to PTB's coming `RetryAfter.retry_after` as a timedelta (our code reads both).
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    args = build_parser().parse_args(argv)
    code: int = args.handler(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
