"""Tasks that change, as a conversation in process: /suaviec, /giahan, /huyviec, /dongviec,
each previewed and confirmed; the chairs told once; the old reminders withdrawn and the new
ladder planned; the history kept; and the bad input that changes nothing."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select
from sqlmodel import col

from handlers.messages import Outgoing
from schedules.clock import ManualClock
from storage.engine import Database
from storage.models import Assignment, OutboxMessage, OutboxState, Task, Unit
from storage.task_change_tables import TaskChange
from tests.conftest import VN
from tests.handlers.harness import Chat, World, labels


@pytest.fixture
def people(world: World) -> dict[str, Chat]:
    """The Tam Đường officer, its three chairs, and the Phong Thổ officer."""
    world.import_roster()
    everyone = {
        "officer": world.person(100, "Phạm Văn Đức", phone="0912000003"),
        "an": world.person(201, "Nguyễn Văn An", phone="0912000011"),  # CDCS-01
        "binh": world.person(202, "Lê Thị Bình", phone="0912000012"),  # CDCS-02
        "chu": world.person(203, "Vàng A Chư", phone="0912000013"),  # CDCS-03
        "tam": world.person(104, "Hà Văn Tâm", phone="0912000004"),  # officer of Phong Thổ
    }
    for person in everyone.values():
        assert person.name in person.shares_contact().text
    return everyone


def given(officer: Chat) -> None:
    assert "Đã giao Việc số 1" in officer.gives_task("/giaoviec 10/12/2026 Nộp báo cáo năm").text


def confirm(officer: Chat, preview: Outgoing) -> Outgoing:
    assert labels(preview) == [["✅ Xác nhận", "✖️ Thôi"]], preview.text
    return officer.taps(preview.choices[0][0].data)


def pending_reminders(db: Database) -> dict[str, str]:
    """Pending reminder rows: key → the unit's code."""
    with db.session() as session:
        rows = session.execute(
            select(OutboxMessage.key, Unit.code)
            .join(Assignment, Assignment.id == OutboxMessage.assignment_id)
            .join(Unit, Unit.id == Assignment.unit_id)
            .where(OutboxMessage.state == OutboxState.PENDING, OutboxMessage.kind == "reminder")
        ).all()
    return {key: code for key, code in rows}


def reminders_of(chat: Chat) -> list[str]:
    return [m.text for m in chat.inbox if "Nhắc việc" in m.text]


def reminders_of_messages(chat: Chat) -> list[Outgoing]:
    return [m for m in chat.inbox if "Nhắc việc" in m.text]


def history(db: Database) -> list[TaskChange]:
    with db.session() as session:
        return list(
            session.scalars(select(TaskChange).where(col(TaskChange.confirmed_at).is_not(None)))
        )


def test_new_text_previewed_confirmed_and_told_once(
    people: dict[str, Chat], world: World, clock: ManualClock, db: Database
) -> None:
    officer, an, binh = people["officer"], people["an"], people["binh"]
    given(officer)
    preview = officer.says("/suaviec 1 Nộp báo cáo tổng kết năm 2026 kèm số liệu")
    assert "Xem trước — Việc số 1" in preview.text
    assert "Nội dung cũ: Nộp báo cáo năm" in preview.text
    assert "Đơn vị chưa xong được báo: 3" in preview.text
    with db.session() as session:
        assert session.get_one(Task, 1).text == "Nộp báo cáo năm"
    done = confirm(officer, preview)
    assert done.text.startswith("Đã sửa nội dung Việc số 1. Đã báo 3 người của 3 đơn vị")
    world.deliver()
    told = [m.text for m in an.inbox if "Nội dung việc đã thay đổi" in m.text]
    assert told == [
        "✏️ Nội dung việc đã thay đổi — Việc số 1\n"
        "Nội dung mới: Nộp báo cáo tổng kết năm 2026 kèm số liệu"
    ]
    assert "kèm số liệu" in an.says("/viec").text
    # The reminders that go out after the change carry the new text.
    clock.set(datetime(2026, 12, 9, 7, 30, tzinfo=VN))
    world.plan()
    world.deliver()
    assert "kèm số liệu" in reminders_of(binh)[-1]
    # Tapping the confirmation again changes nothing and tells no one again.
    again = officer.taps(preview.choices[0][0].data)
    assert "đã được xử lý" in again.text
    world.deliver()
    assert len([m for m in an.inbox if "đã thay đổi" in m.text]) == 1
    (change,) = history(db)
    assert change.kind == "text" and change.details["before"] == "Nộp báo cáo năm"


