"""`nhacviec run`: the bot on Telegram and/or Zalo until Ctrl-C or SIGTERM, long-polling
(development) or serving webhooks (`--webhook URL`, production; several processes may share
one address)."""

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
        help="run the bot (long polling, or webhooks with --webhook)",
        description=(
            "Run the bot on every channel whose token is set: Telegram "
            "(NHACVIEC_TELEGRAM_TOKEN; server NHACVIEC_TELEGRAM_API_URL) and Zalo "
            "(NHACVIEC_ZALO_TOKEN; server NHACVIEC_ZALO_API_URL, sending rate "
            "NHACVIEC_ZALO_SEND_RATE_PER_SECOND); at least one token is needed. The database "
            "is NHACVIEC_DATABASE_URL; the schema is upgraded on start. Without --webhook it "
            "long-polls (development, one process); with it, it serves the webhooks on "
            "NHACVIEC_WEBHOOK_LISTEN (default 127.0.0.1:8080, behind a TLS proxy) and "
            "registers them with the secret NHACVIEC_WEBHOOK_SECRET (32+ characters). "
            "The webhooks stay registered when it stops. Files for Zalo (a chart, a "
            "workbook) are served under URL/files/, or under NHACVIEC_PUBLIC_URL, which "
            "while polling makes it serve them on NHACVIEC_WEBHOOK_LISTEN; without either, "
            "a Zalo user is told the file cannot be sent from this server. See "
            "docs/deploy.md."
        ),
    )
    parser.add_argument(
        "--webhook",
        metavar="URL",
        default=None,
        help="public HTTPS base address (e.g. https://bot.example.vn): Telegram posts to "
        "URL/telegram, Zalo to URL/zalo; files are served under URL/files/",
    )
    parser.add_argument("--log-level", default="INFO", help="logging level (default INFO)")
    parser.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    # Imported here so that building the parser does not load python-telegram-bot.
    import asyncio

    from bot.commands.common import load_settings
    from bot.logging_setup import configure_logging
    from bot.runtime import BotRuntime
    from bot.settings import MissingTokenError, WebhookSettingsError

    settings = load_settings()
    if settings is None:
        return 2
    if args.webhook is not None:
        settings = settings.model_copy(update={"webhook_url": args.webhook.strip().rstrip("/")})
    try:
        settings.require_channel()
        if settings.webhook_url:
            if not settings.webhook_url.startswith(("https://", "http://")):
                raise WebhookSettingsError("--webhook needs an https:// address")
            settings.require_webhook_secret()
    except (MissingTokenError, WebhookSettingsError) as error:
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
        print(f"nhacviec: running, {runtime.mode}", flush=True)
        await stop.wait()
