"""Work down the tree and back up, in process (issue 14 items 1–2): a task given to a district
reaches its officer and its chair; the officer passes it down (all children, a level, listed
codes), the deadline proposed with its rule; the CĐCS report; the officer reports up in one
step and the province's summary shows the report beside «2/3». And each bad input of passing
down: a unit outside the branch, a deadline later than the unit's own, forged buttons, a
past date — each answered, nothing changed. (Over HTTP on both platforms: tests/e2e.)"""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select
from sqlmodel import col

from schedules.clock import ManualClock
from schedules.pass_down_rule import PassDownAction, pass_down_data
from storage.engine import Database
from storage.models import Assignment, Directive, Progress, Reply, Task, Unit
from tests.conftest import VN
from tests.factories import INTAKE_ROSTER
from tests.handlers.harness import Chat, World, buttons, labels
from tests.schedules.directive_files import seed_text

NOTICE_TIME = datetime(2026, 12, 11, 17, 0, tzinfo=VN)  # the reminder a week before 18/12


@pytest.fixture
def people(world: World) -> dict[str, Chat]:
    """The province's officer, the Tam Đường district's officer and chair, its three CĐCS
    chairs, and the Phong Thổ district's officer; all registered by phone."""
    world.import_roster()
    everyone = {
        "hoa": world.person(100, "Trần Thị Hoa", phone="0912000001"),  # LDLD-LC officer
        "sang": world.person(101, "Lò Văn Sáng", phone="0912000002"),  # LDLD-TU chair
        "duc": world.person(102, "Phạm Văn Đức", phone="0912000003"),  # LDLD-TU officer
        "tam": world.person(103, "Hà Văn Tâm", phone="0912000004"),  # LDLD-PT officer
        "an": world.person(201, "Nguyễn Văn An", phone="0912000011"),  # CDCS-01
        "binh": world.person(202, "Lê Thị Bình", phone="0912000012"),  # CDCS-02
        "chu": world.person(203, "Vàng A Chư", phone="0912000013"),  # CDCS-03
    }
    for person in everyone.values():
        assert person.name in person.shares_contact().text
    return everyone


def assignments(db: Database) -> list[tuple[str, int | None, str]]:
    """(unit code, parent assignment id, progress) of every assignment, by id."""
    with db.session() as session:
        rows = session.execute(
            select(Unit.code, Assignment.parent_assignment_id, Assignment.progress)
            .join(Unit, Unit.id == Assignment.unit_id)
            .order_by(Assignment.id)
        ).all()
    return [(code, parent, progress) for code, parent, progress in rows]


def district_assignment(db: Database, code: str = "LDLD-TU") -> int:
    with db.session() as session:
        found = session.scalars(
            select(Assignment.id)
            .join(Unit, Unit.id == Assignment.unit_id)
            .where(Unit.code == code, col(Assignment.parent_assignment_id).is_(None))
        ).first()
    assert found is not None
    return found


def test_a_task_for_a_district_reaches_its_officer_and_chair_who_answer_for_it(
    people: dict[str, Chat], world: World, clock: ManualClock, db: Database
) -> None:
    hoa, sang, duc, tam = (people[name] for name in ("hoa", "sang", "duc", "tam"))
    given = hoa.gives_task("/giaoviec 18/12/2026 Báo cáo sơ kết công tác tuyên truyền")
    # The reach of a task: the units directly below the province, not its CĐCS.
    assert "cho 2 đơn vị thuộc LĐLĐ tỉnh Lai Châu" in given.text
    assert [code for code, _, _ in assignments(db)] == ["LDLD-PT", "LDLD-TU"]

    clock.set(NOTICE_TIME)
    world.plan()
    world.deliver()
    for person in (sang, duc, tam):
        assert [m for m in person.inbox if "Nhắc việc" in m.text], person
    # The officers' copy carries «giao xuống»; the chair's has the answer buttons only.
    officer_copy = [m for m in duc.inbox if "Nhắc việc" in m.text][-1]
    assert "Đơn vị: LĐLĐ huyện Tam Đường" in officer_copy.text
    assert labels(officer_copy)[-1] == ["⬇️ Giao xuống đơn vị trực thuộc"]
    chair_copy = [m for m in sang.inbox if "Nhắc việc" in m.text][-1]
    assert labels(chair_copy) == [["✅ Đã xong", "⏳ Đang làm", "⚠️ Vướng mắc"]]
    # Each person once: planning again adds nothing.
    before = len(world.outbox())
    world.plan()
    assert len(world.outbox()) == before

    # The officer sees it in /viec and reports for the unit as a chair does.
    tasks = duc.says("/viec").text
    assert "Việc số 1" in tasks and "chờ báo cáo" in tasks
    answer = duc.says("đang làm 40%")
    assert answer.text.startswith("Đã ghi nhận: Việc số 1 — Đang làm 40%")
    assert ("LDLD-TU", None, Progress.IN_PROGRESS) in assignments(db)