def test_new_deadline_with_a_time_and_no_year(
    people: dict[str, Chat], world: World, clock: ManualClock, db: Database
) -> None:
    officer, an = people["officer"], people["an"]
    given(officer)
    clock.set(datetime(2026, 12, 3, 17, 0, tzinfo=VN))  # the «before-7» reminder
    world.plan()
    world.deliver()
    assert len(reminders_of(an)) == 1
    preview = officer.says("/suaviec 1 hạn 20/12 10:00")
    assert "Hạn mới: 20/12/2026 lúc 10:00" in preview.text
    confirm(officer, preview)
    world.deliver()
    assert any("Hạn mới: 20/12/2026 lúc 10:00" in m.text for m in an.inbox)
    # The old ladder's 09/12 and 10/12 send nothing; the new one counts to 20/12.
    for day, hour in ((7, 17), (9, 8), (10, 8), (10, 17)):
        clock.set(datetime(2026, 12, day, hour, 5, tzinfo=VN))
        world.plan()
        world.deliver()
    assert len(reminders_of(an)) == 1
    clock.set(datetime(2026, 12, 17, 10, 5, tzinfo=VN))
    world.plan()
    world.deliver()
    assert "Hạn: 20/12/2026" in reminders_of(an)[-1]


def test_extended_for_two_units_the_third_keeps_its_ladder(
    people: dict[str, Chat], world: World, clock: ManualClock, db: Database
) -> None:
    officer, an, binh, chu = (people[n] for n in ("officer", "an", "binh", "chu"))
    given(officer)
    clock.set(datetime(2026, 12, 9, 7, 25, tzinfo=VN))
    world.plan()  # the «before-last» rows of 09/12 07:30 are planned, not yet sent
    assert set(pending_reminders(db).values()) == {"CDCS-01", "CDCS-02", "CDCS-03"}
    preview = officer.says("/giahan 1 17/12 CDCS-01 cdcs-02")
    assert "Hạn mới: 17/12/2026 (gia hạn)" in preview.text
    assert "Đơn vị chưa xong được báo: 2" in preview.text
    assert set(pending_reminders(db).values()) == {"CDCS-01", "CDCS-02", "CDCS-03"}
    assert "Đã gia hạn Việc số 1" in confirm(officer, preview).text
    assert set(pending_reminders(db).values()) == {"CDCS-03"}
    for day in (9, 10):  # the old ladder's times: only CĐCS-03 is reminded
        clock.set(datetime(2026, 12, day, 7, 30, tzinfo=VN))
        world.plan()
        world.deliver()
    assert reminders_of(an) == [] and reminders_of(binh) == []
    assert len(reminders_of(chu)) == 2
    assert [m.text for m in an.inbox if "Gia hạn" in m.text] == [
        "📅 Gia hạn — Việc số 1\nHạn mới của đơn vị anh/chị: 17/12/2026."
    ]
    assert not any("Gia hạn" in m.text for m in chu.inbox)
    assert "17/12/2026" in an.says("/viec").text
    clock.set(datetime(2026, 12, 16, 7, 30, tzinfo=VN))
    world.plan()
    world.deliver()
    assert "Hạn: 17/12/2026" in reminders_of(an)[-1]
    (change,) = history(db)
    assert change.kind == "extend" and len(change.details["before"]) == 2
    # After the task's deadline, only the unit not extended counts as overdue.
    clock.set(datetime(2026, 12, 11, 9, 0, tzinfo=VN))
    summary = officer.says("/tonghop 1").text
    assert "Chưa xong 3: Quá hạn chưa hoàn thành 1 · Chưa báo cáo 2" in summary


