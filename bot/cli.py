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
DEBUG_HELP = "on a failure, print the traceback too (secrets masked)"
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
    parser.add_argument("--debug", action="store_true", help=DEBUG_HELP)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(f"bot.commands.{name}").register(subparsers)
    _add_debug(subparsers)
    return parser


def _add_debug(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`--debug` after any sub-command too (`nhacviec run --debug`, `nhacviec db upgrade
    --debug`); SUPPRESS keeps a sub-command from resetting the flag given before it."""
    for sub in subparsers.choices.values():
        sub.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=DEBUG_HELP)
        for action in sub._actions:
            if isinstance(action, argparse._SubParsersAction):
                _add_debug(action)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    # Opt in to PTB's coming `RetryAfter.retry_after` as a timedelta (our code reads both).
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    args = build_parser().parse_args(argv)
    try:
        code: int = args.handler(args)
    except Exception as error:
        # One line naming the setting to check, never a secret (bot.startup_errors).
        from bot.startup_errors import report

        return report(error, command=args.command, debug=args.debug)
    return code


if __name__ == "__main__":
    sys.exit(main())