def test_passed_down_reported_and_summed_up_to_the_province(
    people: dict[str, Chat], world: World, clock: ManualClock, db: Database
) -> None:
    hoa, duc, an, binh = (people[name] for name in ("hoa", "duc", "an", "binh"))
    hoa.gives_task("/giaoviec 18/12/2026 Báo cáo sơ kết công tác tuyên truyền")
    hoa.says("/chitieu 1 Số đoàn viên kết nạp mới | người")

    listing = duc.says("/giaoxuong").text
    assert "1. Việc số 1 — hạn 18/12/2026" in listing
    preview = duc.says("/giaoxuong 1")
    assert "Cho 3 đơn vị: CĐCS Trường THCS Bình Lư; CĐCS Trạm Y tế Sơn Bình;" in preview.text
    # 18/12/2026 is a Friday: three working days before it is Tuesday 15/12.
    assert (
        "Hạn của các đơn vị: 15/12/2026 (đề xuất: 3 ngày làm việc trước hạn của đơn vị "
        "(18/12/2026))." in preview.text
    )
    assert labels(preview) == [["✅ Xác nhận giao", "❌ Hủy"]]
    assert [code for code, _, _ in assignments(db)] == ["LDLD-PT", "LDLD-TU"]  # not yet

    done = duc.taps(buttons(preview)["✅ Xác nhận giao"])
    assert "Đã giao xuống Việc số 1 cho 3 đơn vị, hạn 15/12/2026." in done.text
    parent = district_assignment(db)
    assert [row for row in assignments(db) if row[1] is not None] == [
        ("CDCS-01", parent, Progress.OPEN),
        ("CDCS-02", parent, Progress.OPEN),
        ("CDCS-03", parent, Progress.OPEN),
    ]
    with db.session() as session:
        task = session.scalars(select(Task).order_by(col(Task.id).desc())).first()
        assert task is not None and task.indicator_name == "Số đoàn viên kết nạp mới"
        assert task.deadline_at == datetime(2026, 12, 15, 17, 0, tzinfo=VN)
    # The stale confirmation does nothing twice.
    assert "không còn" in duc.taps(buttons(preview)["✅ Xác nhận giao"]).text

    an.says("xong, kết nạp 12")
    binh.says("xong, kết nạp 9")
    assert "đã giao xuống: 2/3 xong" in duc.says("/giaoxuong").text
    assert "Đã giao xuống: 2/3 đơn vị xong" in duc.says("/viec").text

    report = duc.says("/baocaolen 1")
    assert report.text.startswith("Đã ghi nhận: Việc số 1 — Đang làm 66%, số liệu 21")
    with db.session() as session:
        stored = session.scalars(select(Reply).order_by(col(Reply.id).desc())).first()
    assert stored is not None and stored.number == 21
    assert stored.note == (
        "Báo cáo lên: 2/3 CĐCS xong; Số đoàn viên kết nạp mới: 21 người (2 đơn vị báo số)"
    )

    summary = hoa.says("/tonghop").text
    assert (
        "⬇️ LĐLĐ huyện Tam Đường: 2/3 đơn vị trực thuộc xong — báo cáo lên: Đang thực hiện "
        "(trong hạn) (Báo cáo lên: 2/3 CĐCS xong;" in summary
    )
    # A district reached through its registered officer is not waiting for a chair.
    waiting = summary.split("Chưa có chủ tịch đăng ký với bot", 1)[1]
    assert "CĐCS Trường Tiểu học Mường So (CDCS-11)" in waiting
    assert "LDLD-PT" not in waiting
    # «xong» reports the unit done even with a CĐCS still working.
    final = duc.says("/baocaolen 1 xong")
    assert final.text.startswith("Đã ghi nhận: Việc số 1 — Đã xong")
    assert ("LDLD-TU", None, Progress.DONE) in assignments(db)


def test_a_level_or_listed_codes_and_the_button_under_the_notice(
    people: dict[str, Chat], world: World, clock: ManualClock, db: Database
) -> None:
    hoa, duc = people["hoa"], people["duc"]
    hoa.gives_task("/giaoviec 18/12/2026 Báo cáo sơ kết")
    hoa.gives_task("/giaoviec 20/12/2026 Rà soát đoàn viên")

    level = duc.says("/giaoxuong 1 cap cdcs 10/12/2026")  # without diacritics
    assert "Cho 3 đơn vị" in level.text and "(anh/chị chọn)" in level.text
    assert "Không có đơn vị cấp «xyz»" in duc.says("/giaoxuong 1 cấp xyz").text
    listed = duc.says("/giaoxuong 2 cdcs-01 CDCS-03")
    assert "Cho 2 đơn vị: CĐCS Trường THCS Bình Lư; CĐCS Công ty Chè Tam Đường" in listed.text
    duc.taps(buttons(listed)["✅ Xác nhận giao"])
    # Again to the same units: nothing twice.
    again = duc.says("/giaoxuong 2 CDCS-01")
    assert "đã được giao việc này rồi" in duc.taps(buttons(again)["✅ Xác nhận giao"]).text
    assert len([row for row in assignments(db) if row[1] is not None]) == 2

    clock.set(NOTICE_TIME)
    world.plan()
    world.deliver()
    notice = next(m for m in duc.inbox if "Nhắc việc" in m.text)
    from_button = duc.taps(buttons(notice)["⬇️ Giao xuống đơn vị trực thuộc"])
    assert from_button.text.startswith("⬇️ Giao xuống: Việc số 1")
    assert "Cho 3 đơn vị" in from_button.text
    cancelled = duc.taps(buttons(from_button)["❌ Hủy"])
    assert "Đã hủy" in cancelled.text
    assert len([row for row in assignments(db) if row[1] is not None]) == 2