def test_cancelled_task_gone_everywhere(
    people: dict[str, Chat], world: World, clock: ManualClock, db: Database
) -> None:
    officer, an = people["officer"], people["an"]
    given(officer)
    clock.set(datetime(2026, 12, 3, 17, 0, tzinfo=VN))  # «7 days before», sent
    world.plan()
    world.deliver()
    (reminder,) = reminders_of_messages(an)
    old_reminder = reminder.choices[0][0].data
    clock.set(datetime(2026, 12, 7, 16, 50, tzinfo=VN))  # «3 days before», planned
    world.plan()
    assert pending_reminders(db)
    preview = officer.says("/huyviec 1")
    assert "Hủy việc" in preview.text
    assert "Đã hủy Việc số 1" in confirm(officer, preview).text
    assert pending_reminders(db) == {}
    world.deliver()
    assert [m.text for m in an.inbox if "Đã hủy việc" in m.text] == [
        "❌ Đã hủy việc — Việc số 1\nAnh/chị không cần thực hiện và báo cáo việc này nữa."
    ]
    assert "Nộp báo cáo năm" not in an.says("/viec").text
    assert "Nộp báo cáo năm" not in officer.says("/tonghop").text
    for day in (7, 9, 10, 14):
        clock.set(datetime(2026, 12, day, 17, 5, tzinfo=VN))
        world.plan()
        world.deliver()
    assert len(reminders_of(an)) == 1  # only the one before the cancellation
    # The answer buttons of a reminder sent before the cancellation record nothing.
    assert "Việc số 1 đã bị hủy; anh/chị không cần báo cáo." in an.taps(old_reminder).text
    # Cancelling a cancelled task, or changing it: nothing changes.
    assert "đã bị hủy từ trước" in officer.says("/huyviec 1").text
    assert "đã bị hủy từ trước" in officer.says("/giahan 1 20/12").text
    assert len(history(db)) == 1


def test_closed_task_stops_reminders_and_stays_in_the_summary(
    people: dict[str, Chat], world: World, clock: ManualClock
) -> None:
    officer, an = people["officer"], people["an"]
    given(officer)
    assert "Đã ghi nhận" in people["binh"].says("xong").text
    preview = officer.says("/dongviec 1")
    assert "Đơn vị chưa xong được báo: 2" in preview.text
    assert "Đã kết thúc Việc số 1" in confirm(officer, preview).text
    assert "Nộp báo cáo năm" not in an.says("/viec").text
    assert "Nộp báo cáo năm" in officer.says("/tonghop").text
    clock.set(datetime(2026, 12, 9, 7, 30, tzinfo=VN))
    world.plan()
    world.deliver()
    assert reminders_of(an) == []
    assert "đã kết thúc từ trước" in officer.says("/dongviec 1").text


def test_bad_input_changes_nothing(
    people: dict[str, Chat], world: World, clock: ManualClock, db: Database
) -> None:
    officer, tam, an = people["officer"], people["tam"], people["an"]
    given(officer)
    # Another branch's task is answered like an unknown one.
    for line in ("/huyviec 1", "/suaviec 1 hạn 20/12", "/giahan 1 20/12", "/dongviec 1"):
        assert "Không tìm thấy «Việc số 1»" in tam.says(line).text
    assert "Không tìm thấy «Việc số 99»" in officer.says("/huyviec 99").text
    assert "Không tìm thấy «490/LĐLĐ mục 3»" in officer.says("/huyviec 490/LĐLĐ mục 3").text
    assert "Cách dùng: /huyviec" in officer.says("/huyviec").text
    assert "Cách dùng: /giahan" in officer.says("/giahan abc").text
    # Dates in the past, beyond the horizon, or not dates at all.
    assert "đã qua" in officer.says("/suaviec 1 hạn 01/01/2020").text
    assert "quá xa" in officer.says("/suaviec 1 hạn 31/12/9999").text
    assert "quá xa" in officer.says("/giahan 1 31/12/9999 CDCS-01").text
    assert "chưa đúng dạng" in officer.says("/suaviec 1 hạn 31/02/2027").text
    assert "chưa đúng dạng" in officer.says("/giahan 1 20/12 25:00").text
    assert "phải sau hạn hiện tại" in officer.says("/giahan 1 05/12 CDCS-01").text
    assert "không có trong số" in officer.says("/giahan 1 20/12 CDCS-11").text
    # A chair cannot use the commands at all.
    assert "Việc số 1" not in an.says("/huyviec 1").text
    # «Thôi», a forged button, another officer's tap: nothing changes.
    preview = officer.says("/huyviec 1")
    assert "Nút này không hợp lệ" in tam.taps(preview.choices[0][0].data).text
    for forged in ("tc:ok:999999", "tc:ok:abc", "tc:maybe:1", "tc:ok:99999999999"):
        assert "không hợp lệ" in officer.taps(forged).text
    assert "giữ nguyên" in officer.taps(preview.choices[0][1].data).text
    assert "đã được xử lý" in officer.taps(preview.choices[0][0].data).text
    assert history(db) == []
    with db.session() as session:
        assert session.get_one(Task, 1).state == "open"
    assert "Nộp báo cáo năm" in an.says("/viec").text


