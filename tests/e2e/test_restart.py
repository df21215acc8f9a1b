"""A bot process killed (SIGKILL) between planning a reminder and sending it: after a
restart the chair gets the reminder once — not zero times, not twice."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.sandbox import Fault, SandboxServer
from schedules.clock import SystemClock
from schedules.roster_sheet import read_roster
from storage import directives, people, units
from storage.accounts import arrive
from storage.engine import Database
from storage.models import OutboxMessage, OutboxState
from storage.outbox import PlannedMessage, enqueue
from storage.roster import apply_roster
from tests.conftest import TEST_TOKEN
from tests.factories import write_roster

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

CHAIR_CHAT = 201
# The orphaned row is taken again once its lease is over: a short lease keeps the wait short
# (a request's time-outs are a quarter of it, `schedules.dispatcher.request_timeout`: 5 s
# here, ample on a loaded machine).
LEASE_SECONDS = 20
BATCH = 50
# Bounds on the real clock for other processes' work (start, claim, send). They only bound a
# failure: on a loaded machine a process may take long to start, and a passing run waits
# for the signal, not for the bound.
PATIENCE = 180.0


def start_bot(
    database_url: str,
    sandbox: SandboxServer,
    folder: Path,
    *,
    log: Path | None = None,
    **settings: str,
) -> subprocess.Popen[bytes]:
    """`nhacviec run` in a process of its own, as in production; `settings` add
    NHACVIEC_ variables (lower case names); `log` takes its log lines (else they pass)."""
    env = {
        **os.environ,
        "NHACVIEC_DATABASE_URL": database_url,
        "NHACVIEC_TELEGRAM_TOKEN": TEST_TOKEN,
        "NHACVIEC_TELEGRAM_API_URL": sandbox.url,
        "NHACVIEC_DISPATCH_INTERVAL_SECONDS": "0.2",
        "NHACVIEC_OUTBOX_LEASE_SECONDS": str(LEASE_SECONDS),
        "NHACVIEC_OUTBOX_BATCH_SIZE": str(BATCH),
        # The real clock drives these processes: no quiet hours, so the test passes at
        # any hour, and no planning pass, so only the rows the test planned are sent.
        "NHACVIEC_QUIET_START": "00:00",
        "NHACVIEC_QUIET_END": "00:00",
        "NHACVIEC_PLAN_INTERVAL_SECONDS": "0",
        **{f"NHACVIEC_{name.upper()}": value for name, value in settings.items()},
    }
    with open(log, "ab") if log is not None else contextlib.nullcontext() as stderr:
        return subprocess.Popen(
            [sys.executable, "-m", "bot", "run", "--log-level", "WARNING"],
            env=env,
            cwd=folder,
            stderr=stderr,
        )


def reminders(sandbox: SandboxServer) -> list[str]:
    return [m.text or "" for m in sandbox.state.sent(CHAIR_CHAT) if "Nhắc việc" in (m.text or "")]


def plan_one_reminder(db: Database, roster: Path) -> int:
    """A registered chair with one task whose reminder is due a moment from now."""
    now = SystemClock().now()
    with db.session() as session:
        apply_roster(session, sheet=read_roster(roster), now=now)
        unit = units.get_unit_by_code(session, code="CDCS-01")
        assert unit is not None
        assert unit.id is not None
        assert unit.parent_id is not None
        chair = people.current_chair(session, unit_id=unit.id)
        assert chair is not None
        assert chair.id is not None
        account = arrive(
            session,
            channel="telegram",
            external_user_id=str(CHAIR_CHAT),
            chat_id=str(CHAIR_CHAT),
            display_name="Nguyễn Văn An",
            now=now,
        ).account
        account.person_id = chair.id
        directive = directives.create_directive(
            session,
            kind="giao việc",
            subject="Báo cáo nhanh",
            owner_unit_id=unit.parent_id,
            created_by_person_id=chair.id,
            now=now,
        )
        assert directive.id is not None
        task = directives.add_task(
            session,
            directive_id=directive.id,
            item=1,
            text="Báo cáo nhanh số đoàn viên",
            deadline_at=now + timedelta(hours=3),
        )
        assert task.id is not None
        (assignment,) = directives.assign(session, task_id=task.id, unit_ids=[unit.id], now=now)
        assert assignment.id is not None and account.id is not None
        enqueue(
            session,
            messages=[
                PlannedMessage(
                    key=f"reminder:{assignment.id}:due",
                    account_id=account.id,
                    kind="reminder",
                    text="🔔 Nhắc việc — Báo cáo nhanh số đoàn viên",
                    due_at=now + timedelta(seconds=1),
                    assignment_id=assignment.id,
                )
            ],
            now=now,
        )
        message = session.scalars(select(OutboxMessage)).one()
        assert message.id is not None
        return message.id


async def wait_for(check: Callable[[], bool], seconds: float = PATIENCE) -> None:
    """Poll a condition on another process's work (the database, the sandbox), a few times
    a second, until it holds; `seconds` only bounds a failure."""
    deadline = asyncio.get_running_loop().time() + seconds
    while not check():
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError("condition not reached")
        await asyncio.sleep(0.05)


async def test_sigkill_between_planning_and_sending(
    tmp_path: Path, database_url: str, db: Database, sandbox: SandboxServer
) -> None:
    message_id = plan_one_reminder(db, write_roster(tmp_path / "roster.csv"))
    sandbox.state.add_user(CHAIR_CHAT, first_name="An")

    # The first process claims the reminder, and its send hangs: we kill it right there.
    sandbox.state.add_fault(Fault(status="hang", method="sendMessage", count=1, hang_seconds=60))
    first = start_bot(database_url, sandbox, tmp_path)
    try:
        await wait_for(lambda: sandbox.state.stats.faults >= 1)  # the send is hanging
        first.send_signal(signal.SIGKILL)
        await asyncio.to_thread(first.wait, PATIENCE)
    finally:
        first.kill()
    with db.session() as session:
        row = session.get(OutboxMessage, message_id)
        assert row is not None
        state_at_kill = row.state
    assert reminders(sandbox) == []

    # A new process takes the orphaned row once its lease is over, and sends it once.
    second = start_bot(database_url, sandbox, tmp_path)
    try:
        delivered = await sandbox.state.wait(lambda: len(reminders(sandbox)) >= 1, PATIENCE)
        assert delivered, "the reminder was never sent after the restart"

        def is_sent() -> bool:
            with db.session() as session:
                row = session.get(OutboxMessage, message_id)
                return row is not None and row.state == OutboxState.SENT

        await wait_for(is_sent)
    finally:
        second.send_signal(signal.SIGTERM)
        await asyncio.to_thread(second.wait, PATIENCE)  # the sandbox in this loop must answer
    assert second.returncode == 0

    # And a third start sends nothing more.
    third = start_bot(database_url, sandbox, tmp_path)
    try:
        assert await sandbox.state.wait(lambda: sandbox.state.polling > 0, PATIENCE)
    finally:
        third.send_signal(signal.SIGTERM)
        await asyncio.to_thread(third.wait, PATIENCE)
    assert state_at_kill in {OutboxState.PENDING, OutboxState.SENDING}
    assert len(reminders(sandbox)) == 1
    assert "Báo cáo nhanh số đoàn viên" in reminders(sandbox)[0]
