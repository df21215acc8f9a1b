"""A bot that cannot start leaves nothing running, and an update whose handling fails gets
the person an apology rather than silence."""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError
from telegram.error import NetworkError, TelegramError

from bot.handler_workers import HandlerWorkers, WorkerLost
from bot.inbound_spool import DEAD_LETTER
from bot.runtime import BotRuntime
from bot.sandbox import Fault, SandboxServer
from bot.settings import Settings
from handlers.messages import Incoming
from handlers.router import Handled
from handlers.texts import INTERNAL_ERROR
from storage.engine import Database
from tests.conftest import TEST_TOKEN, bot_settings
from tests.factories import Person

pytestmark = pytest.mark.e2e


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


class Watch:
    """What the failed start had started: the handler processes' ids, the engines disposed."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.pids: list[int] = []
        self.opened: list[Database] = []
        self.disposed: list[Database] = []
        start, from_url, dispose = HandlerWorkers.start, Database.from_url, Database.dispose

        async def record_start(workers: HandlerWorkers) -> None:
            await start(workers)
            self.pids.extend(workers.pids)

        def record_open(url: str) -> Database:
            db = from_url(url)
            self.opened.append(db)
            return db

        def record_dispose(db: Database) -> None:
            self.disposed.append(db)
            dispose(db)

        monkeypatch.setattr(HandlerWorkers, "start", record_start)
        monkeypatch.setattr(Database, "from_url", staticmethod(record_open))
        monkeypatch.setattr(Database, "dispose", record_dispose)


def nobody_listens() -> str:
    """The URL of a local port that was free a moment ago: connections to it are refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


async def test_a_start_against_an_unreachable_bot_api_leaves_nothing_running(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    watch = Watch(monkeypatch)
    settings = Settings(
        _env_file=None,
        database_url=database_url,
        telegram_token=TEST_TOKEN,
        telegram_api_url=nobody_listens(),
    )
    runtime = BotRuntime(settings, dispatch_interval=None)

    with pytest.raises(NetworkError):
        await runtime.start()

    assert watch.opened and watch.disposed == watch.opened
    assert runtime.application is None and runtime.db is None
    await runtime.stop()  # stopping a bot that never started is harmless


async def test_a_start_that_fails_after_the_workers_started_stops_them(
    database_url: str, sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    watch = Watch(monkeypatch)
    sandbox.state.add_fault(Fault(status=401, method="setMyCommands", count=1))
    runtime = BotRuntime(bot_settings(database_url, sandbox), dispatch_interval=None)

    with pytest.raises(TelegramError):
        await runtime.start()

    assert watch.pids, "the workers had started"
    assert [pid for pid in watch.pids if alive(pid)] == []
    assert runtime.handler_pids == []
    assert watch.opened and watch.disposed == watch.opened
    assert runtime.application is None


async def test_a_database_that_cannot_be_opened_fails_the_start_cleanly(
    tmp_path: Path, sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    watch = Watch(monkeypatch)
    url = f"sqlite:///{tmp_path / 'missing' / 'folder' / 'bot.db'}"
    runtime = BotRuntime(bot_settings(url, sandbox), dispatch_interval=None)

    with pytest.raises(OperationalError):
        await runtime.start()

    assert watch.pids == []
    assert watch.opened and watch.disposed == watch.opened
    assert runtime.db is None


def failing(error: Exception) -> Callable[..., object]:
    async def handle(workers: HandlerWorkers, incoming: Incoming, now: object) -> Handled:
        raise error

    return handle


async def test_a_failure_that_escapes_the_handlers_gets_the_person_an_apology(
    bot: BotRuntime,
    sandbox: SandboxServer,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    stranger = Person(sandbox, 600, "Người Lạ")
    monkeypatch.setattr(HandlerWorkers, "handle", failing(WorkerLost("handler-1 exited")))

    with caplog.at_level(logging.ERROR):
        answer = await stranger.say("/trogiup")

    assert answer.text == INTERNAL_ERROR
    failures = [record for record in caplog.records if record.name == "bot.turns"]
    assert len(failures) == 1
    assert "WorkerLost" in failures[0].getMessage()
    # Nothing could store it: the message waits for an operator in the spool's dead letters.
    assert bot.spool is not None
    dead = bot.spool.directory / DEAD_LETTER
    assert await sandbox.state.wait(dead.exists, 180)  # written once the apology went out
    assert "/trogiup" in dead.read_text()
    assert not any("No error handlers" in record.getMessage() for record in caplog.records)
    assert TEST_TOKEN not in caplog.text

    monkeypatch.undo()  # the next message is handled again
    assert "/start" in ((await stranger.say("/trogiup")).text or "")
