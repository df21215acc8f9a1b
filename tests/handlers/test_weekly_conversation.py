"""`/tuantong` as officers use it, in process: the weekly summary on demand (answered at
once, rendered by the weekly process's pass and delivered through the outbox, with its chart
and workbook), asked twice while it renders, asked at night, the weekly push turned off and
on (and what the planner then plans), a word it does not know, and a chair who may not ask."""

from __future__ import annotations

import io
from datetime import datetime, time

import pytest
from openpyxl import load_workbook
from PIL import Image

from handlers.weekly_command import (
    AT_NIGHT,
    PREPARING,
    STILL_PREPARING,
    TURNED_OFF,
    TURNED_ON,
    USAGE,
)
from schedules.clock import ManualClock
from schedules.summary_chart import chart_size
from schedules.summary_on_demand import FAILED
from schedules.weekly_push import plan_weekly_summaries
from storage.outbox import FileKind
from tests.conftest import VN
from tests.handlers.harness import Chat, World

TUESDAY = datetime(2026, 12, 1, 9, 0, tzinfo=VN)  # ISO week 49 of 2026; its Monday is past


@pytest.fixture
def people(world: World, clock: ManualClock) -> dict[str, Chat]:
    """The district officer Đức (LDLD-TU, three CĐCS), the officer Tâm (LDLD-PT), and the
    chairs of CDCS-01 and -02 registered; CDCS-03's chair has not registered."""
    world.import_roster()
    clock.set(TUESDAY)
    everyone = {
        "duc": world.person(100, "Phạm Văn Đức", phone="0912000003"),
        "tam": world.person(110, "Hà Văn Tâm", phone="0912000004"),
        "an": world.person(201, "Nguyễn Văn An", phone="0912000011"),
        "binh": world.person(202, "Lê Thị Bình", phone="0912000012"),
    }
    for person in everyone.values():
        assert person.name in person.shares_contact().text
    duc = everyone["duc"]
    assert "Việc số 1" in duc.gives_task("/giaoviec 10/12/2026 Nộp báo cáo tổng kết").text
    assert "Việc số 2" in duc.gives_task("/giaoviec 20/12/2026 Kết nạp đoàn viên").text
    everyone["an"].says("việc 1 xong")
    everyone["binh"].says("việc 2 vướng: thiếu kinh phí")
    world.deliver()  # the «vướng mắc» reaches Đức: the outbox is empty after it
    return everyone


def plan(world: World) -> int:
    with world.db.session() as session:
        return plan_weekly_summaries(
            session,
            now=world.clock.now(),
            zone=world.services.zone,
            calendar=world.calendar,
            weekday=0,
            at=time(7, 30),
        )


def test_on_demand_the_text_the_chart_and_the_workbook(
    people: dict[str, Chat], world: World
) -> None:
    duc = people["duc"]
    assert duc.says("/tuantong").text == PREPARING  # at once: nothing rendered in the turn
    assert not [row for row in world.outbox() if row.kind == "summary"]
    assert world.render_requested() == 3  # the weekly process: text, chart, workbook
    assert world.render_requested() == 0  # rendered once
    answers = world.deliver()
    assert [answer.chat_id for answer in answers] == [duc.chat_id] * 3
    text = answers[0].text
    assert text.startswith("📊 Tổng hợp tuần 49 — LĐLĐ huyện Tam Đường")
    assert "▪️ Việc số 1" in text and "▪️ Việc số 2" in text
    assert "📄" not in text  # an officer's own tasks: no directive to name above them
    assert (
        "   Hoàn thành 1/3 đơn vị (33%)\n"
        "   Đã hoàn thành: đúng hạn 1 · quá hạn 0\n"
        "   Chưa hoàn thành: đang thực hiện trong hạn 0 · quá hạn 0 · chưa báo cáo 2 · "
        "vướng mắc 0"
    ) in text
    assert "⚠️ Vướng mắc «thiếu kinh phí»: CĐCS Trạm Y tế Sơn Bình" in text
    assert "CĐCS Công ty Chè Tam Đường (CDCS-03)" in text  # no registered chair, named
    assert text.rstrip().endswith("Tắt: /tuantong tat")

    chart, book = answers[1].file, answers[2].file
    assert chart is not None and chart.kind is FileKind.PHOTO
    assert Image.open(io.BytesIO(chart.content)).size == chart_size(2)  # one bar per task
    assert book is not None and book.kind is FileKind.DOCUMENT and book.name.endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(book.content))
    assert workbook.sheetnames[0] == "Tổng hợp"
    assert len(workbook.sheetnames) == 3  # the summary and one sheet per task
    units = [row[1] for row in workbook["Tổng hợp"].iter_rows(min_row=5, values_only=True)]
    assert "CĐCS Trạm Y tế Sơn Bình" in units and "CĐCS Trường THCS Bình Lư" in units


