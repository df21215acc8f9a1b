"""Progress replies as a conversation, in process: the answer buttons, typed lines, the
"which task" question, corrections, forged buttons, strangers, indicators and the officer's
summary. (Stickers and photos, as the platform sends them, are in tests/e2e/test_replies.py.)"""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from handlers.messages import Outgoing
from schedules.answer_buttons import AnswerAction, answer_data
from schedules.clock import ManualClock
from storage.engine import Database
from storage.models import Assignment, ConversationState, Progress, Reply, Unit
from tests.conftest import VN
from tests.handlers.harness import Chat, World, labels

REMINDER_TIME = datetime(2026, 12, 9, 7, 30, tzinfo=VN)  # the day before 10/12/2026


@pytest.fixture
def people(world: World) -> dict[str, Chat]:
    """The district officer and the chairs of its three CĐCS, all registered by phone, and
    the chair of a CĐCS of another district."""
    world.import_roster()
    everyone = {
        "officer": world.person(100, "Phạm Văn Đức", phone="0912000003"),
        "an": world.person(201, "Nguyễn Văn An", phone="0912000011"),  # CDCS-01
        "binh": world.person(202, "Lê Thị Bình", phone="0912000012"),  # CDCS-02
        "chu": world.person(203, "Vàng A Chư", phone="0912000013"),  # CDCS-03
        "mai": world.person(211, "Đỗ Thị Mai", phone="0912000021"),  # CDCS-11, elsewhere
    }
    for person in everyone.values():
        assert person.name in person.shares_contact().text
    return everyone


def reminded(person: Chat, world: World, clock: ManualClock) -> Outgoing:
    """Bring the clock to the reminder, plan, deliver, and return the person's reminder."""
    clock.set(REMINDER_TIME)
    world.plan()
    world.deliver()
    reminders = [m for m in person.inbox if "Nhắc việc" in m.text]
    assert reminders, "no reminder arrived"
    return reminders[-1]


def assignment_of(db: Database, unit_code: str, task_id: int = 1) -> Assignment:
    with db.session() as session:
        return session.scalars(
            select(Assignment)
            .join(Unit, Unit.id == Assignment.unit_id)
            .where(Unit.code == unit_code, Assignment.task_id == task_id)
        ).one()


def replies(db: Database) -> list[Reply]:
    with db.session() as session:
        return list(session.scalars(select(Reply).order_by(Reply.id)))


def test_the_three_buttons(
    people: dict[str, Chat], world: World, clock: ManualClock, db: Database
) -> None:
    officer, an, binh, chu = (people[name] for name in ("officer", "an", "binh", "chu"))
    officer.gives_task("/giaoviec 10/12/2026 Nộp báo cáo tổng kết năm 2026")

    # ✅ Đã xong: stored at once, confirmed in one line.
    reminder = reminded(an, world, clock)
    shown = [label for row in labels(reminder) for label in row]
    assert shown == ["✅ Đã xong", "⏳ Đang làm", "⚠️ Vướng mắc"]
    clock.set(datetime(2026, 12, 9, 9, 14, tzinfo=VN))
    done = an.taps(reminder.choices[0][0].data)
    assert done.text == "Đã ghi nhận: Việc số 1 — Đã xong, 09/12/2026 09:14"
    again = an.taps(reminder.choices[0][0].data)
    assert "đã được báo xong lúc 09/12/2026 09:14" in again.text
    assert len(replies(db)) == 1

    # ⏳ Đang làm → 50%.
    reminder = [m for m in binh.inbox if "Nhắc việc" in m.text][-1]
    question = binh.taps(reminder.choices[0][1].data)
    assert "bao nhiêu phần trăm" in question.text
    assert labels(question)[0] == ["25%", "50%", "75%"]
    working = binh.taps(question.choices[0][1].data)
    assert working.text == "Đã ghi nhận: Việc số 1 — Đang làm 50%, 09/12/2026 09:14"

    # ⚠️ Vướng mắc → one line of reason.
    reminder = [m for m in chu.inbox if "Nhắc việc" in m.text][-1]
    ask = chu.taps(reminder.choices[0][2].data)
    assert "lý do" in ask.text
    reason = chu.says("Thiếu kinh phí tổ chức hội nghị")
    assert reason.text == (
        "Đã ghi nhận: Việc số 1 — Vướng mắc (Thiếu kinh phí tổ chức hội nghị), 09/12/2026 09:14"
    )
    with db.session() as session:
        assert session.scalars(select(ConversationState)).all() == []

    stored = {reply.raw_text: reply for reply in replies(db)}
    assert stored["✅ Đã xong"].progress == Progress.DONE
    assert (stored["⏳ Đang làm 50%"].progress, stored["⏳ Đang làm 50%"].percent) == (
        Progress.IN_PROGRESS,
        50,
    )
    blocked = stored["Thiếu kinh phí tổ chức hội nghị"]
    assert (blocked.progress, blocked.note) == (Progress.BLOCKED, "Thiếu kinh phí tổ chức hội nghị")

    summary = officer.says("/tonghop").text or ""
    assert "Hoàn thành 1/3 đơn vị (33%; tuần trước 0%): đúng hạn 1" in summary
    assert "Chưa xong 2: Vướng mắc 1 · Đang thực hiện (trong hạn) 1" in summary
    assert "🔵 Đang thực hiện (trong hạn): CĐCS Trạm Y tế Sơn Bình (50%)" in summary
    assert "⚠️ Vướng mắc — CĐCS Công ty Chè Tam Đường: Thiếu kinh phí tổ chức hội nghị" in summary

    # After the deadline the ones not done are overdue.
    clock.set(datetime(2026, 12, 11, 9, 0, tzinfo=VN))
    late = officer.says("/tonghop").text or ""
    assert "Quá hạn chưa hoàn thành 1" in late
    assert "🔴 Quá hạn chưa hoàn thành: CĐCS Trạm Y tế Sơn Bình (50%)" in late


