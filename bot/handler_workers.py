"""The bot process's side of its handler processes (`bot.handler_process`): start them, give
each update to the least busy one, read their answers on the event loop, replace one that
dies.

The pipes are read with `loop.add_reader`, so the bot process gains no thread of its own
(a thread would compete with the event loop for the GIL, which is what the processes are
there to avoid). Messages are small — an update, its answers — except a file a handler
asked for, which its worker is waiting to read.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
from collections import deque
from collections.abc import Awaitable, Callable
from datetime import datetime
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerContext, SpawnContext
from multiprocessing.process import BaseProcess
from typing import Any

from bot.handler_process import (
    FAILED,
    FETCH,
    FILE,
    HANDLE,
    HANDLED,
    READY,
    WorkerConfig,
    serve,
)
from handlers.messages import Incoming
from handlers.router import Handled

log = logging.getLogger(__name__)

FetchFile = Callable[[str], Awaitable[bytes]]
START_SECONDS = 60.0  # the first start also starts the fork server, which imports the handlers
STOP_SECONDS = 30.0


class HandlerFailed(RuntimeError):
    """A handler process raised while handling a message (the worker logged the traceback)."""


class WorkerLost(RuntimeError):
    """A handler process exited while messages were in flight to it."""


def _context() -> ForkServerContext | SpawnContext:
    """Workers fork from a server that imported the handlers once, so starting one takes
    milliseconds, and they inherit none of the bot process's threads or connections (where
    there is no fork server, each worker starts a fresh interpreter)."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["bot.handler_process"])
    return context


class _Worker:
    """One handler process and its pipe; requests are answered in the order they were sent."""

    def __init__(self, config: WorkerConfig, fetch_file: FetchFile, number: int) -> None:
        self._config = config
        self._fetch_file = fetch_file
        self.name = f"handler-{number}"
        self._connection: Connection | None = None
        self._process: BaseProcess | None = None
        self._ready: asyncio.Future[None] | None = None
        self._in_flight: deque[asyncio.Future[Handled]] = deque()
        self._downloads: set[asyncio.Task[None]] = set()

    @property
    def load(self) -> int:
        return len(self._in_flight)

    @property
    def alive(self) -> bool:
        """False once its pipe is closed: the process exited, or is being stopped."""
        return self._connection is not None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        ours, theirs = multiprocessing.Pipe()
        process = _context().Process(
            target=serve, args=(theirs, self._config), name=self.name, daemon=True
        )
        await asyncio.to_thread(process.start)  # talks to the fork server: not on the loop
        theirs.close()
        self._process, self._connection = process, ours
        self._ready = loop.create_future()
        loop.add_reader(ours.fileno(), self._on_readable)
        try:
            await asyncio.wait_for(asyncio.shield(self._ready), START_SECONDS)
        except BaseException:
            await self.stop()
            raise
        log.info("%s started (pid %s)", self.name, process.pid)

    async def call(self, incoming: Incoming, now: datetime) -> Handled:
        if self._connection is None:
            raise WorkerLost(f"{self.name} is not running")
        answer: asyncio.Future[Handled] = asyncio.get_running_loop().create_future()
        self._in_flight.append(answer)
        try:
            self._connection.send((HANDLE, incoming, now))
        except OSError:  # it died before the reader noticed
            self._lost()
        return await answer

    def _on_readable(self) -> None:
        connection = self._connection
        if connection is None:
            return
        try:
            while connection.poll():
                self._on_message(connection.recv())
        except (EOFError, OSError):
            self._lost()

    def _on_message(self, message: tuple[Any, ...]) -> None:
        kind = message[0]
        if kind == READY and self._ready is not None and not self._ready.done():
            self._ready.set_result(None)
        elif kind == HANDLED:
            _settle(self._in_flight.popleft(), result=message[1])
        elif kind == FAILED:
            _settle(self._in_flight.popleft(), error=HandlerFailed(message[1]))
        elif kind == FETCH:
            task = asyncio.get_running_loop().create_task(self._send_file(message[1]))
            self._downloads.add(task)
            task.add_done_callback(self._downloads.discard)

    async def _send_file(self, file_id: str) -> None:
        try:
            payload: bytes | str = await self._fetch_file(file_id)
        except OSError as error:
            payload = str(error)
        if self._connection is not None:
            self._connection.send((FILE, payload))

    def _lost(self) -> None:
        """The process is gone: whatever was in flight fails, and the pipe is closed."""
        log.error("%s exited with %d message(s) in flight", self.name, len(self._in_flight))
        self._close_pipe()
        error = WorkerLost(f"{self.name} exited")
        if self._ready is not None and not self._ready.done():
            self._ready.set_exception(error)
        while self._in_flight:
            _settle(self._in_flight.popleft(), error=error)

    def _close_pipe(self) -> None:
        if self._connection is not None:
            asyncio.get_running_loop().remove_reader(self._connection.fileno())
            self._connection.close()
            self._connection = None

    async def stop(self) -> None:
        """Close the pipe (the worker finishes the message it is on, then exits) and reap it."""
        self._close_pipe()
        for task in list(self._downloads):
            task.cancel()
        while self._in_flight:
            _settle(self._in_flight.popleft(), error=WorkerLost(f"{self.name} stopped"))
        process = self._process
        if process is None:
            return
        await asyncio.to_thread(process.join, STOP_SECONDS)
        if process.is_alive():
            log.warning("%s did not stop; terminating it", self.name)
            process.kill()
            await asyncio.to_thread(process.join)
        process.close()
        self._process = None