def test_a_preview_confirmed_after_its_deadline_passed_changes_nothing(
    people: dict[str, Chat], world: World, clock: ManualClock, db: Database
) -> None:
    officer = people["officer"]
    given(officer)
    preview = officer.says("/suaviec 1 hạn 25/11 10:00")
    clock.set(datetime(2026, 11, 26, 8, 0, tzinfo=VN))
    assert "đã qua" in confirm(officer, preview).text
    assert history(db) == []


def test_giaoviec_to_one_unit_with_a_time_and_no_year(
    people: dict[str, Chat], world: World, clock: ManualClock, db: Database
) -> None:
    officer, an, binh = people["officer"], people["an"], people["binh"]
    given_one = officer.gives_task("/giaoviec CDCS-01 20/12 10:00 Gửi danh sách đoàn viên")
    assert given_one.text.startswith(
        "Đã giao Việc số 1 cho CĐCS Trường THCS Bình Lư, hạn 20/12/2026 lúc 10:00."
    )
    assert "Gửi danh sách" in an.says("/viec").text
    assert "Gửi danh sách" not in binh.says("/viec").text
    # A date without a year already past this year is next year's.
    clock.set(datetime(2026, 12, 21, 9, 0, tzinfo=VN))
    everyone = officer.gives_task("/giaoviec 15/01 Báo cáo quý IV")
    assert "hạn 15/01/2027." in everyone.text
    assert "Giao cho: các đơn vị trực thuộc trực tiếp của LĐLĐ huyện Tam Đường." in everyone.text
    assert "quá xa" in officer.gives_task("/giaoviec 31/12/9999 Việc quá xa").text
    assert "chưa đúng dạng" in officer.gives_task("/giaoviec 20/12 24:00 Giờ sai").text


def test_giaoviec_previews_and_gives_only_once_confirmed(
    people: dict[str, Chat], world: World, db: Database
) -> None:
    officer, tam, an = people["officer"], people["tam"], people["an"]
    preview = officer.says("/giaoviec 10/12/2026 Nộp báo cáo năm")
    assert preview.text == (
        "Xem trước — giao việc\nNội dung: Nộp báo cáo năm\nHạn: 10/12/2026\n"
        "Giao cho: các đơn vị trực thuộc trực tiếp của LĐLĐ huyện Tam Đường (3 đơn vị).\n"
        "Anh/chị xác nhận?"
    )
    assert labels(preview) == [["✅ Giao việc", "✖️ Thôi"]]
    assert "Nộp báo cáo năm" not in an.says("/viec").text
    assert "Nộp báo cáo năm" not in officer.says("/tonghop").text
    # Another officer's tap, forged data: nothing is given.
    assert "không hợp lệ" in tam.taps(preview.choices[0][0].data).text
    for forged in ("gv:ok:999999", "gv:ok:x", "gv:later:1"):
        assert "không hợp lệ" in officer.taps(forged).text
    assert "Nộp báo cáo năm" not in an.says("/viec").text
    given_now = officer.taps(preview.choices[0][0].data)
    assert given_now.text.startswith("Đã giao Việc số 1 cho 3 đơn vị thuộc LĐLĐ huyện Tam Đường")
    assert "đã được giao trước đó" in officer.taps(preview.choices[0][0].data).text
    assert "Nộp báo cáo năm" in an.says("/viec").text
    # «Thôi»: the draft is gone, nothing given.
    second = officer.says("/giaoviec CDCS-02 12/12 Việc nhầm")
    assert "Giao cho: CĐCS Trạm Y tế Sơn Bình (1 đơn vị)." in second.text
    assert "chưa giao việc nào" in officer.taps(second.choices[0][1].data).text
    assert "Việc nhầm" not in people["binh"].says("/viec").text
    with db.session() as session:
        assert [t.text for t in session.scalars(select(Task))] == ["Nộp báo cáo năm"]