def test_a_typed_percent_after_working(
    people: dict[str, Chat], world: World, clock: ManualClock, db: Database
) -> None:
    officer, an = people["officer"], people["an"]
    officer.gives_task("/giaoviec 10/12/2026 Nộp báo cáo")
    reminder = reminded(an, world, clock)
    an.taps(reminder.choices[0][1].data)
    assert "từ 1 đến 100" in an.says("150").text
    assert replies(db) == []
    assert "Đang làm 60%" in an.says("60").text
    assert assignment_of(db, "CDCS-01").percent == 60


def test_forged_and_foreign_buttons_change_nothing(
    people: dict[str, Chat], world: World, clock: ManualClock, db: Database
) -> None:
    officer, an, mai = people["officer"], people["an"], people["mai"]
    officer.gives_task("/giaoviec 10/12/2026 Nộp báo cáo")
    reminded(an, world, clock)
    theirs = assignment_of(db, "CDCS-02").id
    own = assignment_of(db, "CDCS-01").id
    assert theirs is not None and own is not None

    answer = an.taps(answer_data(theirs, AnswerAction.DONE))
    assert "không thuộc đơn vị" in answer.text
    for forged in ("a:xyz:d", "a:99999:d", f"a:{own}:q", f"a:{own}:w:150", f"a:{own}:d:1"):
        assert "không hợp lệ" in (an.taps(forged).text or "")
    # A chair of another district pressing this district's button.
    answer = mai.taps(answer_data(own, AnswerAction.DONE))
    assert "không thuộc đơn vị" in answer.text
    # The district's officer answers for the district's own assignments, not its CĐCS'.
    answer = officer.taps(answer_data(own, AnswerAction.DONE))
    assert "không thuộc đơn vị" in answer.text

    assert replies(db) == []
    with db.session() as session:
        progresses = set(session.scalars(select(Assignment.progress)))
    assert progresses == {Progress.OPEN}


