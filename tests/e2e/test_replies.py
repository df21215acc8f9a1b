"""Progress replies end to end, through the real PTB application over HTTP against the
sandbox: the answer buttons, typed lines, the "which task" question, corrections, forged
buttons, photos, strangers, indicators and the officer's summary."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.cli import main
from bot.runtime import BotRuntime
from bot.sandbox import SandboxServer, SentMessage
from schedules.answer_buttons import AnswerAction, answer_data
from schedules.clock import ManualClock
from storage.engine import Database
from storage.models import Assignment, ConversationState, Progress, Reply, Unit
from tests.conftest import VN
from tests.factories import Person, write_roster

pytestmark = pytest.mark.e2e

REMINDER_TIME = datetime(2026, 12, 9, 7, 30, tzinfo=VN)  # the day before 10/12/2026


@pytest.fixture
async def people(
    tmp_path: Path,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    bot: BotRuntime,
    sandbox: SandboxServer,
) -> dict[str, Person]:
    """The district officer and the chairs of its three CĐCS, all registered by phone, and
    the chair of a CĐCS of another district."""
    monkeypatch.setenv("NHACVIEC_DATABASE_URL", database_url)
    assert main(["roster", "import", str(write_roster(tmp_path / "roster.csv"))]) == 0
    everyone = {
        "officer": Person(sandbox, 100, "Phạm Văn Đức", phone="0912000003"),
        "an": Person(sandbox, 201, "Nguyễn Văn An", phone="0912000011"),  # CDCS-01
        "binh": Person(sandbox, 202, "Lê Thị Bình", phone="0912000012"),  # CDCS-02
        "chu": Person(sandbox, 203, "Vàng A Chư", phone="0912000013"),  # CDCS-03
        "mai": Person(sandbox, 211, "Đỗ Thị Mai", phone="0912000021"),  # CDCS-11, elsewhere
    }
    for person in everyone.values():
        assert person.name in (await person.share_phone()).text
    return everyone


async def reminded(person: Person, bot: BotRuntime, clock: ManualClock) -> SentMessage:
    """Bring the clock to the reminder, dispatch, and return the person's reminder."""
    clock.set(REMINDER_TIME)
    await bot.plan_now()
    await bot.dispatch_now()
    reminders = [m for m in person.inbox() if "Nhắc việc" in (m.text or "")]
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


async def test_the_three_buttons(
    people: dict[str, Person],
    bot: BotRuntime,
    sandbox: SandboxServer,
    clock: ManualClock,
    db: Database,
) -> None:
    officer, an, binh, chu = (people[name] for name in ("officer", "an", "binh", "chu"))
    await officer.say("/giaoviec 10/12/2026 Nộp báo cáo tổng kết năm 2026")

    # ✅ Đã xong: stored at once, confirmed in one line.
    reminder = await reminded(an, bot, clock)
    labels = [button["text"] for row in reminder.buttons for button in row]
    assert labels == ["✅ Đã xong", "⏳ Đang làm", "⚠️ Vướng mắc"]
    clock.set(datetime(2026, 12, 9, 9, 14, tzinfo=VN))
    done = await an.press(reminder.message_id, reminder.buttons[0][0]["callback_data"])
    assert done.text == "Đã ghi nhận: Việc số 1 — Đã xong, 09/12/2026 09:14"
    again = await an.press(reminder.message_id, reminder.buttons[0][0]["callback_data"])
    assert "đã được báo xong lúc 09/12/2026 09:14" in (again.text or "")
    assert len(replies(db)) == 1

    # ⏳ Đang làm → 50%.
    reminder = [m for m in binh.inbox() if "Nhắc việc" in (m.text or "")][-1]
    question = await binh.press(reminder.message_id, reminder.buttons[0][1]["callback_data"])
    assert "bao nhiêu phần trăm" in (question.text or "")
    assert [b["text"] for b in question.buttons[0]] == ["25%", "50%", "75%"]
    working = await binh.press(question.message_id, question.buttons[0][1]["callback_data"])
    assert working.text == "Đã ghi nhận: Việc số 1 — Đang làm 50%, 09/12/2026 09:14"

    # ⚠️ Vướng mắc → one line of reason.
    reminder = [m for m in chu.inbox() if "Nhắc việc" in (m.text or "")][-1]
    ask = await chu.press(reminder.message_id, reminder.buttons[0][2]["callback_data"])
    assert "lý do" in (ask.text or "")
    reason = await chu.say("Thiếu kinh phí tổ chức hội nghị")
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

    summary = (await officer.say("/tonghop")).text or ""
    assert "Xong: 1/3 đơn vị" in summary
    assert "Hoàn thành đúng hạn: 1 · Đang thực hiện (trong hạn): 1 · Vướng mắc: 1" in summary
    assert "CĐCS Trạm Y tế Sơn Bình (đang thực hiện 50%)" in summary
    assert "CĐCS Công ty Chè Tam Đường (vướng mắc: Thiếu kinh phí tổ chức hội nghị)" in summary

    # After the deadline the ones not done are overdue.
    clock.set(datetime(2026, 12, 11, 9, 0, tzinfo=VN))
    late = (await officer.say("/tonghop")).text or ""
    assert "Quá hạn chưa hoàn thành: 1" in late
    assert "CĐCS Trạm Y tế Sơn Bình (quá hạn 50%)" in late


