"""Passing down and reporting up for a unit named first (issue 14, item 4): the administrator
does it for any district, numbered as `/giaoxuong MÃ` lists it; an officer of a branch does it
for a unit of the branch that has no officer of its own (here on Zalo, the choices typed as
numbers); an officer naming a unit outside the branch is answered as for an unknown unit, and
a unit with its own officer is left to that officer — each refusal changing nothing."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from bot.cli import main
from handlers.messages import Channel
from schedules.clock import ManualClock
from schedules.pass_down_rule import PassDownAction, pass_down_data
from storage.engine import Database
from storage.models import Assignment, Person, Progress, Reply, Unit
from tests.conftest import VN
from tests.factories import PROVINCE_ROSTER, invite_code
from tests.handlers.harness import Chat, World, buttons

# The administrator holds no branch of their own; the province's officer is Trần Thị Hoa.
ADMIN_ROSTER = [*PROVINCE_ROSTER, "LDLD-LC,,,,,,Quản Trị Viên,0912000005,quản trị"]
# The province's education union has two CĐCS and no officer: the province's officer passes
# its tasks down. The province's own officer registers on Zalo by invite.
SECTOR_ROSTER = [
    "LDLD-LC,LĐLĐ tỉnh Lai Châu,,LĐLĐ tỉnh,,,,,",
    *PROVINCE_ROSTER[1:],
    "CDN-GD,Công đoàn ngành Giáo dục,LDLD-LC,Công đoàn ngành,,,,,",
    "CDCS-GD1,CĐCS Trường Mầm non Bình Lư,CDN-GD,CĐCS,Lường Thị Hạnh,0912000051,,,",
    "CDCS-GD2,CĐCS Trường Tiểu học Sơn Bình,CDN-GD,CĐCS,Lò Thị Nga,0912000052,,,",
]


def assignments(db: Database) -> list[tuple[str, str | None, str]]:
    """(unit code, its parent assignment's unit code, progress) of every assignment, by id."""
    with db.session() as session:
        rows = session.execute(
            select(Unit.code, Assignment.parent_assignment_id, Assignment.progress)
            .join(Unit, Unit.id == Assignment.unit_id)
            .order_by(Assignment.id)
        ).all()
        code_of = {
            assignment_id: code
            for assignment_id, code in session.execute(
                select(Assignment.id, Unit.code).join(Unit, Unit.id == Assignment.unit_id)
            ).all()
        }
    return [(code, code_of.get(parent), progress) for code, parent, progress in rows]


def replies(db: Database) -> list[tuple[str, str, str | None]]:
    """(unit code, who reported, note) of every stored reply."""
    with db.session() as session:
        rows = session.execute(
            select(Unit.code, Person.full_name, Reply.note)
            .join(Assignment, Assignment.id == Reply.assignment_id)
            .join(Unit, Unit.id == Assignment.unit_id)
            .join(Person, Person.id == Reply.person_id)
            .order_by(Reply.id)
        ).all()
    return [(code, name, note) for code, name, note in rows]


def assignment_of(db: Database, code: str) -> int:
    with db.session() as session:
        found = session.scalars(
            select(Assignment.id).join(Unit, Unit.id == Assignment.unit_id).where(Unit.code == code)
        ).first()
    assert found is not None
    return found


@pytest.fixture
def admin_world(world: World, clock: ManualClock) -> dict[str, Chat]:
    """The administrator, the officers of Tam Đường and Phong Thổ and two of Tam Đường's
    chairs, registered by phone."""
    clock.set(datetime(2026, 11, 20, 9, 0, tzinfo=VN))
    world.import_roster(ADMIN_ROSTER, "admin.csv")
    everyone = {
        "admin": world.person(90, "Quản Trị Viên", phone="0912000005"),
        "duc": world.person(102, "Phạm Văn Đức", phone="0912000003"),  # LDLD-TU officer
        "tam": world.person(103, "Hà Văn Tâm", phone="0912000004"),  # LDLD-PT officer
        "an": world.person(201, "Nguyễn Văn An", phone="0912000011"),  # CDCS-01
        "binh": world.person(202, "Lê Thị Bình", phone="0912000012"),  # CDCS-02
    }
    for person in everyone.values():
        assert person.name in person.shares_contact().text
    return everyone


def test_the_administrator_passes_a_district_task_down_and_reports_it_up(
    admin_world: dict[str, Chat], db: Database
) -> None:
    admin, duc, an, binh = (admin_world[name] for name in ("admin", "duc", "an", "binh"))
    given = admin.gives_task("/giaoviec LDLD-LC 18/12/2026 Báo cáo sơ kết công tác tuyên truyền")
    assert "cho 2 đơn vị thuộc LĐLĐ tỉnh Lai Châu" in given.text

    # The district named by name, without diacritics: its tasks, numbered, and what to type.
    listing = admin.says("/giaoxuong huyen tam duong").text
    assert listing.startswith("⬇️ Việc của LĐLĐ huyện Tam Đường có thể giao xuống:")
    assert "1. Việc số 1 — hạn 18/12/2026" in listing
    assert "ví dụ /giaoxuong LDLD-TU 1" in listing and "/baocaolen LDLD-TU SỐ" in listing
    # Without a unit, an administrator with no branch of their own is asked to name one.
    assert admin.says("/giaoxuong").text.startswith(
        "Anh/chị là quản trị hệ thống: xin ghi mã hoặc tên đơn vị trước, ví dụ /giaoxuong"
    )

    preview = admin.says("/giaoxuong LDLD-TU 1 CDCS-01 CDCS-02")
    assert preview.text.startswith("⬇️ Giao xuống: Việc số 1")
    assert "Cho 2 đơn vị: CĐCS Trường THCS Bình Lư; CĐCS Trạm Y tế Sơn Bình" in preview.text
    assert "Hạn của LĐLĐ huyện Tam Đường: 18/12/2026." in preview.text
    assert [row for row in assignments(db) if row[1] is not None] == []  # not yet
    done = admin.taps(buttons(preview)["✅ Xác nhận giao"]).text
    assert done.startswith("✅ Đã giao xuống Việc số 1 cho 2 đơn vị, hạn 15/12/2026.")
    assert "/baocaolen LDLD-TU SỐ (số trong danh sách /giaoxuong LDLD-TU)" in done
    assert [row for row in assignments(db) if row[1] is not None] == [
        ("CDCS-01", "LDLD-TU", Progress.OPEN),
        ("CDCS-02", "LDLD-TU", Progress.OPEN),
    ]
    # The district's own officer sees the same passed-down task under his unit's task.
    assert "đã giao xuống: 0/2 xong" in duc.says("/giaoxuong").text

    an.says("xong")
    binh.says("đang làm 50%")
    assert "đã giao xuống: 1/2 xong" in admin.says("/giaoxuong LDLD-TU").text
    report = admin.says("/baocaolen LDLD-TU 1")
    assert report.text.startswith("Đã ghi nhận: Việc số 1 — Đang làm 50%"), report.text
    assert replies(db)[-1] == ("LDLD-TU", "Quản Trị Viên", "Báo cáo lên: 1/2 CĐCS xong")
    summary = admin.says("/tonghop LDLD-LC").text
    assert (
        "⬇️ LĐLĐ huyện Tam Đường: 1/2 đơn vị trực thuộc xong — báo cáo lên: Đang thực hiện"
        in summary
    )
    final = admin.says("/baocaolen huyện Tam Đường 1 xong")
    assert final.text.startswith("Đã ghi nhận: Việc số 1 — Đã xong")
    assert ("LDLD-TU", None, Progress.DONE) in assignments(db)
    # Done: nothing is left to pass down or report at the district.
    assert admin.says("/giaoxuong LDLD-TU").text == (
        "LĐLĐ huyện Tam Đường hiện không có việc nào được giao để giao xuống."
    )


def test_bad_input_of_the_administrators_pass_down_changes_nothing(
    admin_world: dict[str, Chat], db: Database
) -> None:
    admin = admin_world["admin"]
    admin.gives_task("/giaoviec LDLD-LC 18/12/2026 Báo cáo sơ kết")
    before, said = assignments(db), len(replies(db))
    assert "Không có việc số «5» trong danh sách /giaoxuong LDLD-TU" in (
        admin.says("/giaoxuong LDLD-TU 5").text
    )
    assert admin.says("/giaoxuong KHONG-CO 1").text.startswith(
        "Không tìm thấy đơn vị «KHONG-CO» trong phạm vi anh/chị phụ trách."
    )
    several = admin.says("/giaoxuong huyen 1").text
    assert several.startswith("Có 2 đơn vị có tên như «huyen»") and "mã LDLD-TU" in several
    # Codes outside the named district are unknown there, the unit above and itself too.
    for codes in ("CDCS-11", "LDLD-LC", "LDLD-TU"):
        answer = admin.says(f"/giaoxuong LDLD-TU 1 {codes}")
        assert "Không tìm thấy đơn vị mã" in answer.text and answer.choices == (), codes
    assert "chưa được giao xuống" in admin.says("/baocaolen LDLD-TU 1").text
    assert "/giaoxuong LDLD-TU 1" in admin.says("/baocaolen LDLD-TU 1").text
    assert admin.says("/baocaolen LDLD-TU").text.startswith("Cách dùng: /baocaolen [ĐƠN_VỊ]")
    assert (assignments(db), len(replies(db))) == (before, said)


def test_an_officer_cannot_pass_down_outside_the_branch_nor_for_a_unit_with_its_officer(
    admin_world: dict[str, Chat], world: World, db: Database
) -> None:
    admin, tam = admin_world["admin"], admin_world["tam"]
    admin.gives_task("/giaoviec LDLD-LC 18/12/2026 Báo cáo sơ kết")
    before = assignments(db)
    # Phong Thổ's officer names Tam Đường: answered exactly as an unknown unit.
    for line in ("/giaoxuong LDLD-TU", "/giaoxuong huyen tam duong 1", "/baocaolen LDLD-TU 1"):
        refused = tam.says(line).text
        assert refused.startswith("Không tìm thấy đơn vị «"), line
        assert "trong phạm vi anh/chị phụ trách" in refused
    # Nor by a button carrying Tam Đường's assignment.
    forged = tam.taps(pass_down_data(PassDownAction.START, assignment_of(db, "LDLD-TU")))
    assert "không phải việc" in forged.text
    assert (
        "không còn"
        in tam.taps(pass_down_data(PassDownAction.CONFIRM, assignment_of(db, "LDLD-TU"))).text
    )
    # His own district, named or not, he passes down as before.
    assert "Việc của LĐLĐ huyện Phong Thổ có thể giao xuống" in tam.says("/giaoxuong LDLD-PT").text

    # The province's officer: Tam Đường is in her branch, but its own officer steers it.
    hoa = world.person(100, "Trần Thị Hoa", phone="0912000001")
    hoa.shares_contact()
    own = hoa.says("/giaoxuong LDLD-TU 1").text
    assert own.startswith("LĐLĐ huyện Tam Đường có cán bộ phụ trách riêng"), own
    assert "/tonghop LDLD-TU" in own
    assert assignments(db) == before


def test_a_branch_officer_on_zalo_passes_down_for_a_unit_without_an_officer(
    world: World, clock: ManualClock, capsys: pytest.CaptureFixture[str], db: Database
) -> None:
    clock.set(datetime(2026, 11, 20, 9, 0, tzinfo=VN))
    world.import_roster(SECTOR_ROSTER, "sector.csv")
    assert main(["invite", "--unit", "LDLD-LC", "--role", "officer"]) == 0
    code = invite_code(capsys.readouterr().out)
    hoa = world.person(9100, "Trần Thị Hoa", channel=Channel.ZALO)
    assert "Cán bộ" in hoa.says(code).text
    duc = world.person(102, "Phạm Văn Đức", phone="0912000003")
    duc.shares_contact()  # Tam Đường's own officer, on Telegram

    given = hoa.gives_task("/giaoviec 18/12/2026 Rà soát đoàn viên")
    assert "cho 3 đơn vị thuộc LĐLĐ tỉnh Lai Châu" in given.text
    nothing = hoa.says("/giaoxuong").text  # her own unit has no task given to it
    assert "Việc của một đơn vị khác: /giaoxuong MÃ_ĐƠN_VỊ" in nothing

    listing = hoa.says("/giaoxuong cong doan nganh giao duc").text
    assert listing.startswith("⬇️ Việc của Công đoàn ngành Giáo dục có thể giao xuống:")
    preview = hoa.says("/giaoxuong CDN-GD 1")
    assert preview.choices == ()
    assert preview.text.endswith("1. ✅ Xác nhận giao\n2. ❌ Hủy"), preview.text
    waiting = hoa.says("3").text  # not a choice: the preview still waits, listed again
    assert "chờ anh/chị xác nhận" in waiting and waiting.endswith("2. ❌ Hủy")
    assert [row for row in assignments(db) if row[1] is not None] == []
    done = hoa.says("1").text
    assert done.startswith("✅ Đã giao xuống Việc số 1 cho 2 đơn vị, hạn 15/12/2026."), done
    assert "2 đơn vị chưa có ai đăng ký với bot" in done
    assert [row for row in assignments(db) if row[1] is not None] == [
        ("CDCS-GD1", "CDN-GD", Progress.OPEN),
        ("CDCS-GD2", "CDN-GD", Progress.OPEN),
    ]
    report = hoa.says("/baocaolen CDN-GD 1").text
    assert report.startswith("Đã ghi nhận: Việc số 1 — Đang làm (Báo cáo lên: 0/2 CĐCS xong)")

    # Tam Đường has its own officer, who steers its task; nothing is passed down there.
    refused = hoa.says("/giaoxuong LDLD-TU 1").text
    assert refused.startswith("LĐLĐ huyện Tam Đường có cán bộ phụ trách riêng")
    assert not [row for row in assignments(db) if row[1] == "LDLD-TU"]
