"""Two `nhacviec run --webhook` processes behind one address (a round-robin proxy stands in
for the load balancer) on one PostgreSQL database: every update answered once, every outbox
row sent once, and the bot's overall sending rate held across both processes."""

from __future__ import annotations

import asyncio
import itertools
import os
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from sqlalchemy import select

from bot.sandbox import SandboxServer
from storage.engine import Database
from storage.models import OutboxMessage, OutboxState
from tests.conftest import TEST_TOKEN
from tests.e2e.test_restart import PATIENCE, wait_for
from tests.e2e.test_two_processes import plan
from tests.e2e.test_webhook_mode import free_port

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

SECRET = "Two-processes_0123456789abcdefGHIJKL"
UPDATES = 1000
FIRST_CHAT = 40_000  # plan() gives 200 chairs these chats; the updates come from them
RATE = 30  # the configured overall rate (Telegram's ~30 a second)


def max_in_one_second(times: Sequence[float]) -> int:
    """The most messages any window [t, t + 1 s) of the record holds: above the rate when a
    send reaches the platform late and the next on time (the platform's bucket allows it)."""
    ordered = sorted(times)
    most, start = 0, 0
    for end, moment in enumerate(ordered):
        while moment - ordered[start] >= 1.0:
            start += 1
        most = max(most, end - start + 1)
    return most


@asynccontextmanager
async def round_robin(backends: list[str]) -> AsyncIterator[str]:
    """A proxy handing calls to the backends in turn, as a load balancer would."""
    turn = itertools.cycle(backends)
    async with aiohttp.ClientSession() as session:

        async def forward(request: web.Request) -> web.Response:
            headers = {k: v for k, v in request.headers.items() if k.lower().startswith("x-")}
            headers["Content-Type"] = "application/json"
            async with session.post(
                next(turn) + request.path, data=await request.read(), headers=headers
            ) as answer:
                return web.Response(status=answer.status, body=await answer.read())

        app = web.Application()
        app.router.add_post("/{path:.*}", forward)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        try:
            yield f"http://127.0.0.1:{runner.addresses[0][1]}"
        finally:
            await runner.cleanup()


def start_webhook_bot(
    database_url: str, sandbox: SandboxServer, folder: Path, public: str, port: int
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "NHACVIEC_DATABASE_URL": database_url,
        "NHACVIEC_TELEGRAM_TOKEN": TEST_TOKEN,
        "NHACVIEC_TELEGRAM_API_URL": sandbox.url,
        "NHACVIEC_WEBHOOK_SECRET": SECRET,
        "NHACVIEC_WEBHOOK_LISTEN": f"127.0.0.1:{port}",
        "NHACVIEC_SEND_RATE_PER_SECOND": str(RATE),
        "NHACVIEC_DISPATCH_INTERVAL_SECONDS": "0.2",
        "NHACVIEC_OUTBOX_BATCH_SIZE": "100",
        "NHACVIEC_HANDLER_PROCESSES": "1",
        "NHACVIEC_QUIET_START": "00:00",
        "NHACVIEC_QUIET_END": "00:00",
        "NHACVIEC_PLAN_INTERVAL_SECONDS": "0",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--log-level", "WARNING", "--webhook", public],
        env=env,
        cwd=folder,
        stdout=subprocess.DEVNULL,
    )


async def test_two_webhook_processes_share_updates_rows_and_rate(
    tmp_path: Path, database_url: str, db: Database, sandbox: SandboxServer
) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("several processes share a database on PostgreSQL only")
    state = sandbox.state
    # The sandbox polices the bot's overall rate as Telegram does (a token bucket of RATE a
    # second): each process alone may send RATE a second, so only a shared pace avoids 429s.
    state.set_limits(overall_per_second=float(RATE), per_chat_burst=20)
    chats = [FIRST_CHAT + index for index in range(200)]
    for chat in chats:
        state.add_user(chat, first_name="An")
    ports = [free_port(), free_port()]
    backends = [f"http://127.0.0.1:{port}" for port in ports]
    processes: list[subprocess.Popen[bytes]] = []
    async with round_robin(backends) as public:
        try:
            processes = [
                start_webhook_bot(database_url, sandbox, tmp_path, public, port) for port in ports
            ]
            await wait_for(lambda: bool(state.webhook_url))
            await _both_listening(backends)
            plan(db)  # 200 rows, due now
            plan_more(db)  # and 800 more: a burst of 1,000
            for index in range(UPDATES):
                state.inject_text(chats[index % len(chats)], f"/help {index}", first_name="An")

            def settled() -> bool:
                with db.session() as session:
                    states = Counter(session.scalars(select(OutboxMessage.state)).all())
                answered = sum(1 for m in state.sent() if "tin cho" not in (m.text or ""))
                return states[OutboxState.SENT] == 1000 and answered >= UPDATES

            await wait_for(settled)
        finally:
            for process in processes:
                process.send_signal(signal.SIGTERM)
            for process in processes:
                await asyncio.to_thread(process.wait, PATIENCE)

    sent = state.sent()
    answers = Counter(m.chat_id for m in sent if "tin cho" not in (m.text or ""))
    rows = Counter(m.text for m in sent if "tin cho" in (m.text or ""))
    assert sandbox.webhooks.stats.delivered == UPDATES
    assert answers == Counter({chat: UPDATES // len(chats) for chat in chats})  # each once
    assert len(rows) == 1000 and set(rows.values()) == {1}  # each row once
    with db.session() as session:
        workers = Counter(session.scalars(select(OutboxMessage.claimed_by)).all())
    assert len(workers) == 2, workers  # both processes sent rows
    peak = max_in_one_second([m.sent_at for m in sent])
    span = max(m.sent_at for m in sent) - min(m.sent_at for m in sent)
    print(
        f"\n{len(sent)} messages from two processes in {span:.1f} s = "
        f"{len(sent) / span:.1f}/s (limit {RATE}/s); busiest second {peak} (network jitter); "
        f"429 answers: {state.stats.throttled}"
    )
    assert state.stats.throttled == 0  # never over the limit as the platform counts it
    assert len(sent) / span <= RATE * 1.01


async def _both_listening(backends: list[str]) -> None:
    """Each process answers on its port (403 to a call without the secret) once it serves."""

    async def up(session: aiohttp.ClientSession, url: str) -> bool:
        try:
            async with session.post(url + "/telegram", data=b"{}") as answer:
                return answer.status == 403
        except aiohttp.ClientError:
            return False

    async with aiohttp.ClientSession() as session:
        deadline = asyncio.get_running_loop().time() + PATIENCE
        while not all([await up(session, url) for url in backends]):
            assert asyncio.get_running_loop().time() < deadline, "a process did not start"
            await asyncio.sleep(0.1)


def plan_more(db: Database) -> None:
    """800 more rows for the same 200 chairs, four each, due now."""
    from schedules.clock import SystemClock
    from storage.models import ChannelAccount
    from storage.outbox import PlannedMessage, enqueue

    now = SystemClock().now()
    with db.session() as session:
        accounts = [a for a in session.scalars(select(ChannelAccount)).all() if a.id is not None]
        enqueue(
            session,
            messages=[
                PlannedMessage(
                    key=f"reminder:more:{account.chat_id}:{round_}",
                    account_id=account.id,
                    kind="reminder",
                    text=f"🔔 Nhắc việc — tin cho {account.chat_id} lượt {round_}",
                    due_at=now,
                )
                for account in accounts
                if account.id is not None
                for round_ in range(4)
            ],
            now=now,
        )