async def test_a_typed_percent_after_working(
    people: dict[str, Person], bot: BotRuntime, clock: ManualClock, db: Database
) -> None:
    officer, an = people["officer"], people["an"]
    await officer.say("/giaoviec 10/12/2026 Nộp báo cáo")
    reminder = await reminded(an, bot, clock)
    await an.press(reminder.message_id, reminder.buttons[0][1]["callback_data"])
    assert "từ 1 đến 100" in (await an.say("150")).text
    assert replies(db) == []
    assert "Đang làm 60%" in (await an.say("60")).text
    assert assignment_of(db, "CDCS-01").percent == 60


async def test_forged_and_foreign_buttons_change_nothing(
    people: dict[str, Person], bot: BotRuntime, clock: ManualClock, db: Database
) -> None:
    officer, an, mai = people["officer"], people["an"], people["mai"]
    await officer.say("/giaoviec 10/12/2026 Nộp báo cáo")
    reminder = await reminded(an, bot, clock)
    theirs = assignment_of(db, "CDCS-02").id
    own = assignment_of(db, "CDCS-01").id
    assert theirs is not None and own is not None

    answer = await an.press(reminder.message_id, answer_data(theirs, AnswerAction.DONE))
    assert "không thuộc đơn vị" in (answer.text or "")
    for forged in ("a:xyz:d", "a:99999:d", f"a:{own}:q", f"a:{own}:w:150", f"a:{own}:d:1"):
        assert "không hợp lệ" in ((await an.press(reminder.message_id, forged)).text or "")
    # A chair of another district pressing this district's button.
    answer = await mai.press(1, answer_data(own, AnswerAction.DONE))
    assert "không thuộc đơn vị" in (answer.text or "")
    # Someone who chairs nothing.
    answer = await officer.press(1, answer_data(own, AnswerAction.DONE))
    assert "không phải chủ tịch" in (answer.text or "")

    assert replies(db) == []
    with db.session() as session:
        progresses = set(session.scalars(select(Assignment.progress)))
    assert progresses == {Progress.OPEN}


async def test_which_task_question_last_reminder_and_correction(
    people: dict[str, Person], bot: BotRuntime, clock: ManualClock, db: Database
) -> None:
    officer, an = people["officer"], people["an"]
    await officer.say("/giaoviec 10/12/2026 Nộp báo cáo tổng kết")
    await officer.say("/giaoviec 18/12/2026 Gửi danh sách đoàn viên")

    # Two open tasks, no reminder yet: the bot asks which, listing both.
    question = await an.say("dạ em báo cáo đang làm 40% ạ")
    assert "cho việc nào" in (question.text or "")
    assert "1. Việc số 1: Nộp báo cáo tổng kết" in (question.text or "")
    assert "2. Việc số 2: Gửi danh sách đoàn viên" in (question.text or "")
    assert [b["text"] for b in question.buttons[0]] == ["1", "2"]
    assert replies(db) == []
    answered = await an.say("2")
    assert (answered.text or "").startswith("Đã ghi nhận: Việc số 2 — Đang làm 40%")

    # A tap answers the question too.
    question = await an.say("vuong: chua co mau bieu")
    tapped = await an.press(question.message_id, question.buttons[0][0]["callback_data"])
    assert (tapped.text or "").startswith("Đã ghi nhận: Việc số 1 — Vướng mắc (chua co mau bieu)")

    # A line naming the task needs no question.
    named = await an.say("viec 2 dang lam 70%")
    assert (named.text or "").startswith("Đã ghi nhận: Việc số 2 — Đang làm 70%")

    # After a reminder of task 1, a line naming nothing is about task 1.
    await reminded(an, bot, clock)
    clock.set(datetime(2026, 12, 9, 10, 0, tzinfo=VN))
    assert (await an.say("xong")).text.startswith("Đã ghi nhận: Việc số 1 — Đã xong")

    # A correction: the latest reply decides, the earlier ones stay as history.
    corrected = await an.say("sửa: đang làm 90%")
    assert (corrected.text or "").startswith("Đã ghi nhận: Việc số 1 — Đang làm 90%")
    assert "Thay cho báo cáo trước: Đã xong" in (corrected.text or "")
    first = assignment_of(db, "CDCS-01", 1)
    assert (first.progress, first.percent, first.done_at) == (Progress.IN_PROGRESS, 90, None)
    history = [r.raw_text for r in replies(db) if r.assignment_id == first.id]
    assert history == ["vuong: chua co mau bieu", "xong", "sửa: đang làm 90%"]

    # `/viec` lists the open tasks with their deadline and status.
    tasks = (await an.say("/viec")).text or ""
    assert "Việc số 1 — hạn 10/12/2026 (còn 1 ngày) — Đang thực hiện (trong hạn)" in tasks
    assert "Việc số 2 — hạn 18/12/2026" in tasks


