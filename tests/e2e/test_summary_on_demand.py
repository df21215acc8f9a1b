"""`/tuantong` over the wire: the officer is answered at once; the summary is rendered in the
weekly process and arrives through the outbox as a text, a photo and a document; and while
the render is in hand (held on purpose), a chair's reply is answered — a long render holds
no one else's turn, though SQLite has a single handler process."""

from __future__ import annotations

import asyncio
import multiprocessing
from datetime import datetime, timedelta

import pytest

from bot.runtime import BotRuntime
from bot.sandbox import SandboxServer
from handlers.weekly_command import PREPARING
from schedules.clock import ManualClock
from storage.engine import Database
from tests.conftest import VN, bot_settings
from tests.e2e.render_gate import HOLD_SECONDS, held_pool
from tests.factories import Person, build_branch, give_task

pytestmark = pytest.mark.e2e

OFFICER_CHAT = 99
FIRST_CHAIR = 10_000


async def test_a_long_render_holds_no_one_elses_turn(
    database_url: str, sandbox: SandboxServer, clock: ManualClock, db: Database
) -> None:
    clock.set(datetime(2027, 5, 11, 9, 0, tzinfo=VN))  # a Tuesday morning
    with db.session() as session:
        branch = build_branch(
            session, units=3, now=clock.now(), first_chat=FIRST_CHAIR, officer_chat=OFFICER_CHAT
        )
        give_task(session, branch, deadline=clock.now() + timedelta(days=20), now=clock.now())
    officer = Person(sandbox, OFFICER_CHAT, "Phạm Văn Đức")
    chair = Person(sandbox, FIRST_CHAIR, "Chủ tịch 1")
    # No planner (its weekly pass would send this week's summary too); the dispatcher's
    # timer on, as in production.
    settings = bot_settings(database_url, sandbox).model_copy(
        update={"plan_interval_seconds": 0, "dispatch_interval_seconds": 0.2}
    )
    spawn = multiprocessing.get_context("spawn")
    started, release = spawn.Event(), spawn.Event()
    async with BotRuntime(
        settings, clock=clock, per_chat_interval=0, weekly_pool=held_pool(started, release)
    ):
        try:
            assert (await officer.say("/tuantong")).text == PREPARING
            assert await asyncio.to_thread(started.wait, HOLD_SECONDS), "no render started"

            answer = await chair.say("xong")  # while the officer's summary renders
            assert "CV 490/LĐLĐ" in (answer.text or "")
            assert [m.text for m in officer.inbox()] == [PREPARING]  # still rendering
        finally:
            release.set()
        # The bound is on the real clock and only bounds a failure.
        arrived = await sandbox.state.wait_for_sent(OFFICER_CHAT, 4, timeout=180)

    text, photo, document = arrived[1:]
    assert (text.method, photo.method, document.method) == (
        "sendMessage",
        "sendPhoto",
        "sendDocument",
    )
    assert (text.text or "").startswith("📊 Tổng hợp tuần 19 — LĐLĐ huyện X")
    assert "Hoàn thành 0/3 đơn vị" in (text.text or "")  # as of when it was asked
    assert (document.file_name or "").endswith(".xlsx")
    assert len(sandbox.state.sent(OFFICER_CHAT)) == 4
