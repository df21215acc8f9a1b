"""`nhacviec roster import` shows its plan first and cannot wipe the tree by mistake: a plan
that archives units or ends roles is applied only with `--yes`, `--dry-run` changes nothing,
and the plan is what the import then does (issue 14 item 5). SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.cli import main
from schedules.roster_sheet import read_roster
from schedules.roster_sheet.plan import ChairChange, RoleChange, UnitChange, plan_roster
from storage.engine import Database
from storage.models import Appointment, ChannelAccount, Unit
from storage.roster import apply_roster
from storage.roster_state import load_roster_state
from tests.conftest import VN
from tests.factories import PROVINCE_ROSTER, write_roster
from tests.storage.test_roster import snapshot

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=VN)

# The province's second version: one unit renamed, one moved (its code typed in lower case,
# its parent by name), one re-levelled, one chair replaced, one given, an officer gone and
# another come, a person renamed, a unit added, one left out.
V2 = [
    PROVINCE_ROSTER[0].replace("Trần Thị Hoa,0912000001", "Trần Thị Hoa Mới,0912000001"),
    PROVINCE_ROSTER[1].replace("Phạm Văn Đức,0912000003", "Hoàng Thị Thu,0912000008"),
    PROVINCE_ROSTER[2].replace(",CĐCS,", ",CĐCS loại 1,"),
    PROVINCE_ROSTER[3]
    .replace("Trạm Y tế Sơn Bình", "Trạm Y tế xã Sơn Bình")
    .replace("Lê Thị Bình,0912000012", "Trịnh Văn Mới,0912000099"),
    "cdcs-03,CĐCS Công ty Chè Tam Đường,LĐLĐ huyện Phong Thổ,CĐCS,Vàng A Chư,0912000013,,,",
    "LDLD-PT,LĐLĐ huyện Phong Thổ,LDLD-LC,LĐLĐ huyện,Lò Thị Mới,0912000077,"
    "Hà Văn Tâm,0912000004,cán bộ",
    "CDCS-04,CĐCS Mới,LDLD-PT,CĐCS,Hà Thị Mới,0912000031,,,",
]


@pytest.fixture
def cli(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NHACVIEC_DATABASE_URL", database_url)


def imported(tmp_path: Path, rows: list[str] = PROVINCE_ROSTER, *flags: str) -> int:
    return main(["roster", "import", str(write_roster(tmp_path / "roster.csv", rows)), *flags])


def active_units(db: Database) -> int:
    with db.session() as session:
        count = select(func.count()).select_from(Unit).where(Unit.archived_at.is_(None))
        return session.scalar(count) or 0


def test_the_plan_lists_every_change_and_is_what_the_import_does(
    tmp_path: Path, db: Database
) -> None:
    with db.session() as session:
        apply_roster(session, sheet=read_roster(write_roster(tmp_path / "v1.csv")), now=NOW)
    sheet = read_roster(write_roster(tmp_path / "v2.csv", V2))
    with db.session() as session:
        plan = plan_roster(sheet, load_roster_state(session))
    assert plan.added == [("CDCS-04", "CĐCS Mới")]
    assert plan.renamed == [
        UnitChange("CDCS-02", "CĐCS Trạm Y tế Sơn Bình", "CĐCS Trạm Y tế xã Sơn Bình")
    ]
    assert plan.moved == [UnitChange("CDCS-03", "LDLD-TU", "LDLD-PT")]
    assert plan.relevelled == [UnitChange("CDCS-01", "CĐCS", "CĐCS loại 1")]
    assert plan.archived == [("CDCS-11", "CĐCS Trường Tiểu học Mường So")]
    assert plan.chairs_replaced == [
        ChairChange("CDCS-02", "CĐCS Trạm Y tế xã Sơn Bình", ("Lê Thị Bình",), "Trịnh Văn Mới")
    ]
    assert plan.chairs_given == [ChairChange("LDLD-PT", "LĐLĐ huyện Phong Thổ", (), "Lò Thị Mới")]
    assert plan.roles_removed == [RoleChange("LDLD-TU", "Phạm Văn Đức", "officer")]
    assert plan.roles_added == [RoleChange("LDLD-TU", "Hoàng Thị Thu", "officer")]
    assert plan.people_renamed == [UnitChange("+84912000001", "Trần Thị Hoa", "Trần Thị Hoa Mới")]
    assert plan.unbound == 2
    assert plan.needs_confirmation
    assert not plan.archives_everything

    with db.session() as session:
        ended_before = session.scalar(
            select(func.count()).select_from(Appointment).where(Appointment.ended_at.is_not(None))
        )
        changes = apply_roster(session, sheet=sheet, now=NOW)
        ended_after = session.scalar(
            select(func.count()).select_from(Appointment).where(Appointment.ended_at.is_not(None))
        )
    assert changes.added == [code for code, _ in plan.added]
    assert changes.archived == [code for code, _ in plan.archived]
    assert (ended_after or 0) - (ended_before or 0) == plan.unbound
    with db.session() as session:
        again = plan_roster(sheet, load_roster_state(session))
    assert again.changes_nothing  # applied: the same file plans nothing


def test_a_one_row_file_does_not_archive_the_tree_without_yes(
    tmp_path: Path, db: Database, cli: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert imported(tmp_path) == 0
    before = snapshot(db)
    capsys.readouterr()
    assert imported(tmp_path, PROVINCE_ROSTER[:1]) == 3
    out, err = capsys.readouterr()
    assert "Kế hoạch nhập roster.csv: 1 đơn vị trong tệp, 7 đơn vị đang dùng." in out
    assert "  Lưu trữ 6 đơn vị: LDLD-TU (LĐLĐ huyện Tam Đường); CDCS-01" in out
    assert "Chưa nhập: kế hoạch này sẽ lưu trữ 6/7 đơn vị đang dùng" in err
    assert "--yes" in err
    assert snapshot(db) == before  # nothing changed

    assert imported(tmp_path, PROVINCE_ROSTER[:1], "--yes") == 0
    assert "thêm 0, sửa 0, lưu trữ 6 đơn vị" in capsys.readouterr().out
    assert active_units(db) == 1


def test_dry_run_prints_the_plan_and_changes_nothing(
    tmp_path: Path, db: Database, cli: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert imported(tmp_path) == 0
    before = snapshot(db)
    capsys.readouterr()
    assert imported(tmp_path, V2, "--dry-run") == 0
    out = capsys.readouterr().out
    for line in (
        "  Thêm 1 đơn vị: CDCS-04 (CĐCS Mới)",
        "  Đổi tên 1 đơn vị: CDCS-02: «CĐCS Trạm Y tế Sơn Bình» → «CĐCS Trạm Y tế xã Sơn Bình»",
        "  Chuyển cấp trên 1 đơn vị: CDCS-03: LDLD-TU → LDLD-PT",
        "  Đổi cấp 1 đơn vị: CDCS-01: «CĐCS» → «CĐCS loại 1»",
        "  Lưu trữ 1 đơn vị: CDCS-11 (CĐCS Trường Tiểu học Mường So)",
        "  Thay chủ tịch 1 đơn vị: CDCS-02: Lê Thị Bình → Trịnh Văn Mới",
        "  Thêm chủ tịch 1 đơn vị: LDLD-PT: Lò Thị Mới",
        "  Thêm 1 cán bộ/quản trị: Hoàng Thị Thu (cán bộ LDLD-TU)",
        "  Thôi vai trò 1 cán bộ/quản trị: Phạm Văn Đức (cán bộ LDLD-TU)",
        "  Sửa họ tên 1 người: 0912 000 001: Trần Thị Hoa → Trần Thị Hoa Mới",
        "Chạy thử (--dry-run): chưa có gì thay đổi.",
    ):
        assert line in out
    assert snapshot(db) == before


def test_yes_applies_a_plan_that_replaces_a_chair_and_removes_an_officer(
    tmp_path: Path, db: Database, cli: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert imported(tmp_path) == 0
    before = snapshot(db)
    capsys.readouterr()
    assert imported(tmp_path, V2) == 3
    err = capsys.readouterr().err
    assert "Chưa nhập: kế hoạch này sẽ lưu trữ 1/7 đơn vị đang dùng" in err
    assert "và cho 2 người thôi vai trò" in err
    assert snapshot(db) == before
    assert imported(tmp_path, V2, "--yes") == 0
    # sửa: the units whose own row changed (renamed, moved, re-levelled, chair replaced)
    assert "Đã nhập roster.csv: thêm 1, sửa 3, lưu trữ 1 đơn vị" in capsys.readouterr().out
    with db.session() as session:
        moved = session.scalars(select(Unit).where(Unit.code == "CDCS-03")).one()
        parent = session.get(Unit, moved.parent_id)
        assert parent is not None and parent.code == "LDLD-PT"


def test_a_plan_that_only_adds_and_renames_needs_no_yes(
    tmp_path: Path, db: Database, cli: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert imported(tmp_path) == 0
    rows = [r.replace("Trạm Y tế Sơn Bình", "Trạm Y tế xã Sơn Bình") for r in PROVINCE_ROSTER]
    assert imported(tmp_path, [*rows, "CDCS-04,CĐCS Mới,LDLD-PT,CĐCS,,,,,"]) == 0
    assert "thêm 1, sửa 1, lưu trữ 0 đơn vị" in capsys.readouterr().out


def test_a_plan_that_archives_every_unit_is_refused_with_its_own_message(
    tmp_path: Path, db: Database, cli: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert imported(tmp_path) == 0
    before = snapshot(db)
    capsys.readouterr()
    other = ["X-1,Một tỉnh khác,,LĐLĐ tỉnh,,,,,", "X-2,CĐCS khác,X-1,CĐCS,,,,,"]
    assert imported(tmp_path, other) == 3
    err = capsys.readouterr().err
    assert "Chưa nhập: tệp này sẽ lưu trữ TOÀN BỘ 7 đơn vị đang dùng" in err
    assert "không mã đơn vị nào trong tệp trùng với danh sách hiện tại" in err
    assert "chọn nhầm tệp" in err
    assert snapshot(db) == before
    assert imported(tmp_path, other, "--yes") == 0
    assert active_units(db) == 2


def test_codes_in_another_case_update_the_same_units(
    tmp_path: Path, db: Database, cli: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert imported(tmp_path) == 0
    before = snapshot(db)
    capsys.readouterr()
    lowered = [row.replace("CDCS-", "cdcs-").replace("LDLD-", " ldld-") for row in PROVINCE_ROSTER]
    assert imported(tmp_path, lowered) == 0
    assert "  Không có gì thay đổi." in capsys.readouterr().out
    assert snapshot(db) == before


def test_dry_run_and_yes_together_are_refused(tmp_path: Path, cli: None) -> None:
    with pytest.raises(SystemExit) as exit_:
        imported(tmp_path, PROVINCE_ROSTER, "--dry-run", "--yes")
    assert exit_.value.code == 2


def test_headings_as_officers_type_them_import_the_same_roster(
    tmp_path: Path, db: Database, cli: None
) -> None:
    assert imported(tmp_path) == 0
    before = snapshot(db)
    header = (
        "Mã đơn vị,Tên đơn vị,ĐƠN VỊ CẤP TRÊN,Cấp,Họ và tên Chủ tịch,Điện thoại,"
        "can bo phu trach,Điện thoại cán bộ phụ trách,Vai trò"
    )
    path = tmp_path / "office.csv"
    path.write_text("\n".join([header, *PROVINCE_ROSTER]) + "\n", encoding="utf-8")
    assert main(["roster", "import", str(path)]) == 0
    assert snapshot(db) == before


def test_errors_name_the_files_headings_and_say_tep_for_the_file(
    tmp_path: Path, db: Database, cli: None, capsys: pytest.CaptureFixture[str]
) -> None:
    header = "Mã đơn vị,Tên đơn vị,Đơn vị cấp trên,Cấp,Họ và tên Chủ tịch,Điện thoại"
    rows = [
        "T,LĐLĐ tỉnh,,LĐLĐ tỉnh,,0912000001",
        "H,LĐLĐ huyện,LĐLĐ tỉn,LĐLĐ huyện,Lò Văn A,0168 123 4567",
    ]
    path = tmp_path / "office.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    assert main(["roster", "import", str(path)]) == 1
    err = capsys.readouterr().err
    assert "có 3 lỗi" in err
    assert 'Dòng 2: Có số điện thoại chủ tịch "0912000001" nhưng thiếu họ tên chủ tịch' in err
    assert '(cột "Họ và tên Chủ tịch")' in err
    assert '"0168 123 4567" (cột "Điện thoại") là số di động 11 chữ số cũ' in err
    assert "số mới là 0381 234 567" in err
    assert 'Cấp trên "LĐLĐ tỉn" của đơn vị "H" (cột "Đơn vị cấp trên")' in err
    assert 'Có phải "T" (LĐLĐ tỉnh)?' in err  # never the row's own unit
    for internal in ("chu_tich", "ma_cap_tren", "dien_thoai", "ten_don_vi"):
        assert internal not in err

    assert main(["roster", "import", str(tmp_path / "missing.csv")]) == 1
    err = capsys.readouterr().err
    assert '  Tệp: Không tìm thấy tệp "missing.csv".' in err
    assert "Dòng 0" not in err
    assert active_units(db) == 0


def test_the_export_prints_who_registered_and_guards_csv_formulas(
    tmp_path: Path, db: Database, cli: None, capsys: pytest.CaptureFixture[str]
) -> None:
    import openpyxl

    rows = [*PROVINCE_ROSTER, "CDCS-12,=cmd|' /C calc'!A0,LDLD-PT,CĐCS,,,,,"]
    assert imported(tmp_path, rows) == 0
    with db.session() as session:
        person_id = session.scalar(
            select(Appointment.person_id)
            .join(Unit, Unit.id == Appointment.unit_id)
            .where(Unit.code == "CDCS-01", Appointment.role == "chair")
        )
        session.add(
            ChannelAccount(
                channel="telegram", external_user_id="201", chat_id="201",
                person_id=person_id, created_at=NOW, last_seen_at=NOW,
            )
        )  # fmt: skip
    before = snapshot(db)
    assert main(["roster", "export", str(tmp_path / "out.xlsx")]) == 0
    assert "Trang thứ hai «In danh sách»: 1 chủ tịch đã đăng ký bot." in capsys.readouterr().out
    page = openpyxl.load_workbook(tmp_path / "out.xlsx")["In danh sách"]
    status = {row[1]: row[5] for row in page.iter_rows(min_row=3, values_only=True)}
    assert status["CĐCS Trường THCS Bình Lư"] == "Đã đăng ký"
    assert status["CĐCS Trạm Y tế Sơn Bình"] == "Chưa"
    assert status["LĐLĐ huyện Phong Thổ"] == "—"  # no chair

    assert main(["roster", "export", str(tmp_path / "out.csv")]) == 0
    assert "Tệp CSV chỉ có một trang" in capsys.readouterr().out
    text = (tmp_path / "out.csv").read_text(encoding="utf-8-sig")
    assert ",'=cmd|' /C calc'!A0," in text
    for exported in ("out.xlsx", "out.csv"):
        assert main(["roster", "import", str(tmp_path / exported)]) == 0
        assert "  Không có gì thay đổi." in capsys.readouterr().out
        assert snapshot(db) == before