def test_officers_of_the_units_concerned_are_told_once(world: World) -> None:
    """A province's task reaches the district federations too: a change tells their
    officers, and a person who is both chair and officer of a unit gets one message."""
    from tests.factories import INTAKE_ROSTER

    world.import_roster(INTAKE_ROSTER)
    hoa = world.person(101, "Trần Thị Hoa", phone="0912000001")  # officer of the province
    duc = world.person(100, "Phạm Văn Đức", phone="0912000003")  # officer of LDLD-TU
    lan = world.person(141, "Hà Thị Lan", phone="0912000041")  # chair and officer of LDLD-TP
    for person in (hoa, duc, lan):
        assert person.name in person.shares_contact().text
    assert "Đã giao Việc số 1" in hoa.gives_task("/giaoviec 10/12/2026 Báo cáo quý IV").text
    preview = hoa.says("/huyviec 1")
    assert "Đã hủy Việc số 1" in confirm(hoa, preview).text
    world.deliver()
    assert [m.text for m in duc.inbox if "Đã hủy việc" in m.text] == [
        "❌ Đã hủy việc — Việc số 1\nAnh/chị không cần thực hiện và báo cáo việc này nữa."
    ]
    assert len([m for m in lan.inbox if "Đã hủy việc" in m.text]) == 1
    assert not any("Đã hủy việc" in m.text for m in hoa.inbox)


def test_an_item_of_a_directive_named_by_its_number(
    people: dict[str, Chat], world: World, clock: ManualClock, db: Database
) -> None:
    from storage import directives

    officer, an = people["officer"], people["an"]
    with db.session() as session:
        district = session.scalars(select(Unit).where(Unit.code == "LDLD-TU")).one()
        grassroots = session.scalars(select(Unit.id).where(Unit.parent_id == district.id)).all()
        directive = directives.create_directive(
            session,
            kind="Công văn",
            number="490/LĐLĐ",
            subject="Tổng kết Tháng Công nhân",
            owner_unit_id=district.id,
            created_by_person_id=1,
            now=clock.now(),
        )
        assert directive.id is not None
        task = directives.add_task(
            session,
            directive_id=directive.id,
            item=3,
            text="Báo cáo kết quả",
            deadline_at=datetime(2026, 12, 20, 17, 0, tzinfo=VN),
        )
        assert task.id is not None
        directives.assign(session, task_id=task.id, unit_ids=grassroots, now=clock.now())
    preview = officer.says("/giahan 490/lđlđ mục 3 27/12 CDCS-01")
    assert preview.text.startswith("Xem trước — CV 490/LĐLĐ, mục 3\nHạn mới: 27/12/2026")
    assert "Đã gia hạn CV 490/LĐLĐ, mục 3" in confirm(officer, preview).text
    world.deliver()
    assert any("Gia hạn — CV 490/LĐLĐ, mục 3" in m.text for m in an.inbox)
    assert "27/12/2026" in an.says("/viec").text
    assert "Không tìm thấy «490/LĐLĐ mục 3»" in people["tam"].says("/huyviec 490/LĐLĐ mục 3").text


def test_the_escalation_leaves_out_a_unit_whose_extension_runs(
    people: dict[str, Chat], world: World, clock: ManualClock
) -> None:
    officer = people["officer"]
    given(officer)
    confirm(officer, officer.says("/giahan 1 15/01/2027 CDCS-01"))
    clock.set(datetime(2026, 12, 22, 7, 30, tzinfo=VN))  # after the task's ladder
    world.plan()
    world.deliver()
    (escalation,) = [m.text for m in officer.inbox if "Đơn vị chưa hoàn thành" in m.text]
    assert "Còn 2 đơn vị chưa báo xong" in escalation
    assert "Bình Lư" not in escalation


def test_a_new_text_keeps_each_units_own_deadline(
    people: dict[str, Chat], world: World, clock: ManualClock, db: Database
) -> None:
    officer, an, binh = people["officer"], people["an"], people["binh"]
    given(officer)
    confirm(officer, officer.says("/giahan 1 17/12 CDCS-01"))
    confirm(officer, officer.says("/suaviec 1 Nộp báo cáo năm, bản ký số"))
    assert "17/12/2026" in an.says("/viec").text
    assert "10/12/2026" in binh.says("/viec").text
    for moment in (
        datetime(2026, 12, 9, 7, 30, tzinfo=VN),
        datetime(2026, 12, 16, 7, 30, tzinfo=VN),
    ):
        clock.set(moment)
        world.plan()
        world.deliver()
    assert "Hạn: 10/12/2026" in reminders_of(binh)[0] and "bản ký số" in reminders_of(binh)[0]
    assert [("Hạn: 17/12/2026" in text, "bản ký số" in text) for text in reminders_of(an)] == [
        (True, True)
    ]
    with db.session() as session:
        revisions = dict(
            session.execute(
                select(Unit.code, Assignment.revision).join(Unit, Unit.id == Assignment.unit_id)
            ).all()
        )
    assert revisions["CDCS-01"] != revisions["CDCS-02"] == revisions["CDCS-03"]
