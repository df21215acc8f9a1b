"""The administrator acts anywhere in the tree (issue 14, item 4): gives work to a unit named
by code or by name outside any branch of theirs, reads /tonghop of any unit, and /trogiup
shows each person exactly the commands they may use."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import func, select

from handlers.commands import COMMANDS, Access
from handlers.texts import NOT_REGISTERED
from schedules.clock import ManualClock
from storage.engine import Database
from storage.models import Assignment
from tests.conftest import VN
from tests.factories import INTAKE_ROSTER, PROVINCE_ROSTER
from tests.handlers.harness import Chat, World, buttons
from tests.schedules.directive_files import docx_bytes, seed_text

SEED_490 = "004_3fbaa7aed5e606d2.txt"  # 490/LĐLĐ, addressed to five units below the province

# The administrator also runs the Phong Thổ district; Tam Đường is outside that branch.
ADMIN_ROSTER = [
    *PROVINCE_ROSTER,
    "LDLD-PT,,,,,,Quản Trị Viên,0912000005,cán bộ",
    "LDLD-LC,,,,,,Quản Trị Viên,0912000005,quản trị",
    # Her chair is also the officer of the city federation (a chair who is an officer).
    "LDLD-TP,LĐLĐ thành phố Lai Châu,LDLD-LC,LĐLĐ thành phố,Hà Thị Lan,0912000041,"
    "Hà Thị Lan,0912000041,cán bộ",
]


@pytest.fixture
def admin(world: World, clock: ManualClock) -> Chat:
    clock.set(datetime(2026, 11, 20, 9, 0, tzinfo=VN))
    world.import_roster(ADMIN_ROSTER, "admin.csv")
    admin = world.person(90, "Quản Trị Viên", phone="0912000005")
    greeting = admin.shares_contact().text
    assert "Quản trị hệ thống" in greeting and "Cán bộ LĐLĐ huyện Phong Thổ" in greeting
    return admin


def assignments(db: Database) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(Assignment)) or 0)


def test_the_administrator_gives_work_to_a_unit_named_outside_their_branch(
    admin: Chat, world: World, db: Database
) -> None:
    # Named without diacritics, by part of its name: one unit fits.
    given = admin.gives_task("/giaoviec huyen tam duong 20/12/2026 Nộp báo cáo tổng kết năm")
    assert given.text.startswith(
        "Đã giao Việc số 1 cho 3 đơn vị thuộc LĐLĐ huyện Tam Đường, hạn 20/12/2026."
    ), given.text
    # By code, in any case, the same.
    assert "cho 1 đơn vị thuộc LĐLĐ huyện Phong Thổ" in (
        admin.gives_task("/giaoviec ldld-pt 20/12/2026 Gửi danh sách đoàn viên").text
    )
    assert assignments(db) == 4

    # A name fitting several units lists them with their codes and gives nothing.
    several = admin.says("/giaoviec huyen 20/12/2026 Việc mơ hồ").text
    assert "Có 2 đơn vị có tên như «huyen»" in several
    assert "• LĐLĐ huyện Phong Thổ: mã LDLD-PT" in several
    assert "• LĐLĐ huyện Tam Đường: mã LDLD-TU" in several
    assert assignments(db) == 4

    # An officer of Phong Thổ gets the same words answered as an unknown unit.
    tam = world.person(101, "Hà Văn Tâm", phone="0912000004")
    tam.shares_contact()
    refused = tam.says("/giaoviec huyen tam duong 20/12/2026 Việc ngoài nhánh").text
    assert refused.startswith(
        "Không tìm thấy đơn vị «huyen tam duong» trong phạm vi anh/chị phụ trách."
    )
    assert tam.says("/giaoviec LDLD-TU 20/12/2026 Việc ngoài nhánh").text.startswith(
        "Không tìm thấy đơn vị «LDLD-TU»"
    )
    assert assignments(db) == 4


def test_an_administrator_without_a_branch_acts_for_the_root_or_is_asked_for_a_unit(
    world: World, clock: ManualClock, db: Database
) -> None:
    clock.set(datetime(2026, 11, 20, 9, 0, tzinfo=VN))
    world.import_roster(
        [*PROVINCE_ROSTER, "LDLD-LC,,,,,,Quản Trị Viên,0912000005,quản trị"], "admin.csv"
    )
    admin = world.person(90, "Quản Trị Viên", phone="0912000005")
    admin.shares_contact()
    # One root: the administrator's unnamed /giaoviec goes to the province's districts.
    given = admin.gives_task("/giaoviec 20/12/2026 Báo cáo sơ kết").text
    assert "cho 2 đơn vị thuộc LĐLĐ tỉnh Lai Châu" in given
    # Two roots: the administrator is asked to name the unit, and nothing is given.
    world.import_roster(
        [
            *PROVINCE_ROSTER,
            "LDLD-LC,,,,,,Quản Trị Viên,0912000005,quản trị",
            "KHAC,Tỉnh khác,,,,,,,",
        ],
        "two.csv",
    )
    before = assignments(db)
    asked = admin.says("/giaoviec 20/12/2026 Báo cáo sơ kết").text
    assert asked.startswith("Anh/chị là quản trị hệ thống: xin ghi mã hoặc tên đơn vị")
    assert assignments(db) == before


def test_the_administrator_reads_the_summary_and_invites_anywhere(
    admin: Chat, world: World
) -> None:
    # Their own /tonghop is their branch; a named unit anywhere in the tree is shown.
    own = admin.says("/tonghop").text
    assert "LĐLĐ huyện Phong Thổ" in own and "Tam Đường" not in own
    other = admin.says("/tonghop CDCS-02").text
    assert "CĐCS Trạm Y tế Sơn Bình" in other
    by_name = admin.says("/tonghop huyện Tam Đường").text
    assert "LĐLĐ huyện Tam Đường" in by_name and "không tìm thấy" not in by_name.lower()
    # An invite for a unit named without diacritics, outside the administrator's branch.
    invite = admin.says("/moi tram y te son binh").text
    assert invite.startswith("Mã mời cho chủ tịch CĐCS Trạm Y tế Sơn Bình: ")
    # The district officer of Phong Thổ cannot read Tam Đường's, nor invite its chairs.
    tam = world.person(101, "Hà Văn Tâm", phone="0912000004")
    tam.shares_contact()
    assert tam.says("/tonghop CDCS-02").text.startswith("Không tìm thấy «CDCS-02»")
    assert tam.says("/moi tram y te son binh").text.startswith("Không tìm thấy đơn vị")


def _listed(help_text: str) -> set[str]:
    """The commands a /trogiup answer lists, by name."""
    return {
        command.name
        for command in COMMANDS
        if command.in_help and f"• /{command.name}" in help_text
    }


def _expected(*accesses: Access) -> set[str]:
    return {command.name for command in COMMANDS if command.in_help and command.access in accesses}


def test_help_lists_exactly_what_each_person_may_use(admin: Chat, world: World) -> None:
    chair = world.person(201, "Nguyễn Văn An", phone="0912000011")
    officer = world.person(100, "Phạm Văn Đức", phone="0912000003")
    both = world.person(205, "Hà Thị Lan", phone="0912000041")
    stranger = world.person(300, "Người Lạ")
    for person in (chair, officer, both):
        person.shares_contact()

    chair_help = chair.says("/trogiup").text
    assert _listed(chair_help) == _expected(Access.CHAIR, Access.REGISTERED)
    assert "Các lệnh cho cán bộ" not in chair_help

    officer_help = officer.says("/trogiup").text
    assert _listed(officer_help) == _expected(Access.OFFICER, Access.REGISTERED)
    assert "Các lệnh cho chủ tịch" not in officer_help and "quản trị" not in officer_help

    admin_help = admin.says("/trogiup").text
    rights = (Access.OFFICER, Access.ADMINISTRATOR, Access.REGISTERED)
    assert _listed(admin_help) == _expected(*rights)
    assert "Là quản trị hệ thống, anh/chị giao việc" in admin_help

    both_help = both.says("/trogiup").text
    assert _listed(both_help) == _expected(Access.CHAIR, Access.OFFICER, Access.REGISTERED)
    assert "Các lệnh cho chủ tịch CĐCS:" in both_help and "Các lệnh cho cán bộ:" in both_help

    assert stranger.says("/trogiup").text == NOT_REGISTERED
    # /huy is listed for everyone registered, and says it asks first.
    assert "• /huy — hủy đăng ký tài khoản này (bot hỏi lại trước khi hủy)" in chair_help


def test_an_administrator_without_a_branch_takes_in_a_directive_for_the_root(
    world: World, clock: ManualClock
) -> None:
    clock.set(datetime(2026, 11, 20, 9, 0, tzinfo=VN))
    world.import_roster([*INTAKE_ROSTER, "LDLD-LC,,,,,,Quản Trị Viên,0912000005,quản trị"])
    admin = world.person(90, "Quản Trị Viên", phone="0912000005")
    admin.shares_contact()
    reading = admin.sends_file("490.docx", docx_bytes(seed_text(SEED_490)))
    assert "Giao cho 5 đơn vị" in reading.text  # the addressees, found anywhere in the tree
    everyone = admin.taps(buttons(reading)["Giao cho mọi đơn vị trực thuộc"]).text
    # Every unit directly below the province: the root the administrator acts for.
    assert "Giao cho 6 đơn vị" in everyone, everyone
