"""Replies as chairs write them (issue 15 item 5), over HTTP against the sandbox, on
Telegram and on Zalo: a lone `3` after a reminder asks for the reason (on Zalo the
reminder's third listed choice, on Telegram the code the reminder advertises), `cảm ơn` is
answered politely, and one line about two tasks comes back as two confirmations. The forms
themselves: tests/handlers/reply_table.py; the conversations in process:
tests/handlers/test_reply_forms_conversation.py."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.runtime import BotRuntime
from schedules.clock import ManualClock
from storage.engine import Database
from storage.models import Progress, Reply
from tests.conftest import VN
from tests.e2e.platforms import Platform, load_roster, officer_on
from tests.factories import gives_task

pytestmark = pytest.mark.e2e


async def test_a_lone_3_courtesy_and_two_tasks_in_one_line(
    tmp_path: Path,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    platform_bot: BotRuntime,
    platform: Platform,
    clock: ManualClock,
    db: Database,
) -> None:
    load_roster(tmp_path, database_url, monkeypatch)
    officer = await officer_on(platform)
    an = platform.chat(201, "Nguyễn Văn An")
    assert "Nguyễn Văn An" in ((await an.register(officer, "CDCS-01")).text or "")
    await gives_task(officer, "/giaoviec 10/12/2026 Nộp báo cáo tổng kết")
    await gives_task(officer, "/giaoviec 18/12/2026 Gửi danh sách đoàn viên")

    clock.set(datetime(2026, 12, 9, 7, 30, tzinfo=VN))
    before = len(an.inbox())
    await platform_bot.plan_now()
    await platform_bot.dispatch_now()
    reminder = (await an.wait_for(before + 1))[before]
    assert "Nhắc việc" in (reminder.text or "")

    clock.set(datetime(2026, 12, 9, 9, 14, tzinfo=VN))
    asked = (await an.say("3")).text or ""
    assert asked.startswith("Việc số 1: Anh/chị ghi giúp một dòng lý do vướng mắc"), asked
    stored = (await an.say("chờ hướng dẫn của cấp trên")).text or ""
    assert stored == (
        "Đã ghi nhận: Việc số 1 — Vướng mắc (chờ hướng dẫn của cấp trên), 09/12/2026 09:14"
    )

    thanks = (await an.say("cảm ơn")).text or ""
    assert thanks.startswith("Dạ, cảm ơn anh/chị!") and "Chưa hiểu" not in thanks

    before = len(an.inbox())
    await an.say("mục 1 xong, mục 2 đang làm 60")
    both = [message.text or "" for message in (await an.wait_for(before + 2))[before:]]
    assert both == [
        "Đã ghi nhận: Việc số 1 — Đã xong, 09/12/2026 09:14\n(Thay cho báo cáo trước: Vướng mắc.)",
        "Đã ghi nhận: Việc số 2 — Đang làm 60%, 09/12/2026 09:14",
    ]
    with db.session() as session:
        stored_replies = session.scalars(select(Reply).order_by(Reply.id)).all()
        assert [(r.progress, r.percent, r.note) for r in stored_replies] == [
            (Progress.BLOCKED, None, "chờ hướng dẫn của cấp trên"),
            (Progress.DONE, None, None),
            (Progress.IN_PROGRESS, 60, None),
        ]


async def test_an_acknowledged_document_then_a_share_of_the_target(
    tmp_path: Path,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    platform_bot: BotRuntime,
    platform: Platform,
    clock: ManualClock,
    db: Database,
) -> None:
    load_roster(tmp_path, database_url, monkeypatch)
    officer = await officer_on(platform)
    an = platform.chat(201, "Nguyễn Văn An")
    assert "Nguyễn Văn An" in ((await an.register(officer, "CDCS-01")).text or "")
    await gives_task(officer, "/giaoviec 10/12/2026 Kết nạp đoàn viên mới")
    await officer.say("/chitieu 1 Số đoàn viên kết nạp mới | người")
    clock.set(datetime(2026, 12, 9, 9, 14, tzinfo=VN))

    received = (await an.say("Dạ em đã nhận văn bản, sẽ triển khai ạ")).text or ""
    assert received == (
        "Đã ghi nhận: Việc số 1 — Chưa bắt đầu (đã nhận văn bản, sẽ triển khai), 09/12/2026 09:14"
    )
    share = (await an.say("dat 8/10 chi tieu")).text or ""
    assert share.startswith("Đã ghi nhận: Việc số 1 — Đang làm 80%, số liệu 8, 09/12/2026 09:14")
    with db.session() as session:
        latest = session.scalars(select(Reply).order_by(Reply.id.desc())).first()
        assert latest is not None
        assert (latest.progress, latest.percent, latest.number) == (Progress.IN_PROGRESS, 80, 8)
