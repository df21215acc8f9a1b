"""The bot process's side of its handler processes (`bot.handler_process`): start them, give
each update to the least busy one, read their answers on the event loop, replace one that
dies.

The pipes are read with `loop.add_reader`, so the bot process gains no thread of its own
(a thread would compete with the event loop for the GIL, which is what the processes are
there to avoid). Messages are small — an update, its answers — and are written on the loop,
except a file a handler asked for (up to 20 MB), which its worker is waiting to read: that
one write goes to a short-lived thread (`asyncio.to_thread`), so the loop goes on polling
and sending meanwhile. A thread rather than `loop.add_writer`: the pipe is one duplex socket
that `Connection.recv` reads in blocking mode, so making it non-blocking for the write would
break the reads, and a second pipe per worker only for files would be more code for a rare
message (an officer's directive). The thread writes through a duplicate of the pipe's file
descriptor, so closing the pipe meanwhile (the worker lost, the bot stopping) cannot hand the
thread a descriptor number that has since been reused; `Handle` messages for that worker
wait until the file is written, so nothing interleaves on the pipe.

A broken pipe, read or written (EOF, `BrokenPipeError`, any `OSError`), means the worker is
lost: the messages in flight to it fail with `WorkerLost`, and `HandlerWorkers.handle` gives
each to another worker, started in the lost one's place.

Why not `concurrent.futures.ProcessPoolExecutor` (an initializer opening the database once
per process, the executor rebuilt on `BrokenProcessPool`)? Measured on 28/11/2026 with
`python -m bench replies`, the two run alternately on a shared, busy 2-core machine (load
2.5-5.7, so single runs vary by half): on SQLite these workers stored 209-489 replies/s
(median 350, ratio to echo 0.33-0.73, median 0.52) over 6 runs, the executor 204-420
(median 305, ratio 0.40-0.71, median 0.48) over 7; on PostgreSQL (2 processes, one run
each) 182-228 against 178-274. Equal speed, within the noise. The executor is not simpler
where it matters: a handler asks for its file in the middle of a turn, which needs a
`multiprocessing.Manager` queue (another process) or every attachment downloaded before
handing over, stickers and ignored documents included; one lost process breaks the whole
pool and every message in flight on every process; and its queue feeder and manager
threads run in the bot process, beside the event loop. So these workers stay.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Awaitable, Callable
from datetime import datetime
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerContext, SpawnContext
from multiprocessing.process import BaseProcess

from bot.handler_process import (
    Answer,
    Failure,
    Fetch,
    FileContent,
    FileUnavailable,
    Handle,
    Ready,
    ToBot,
    ToWorker,
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
        self._writing_file = False
        self._held: deque[ToWorker] = deque()  # written once the file is

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
        self._send(Handle(incoming, now))
        return await answer

    def _send(self, message: ToWorker) -> None:
        """Write a small message on the loop, or hold it while a file is being written."""
        if self._connection is None:
            return
        if self._writing_file:
            self._held.append(message)
            return
        try:
            self._connection.send(message)
        except OSError:  # it died before the reader noticed
            self._lost()

    def _on_readable(self) -> None:
        connection = self._connection
        if connection is None:
            return
        try:
            while connection.poll():
                self._on_message(connection.recv())
        except (EOFError, OSError):
            self._lost()

    def _on_message(self, message: ToBot) -> None:
        match message:
            case Ready():
                if self._ready is not None and not self._ready.done():
                    self._ready.set_result(None)
            case Answer(handled=handled):
                _settle(self._in_flight.popleft(), result=handled)
            case Failure(error=error):
                _settle(self._in_flight.popleft(), error=HandlerFailed(error))
            case Fetch(file_id=file_id):
                task = asyncio.get_running_loop().create_task(self._send_file(file_id))
                self._downloads.add(task)
                task.add_done_callback(self._downloads.discard)

    async def _send_file(self, file_id: str) -> None:
        """Download the file and write it to the worker from a thread (module docstring)."""
        message: FileContent | FileUnavailable
        try:
            message = FileContent(await self._fetch_file(file_id))
        except OSError as error:
            message = FileUnavailable(str(error))
        except Exception as error:  # the worker waits for an answer: it must get one
            log.exception("fetching file %s for %s failed", file_id, self.name)
            message = FileUnavailable(type(error).__name__)
        if self._connection is None:
            return  # lost or stopped meanwhile: its messages went to another worker
        copy = Connection(os.dup(self._connection.fileno()))
        self._writing_file = True
        try:
            await asyncio.to_thread(_send_and_close, copy, message)
        except OSError:
            self._lost()
            return
        finally:
            self._writing_file = False
        while self._held and self._connection is not None:
            self._send(self._held.popleft())

    def _lost(self) -> None:
        """The process is gone: whatever was in flight fails, and the pipe is closed. The
        reader and a file write may both notice; the first one does this."""
        if self._connection is None:
            return
        log.error("%s exited with %d message(s) in flight", self.name, len(self._in_flight))
        self._close_pipe()
        self._held.clear()
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
        self._held.clear()
        for task in list(self._downloads):
            task.cancel()
        await asyncio.gather(*self._downloads, return_exceptions=True)
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


def _send_and_close(connection: Connection, message: ToWorker) -> None:
    """Runs in a thread: one large write, then the duplicate descriptor is closed."""
    try:
        connection.send(message)
    finally:
        connection.close()


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
