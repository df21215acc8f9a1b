"""The PTB application as the bot builds it, and how many handler processes feed it: the
figures behind both were measured with `python -m bench replies` (docs/hot-path.md)."""

from __future__ import annotations

import os

from sqlalchemy.engine import make_url
from telegram.ext import AIORateLimiter, ApplicationBuilder, BaseRateLimiter

from bot.inbound_spool import InboundSpool
from bot.settings import Settings
from bot.telegram_adapter import TelegramApplication, apologise
from bot.telegram_spool import SpoolingQueue, SpoolSyncingRequest
from schedules.clock import Clock

# Updates PTB runs at once, per handler process (see `build_application`).
UPDATES_PER_HANDLER_PROCESS = 16
# Connections for sending: Telegram takes about 30 messages a second, and at ~200 ms a
# request 8 connections carry 40. More would cost every request more: httpcore checks each
# pooled connection when it assigns one (bench/replies.py ran slower with 16).
SEND_CONNECTIONS = 8


def handler_processes(settings: Settings) -> int:
    """Processes that run the router. SQLite takes one writer at a time (a second process
    would sleep in its busy handler), so it gets one; PostgreSQL gets one per core, up to 4,
    unless the settings name a number."""
    if make_url(settings.database_url).get_backend_name() == "sqlite":
        return 1
    return settings.handler_processes or min(4, os.cpu_count() or 1)


def build_application(
    settings: Settings,
    rate_limiter: BaseRateLimiter[int] | None = None,
    *,
    spool: InboundSpool | None = None,
    clock: Clock | None = None,
) -> TelegramApplication:
    """A PTB application aimed at the configured Bot API server, with its rate limiter (by
    default PTB's, counting in this process; on PostgreSQL the runtime passes one shared by
    every process, see `bot.shared_pace`), and its error handler from the start (a failure
    is never met with PTB's "No error handlers are registered").

    With a spool, every update is written to it before Telegram is told it arrived
    (`bot.telegram_spool`).

    Enough updates run at once to keep every handler process fed while the answers of the
    previous ones are sent (bench/replies.py: 8 to 32 per process ran alike, 64 slower).
    """
    concurrent = UPDATES_PER_HANDLER_PROCESS * handler_processes(settings)
    api = settings.telegram_api_url
    builder = ApplicationBuilder()
    if spool is not None and clock is not None:
        builder = builder.update_queue(SpoolingQueue(spool, clock)).get_updates_request(
            SpoolSyncingRequest(spool)
        )
    application: TelegramApplication = (
        builder.token(settings.require_token())
        .base_url(f"{api}/bot")
        .base_file_url(f"{api}/file/bot")
        .rate_limiter(
            rate_limiter or AIORateLimiter(overall_max_rate=settings.send_rate_per_second)
        )
        .concurrent_updates(concurrent)
        .connection_pool_size(SEND_CONNECTIONS)
        .build()
    )
    application.add_error_handler(apologise)
    return application