def test_turned_off_then_on_and_what_the_planner_plans(
    people: dict[str, Chat], world: World
) -> None:
    duc = people["duc"]
    assert duc.says("/tuantong tắt").text == TURNED_OFF
    assert plan(world) == 1  # only Tâm's short line: Đức turned it off
    assert [row.key.split(":")[:2] for row in world.outbox() if row.kind == "summary"] == [
        ["summary", str(person_id(world, "0912000004"))]
    ]
    tam_rows = [row for row in world.outbox() if row.kind == "summary"]
    assert tam_rows[0].text.startswith("Chưa có việc nào đang theo dõi trong LĐLĐ huyện Phong Thổ")
    assert duc.says("/tuantong").text == PREPARING  # still on demand
    world.render_requested()
    asked = [answer for answer in world.deliver() if answer.chat_id == duc.chat_id]
    assert "/tuantong bat" in asked[0].text.splitlines()[-1]

    assert duc.says("/tuantong bat").text == TURNED_ON
    assert plan(world) == 3  # text, chart, workbook
    assert plan(world) == 0  # a second pass plans nothing
    rows = [row for row in world.outbox() if row.key.startswith("summary:")][1:]
    person = person_id(world, "0912000003")
    key = f"summary:{person}:2026-W49"
    assert [row.key for row in rows] == [key, f"{key}:1", f"{key}:2"]
    assert rows[1].text.startswith("📊 Biểu đồ") and rows[2].text.startswith("📎 Bảng")


def person_id(world: World, phone: str) -> int:
    """The person id of the roster's phone number (in E.164)."""
    from storage.people import get_person_by_phone

    with world.db.session() as session:
        person = get_person_by_phone(session, phone="+84" + phone[1:])
        assert person is not None and person.id is not None
        return person.id


def test_asked_again_while_it_renders_and_asked_at_night(
    people: dict[str, Chat], world: World, clock: ManualClock
) -> None:
    duc = people["duc"]
    assert duc.says("/tuantong").text == PREPARING
    assert duc.says("/tuantong").text == STILL_PREPARING  # one request, not two
    assert world.render_requested() == 3
    assert len(world.deliver()) == 3

    clock.set(datetime(2026, 12, 1, 22, 0, tzinfo=VN))  # quiet hours: the outbox waits
    assert duc.says("/tuantong").text == f"{PREPARING}\n{AT_NIGHT}"
    assert world.render_requested() == 3
    assert world.deliver() == []
    clock.set(datetime(2026, 12, 2, 7, 0, tzinfo=VN))
    morning = world.deliver()
    assert len(morning) == 3 and morning[0].text.startswith("📊 Tổng hợp tuần 49")
    assert "01/12/2026" in morning[0].text  # as of when it was asked


def test_a_word_it_does_not_know_and_a_chair(people: dict[str, Chat], world: World) -> None:
    answer = people["duc"].says("/tuantong hay lam").text
    assert answer == f"Không hiểu «hay lam». {USAGE}"
    assert people["an"].says("/tuantong tat").text != TURNED_OFF
    assert plan(world) == 4  # both officers still get theirs


def test_an_officer_on_zalo_gets_the_files_too(people: dict[str, Chat], world: World) -> None:
    """The Zalo sender sends the chart by its published address and the workbook as a link
    (bot/zalo_files.py): the rows carry them as on Telegram."""
    from sqlalchemy import update

    from handlers.messages import Channel
    from storage.models import ChannelAccount

    with world.db.session() as session:
        session.execute(
            update(ChannelAccount).where(ChannelAccount.chat_id == "100").values(channel="zalo")
        )
    duc = people["duc"]
    duc.channel = Channel.ZALO
    assert duc.says("/tuantong").text == PREPARING  # the files too, on Zalo as on Telegram
    assert world.render_requested() == 3
    asked = [row for row in world.outbox() if row.key.startswith("summary-now:")]
    assert sorted(row.key.count(":") for row in asked) == [1, 2, 2]  # text, chart, workbook
    assert plan(world) == 4  # Đức's text, chart and workbook (on Zalo), and Tâm's short line
    rows = [row for row in world.outbox() if row.key.startswith("summary:")]
    assert any(row.text.startswith("📊 Tổng hợp tuần 49 — LĐLĐ huyện Tam Đường") for row in rows)
    assert sum(row.key.count(":") == 3 for row in rows) == 2  # the chart's and the workbook's


def test_a_render_that_fails_is_answered_not_left_silent(
    people: dict[str, Chat], world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The officer was told the summary is coming: a render that fails says so."""
    import schedules.weekly_push

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug in the chart")

    monkeypatch.setattr(schedules.weekly_push, "render_weekly", broken)
    duc = people["duc"]
    assert duc.says("/tuantong").text == PREPARING
    assert world.render_requested() == 1
    assert [answer.text for answer in world.deliver()] == [FAILED]
    assert world.render_requested() == 0  # finished: not tried again and again
    assert duc.says("/tuantong").text == PREPARING  # and the officer may ask again
