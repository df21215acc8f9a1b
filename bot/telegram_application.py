"""The PTB application as the bot builds it, and how many handler processes feed it: the
figures behind both were measured with `python -m bench replies` (docs/hot-path.md). And
the outbox's own bot, on connections of its own (docs/reliability.md)."""

from __future__ import annotations

import logging
import os
from contextlib import AsyncExitStack
from datetime import timedelta

from sqlalchemy.engine import make_url
from telegram.ext import AIORateLimiter, ApplicationBuilder, BaseRateLimiter, ExtBot
from telegram.request import HTTPXRequest

from bot.inbound_spool import InboundSpool
from bot.settings import Settings
from bot.telegram_adapter import TelegramApplication, apologise
from bot.telegram_spool import SpoolingQueue, SpoolSyncingRequest
from schedules.clock import Clock
from schedules.dispatcher import request_timeout, send_timeout

# Updates PTB runs at once, per handler process (see `build_application`).
UPDATES_PER_HANDLER_PROCESS = 16
# Connections for sending: Telegram takes about 30 messages a second, and at ~200 ms a
# request 8 connections carry 40. More would cost every request more: httpcore checks each
# pooled connection when it assigns one (bench/replies.py ran slower with 16).
SEND_CONNECTIONS = 8
# An answer waits this long for a free connection: longer than a hung request's read
# time-out (PTB's 5 s), so it takes the connection that time-out frees instead of failing.
ANSWER_POOL_TIMEOUT = 10.0
# The outbox's own connections, apart from the answers': a hung outbox request never holds a
# connection a person's answer needs. As few as the answers' (bench/broadcast.py: 32, one
# per send slot, sent 2,000 notices at 170 a second against 250 with 8); a send waits for
# one until its own time-out rather than failing, and a hung request frees its connection
# at the request time-out, half of that.
OUTBOX_CONNECTIONS = SEND_CONNECTIONS


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
        .pool_timeout(ANSWER_POOL_TIMEOUT)
        .build()
    )
    application.add_error_handler(apologise)
    return application


async def open_outbox_bot(
    settings: Settings, application: TelegramApplication, stack: AsyncExitStack
) -> ExtBot[int]:
    """The bot the outbox sends with: the application's token, server and rate limiter (one
    rate for answers and outbox), but a pool of its own and time-outs shorter than the
    lease. Closed when `stack` unwinds."""
    quiet_rate_limit_tracebacks()
    lease = timedelta(seconds=settings.outbox_lease_seconds)
    timeout = request_timeout(lease)
    api = settings.telegram_api_url
    bot: ExtBot[int] = ExtBot(
        settings.require_token(),
        base_url=f"{api}/bot",
        base_file_url=f"{api}/file/bot",
        request=HTTPXRequest(
            connection_pool_size=OUTBOX_CONNECTIONS,
            connect_timeout=timeout,
            read_timeout=timeout,
            write_timeout=timeout,
            media_write_timeout=timeout,
            pool_timeout=send_timeout(lease),
        ),
        rate_limiter=application.bot.rate_limiter,
    )
    await bot.initialize()
    stack.push_async_callback(bot.shutdown)
    return bot


class DropRateLimitTraceback(logging.Filter):
    """PTB's rate limiter logs a 429 it gives up on as an error with its traceback, then
    raises it to the caller, who logs it: the outbox in one line with the retry time
    (`schedules.dispatcher`), an answer in the error handler. The limiter's copy goes."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Rate limit hit after maximum")


def quiet_rate_limit_tracebacks() -> None:
    """Install the filter once on PTB's rate limiter logger."""
    limiter_log = logging.getLogger("telegram.ext.AIORateLimiter")
    if not any(isinstance(f, DropRateLimitTraceback) for f in limiter_log.filters):
        limiter_log.addFilter(DropRateLimitTraceback())
