"""Zalo's quota counts per bot, not per process: two Zalo senders, each with its own database
engine as two processes would have, send a burst at once through the sandbox's Zalo dialect,
and the sandbox's record never holds more than the quota in any second (PostgreSQL only: the
shared pace is a row of the database; SQLite is one process)."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.sandbox import SandboxServer
from bot.shared_pace import SharedPace
from bot.zalo import ZaloClient
from bot.zalo_channel import ZaloSender, zalo_pace
from schedules.clock import ManualClock
from schedules.dispatcher import Sent
from storage.engine import Database
from storage.outbox import ClaimedMessage
from tests.conftest import TEST_ZALO_TOKEN
from tests.e2e.test_webhook_processes import max_in_one_second

pytestmark = pytest.mark.e2e

RATE = 10  # NHACVIEC_ZALO_SEND_RATE_PER_SECOND
QUOTA = RATE + 2  # the sandbox's quota: the pace's rate, and room for network jitter
PER_SENDER = 40
CHATS = [f"chat{n:04d}abcdef" for n in range(20)]


def rows(sender: int) -> list[ClaimedMessage]:
    return [
        ClaimedMessage(
            id=sender * 1000 + n,
            key=f"test:{sender}:{n}",
            channel="zalo",
            chat_id=CHATS[n % len(CHATS)],
            account_id=0,
            text=f"Thông báo số {n} của tiến trình {sender}",
            choices=None,
            attempts=1,
        )
        for n in range(PER_SENDER)
    ]


async def test_two_zalo_senders_keep_one_quota_together(
    database_url: str, db: Database, sandbox: SandboxServer, clock: ManualClock
) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("several processes share a database on PostgreSQL only")
    zalo = sandbox.state.zalo
    sandbox.state.set_limits(zalo_messages_per_second=QUOTA)
    for chat in CHATS:
        zalo.add_user(chat)
    engines = [Database.from_url(database_url) for _ in range(2)]
    try:
        paces = [zalo_pace(engine, RATE) for engine in engines]
        assert all(isinstance(pace, SharedPace) for pace in paces)
        async with (
            ZaloClient(TEST_ZALO_TOKEN, base_url=sandbox.zalo_base_url) as first,
            ZaloClient(TEST_ZALO_TOKEN, base_url=sandbox.zalo_base_url) as second,
        ):
            senders = [
                ZaloSender(client, pace, engine, clock)
                for client, pace, engine in zip((first, second), paces, engines, strict=True)
            ]
            started = time.monotonic()
            outcomes = await asyncio.gather(
                *(sender.send(row) for index, sender in enumerate(senders) for row in rows(index))
            )
            took = time.monotonic() - started
    finally:
        for engine in engines:
            engine.dispose()

    assert all(isinstance(outcome, Sent) for outcome in outcomes)
    sent = zalo.sent()
    assert len(sent) == 2 * PER_SENDER
    peak = max_in_one_second([m.sent_at for m in sent])
    print(
        f"\n2 Zalo senders, {len(sent)} messages in {took:.1f} s: {len(sent) / took:.1f}/s "
        f"(rate {RATE}/s); busiest second {peak} (quota {QUOTA}); "
        f"429 answers: {zalo.stats.responses[429]}"
    )
    assert zalo.stats.responses[429] == 0
    assert peak <= QUOTA
    # Each alone would send RATE a second: together they kept RATE, not twice it.
    assert len(sent) / took <= RATE * 1.05