def _settle(
    future: asyncio.Future[Handled],
    *,
    result: Handled | None = None,
    error: BaseException | None = None,
) -> None:
    if future.done():  # the caller gave up waiting (cancelled)
        return
    if error is not None:
        future.set_exception(error)
    else:
        assert result is not None
        future.set_result(result)


class HandlerWorkers:
    """`count` handler processes. A message in flight when its worker dies is handled again
    by another: the inbound table makes that safe (an update already committed is recognised
    and not answered twice)."""

    def __init__(self, config: WorkerConfig, count: int, fetch_file: FetchFile) -> None:
        self._config = config
        self._count = count
        self._fetch_file = fetch_file
        self._workers: list[_Worker] = []
        self._started = 0
        self._replacing = asyncio.Lock()

    @property
    def pids(self) -> list[int]:
        """The processes' ids, for whoever watches the bot (and the tests that kill one)."""
        return [pid for worker in self._workers if (pid := worker.pid) is not None]

    @property
    def in_flight(self) -> int:
        """Messages handed to a worker and not answered yet."""
        return sum(worker.load for worker in self._workers)

    async def start(self) -> None:
        """Start every worker; when one cannot start, stop those that did and re-raise."""
        try:
            for _ in range(self._count):
                self._workers.append(await self._new_worker())
        except BaseException:
            await self.stop()
            raise

    async def _new_worker(self) -> _Worker:
        self._started += 1
        worker = _Worker(self._config, self._fetch_file, self._started)
        await worker.start()
        return worker

    async def handle(self, incoming: Incoming, now: datetime) -> Handled:
        """The router's answer for one message, from the least busy worker. When the worker
        dies first, another one takes the message; all of them dying at once (the machine
        out of memory, say) costs one attempt each, and a new worker gets the last one."""
        attempts = self._count + 1
        for attempt in range(1, attempts + 1):
            worker = await self._least_busy()
            try:
                return await worker.call(incoming, now)
            except WorkerLost:
                if attempt == attempts or not self._workers:  # or the bot is stopping
                    raise
        raise AssertionError("unreachable")

    async def _least_busy(self) -> _Worker:
        """A running worker; the dead ones are replaced first."""
        if not self._workers:
            raise WorkerLost("the handler processes are stopped")
        if not all(worker.alive for worker in self._workers):
            async with self._replacing:  # one replacement, whoever notices first
                for dead in [worker for worker in self._workers if not worker.alive]:
                    self._workers.remove(dead)
                    await dead.stop()
                    self._workers.append(await self._new_worker())
        return min(self._workers, key=lambda worker: worker.load)

    async def stop(self) -> None:
        workers, self._workers = self._workers, []
        await asyncio.gather(*(worker.stop() for worker in workers))
