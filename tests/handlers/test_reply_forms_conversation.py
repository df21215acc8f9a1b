"""Replies as chairs write them (issue 15 item 5), as conversations in process: a lone `3`
asks for the reason, courtesy is answered and stores nothing, one line about two tasks
gives two replies, an acknowledged document is not started, and `8/10 chỉ tiêu` stores the
share (and the figure when the task has an indicator). The lines themselves are in the
reply table (tests/handlers/reply_table.py); over HTTP: tests/e2e/test_reply_forms.py."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from schedules.clock import ManualClock
from storage.engine import Database
from storage.models import ConversationState, Progress
from tests.conftest import VN
from tests.handlers.harness import Chat, World
from tests.handlers.test_replies_conversation import assignment_of, reminded, replies

MORNING = datetime(2026, 12, 9, 9, 14, tzinfo=VN)


@pytest.fixture
def people(world: World) -> dict[str, Chat]:
    """The district officer and the chair of CĐCS-01, registered by phone."""
    world.import_roster()
    everyone = {
        "officer": world.person(100, "Phạm Văn Đức", phone="0912000003"),
        "an": world.person(201, "Nguyễn Văn An", phone="0912000011"),
    }
    for person in everyone.values():
        assert person.name in person.shares_contact().text
    return everyone


def states(db: Database) -> list[ConversationState]:
    with db.session() as session:
        return list(session.scalars(select(ConversationState)))


def test_a_lone_3_after_a_reminder_asks_for_the_reason(
    people: dict[str, Chat], world: World, clock: ManualClock, db: Database
) -> None:
    officer, an = people["officer"], people["an"]
    officer.gives_task("/giaoviec 10/12/2026 Nộp báo cáo tổng kết")
    officer.gives_task("/giaoviec 18/12/2026 Gửi danh sách đoàn viên")
    reminded(an, world, clock)  # the reminder of Việc số 1, the nearer deadline
    clock.set(MORNING)

    asked = an.says("3")
    assert asked.text == (
        "Việc số 1: Anh/chị ghi giúp một dòng lý do vướng mắc (ví dụ: thiếu kinh phí), "
        "bot sẽ báo cán bộ."
    )
    assert replies(db) == []
    # Still no reason: the question stays, nothing is stored.
    assert "lý do vướng mắc" in an.says("dạ").text
    assert "lý do vướng mắc" in an.says("3").text
    assert replies(db) == []

    stored = an.says("chờ hướng dẫn của cấp trên")
    assert stored.text == (
        "Đã ghi nhận: Việc số 1 — Vướng mắc (chờ hướng dẫn của cấp trên), 09/12/2026 09:14"
    )
    (reply,) = replies(db)
    assert (reply.progress, reply.note) == (Progress.BLOCKED, "chờ hướng dẫn của cấp trên")
    assert states(db) == []

    # `vướng` naming a task asks the same, about that task.
    assert an.says("mục 2 vướng").text.startswith("Việc số 2: Anh/chị ghi giúp một dòng lý do")
    assert an.says("thiếu mẫu biểu").text.startswith(
        "Đã ghi nhận: Việc số 2 — Vướng mắc (thiếu mẫu biểu)"
    )


def test_courtesy_is_answered_and_stores_nothing(
    people: dict[str, Chat], world: World, clock: ManualClock, db: Database
) -> None:
    officer, an = people["officer"], people["an"]
    officer.gives_task("/giaoviec 10/12/2026 Nộp báo cáo tổng kết")
    reminded(an, world, clock)
    for line in ("cảm ơn", "ok", "dạ vâng", "Ok a 👍", "cam on anh nhieu"):
        answer = an.says(line).text
        assert answer.startswith("Dạ, cảm ơn anh/chị!"), line
        assert "Chưa hiểu" not in answer and "«xong»" in answer
    assert "Việc số 1 — hạn 10/12/2026 (còn 1 ngày) — Chưa báo cáo" in an.says("/viec").text
    assert replies(db) == [] and states(db) == []
    # Once nothing is waiting, thanks without the reporting hint.
    assert an.says("xong").text.startswith("Đã ghi nhận: Việc số 1 — Đã xong")
    assert an.says("dạ vâng cảm ơn ạ").text == "Dạ, cảm ơn anh/chị!"
    # Someone who chairs no unit is thanked too; an officer's own unit has no «mục 1» here
    # (the task went to the units below), so nothing is stored.
    assert officer.says("cảm ơn bot").text == "Dạ, cảm ơn anh/chị!"
    assert "Không thấy việc «mục 1» của đơn vị anh/chị" in (
        officer.says("mục 1 xong, mục 2 đang làm").text
    )
    assert len(replies(db)) == 1  # only An's «xong»


def test_one_line_about_two_tasks_gives_two_replies(
    people: dict[str, Chat], world: World, clock: ManualClock, db: Database
) -> None:
    officer, an = people["officer"], people["an"]
    officer.gives_task("/giaoviec 10/12/2026 Nộp báo cáo tổng kết")
    officer.gives_task("/giaoviec 18/12/2026 Gửi danh sách đoàn viên")
    clock.set(MORNING)

    # A task it cannot find: nothing of the line is stored.
    missing = an.says("mục 1 xong, mục 7 đang làm").text
    assert "Không thấy việc «mục 7»" in missing and "chưa ghi nhận" in missing
    assert replies(db) == []

    an.says("mục 1 xong, mục 2 đang làm 60%")
    assert [answer.text for answer in an.answers] == [
        "Đã ghi nhận: Việc số 1 — Đã xong, 09/12/2026 09:14",
        "Đã ghi nhận: Việc số 2 — Đang làm 60%, 09/12/2026 09:14",
    ]
    line = "mục 1 xong, mục 2 đang làm 60%"
    assert [(r.raw_text, r.progress, r.percent) for r in replies(db)] == [
        (line, Progress.DONE, None),
        (line, Progress.IN_PROGRESS, 60),
    ]

    # One part blocked without a reason: the rest is stored, the reason is asked.
    an.says("muc 1 dang lam 90, muc 2 vuong")
    assert [answer.text for answer in an.answers] == [
        "Đã ghi nhận: Việc số 1 — Đang làm 90%, 09/12/2026 09:14\n"
        "(Thay cho báo cáo trước: Đã xong.)",
        "Việc số 2: Anh/chị ghi giúp một dòng lý do vướng mắc (ví dụ: thiếu kinh phí), "
        "bot sẽ báo cán bộ.",
    ]
    assert an.says("thiếu kinh phí").text.startswith("Đã ghi nhận: Việc số 2 — Vướng mắc")
    assert assignment_of(db, "CDCS-01", 2).progress == Progress.BLOCKED
    # Two without a reason: nothing stored.
    before = len(replies(db))
    assert "chưa ghi lý do" in an.says("mục 1 vướng, mục 2 vướng").text
    assert len(replies(db)) == before
    # One status for a list of items.
    an.says("dạ mục 1 và 2 đã xong ạ")
    assert [answer.text.split(" — ")[1][:7] for answer in an.answers] == ["Đã xong", "Đã xong"]
    assert {assignment_of(db, "CDCS-01", task).progress for task in (1, 2)} == {Progress.DONE}


def test_plain_forms_store_what_they_say(
    people: dict[str, Chat], world: World, clock: ManualClock, db: Database
) -> None:
    officer, an = people["officer"], people["an"]
    officer.gives_task("/giaoviec 10/12/2026 Nộp kinh phí công đoàn")
    clock.set(MORNING)
    said = an.says("đã nhận văn bản, sẽ triển khai").text
    assert said == (
        "Đã ghi nhận: Việc số 1 — Chưa bắt đầu (đã nhận văn bản, sẽ triển khai), 09/12/2026 09:14"
    )
    # `ko xong` is not done, and not blocked: no reason asked, no officer alerted.
    assert an.says("ko xong").text.startswith("Đã ghi nhận: Việc số 1 — Đang làm,")
    assert states(db) == []
    assert an.says("đang làm 60").text.startswith("Đã ghi nhận: Việc số 1 — Đang làm 60%")
    assert an.says("đã nộp đủ kinh phí").text.startswith(
        "Đã ghi nhận: Việc số 1 — Đã xong (đủ kinh phí)"
    )
    assert [r.progress for r in replies(db)] == [
        Progress.NOT_STARTED,
        Progress.IN_PROGRESS,
        Progress.IN_PROGRESS,
        Progress.DONE,
    ]
    assert not [row for row in world.outbox() if row.key.startswith("blocked:")]


def test_a_share_of_the_target_stores_the_figure_only_for_an_indicator(
    people: dict[str, Chat], world: World, clock: ManualClock, db: Database
) -> None:
    officer, an = people["officer"], people["an"]
    officer.gives_task("/giaoviec 10/12/2026 Kết nạp đoàn viên mới")
    officer.gives_task("/giaoviec 18/12/2026 Tập huấn cán bộ")
    officer.says("/chitieu 1 Số đoàn viên kết nạp mới | người")
    clock.set(MORNING)

    assert an.says("mục 1 đạt 8/10 chỉ tiêu").text.startswith(
        "Đã ghi nhận: Việc số 1 — Đang làm 80%, số liệu 8,"
    )
    assert an.says("mục 2 được 8/10 chỉ tiêu ạ").text.startswith(
        "Đã ghi nhận: Việc số 2 — Đang làm 80%,"
    )
    first, second = replies(db)
    assert (first.percent, first.number) == (80, 8)
    assert (second.percent, second.number) == (80, None)  # no indicator: no figure
    summary = officer.says("/tonghop").text or ""
    assert "📈 Số đoàn viên kết nạp mới: 8 người (1/3 đơn vị đã báo số)" in summary
