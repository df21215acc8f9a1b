"""A handler process: runs the router for the bot process, away from its event loop.

Handling a message is Python work (SQLAlchemy, the reply grammar). Inside the bot process it
would share one GIL with python-telegram-bot's event loop, and every SQLite call and socket
write would hand the lock back and forth between them: `python -m bench replies` stored
replies twice as fast once the handlers moved out (docs/hot-path.md). The bot process keeps
all the network — Telegram, its rate limiter, file downloads — and passes each update here
over a pipe; here one message is handled at a time, in order.

The messages on the pipe are the frozen dataclasses below, pickled by `multiprocessing`:

    bot → worker   Handle(incoming, now)       a message to handle, stamped when it arrived
                   FileContent(data)           the file the handler asked for
                   FileUnavailable(reason)     why that file could not be had
    worker → bot   Ready()                     the database is reachable; requests may come
                   Answer(handled)             the answer to the oldest request not answered
                   Failure(error)              that request raised; nothing was committed
                   Fetch(file_id)              the handler needs a file the person sent

A worker answers its requests in the order it received them, so no request ids are needed.
A file is only sent after a `Fetch`, while the worker's handler waits for it; `Handle`
messages that arrive meanwhile are kept for later.
"""

from __future__ import annotations

import logging
import signal
from collections import deque
from dataclasses import dataclass
from datetime import datetime, time
from multiprocessing.connection import Connection

from handlers.context import Patience, Services
from handlers.messages import Incoming
from handlers.router import Handled, handle
from schedules.calendar import WorkingCalendar
from schedules.clock import SystemClock
from storage.engine import Database

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Handle:
    """Bot → worker: handle this message as of `now` (when the bot process received it)."""

    incoming: Incoming
    now: datetime


@dataclass(frozen=True, slots=True)
class FileContent:
    """Bot → worker: the bytes of the file the worker's handler is waiting for."""

    data: bytes


@dataclass(frozen=True, slots=True)
class FileUnavailable:
    """Bot → worker: the file could not be had (too big, gone, Telegram did not answer)."""

    reason: str


@dataclass(frozen=True, slots=True)
class Ready:
    """Worker → bot: the database answered; the worker takes requests."""


@dataclass(frozen=True, slots=True)
class Answer:
    """Worker → bot: the router's answer to the oldest request not answered yet."""

    handled: Handled


@dataclass(frozen=True, slots=True)
class Failure:
    """Worker → bot: the oldest request raised (the worker logged the traceback)."""

    error: str


@dataclass(frozen=True, slots=True)
class Fetch:
    """Worker → bot: the handler needs the file with this id; it waits for the answer."""

    file_id: str


ToWorker = Handle | FileContent | FileUnavailable
ToBot = Ready | Answer | Failure | Fetch


@dataclass(frozen=True, slots=True)
class WorkerConfig:
    """What a handler process needs: no token (it never calls the Bot API itself)."""

    database_url: str
    calendar: WorkingCalendar  # the settings' days off and quiet hours; its zone is the users'
    bot_username: str
    log_level: int
    turn_retry_seconds: float = 30.0  # the settings' bound: handlers.context.Patience
    deadline_time: time = time(17, 0)  # a deadline typed as a day only ends then


def serve(connection: Connection, config: WorkerConfig) -> None:
    """The process's main loop: handle requests until the bot process closes the pipe.

    Ctrl-C and SIGTERM reach the whole process group; the bot process decides when its
    workers stop (it closes their pipes once the updates in flight are answered), so a
    worker ignores both rather than dying in the middle of a transaction."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    logging.basicConfig(
        level=config.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    pipe = _Pipe(connection)
    db = Database.from_url(config.database_url)
    try:
        db.engine.connect().close()  # a wrong URL fails the start, not the first message
        services = Services(
            db=db,
            clock=SystemClock(),  # unused: every request carries its arrival time
            zone=config.calendar.tz,
            bot_username=config.bot_username,
            fetch_file=pipe.fetch,
            calendar=config.calendar,
            patience=Patience(seconds=config.turn_retry_seconds),
            deadline_time=config.deadline_time,
        )
        pipe.send(Ready())
        while (request := pipe.next_request()) is not None:
            try:
                handled = handle(services, request.incoming, now=request.now)
            except Exception as error:  # nothing could be stored: the bot dead-letters it
                log.exception("handling update %s failed", request.incoming.update_id)
                pipe.send(Failure(f"{type(error).__name__}: {error}"))
            else:
                pipe.send(Answer(handled))
    except BrokenPipeError:  # the bot process stopped first: nobody is left to answer
        log.info("the bot process closed the pipe; stopping")
    finally:
        db.dispose()


class _Pipe:
    """The worker's end: requests in order, and a blocking file fetch in the middle of one.

    While a handler waits for its file, the bot may already have sent the next requests;
    they are kept and handled after the current one."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._waiting: deque[Handle] = deque()

    def send(self, message: ToBot) -> None:
        self._connection.send(message)

    def _receive(self) -> ToWorker:
        message: ToWorker = self._connection.recv()
        return message

    def next_request(self) -> Handle | None:
        """The next message to handle; None once the bot process has closed the pipe."""
        if self._waiting:
            return self._waiting.popleft()
        try:
            message = self._receive()
        except EOFError:
            return None
        match message:
            case Handle():
                return message
            case _:
                raise RuntimeError(f"unexpected {type(message).__name__} from the bot process")

    def fetch(self, file_id: str) -> bytes:
        """A file's bytes, downloaded by the bot process; OSError when it could not be had."""
        self.send(Fetch(file_id))
        while True:
            try:
                message = self._receive()
            except EOFError as error:
                raise OSError("the bot process stopped") from error
            match message:
                case Handle():
                    self._waiting.append(message)
                case FileContent(data=data):
                    return data
                case FileUnavailable(reason=reason):
                    raise OSError(reason)
