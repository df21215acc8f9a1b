"""The handler processes: a message reaches the database and its answer the chat even when
the process handling it dies (even while the bot writes it a file), and a worker that cannot
reach the database stops the start."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.cli import main
from bot.handler_process import WorkerConfig
from bot.handler_workers import HandlerWorkers, WorkerLost
from bot.runtime import BotRuntime
from bot.sandbox import SandboxServer
from handlers.intake import DOWNLOAD_FAILED
from schedules.calendar import WorkingCalendar
from schedules.clock import ManualClock
from storage.engine import Database
from storage.models import InboundMessage
from tests.conftest import bot_settings
from tests.e2e.test_intake import SEED_490, registered_officer
from tests.factories import INTAKE_ROSTER, Person, write_roster
from tests.schedules.directive_files import docx_bytes, seed_text

pytestmark = pytest.mark.e2e


def inbound_count(db: Database) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(InboundMessage)) or 0)


async def test_a_dead_worker_is_replaced_before_the_next_message(
    bot: BotRuntime, sandbox: SandboxServer
) -> None:
    stranger = Person(sandbox, 500, "Người Lạ")
    assert "/start" in ((await stranger.say("/trogiup")).text or "")
    dead = bot.handler_pids
    for pid in dead:
        os.kill(pid, signal.SIGKILL)

    answer = await stranger.say("/trogiup")

    assert "/start" in (answer.text or "")
    assert len(bot.handler_pids) == len(dead)
    assert not set(bot.handler_pids) & set(dead)


async def test_a_message_in_flight_when_its_worker_dies_is_handled_once(
    bot: BotRuntime, sandbox: SandboxServer, db: Database
) -> None:
    stranger = Person(sandbox, 501, "Người Lạ")
    workers = bot.handler_pids
    for pid in workers:
        os.kill(pid, signal.SIGSTOP)  # the message will wait in a pipe
    before = len(stranger.inbox())
    sandbox.state.inject_text(stranger.user_id, "/trogiup", first_name=stranger.name)
    async with asyncio.timeout(180):  # bounds a failure only
        while bot.in_flight == 0:  # noqa: ASYNC110
            await asyncio.sleep(0.01)  # until the bot has handed the message over
    for pid in workers:
        os.kill(pid, signal.SIGKILL)

    answer = await stranger.next_message(before)

    assert "/start" in (answer.text or "")
    assert inbound_count(db) == 1
    assert len(stranger.inbox()) == before + 1


async def test_a_worker_that_cannot_open_the_database_fails_the_start(tmp_path: Path) -> None:
    async def no_files(file_id: str) -> bytes:
        raise OSError(file_id)

    workers = HandlerWorkers(
        WorkerConfig(
            database_url=f"sqlite:///{tmp_path / 'missing' / 'folder' / 'bot.db'}",
            calendar=WorkingCalendar(),
            bot_username="",
            log_level=50,
        ),
        count=1,
        fetch_file=no_files,
    )
    with pytest.raises(WorkerLost):
        await workers.start()
    assert workers.pids == []


@pytest.fixture
def roster(tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NHACVIEC_DATABASE_URL", database_url)
    path = write_roster(tmp_path / "roster.csv", INTAKE_ROSTER)
    assert main(["roster", "import", str(path)]) == 0


async def test_a_worker_lost_while_its_file_is_written_gets_the_file_to_another(
    roster: None,
    sandbox: SandboxServer,
    database_url: str,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The first download kills the workers and returns only once they are gone, so the
    file is written into a broken pipe: the message goes to a new worker, which asks again."""
    download = BotRuntime._download
    downloads: list[str] = []

    async def download_then_lose_the_workers(runtime: BotRuntime, file_id: str) -> bytes:
        data = await download(runtime, file_id)
        downloads.append(file_id)
        if len(downloads) == 1:
            lost = runtime.handler_pids
            for pid in lost:
                os.kill(pid, signal.SIGKILL)
            deadline = time.monotonic() + 120  # bounds a failure only
            while any(map(alive, lost)) and time.monotonic() < deadline:
                time.sleep(0.01)  # noqa: ASYNC251 -- blocks the loop: its pipe reader must not see EOF first
        return data

    monkeypatch.setattr(BotRuntime, "_download", download_then_lose_the_workers)
    runtime = BotRuntime(bot_settings(database_url, sandbox), clock=clock, dispatch_interval=None)
    async with runtime:
        officer = await registered_officer(sandbox)
        first = runtime.handler_pids

        reading = await officer.send_file("490-LDLD.docx", docx_bytes(seed_text(SEED_490)))

        assert (reading.text or "").startswith("📄 CV 490/LĐLĐ, ngày 20/07/2020")
        assert len(downloads) == 2
        assert not set(runtime.handler_pids) & set(first)
        assert len(officer.inbox()) == 3  # the greeting, the standing, one reading


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


async def test_a_download_that_fails_unexpectedly_still_answers_the_officer(
    roster: None,
    sandbox: SandboxServer,
    database_url: str,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The handler waits for its file; an error that is not an OSError must not leave it
    waiting for ever (and every later message behind it)."""

    async def broken_download(runtime: BotRuntime, file_id: str) -> bytes:
        raise ValueError("something unexpected")

    monkeypatch.setattr(BotRuntime, "_download", broken_download)
    runtime = BotRuntime(bot_settings(database_url, sandbox), clock=clock, dispatch_interval=None)
    async with runtime:
        officer = await registered_officer(sandbox)

        answer = await officer.send_file("490-LDLD.docx", docx_bytes(seed_text(SEED_490)))

        assert answer.text == DOWNLOAD_FAILED
        assert "/giaoviec" in ((await officer.say("/trogiup")).text or "")
