"""The soak (issue 16, item 7): 2,000 chairs reply in bursts over an hour of virtual time,
through the real PTB application, the handler processes and the sandbox, while the
dispatcher sends the officer's gathered «vướng mắc» between bursts. Every message is
answered once and stored once, the officer gets every blocked line once (one gathered
message an hour), and the bot's memory — this process and its children (the handler
processes), resident size — grows by at most `GROWTH_BOUND_MB` from the end of the first
burst to the end of the hour (the first burst fills the caches every turn uses: compiled
statements, the per-chat locks, the grammar's tables).

The clock is a `ManualClock` moved six minutes after each burst; what is waited for is a
signal (the sandbox's record), bounded only by `PATIENCE`. The sandbox lives in this
process: its records are checked and cleared after each burst, so that what grows is the
bot. The figures are printed (`-s`) for docs/reliability.md
(#the-soak-an-hour-of-bursts-and-the-bots-memory)."""

from __future__ import annotations

import gc
import re
import time
from collections.abc import AsyncIterator
from datetime import timedelta

import psutil
import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from bench.replies import FIRST_USER, seed
from bot.runtime import BotRuntime
from bot.sandbox import Limits, SandboxServer, SandboxState
from handlers.blocked_alert import HEADER
from schedules.clock import ManualClock
from storage.engine import Database
from storage.models import ChannelAccount, InboundMessage, Person, Reply
from tests.conftest import bot_settings

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

CHAIRS = 2000
BURSTS = 10  # one every 6 minutes: an hour
PER_BURST = 200  # every chair replies once
GAP = timedelta(minutes=6)
GROWTH_BOUND_MB = 12.0  # measured +1 to +2.6 MB; a leak of ~7 KB a message would pass it
PATIENCE = 180.0  # bounds a failure only
OFFICER_CHAT = FIRST_USER - 1
LINES = (  # a reply of each kind; every one is stored as a Reply
    "xong",
    "dang lam 50%",
    "Dạ em xin báo cáo bên em đang làm 60% ạ",
    "vướng: thiếu kinh phí",
    "2 75",
    "đã hoàn thành",
    "vuong thieu nguoi",
    "đang làm 80%",
)
BLOCKED = {"vướng: thiếu kinh phí", "vuong thieu nguoi"}
ALERT_LINE = re.compile(r"^(?:\(\d+/\d+\) )?• ", re.MULTILINE)  # a line, in any part


@pytest.fixture
async def open_sandbox() -> AsyncIterator[SandboxServer]:
    server = SandboxServer(
        SandboxState(limits=Limits(overall_per_second=float("inf"), per_chat_burst=10))
    )
    await server.start()
    yield server
    await server.stop()


def seed_with_officer(db: Database, now_moment: object) -> None:
    """`bench.replies.seed`'s district, and its officer (the directive's creator) reachable on
    Telegram, so that blocked replies reach someone."""
    with db.session() as session:
        officer_id = session.scalars(
            select(Person.id).where(Person.full_name == "Cán bộ Bench")
        ).one()
        session.add(
            ChannelAccount(
                channel="telegram",
                external_user_id=str(OFFICER_CHAT),
                chat_id=str(OFFICER_CHAT),
                person_id=officer_id,
                created_at=now_moment,
                last_seen_at=now_moment,
            )
        )


def memory_mb() -> float:
    """Resident size of this process and all its children (the bot's handler processes)."""
    gc.collect()
    me = psutil.Process()
    processes = [me, *me.children(recursive=True)]
    total = 0
    for process in processes:
        try:
            total += process.memory_info().rss
        except psutil.NoSuchProcess:  # a helper that ended between the two calls
            continue
    return total / 2**20


def count(db: Database, model: type) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