def test_bad_input_of_passing_down_changes_nothing(
    people: dict[str, Chat], world: World, clock: ManualClock, db: Database
) -> None:
    hoa, sang, duc, tam = (people[name] for name in ("hoa", "sang", "duc", "tam"))
    hoa.gives_task("/giaoviec 18/12/2026 Báo cáo sơ kết")
    before = assignments(db)

    # Units outside the branch are answered as unknown ones: another district's CĐCS, the
    # province above, the district itself, a code that does not exist.
    for codes in ("CDCS-11", "LDLD-LC", "LDLD-TU", "CDCS-01 KHONG-CO"):
        answer = duc.says(f"/giaoxuong 1 {codes}")
        assert "Không tìm thấy đơn vị mã" in answer.text, codes
        assert "trong phạm vi anh/chị phụ trách" in answer.text
        assert answer.choices == ()
    assert "Không có việc số «7»" in duc.says("/giaoxuong 7").text
    assert "đã qua" in duc.says("/giaoxuong 1 01/11/2026").text
    assert "quá xa" in duc.says("/giaoxuong 1 01/01/9999").text
    assert "chưa đúng dạng" in duc.says("/giaoxuong 1 31/02/2026").text

    # A deadline later than the district's own: warned, and only a second confirmation gives.
    later = duc.says("/giaoxuong 1 22/12/2026")
    assert "⚠️ Hạn của các đơn vị SAU hạn của đơn vị anh/chị" in later.text
    first = duc.taps(buttons(later)["✅ Xác nhận giao"])
    assert "xác nhận lần nữa" in first.text
    assert assignments(db) == before
    typed = duc.says("ok")  # a line while the preview waits: the choices again
    assert "chờ anh/chị xác nhận" in typed.text
    assert assignments(db) == before
    second = duc.taps(buttons(first)["✅ Xác nhận giao"])
    assert "Đã giao xuống Việc số 1 cho 3 đơn vị, hạn 22/12/2026." in second.text

    # Forged and foreign buttons.
    parent = district_assignment(db)
    other = district_assignment(db, "LDLD-PT")
    assert "không còn" in duc.taps(pass_down_data(PassDownAction.CONFIRM, parent)).text
    assert "không phải việc" in duc.taps(pass_down_data(PassDownAction.START, other)).text
    assert "không phải việc" in sang.taps(pass_down_data(PassDownAction.START, parent)).text
    assert "không hợp lệ" in duc.taps("pd:zz:1").text
    assert "không hợp lệ" in duc.taps(pass_down_data(PassDownAction.START, 99_999)).text
    # Reporting up without passing down, and with words it does not know.
    assert "chưa được giao xuống" in tam.says("/baocaolen 1").text
    assert "Chưa hiểu" in duc.says("/baocaolen 1 hmm").text
    # A chair who is no officer may not pass down.
    assert "dành cho cán bộ" in sang.says("/giaoxuong 1").text
    with db.session() as session:
        assert session.scalars(select(Reply)).all() == []


def test_a_district_takes_in_again_the_document_the_province_took_in(
    world: World, db: Database
) -> None:
    world.import_roster(INTAKE_ROSTER)
    hoa = world.person(100, "Trần Thị Hoa", phone="0912000001")
    duc = world.person(102, "Phạm Văn Đức", phone="0912000003")
    hoa.shares_contact()
    duc.shares_contact()
    document = seed_text("000_e5f7c2b34886dca7.txt")
    hoa.says(document)
    assert "✅ Đã giao CV 534/LĐLĐ" in hoa.says("ok").text
    assert "đã được nhập" in hoa.says(document).text  # the same branch: not twice
    # The district receives the same letter from above and takes it in for its own units.
    again = duc.says(document)
    assert again.text.startswith("📄 CV 534/LĐLĐ")
    with db.session() as session:
        owners = session.scalars(select(Directive.owner_unit_id)).all()
    assert len(owners) == 2 and len(set(owners)) == 2
