"""`nhacviec sandbox`: the local Bot API server alone, to try the bot by hand."""

from __future__ import annotations

import argparse
import contextlib


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "sandbox",
        help="run the sandbox Bot API server (for trying the bot without Telegram)",
        description=(
            "Run the local sandbox that speaks the Telegram Bot API on 127.0.0.1. Point the "
            "bot at it with NHACVIEC_TELEGRAM_API_URL=http://127.0.0.1:PORT and any "
            "NHACVIEC_TELEGRAM_TOKEN; play users through the control routes under /_sandbox/ "
            "(see docs/sandbox.md). It also speaks the Zalo Bot API under /zalo "
            "(http://127.0.0.1:PORT/zalo/bot<TOKEN>/<method>, any token), with its own "
            "control routes under /_sandbox/zalo/."
        ),
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8081, help="port (default 8081)")
    parser.set_defaults(handler=_serve)


def _serve(args: argparse.Namespace) -> int:
    # Imported here so that building the parser does not load the sandbox's web server.
    import asyncio

    from bot.sandbox import serve_forever

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve_forever(args.host, args.port))
    return 0
