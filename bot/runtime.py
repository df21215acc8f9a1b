"""The running bot: database, PTB application, router and outbox dispatcher, wired together.

Only this module builds things; `BotRuntime` is an async context manager, so the same
wiring serves `nhacviec run`, the demo and the end-to-end tests.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import Awaitable, Callable
from concurrent.futures import ProcessPoolExecutor
from contextlib import AsyncExitStack
from datetime import datetime, timedelta
from types import TracebackType

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import (
    ContextTypes,
    TypeHandler,
)

from bot.command_menu import telegram_menu
from bot.handler_process import WorkerConfig
from bot.handler_workers import HandlerWorkers
from bot.inbound_replay import Replayer
from bot.inbound_spool import InboundSpool
from bot.public_files import PublicFiles
from bot.settings import Settings
from bot.telegram_adapter import TelegramApplication, TelegramSender, UpdateRouter
from bot.telegram_application import build_application, handler_processes, open_outbox_bot
from bot.turns import Turns
from bot.webhook_mode import WebhookMode, ZaloWebhookPeer, shared_limiter
from bot.webhook_server import WebhookServer
from bot.weekly_process import WeeklyProcess
from bot.zalo_channel import ZaloChannel, open_zalo
from handlers.messages import Incoming
from handlers.router import Handled
from schedules.clock import Clock, SystemClock
from schedules.directive import MAX_FILE_BYTES, check_size
from schedules.dispatcher import Dispatcher, DispatchReport, Sender
from schedules.reminders import PlanResult, plan_reminders
from storage.engine import Database
from storage.migrate import upgrade

log = logging.getLogger(__name__)


# The timers' jobs return at once (a long pass runs beside them), but a busy event loop can
# finish one after the next is due: a few may overlap, harmlessly, instead of APScheduler
# warning "skipped: maximum number of running instances"; late runs are merged into one,
# whatever the lateness (no "missed by" warning either).
TIMER_JOB = {"max_instances": 4, "coalesce": True, "misfire_grace_time": None}
# A handler waits this long for a file the person sent (20 MB at most) before giving up.
FILE_DOWNLOAD_SECONDS = 120.0


class BotRuntime:
    """Everything a bot process runs. `dispatch_interval=None` turns the timer off (tests call
    `dispatch_now` after moving their clock)."""

    def __init__(
        self,
        settings: Settings,
        *,
        clock: Clock | None = None,
        dispatch_interval: float | None = -1.0,
        per_chat_interval: float = 1.0,
        worker: str | None = None,
        zalo: ZaloWebhookPeer | None = None,
        weekly_pool: Callable[[], ProcessPoolExecutor] | None = None,
    ) -> None:
        self.settings = settings
        self.zalo: ZaloChannel | None = None  # once started, when a Zalo token is set
        self._zalo_peer = zalo  # a stand-in for the Zalo channel in webhook mode (tests)
        self.clock = clock or SystemClock()
        self._interval = (
            settings.dispatch_interval_seconds if dispatch_interval == -1.0 else dispatch_interval
        )
        self._per_chat_interval = per_chat_interval
        self._worker = worker or f"{socket.gethostname()}:{os.getpid()}"
        self._background: set[asyncio.Task[DispatchReport]] = set()
        self._planning = False
        self.db: Database | None = None
        self.application: TelegramApplication | None = None
        self.dispatcher: Dispatcher | None = None
        self._handlers: HandlerWorkers | None = None
        # The weekly summary's renderer (`weekly_pool`: its process, for tests).
        self._weekly = WeeklyProcess(settings, self.clock, self.nudge, weekly_pool)
        self.channels: list[str] = []  # the channels started
        self._timers: list[asyncio.Task[None]] = []
        self._running: AsyncExitStack | None = None  # how to stop what `start` started
        self.webhook: WebhookServer | None = None  # in webhook mode, once started
        self.files: PublicFiles | None = None  # in webhook mode: files at public addresses
        self.mode = ""  # how it takes updates, once started (`nhacviec run` prints it)
        self.spool: InboundSpool | None = None  # once started: bot/inbound_spool.py
        self.replayer: Replayer | None = None

    async def __aenter__(self) -> BotRuntime:
        await self.start()
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    async def start(self) -> None:
        """Upgrade the schema, connect to the Bot API, start polling and the dispatch timer.

        Each part that starts registers how it stops; when a later part fails, those that
        started are stopped in reverse order and the error is raised (as PTB's own
        `Application.__aenter__` does), so a failed start leaves no process or engine behind.
        """
        async with AsyncExitStack() as stack:
            await self._start(stack)
            self._running = stack.pop_all()

    async def _start(self, stack: AsyncExitStack) -> None:
        channels = self.settings.require_channel()  # Telegram, Zalo or both: whose token is set
        self.db = db = Database.from_url(self.settings.database_url)
        stack.callback(self._dispose_database)
        await asyncio.to_thread(upgrade, db.engine)
        self.spool = spool = InboundSpool(self.settings.spool_dir)  # bot/inbound_spool.py
        left = await asyncio.to_thread(spool.open)  # what an earlier run did not finish
        stack.callback(spool.close)
        turns = Turns(self._handle, spool, self.clock)
        application = None
        if self.settings.telegram_enabled:
            self.application = application = build_application(
                self.settings, shared_limiter(self.settings, db), spool=spool, clock=self.clock
            )
            stack.push_async_callback(self._shut_down_application)
            await application.initialize()
        self._handlers = handlers = HandlerWorkers(
            WorkerConfig(
                database_url=self.settings.database_url,
                calendar=self.settings.calendar,
                bot_username=(application.bot.username if application else None)
                or self.settings.bot_username,
                log_level=logging.getLogger().getEffectiveLevel(),
                turn_retry_seconds=self.settings.turn_retry_seconds,
                deadline_time=self.settings.deadline_time,
            ),
            count=handler_processes(self.settings),
            fetch_file=self._download,
        )
        stack.push_async_callback(self._stop_handlers)
        await handlers.start()
        self._weekly.start()
        stack.push_async_callback(self._weekly.stop)
        senders: dict[str, Sender] = {}
        zalo_bot = None
        files = self._public_files(db)
        router = UpdateRouter(turns.run, self.nudge)
        if application is not None:
            application.add_handler(TypeHandler(Update, router))
            senders["telegram"] = TelegramSender(
                await open_outbox_bot(self.settings, application, stack)
            )
        if self.settings.zalo_enabled:
            self.zalo, senders["zalo"], zalo_bot = await open_zalo(
                token=self.settings.require_zalo_token(),
                api_url=self.settings.zalo_api_url,
                rate_per_second=self.settings.zalo_send_rate_per_second,
                run=turns.run,
                on_outbox_changed=self.nudge,
                db=db,
                clock=self.clock,
                stack=stack,
                files=files,
                spool=spool,
            )
            stack.callback(setattr, self, "zalo", None)
        self.dispatcher = Dispatcher(
            db=db,
            clock=self.clock,
            senders=senders,
            worker=self._worker,
            lease=timedelta(seconds=self.settings.outbox_lease_seconds),
            batch_size=self.settings.outbox_batch_size,
            max_attempts=self.settings.outbox_max_attempts,
            per_chat_interval=self._per_chat_interval,
            calendar=self.settings.calendar,
        )
        stack.push_async_callback(self._stop_timers)
        if application is not None:
            await application.bot.set_my_commands(telegram_menu())
            self._start_timers(application)
            await application.start()
            stack.push_async_callback(self._stop_application)
        else:
            self._start_timers(None)
        if self.zalo is not None:
            stack.push_async_callback(self.zalo.stop)
        telegram = (application, router) if application is not None else None
        self.replayer = Replayer(spool, telegram=telegram, zalo=self.zalo)
        self.replayer.replay(left)  # first, before the messages that come now
        self.replayer.start()
        stack.push_async_callback(self.replayer.stop)
        if self.settings.webhook_url:
            webhook = WebhookMode(
                self.settings,
                db,
                self.clock,
                application,
                self.zalo or self._zalo_peer,
                files=files,
                spool=spool,
            )
            await webhook.start(stack)
            stack.callback(self._forget_webhook)
            self.webhook, self.files = webhook.server, webhook.files
            if self.zalo is None and self._zalo_peer is not None:
                channels = [*channels, "zalo"]  # a stand-in channel, served by the webhook
            mode = f"webhook {self.settings.webhook_url}"
        else:
            if application is not None:
                assert application.updater is not None
                await application.updater.start_polling(poll_interval=0.0, timeout=10)
                stack.push_async_callback(application.updater.stop)
            if self.zalo is not None:
                self.zalo.start_polling()
            mode = "long polling"
            if files is not None:  # Zalo fetches the published files from this server
                webhook = WebhookMode(self.settings, db, self.clock, None, None, files=files)
                await webhook.serve_files(stack)
                stack.callback(self._forget_webhook)
                self.webhook, self.files = webhook.server, files
                mode += f", files at {self.settings.files_url}"
        if application is not None:
            log.info("Telegram bot @%s started", application.bot.username)
        if zalo_bot is not None:
            log.info("Zalo bot %s started", zalo_bot.account_name)
        self.channels = channels
        self.mode = f"{mode}; channels: {', '.join(channels)}"
        log.info("bot started in %s (worker %s)", self.mode, self._worker)

    def _start_timers(self, application: TelegramApplication | None) -> None:
        """The dispatch and planning timers: PTB's job queue when Telegram runs, else
        plain asyncio tasks (a Zalo-only bot has no PTB application)."""
        if self._interval is None:
            return
        timers = [(self._tick, self._interval, "outbox-dispatch")]
        if self.settings.plan_interval_seconds > 0:
            timers.append((self._plan_tick, self.settings.plan_interval_seconds, "reminder-plan"))
        for job, interval, name in timers:
            if application is not None and application.job_queue is not None:
                application.job_queue.run_repeating(
                    job, interval=interval, first=0.0, name=name, job_kwargs=TIMER_JOB
                )
            elif application is None:
                loop = asyncio.get_running_loop()
                self._timers.append(loop.create_task(_repeat(job, interval), name=name))

    async def _stop_timers(self) -> None:
        timers, self._timers = self._timers, []
        for timer in timers:
            timer.cancel()
        await asyncio.gather(*timers, return_exceptions=True)
        for task in list(self._background):
            await task

    def _public_files(self, db: Database) -> PublicFiles | None:
        """The files published for Zalo, when the bot has a public address to serve them."""
        if not self.settings.files_url:
            return None
        return PublicFiles(db, base_url=self.settings.files_url, clock=self.clock)

    def _forget_webhook(self) -> None:
        self.webhook = self.files = None

    async def stop(self) -> None:
        """Stop what `start` started, in reverse order; nothing when it is not running."""
        running, self._running = self._running, None
        if running is not None:
            await running.aclose()
            self.channels = []

    async def _stop_application(self) -> None:
        """Stop taking updates (PTB finishes those in hand), then let the dispatcher
        passes they started finish."""
        assert self.application is not None
        await self.application.stop()
        for task in list(self._background):
            await task

    async def _shut_down_application(self) -> None:
        """PTB's shutdown does nothing for an application whose `initialize` failed (the
        Bot API unreachable, say), though its bot's HTTP clients were opened: they are
        closed here too (a no-op when the application closed them)."""
        assert self.application is not None
        await self.application.shutdown()
        await self.application.bot.shutdown()
        self.application = None
        self.dispatcher = None

    async def _stop_handlers(self) -> None:
        assert self._handlers is not None
        await self._handlers.stop()
        self._handlers = None

    def _dispose_database(self) -> None:
        assert self.db is not None
        self.db.dispose()
        self.db = None

    @property
    def handler_pids(self) -> list[int]:
        """The handler processes' ids (empty while the bot is stopped)."""
        return self._handlers.pids if self._handlers is not None else []

    @property
    def in_flight(self) -> int:
        """Messages handed to the handler processes and not answered yet."""
        return self._handlers.in_flight if self._handlers is not None else 0

    async def plan_now(self) -> PlanResult:
        """Plan the reminders and escalations due at the clock's current time."""
        return await asyncio.to_thread(self._plan)

    def _plan(self) -> PlanResult:
        assert self.db is not None
        with self.db.session() as session:
            return plan_reminders(
                session,
                now=self.clock.now(),
                zone=self.settings.zone,
                calendar=self.settings.calendar,
            )

    async def summaries_rendered(self) -> None:
        """Wait for the `/tuantong` summaries asked for so far to reach the outbox."""
        await self._weekly.requested_rendered()

    async def plan_weekly_now(self) -> int:
        """Plan the weekly summaries due at the clock's current time, rendered in the weekly
        process (off the event loop and off this process's GIL); the rows inserted."""
        return await self._weekly.plan_weekly_now()

    async def dispatch_now(self) -> DispatchReport:
        """Send what is due at the clock's current time."""
        assert self.dispatcher is not None
        return await self.dispatcher.run_once()

    def nudge(self) -> None:
        """Something was planned for now: dispatch without waiting for the next tick (when
        the timer is off, whoever turned it off dispatches)."""
        if self._interval is None:
            return
        self._dispatch_beside()

    def _dispatch_beside(self) -> None:
        """A dispatcher pass as a task of its own, its failure logged (never "Task exception
        was never retrieved"); `stop` waits for it."""
        task = asyncio.get_running_loop().create_task(self._dispatch_logged())
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _dispatch_logged(self) -> DispatchReport:
        try:
            return await self.dispatch_now()
        except Exception:
            log.exception("outbox dispatch failed")
            return DispatchReport()

    async def _download(self, file_id: str) -> bytes:
        """A file a person sent, for a handler process that asked for it. Telegram errors and
        time-outs come out as OSError: the file could not be had."""
        if file_id.startswith(("https://", "http://")) and self.zalo is not None:
            return await self.zalo.download(file_id, MAX_FILE_BYTES)  # a Zalo image's address
        if self.application is None:  # stopped, or Zalo only
            raise OSError("no Telegram application to download the file with")
        try:
            async with asyncio.timeout(FILE_DOWNLOAD_SECONDS):
                file = await self.application.bot.get_file(file_id)
                check_size(file.file_size or 0)  # before downloading: the limit is 20 MB
                return bytes(await file.download_as_bytearray())
        except TimeoutError as error:
            raise OSError(f"file {file_id}: no answer in {FILE_DOWNLOAD_SECONDS:.0f} s") from error
        except TelegramError as error:
            raise OSError(f"file {file_id}: {type(error).__name__}") from error

    async def _handle(self, incoming: Incoming, arrived: datetime) -> Handled:
        assert self._handlers is not None
        handled = await self._handlers.handle(incoming, arrived)
        if handled.summary_requested:  # rendered in the weekly process, not in the turn
            self._weekly.summary_requested()
        return handled

    async def _plan_tick(self, context: ContextTypes.DEFAULT_TYPE | None = None) -> None:
        """The planner's job: the weekly summary's pass started beside it, one planning pass,
        then a dispatcher pass when it planned something; a failure is logged and the next
        tick retries."""
        self._weekly.start_weekly_pass()
        if self._planning:
            return
        self._planning = True
        try:
            planned = await self.plan_now()
        except Exception:
            log.exception("reminder planning failed")
            return
        finally:
            self._planning = False
        if planned:
            self.nudge()

    async def _tick(self, context: ContextTypes.DEFAULT_TYPE | None = None) -> None:
        """The timer's job: start a dispatcher pass beside it and return at once, so that a
        long pass (a slow platform, a large notice) never makes APScheduler skip the job and
        warn at every interval; while a pass runs the tick does nothing. A failure is logged
        and the next tick retries."""
        assert self.dispatcher is not None
        if not self.dispatcher.busy:
            self._dispatch_beside()


async def _repeat(job: Callable[[], Awaitable[None]], interval: float) -> None:
    """Run `job` now and every `interval` seconds, until cancelled (as PTB's job queue
    does for the Telegram bot)."""
    while True:
        await job()
        await asyncio.sleep(interval)
