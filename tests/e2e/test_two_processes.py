"""Two bot processes on one PostgreSQL database: every due row is sent once, whichever
process claims it (FOR UPDATE SKIP LOCKED). SQLite runs one process at a time."""

from __future__ import annotations

import asyncio
import signal
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.sandbox import SandboxServer
from schedules.clock import SystemClock
from storage.engine import Database
from storage.models import ChannelAccount, OutboxMessage, OutboxState
from storage.outbox import PlannedMessage, enqueue
from tests.e2e.test_restart import PATIENCE, start_bot, wait_for
from tests.factories import build_branch

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

CHATS = 200


def plan(db: Database) -> None:
    now = SystemClock().now()
    with db.session() as session:
        build_branch(session, units=CHATS, now=now, first_chat=40_000, officer_chat=None)
        accounts = session.scalars(select(ChannelAccount)).all()
        enqueue(
            session,
            messages=[
                PlannedMessage(
                    key=f"reminder:pair:{account.chat_id}",
                    account_id=account.id,
                    kind="reminder",
                    text=f"🔔 Nhắc việc — tin cho {account.chat_id}",
                    due_at=now,
                )
                for account in accounts
                if account.id is not None
            ],
            now=now,
        )


async def test_two_processes_send_each_due_row_once(
    tmp_path: Path, database_url: str, db: Database, sandbox: SandboxServer
) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("two processes share a database on PostgreSQL only")
    for chat in range(40_000, 40_000 + CHATS):
        sandbox.state.add_user(chat, first_name="An")
    # Each process keeps to its own rate; the sandbox does not police the sum here.
    sandbox.state.set_limits(overall_per_second=float("inf"))
    processes = [
        start_bot(
            database_url, sandbox, tmp_path, send_rate_per_second="30", outbox_batch_size="20"
        )
        for _ in range(2)
    ]
    try:
        # Both started (polling) before the rows exist, so both compete for them.
        # (A process polls once its dispatch timer is set up: see BotRuntime.start.)
        assert await sandbox.state.wait(lambda: sandbox.state.polling >= 2, PATIENCE)
        plan(db)

        def settled() -> bool:
            with db.session() as session:
                states = set(session.scalars(select(OutboxMessage.state)).all())
                return bool(states) and not states & {OutboxState.PENDING, OutboxState.SENDING}

        await wait_for(settled)
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            await asyncio.to_thread(process.wait, PATIENCE)

    with db.session() as session:
        rows = session.scalars(select(OutboxMessage)).all()
        assert {row.state for row in rows} == {OutboxState.SENT}
        workers = Counter(row.claimed_by for row in rows)
    received = Counter(m.chat_id for m in sandbox.state.sent() if "tin cho" in (m.text or ""))
    assert received == Counter(range(40_000, 40_000 + CHATS))  # each chat exactly once
    assert len(workers) == 2, workers  # both processes did part of the work