def test_which_task_question_last_reminder_and_correction(
    people: dict[str, Chat], world: World, clock: ManualClock, db: Database
) -> None:
    officer, an = people["officer"], people["an"]
    officer.gives_task("/giaoviec 10/12/2026 Nộp báo cáo tổng kết")
    officer.gives_task("/giaoviec 18/12/2026 Gửi danh sách đoàn viên")

    # Two open tasks, no reminder yet: the bot asks which, listing both.
    question = an.says("dạ em báo cáo đang làm 40% ạ")
    assert "cho việc nào" in question.text
    assert "1. Việc số 1: Nộp báo cáo tổng kết" in question.text
    assert "2. Việc số 2: Gửi danh sách đoàn viên" in question.text
    assert labels(question)[0] == ["1", "2"]
    assert replies(db) == []
    answered = an.says("2")
    assert answered.text.startswith("Đã ghi nhận: Việc số 2 — Đang làm 40%")

    # A tap answers the question too.
    question = an.says("vuong: chua co mau bieu")
    tapped = an.taps(question.choices[0][0].data)
    assert tapped.text.startswith("Đã ghi nhận: Việc số 1 — Vướng mắc (chua co mau bieu)")

    # A line naming the task needs no question.
    named = an.says("viec 2 dang lam 70%")
    assert named.text.startswith("Đã ghi nhận: Việc số 2 — Đang làm 70%")

    # After a reminder of task 1, a line naming nothing is about task 1.
    reminded(an, world, clock)
    clock.set(datetime(2026, 12, 9, 10, 0, tzinfo=VN))
    assert an.says("xong").text.startswith("Đã ghi nhận: Việc số 1 — Đã xong")

    # A correction: the latest reply decides, the earlier ones stay as history.
    corrected = an.says("sửa: đang làm 90%")
    assert corrected.text.startswith("Đã ghi nhận: Việc số 1 — Đang làm 90%")
    assert "Thay cho báo cáo trước: Đã xong" in corrected.text
    first = assignment_of(db, "CDCS-01", 1)
    assert (first.progress, first.percent, first.done_at) == (Progress.IN_PROGRESS, 90, None)
    history = [r.raw_text for r in replies(db) if r.assignment_id == first.id]
    assert history == ["vuong: chua co mau bieu", "xong", "sửa: đang làm 90%"]

    # `/viec` lists the open tasks with their deadline and status.
    tasks = an.says("/viec").text or ""
    assert "Việc số 1 — hạn 10/12/2026 (còn 1 ngày) — Đang thực hiện (trong hạn)" in tasks
    assert "Việc số 2 — hạn 18/12/2026" in tasks


def test_bad_input_and_strangers(people: dict[str, Chat], db: Database) -> None:
    officer, an, mai = people["officer"], people["an"], people["mai"]
    officer.gives_task("/giaoviec 10/12/2026 Nộp ảnh hội nghị")

    for line, words in (
        ("150%", "không hợp lệ"),
        ("-20%", "không hợp lệ"),
        ("👍👍", "chỉ có biểu tượng"),
        ("x" * 10_000, "dài quá"),
        ("60", "tỷ lệ hay số lượng"),
    ):
        assert words in an.says(line).text, line
    # The officer of a unit given no task, and the chair of a unit given no task.
    assert "không có việc nào" in officer.says("xong").text
    assert "không có việc nào" in mai.says("xong").text
    assert replies(db) == []


def test_an_indicator_is_asked_and_summed(
    people: dict[str, Chat], world: World, clock: ManualClock, db: Database
) -> None:
    officer, an, binh = people["officer"], people["an"], people["binh"]
    officer.gives_task("/giaoviec 10/12/2026 Kết nạp đoàn viên mới")
    assert "Không tìm thấy" in officer.says("/chitieu 7 Số đoàn viên | người").text
    assert "Cách dùng" in officer.says("/chitieu").text
    set_ = officer.says("/chitieu 1 Số đoàn viên kết nạp mới | người")
    assert "Đã đặt chỉ tiêu cho Việc số 1: Số đoàn viên kết nạp mới (người)" in set_.text
    assert "chỉ dành cho cán bộ" in an.says("/chitieu 1 Gì đó | cái").text

    reminder = reminded(an, world, clock)
    assert "📈 Chỉ tiêu: Số đoàn viên kết nạp mới (người)" in reminder.text
    assert "Đang làm, số liệu 12" in an.says("kết nạp 12").text
    assert "số liệu 5" in binh.says("xong, đạt 5").text
    assert "số liệu 15" in an.says("dang lam 80%, ket nap 15").text  # a later figure

    summary = officer.says("/tonghop").text or ""
    assert "📈 Số đoàn viên kết nạp mới: 20 người (2/3 đơn vị đã báo số)" in summary
    assert assignment_of(db, "CDCS-01").percent == 80