async def test_bad_input_photos_and_strangers(
    people: dict[str, Person], sandbox: SandboxServer, db: Database
) -> None:
    officer, an, mai = people["officer"], people["an"], people["mai"]
    await officer.say("/giaoviec 10/12/2026 Nộp ảnh hội nghị")

    for line, words in (
        ("150%", "không hợp lệ"),
        ("-20%", "không hợp lệ"),
        ("👍👍", "chỉ có biểu tượng"),
        ("x" * 10_000, "dài quá"),
        ("60", "tỷ lệ hay số lượng"),
    ):
        assert words in (await an.say(line)).text, line
    before = len(an.inbox())
    sandbox.state.inject_sticker(an.user_id)
    assert "nhãn dán" in ((await an.next_message(before)).text or "")
    before = len(an.inbox())
    sandbox.state.inject_photo(an.user_id, b"\xff\xd8photo")
    assert "không có chú thích" in ((await an.next_message(before)).text or "")
    # Someone who chairs no unit, and the chair of a unit given no task.
    assert "không phải chủ tịch" in (await officer.say("xong")).text
    assert "không có việc nào" in (await mai.say("xong")).text
    assert replies(db) == []

    before = len(an.inbox())
    sandbox.state.inject_photo(an.user_id, b"\xff\xd8photo", caption="Đã xong ạ, ảnh kèm theo")
    receipt = await an.next_message(before)
    assert "Đã xong" in (receipt.text or "") and "có tệp đính kèm" in (receipt.text or "")
    (reply,) = replies(db)
    assert reply.raw_text == "Đã xong ạ, ảnh kèm theo"
    assert reply.attachment_file_id


async def test_an_indicator_is_asked_and_summed(
    people: dict[str, Person], bot: BotRuntime, clock: ManualClock, db: Database
) -> None:
    officer, an, binh = people["officer"], people["an"], people["binh"]
    await officer.say("/giaoviec 10/12/2026 Kết nạp đoàn viên mới")
    assert "Không tìm thấy" in (await officer.say("/chitieu 7 Số đoàn viên | người")).text
    assert "Cách dùng" in (await officer.say("/chitieu")).text
    set_ = await officer.say("/chitieu 1 Số đoàn viên kết nạp mới | người")
    assert "Đã đặt chỉ tiêu cho Việc số 1: Số đoàn viên kết nạp mới (người)" in set_.text
    assert "chỉ dành cho cán bộ" in (await an.say("/chitieu 1 Gì đó | cái")).text

    reminder = await reminded(an, bot, clock)
    assert "📈 Chỉ tiêu: Số đoàn viên kết nạp mới (người)" in (reminder.text or "")
    assert "Đang làm, số liệu 12" in (await an.say("kết nạp 12")).text
    assert "số liệu 5" in (await binh.say("xong, đạt 5")).text
    assert "số liệu 15" in (await an.say("dang lam 80%, ket nap 15")).text  # a later figure

    summary = (await officer.say("/tonghop")).text or ""
    assert "📈 Số đoàn viên kết nạp mới: 20 người (2/3 đơn vị đã báo số)" in summary
    assert assignment_of(db, "CDCS-01").percent == 80
