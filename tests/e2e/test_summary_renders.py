"""Summaries render off everyone's turn, over the wire, with the weekly process's renders held
on purpose (a signal, not a guess at how long a render takes):
- `/tuantong`: the officer is answered at once; while the summary renders, a chair's reply
  is answered (SQLite has a single handler process); then the summary arrives through the
  outbox as a text, a photo and a document;
- the weekly push: while the second officer's summary renders, a chair's reply is answered
  (the first officer's rows are committed, not holding SQLite's one writer)."""

from __future__ import annotations

import asyncio
import multiprocessing
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.cli import main
from bot.runtime import BotRuntime
from bot.sandbox import SandboxServer
from handlers.weekly_command import PREPARING
from schedules.clock import ManualClock
from storage.engine import Database
from tests.conftest import VN, bot_settings
from tests.e2e.render_gate import HOLD_SECONDS, held_pool
from tests.factories import Person, build_branch, give_task, gives_task, write_roster

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


async def test_the_weekly_pass_holds_no_turn_between_two_officers(
    tmp_path: Path,
    database_url: str,
    sandbox: SandboxServer,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NHACVIEC_DATABASE_URL", database_url)
    assert main(["roster", "import", str(write_roster(tmp_path / "roster.csv"))]) == 0
    duc = Person(sandbox, 100, "Phạm Văn Đức", phone="0912000003")  # LDLD-TU
    tam = Person(sandbox, 110, "Hà Văn Tâm", phone="0912000004")  # LDLD-PT
    an = Person(sandbox, 201, "Nguyễn Văn An", phone="0912000011")  # CDCS-01, Đức's
    clock.set(datetime(2027, 5, 7, 9, 0, tzinfo=VN))  # a Friday
    spawn = multiprocessing.get_context("spawn")
    started, release = spawn.Event(), spawn.Event()
    async with BotRuntime(
        bot_settings(database_url, sandbox),
        clock=clock,
        dispatch_interval=None,  # no timers: the test runs the weekly pass
        per_chat_interval=0,
        weekly_pool=held_pool(started, release, hold_from=2),
    ) as bot:
        for person in (duc, tam, an):
            await person.share_phone()
        assert "Việc số 1" in (
            (await gives_task(duc, "/giaoviec 31/05/2027 Nộp danh sách")).text or ""
        )
        assert "Việc số 2" in ((await gives_task(tam, "/giaoviec 31/05/2027 Kết nạp")).text or "")
        clock.set(datetime(2027, 5, 10, 9, 0, tzinfo=VN))  # Monday, after 07:30
        planning = asyncio.create_task(bot.plan_weekly_now())
        try:
            assert await asyncio.to_thread(started.wait, HOLD_SECONDS), "no second render"
            answer = await an.say("việc 1 xong")  # while the second officer's renders
            assert "Việc số 1" in (answer.text or "")
        finally:
            release.set()
        assert await planning == 6  # each officer's text, chart and workbook
