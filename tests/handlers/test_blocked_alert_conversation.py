"""A chair's «vướng mắc» reaches the officer who gave the task, in process: gathered, at
most one message an hour, every reason once, none at night."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import update
from sqlmodel import col

from handlers.blocked_alert import HEADER
from schedules.clock import ManualClock
from storage.engine import Database
from storage.models import AccountState, ChannelAccount
from tests.conftest import VN
from tests.handlers.harness import Chat, World

NINE = datetime(2026, 12, 1, 9, 0, tzinfo=VN)  # a Tuesday


@pytest.fixture
def people(world: World, clock: ManualClock) -> dict[str, Chat]:
    world.import_roster()
    clock.set(NINE)
    everyone = {
        "duc": world.person(100, "Phạm Văn Đức", phone="0912000003"),  # officer of LDLD-TU
        "an": world.person(201, "Nguyễn Văn An", phone="0912000011"),  # CDCS-01
        "binh": world.person(202, "Lê Thị Bình", phone="0912000012"),  # CDCS-02
    }
    for person in everyone.values():
        person.shares_contact()
    assert "Việc số 1" in everyone["duc"].gives_task("/giaoviec 10/12/2026 Nộp báo cáo").text
    return everyone


def alerts(officer: Chat) -> list[str]:
    return [message.text for message in officer.inbox if message.text.startswith(HEADER)]


def at(clock: ManualClock, world: World, moment: datetime) -> None:
    clock.set(moment)
    world.deliver()


def test_reasons_gathered_once_an_hour(
    people: dict[str, Chat], world: World, clock: ManualClock
) -> None:
    duc, an, binh = people["duc"], people["an"], people["binh"]
    assert "Vướng mắc (thiếu kinh phí)" in an.says("vướng: thiếu kinh phí").text
    at(clock, world, NINE)
    assert alerts(duc) == [
        f"{HEADER}\n• 01/12/2026 09:00 — CĐCS Trường THCS Bình Lư — Việc số 1: "
        "thiếu kinh phí (/tonghop 1)"
    ]

    at(clock, world, NINE + timedelta(minutes=20))
    binh.says("vướng mắc: chưa có người phụ trách")
    at(clock, world, NINE + timedelta(minutes=40))
    an.says("sửa: vướng: thiếu kinh phí và người")
    at(clock, world, NINE + timedelta(minutes=59))
    assert len(alerts(duc)) == 1  # not twice in one hour

    at(clock, world, NINE + timedelta(hours=1))
    second = alerts(duc)[1]
    assert second.splitlines()[1:] == [
        "• 01/12/2026 09:20 — CĐCS Trạm Y tế Sơn Bình — Việc số 1: chưa có người phụ trách "
        "(/tonghop 1)",
        "• 01/12/2026 09:40 — CĐCS Trường THCS Bình Lư — Việc số 1: thiếu kinh phí và người "
        "(/tonghop 1)",
    ]
    # The officer's /tonghop shows the latest reasons too.
    summary = duc.says("/tonghop 1").text
    assert "⚠️ Vướng mắc — CĐCS Trường THCS Bình Lư: thiếu kinh phí và người" in summary


def test_none_at_night(people: dict[str, Chat], world: World, clock: ManualClock) -> None:
    duc, binh = people["duc"], people["binh"]
    night = datetime(2026, 12, 1, 21, 30, tzinfo=VN)
    at(clock, world, night)
    binh.says("vướng: mất điện")
    at(clock, world, night + timedelta(hours=2))
    assert alerts(duc) == []
    at(clock, world, datetime(2026, 12, 2, 7, 0, tzinfo=VN))
    assert len(alerts(duc)) == 1 and "mất điện" in alerts(duc)[0]


def test_an_officer_the_bot_cannot_reach_gets_nothing_queued(
    people: dict[str, Chat], world: World, db: Database
) -> None:
    with db.session() as session:
        session.execute(
            update(ChannelAccount)
            .where(col(ChannelAccount.external_user_id) == "100")
            .values(state=AccountState.UNREACHABLE)
        )
    assert "Vướng mắc" in people["binh"].says("vướng: mất điện").text  # still stored
    assert [row.key for row in world.outbox() if row.kind == "blocked"] == []
