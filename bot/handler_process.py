"""A handler process: runs the router for the bot process, away from its event loop.

Handling a message is Python work (SQLAlchemy, the reply grammar). Inside the bot process it
would share one GIL with python-telegram-bot's event loop, and every SQLite call and socket
write would hand the lock back and forth between them: `python -m bench replies` stored
replies twice as fast once the handlers moved out (docs/hot-path.md). The bot process keeps
all the network — Telegram, its rate limiter, file downloads — and passes each update here
over a pipe; here one message is handled at a time, in order.

The messages on the pipe are tuples, pickled by `multiprocessing`:

    bot → worker   (HANDLE, incoming, now)     a message to handle, stamped when it arrived
                   (FILE, bytes | str)         the file asked for, or why it could not be had
    worker → bot   (READY,)                    the database is reachable; requests may come
                   (HANDLED, handled)          the answer to the oldest request not answered
                   (FAILED, text)              that request raised; nothing was committed
                   (FETCH, file_id)            the handler needs a file the person sent

A worker answers its requests in the order it received them, so no request ids are needed.
"""

from __future__ import annotations

import logging
import signal
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from multiprocessing.connection import Connection
from typing import Any

from handlers.context import Services
from handlers.messages import Incoming
from handlers.router import handle
from schedules.calendar import WorkingCalendar
from schedules.clock import SystemClock
from storage.engine import Database

log = logging.getLogger(__name__)

# The kinds of message on the pipe (the module's docstring).
HANDLE = "handle"
FILE = "file"
READY = "ready"
HANDLED = "handled"
FAILED = "failed"
FETCH = "fetch"


@dataclass(frozen=True, slots=True)
class WorkerConfig:
    """What a handler process needs: no token (it never calls the Bot API itself)."""

    database_url: str
    calendar: WorkingCalendar  # the settings' days off and quiet hours; its zone is the users'
    bot_username: str
    log_level: int


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
        )
        pipe.send(READY)
        while (request := pipe.next_request()) is not None:
            incoming, now = request
            try:
                handled = handle(services, incoming, now=now)
            except Exception as error:  # the database went away, say: the bot logs it too
                log.exception("handling update %s failed", incoming.update_id)
                pipe.send(FAILED, f"{type(error).__name__}: {error}")
            else:
                pipe.send(HANDLED, handled)
    finally:
        db.dispose()


class _Pipe:
    """The worker's end: requests in order, and a blocking file fetch in the middle of one.

    While a handler waits for its file, the bot may already have sent the next requests;
    they are kept and handled after the current one."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._waiting: deque[tuple[Incoming, datetime]] = deque()

    def send(self, kind: str, *payload: Any) -> None:
        self._connection.send((kind, *payload))

    def next_request(self) -> tuple[Incoming, datetime] | None:
        """The next message to handle; None once the bot process has closed the pipe."""
        if self._waiting:
            return self._waiting.popleft()
        try:
            message = self._connection.recv()
        except EOFError:
            return None
        if message[0] != HANDLE:
            raise RuntimeError(f"unexpected {message[0]!r} from the bot process")
        return message[1], message[2]

    def fetch(self, file_id: str) -> bytes:
        """A file's bytes, downloaded by the bot process; OSError when it could not be had."""
        self.send(FETCH, file_id)
        while True:
            try:
                message = self._connection.recv()
            except EOFError as error:
                raise OSError("the bot process stopped") from error
            if message[0] == HANDLE:
                self._waiting.append((message[1], message[2]))
                continue
            payload = message[1]
            if isinstance(payload, str):
                raise OSError(payload)
            return bytes(payload)