async def test_2000_chairs_replying_in_bursts_for_an_hour_lose_nothing_and_memory_stays_bounded(
    database_url: str, db: Database, open_sandbox: SandboxServer, clock: ManualClock
) -> None:
    sandbox = open_sandbox
    state = sandbox.state
    began = time.perf_counter()
    seed(db, CHAIRS, clock.now())
    seed_with_officer(db, clock.now())
    seeded = time.perf_counter() - began
    settings = bot_settings(database_url, sandbox).model_copy(
        update={"send_rate_per_second": 1e9}  # Telegram's quota is not what is soaked
    )
    answers: dict[int, list[str]] = {}  # chair → what the bot answered them
    officer_texts: list[str] = []
    blocked_sent = 0
    samples: list[float] = []  # memory after each burst
    async with BotRuntime(
        settings, clock=clock, dispatch_interval=None, per_chat_interval=0
    ) as bot:
        state.add_user(OFFICER_CHAT)
        started = time.perf_counter() - began
        start = memory_mb()
        hour_start = clock.now()
        for burst in range(BURSTS):
            chats = [FIRST_USER + burst * PER_BURST + n for n in range(PER_BURST)]
            for n, chat in enumerate(chats):
                line = LINES[(burst + n) % len(LINES)]
                blocked_sent += line in BLOCKED
                state.inject_text(chat, line)
            assert await state.wait(lambda: state.stats.delivered >= PER_BURST, PATIENCE), (
                f"burst {burst}: {state.stats.delivered} of {PER_BURST} answered in time"
            )
            await bot.dispatch_now()  # the officer's gathered «vướng mắc», when due
            officer = [m.text or "" for m in state.sent(OFFICER_CHAT)]
            officer_texts += officer
            answers.update({chat: [m.text or "" for m in state.sent(chat)] for chat in chats})
            # Nothing else arrived: no copy of an answer, no answer to a chat not in the burst.
            assert state.stats.delivered == PER_BURST + len(officer), f"burst {burst}"
            state.reset()  # the records are the test's, not the bot's: keep them flat
            state.add_user(OFFICER_CHAT)
            samples.append(memory_mb())
            clock.advance(GAP)
        assert clock.now() - hour_start == timedelta(hours=1)
        await bot.dispatch_now()  # the hour's second gathered message is due now
        officer_texts += [m.text or "" for m in state.sent(OFFICER_CHAT)]
        end = memory_mb()

    silent = [chat for chat, said in answers.items() if not said]
    doubled = [chat for chat, said in answers.items() if len(said) > 1]
    receipts = sum(said[0].startswith("Đã ghi nhận") for said in answers.values() if said)
    stored = count(db, Reply)
    inbound = count(db, InboundMessage)
    blocked_lines = sum(len(ALERT_LINE.findall(text)) for text in officer_texts)
    gathered = sum(HEADER in text for text in officer_texts)
    warm = samples[0]
    print(
        f"\n{make_url(database_url).get_backend_name()}: soak of {CHAIRS} chairs replying in "
        f"{BURSTS} bursts of {PER_BURST} over 1 h of virtual time, "
        f"{time.perf_counter() - began:.0f} s real (seeding {seeded:.0f} s, start "
        f"{started - seeded:.0f} s); answered {len(answers) - len(silent)}, silent "
        f"{len(silent)}, doubled {len(doubled)}, receipts {receipts}; stored {stored} replies "
        f"of {inbound} messages; officer: {gathered} gathered message(s), {blocked_lines} of "
        f"{blocked_sent} blocked lines; memory (this process and its children, RSS) "
        f"{start:.0f} MB at start, {warm:.0f} MB after the first burst, {end:.0f} MB at the "
        f"end: +{end - warm:.1f} MB after warm-up (bound {GROWTH_BOUND_MB:.0f}); after each "
        f"burst: {', '.join(f'{sample:.0f}' for sample in samples)}"
    )
    assert len(answers) == CHAIRS and silent == [] and doubled == []
    assert receipts == CHAIRS
    assert stored == CHAIRS and inbound == CHAIRS
    assert gathered == 2  # one an hour: at the first burst, and an hour after it went out
    assert blocked_lines == blocked_sent
    assert end - warm <= GROWTH_BOUND_MB
