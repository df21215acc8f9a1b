"""The handler processes: a message reaches the database and its answer the chat even when
the process handling it dies, and a worker that cannot reach the database stops the start."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.handler_process import WorkerConfig
from bot.handler_workers import HandlerWorkers, WorkerLost
from bot.runtime import BotRuntime
from bot.sandbox import SandboxServer
from schedules.calendar import WorkingCalendar
from storage.engine import Database
from storage.models import InboundMessage
from tests.factories import Person

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
