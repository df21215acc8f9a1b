"""The roster sheet as officers really fill it in: their own headings, codes in another case,
a parent given by name, old 11-digit mobiles, formulas in the CSV export, and files too big
to read (issue 14 item 5, issue 16's memory bound)."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pytest

from schedules.phones import converted_old_mobile
from schedules.roster_sheet import RosterSheet, UnitRow, read_roster, write_roster
from schedules.roster_sheet import check as check_module
from schedules.roster_sheet import read as read_module
from schedules.roster_sheet.columns import MAX_FILE_BYTES
from schedules.roster_sheet.printable import print_rows
from tests.schedules.roster_sheet_files import (
    HEADER,
    TREE,
    csv_file,
    officer,
    problems_of,
    single_problem,
    unit,
    xlsx_file,
)

# --------------------------------------------------------------------------- headings

OFFICE_HEADINGS = [
    ["Mã đơn vị", "Tên đơn vị", "Đơn vị cấp trên", "Cấp", "Họ và tên Chủ tịch", "Điện thoại",
     "Cán bộ phụ trách", "Điện thoại cán bộ phụ trách", "Vai trò"],
    ["MA DON VI", "TEN DON VI", "DON VI CAP TREN", "CAP", "HO VA TEN CHU TICH", "DIEN THOAI",
     "CAN BO PHU TRACH", "SDT CAN BO PHU TRACH", "VAI TRO"],
    ["mã đơn vị", "tên công đoàn cơ sở", "đơn vị cấp trên trực tiếp", "loại đơn vị",
     "họ và tên chủ tịch công đoàn", "số điện thoại di động", "họ và tên cán bộ",
     "số điện thoại cán bộ", "vai trò"],
]  # fmt: skip


@pytest.mark.parametrize("header", OFFICE_HEADINGS)
def test_headings_as_officers_type_them(tmp_path: Path, header: list[str]) -> None:
    sheet = read_roster(csv_file(tmp_path, [header, *TREE[1:]]))
    assert sheet == read_roster(csv_file(tmp_path, TREE, name="ids.csv"))


def test_row_messages_name_the_files_own_headings(tmp_path: Path) -> None:
    header = ["Mã đơn vị", "Tên đơn vị", "Đơn vị cấp trên", "Họ và tên Chủ tịch", "Điện thoại"]
    rows = [header, ["T", "Tỉnh", "", "", "0912000101"], ["H", "", "T", "", ""]]
    problems = problems_of(csv_file(tmp_path, rows))
    assert [p.line for p in problems] == [2, 3]
    assert '(cột "Họ và tên Chủ tịch")' in problems[0].message
    assert '(cột "Tên đơn vị")' in problems[1].message
    for problem in problems:
        for internal in ("chu_tich", "ten_don_vi", "ma_cap_tren", "dien_thoai"):
            assert internal not in problem.message


def test_two_columns_for_one_thing_are_named_by_their_headings(tmp_path: Path) -> None:
    header = ["Mã đơn vị", "Tên đơn vị", "Mã cấp trên", "Điện thoại", "Họ và tên Chủ tịch", "SĐT"]
    problem = single_problem(csv_file(tmp_path, [header, ["T", "Tỉnh", "", "", "", ""]]))
    assert problem.line == 1
    assert 'cột D ("Điện thoại") và cột F ("SĐT")' in problem.message
    assert "dien_thoai" not in problem.message


def test_a_file_level_problem_reads_tep_not_dong_0(tmp_path: Path) -> None:
    problem = single_problem(csv_file(tmp_path, [HEADER]))
    assert problem.line == 0
    assert str(problem).startswith("Tệp: ")


# --------------------------------------------------------------------------- codes


def test_codes_are_trimmed_and_compared_without_case(tmp_path: Path) -> None:
    rows = [
        *TREE,
        unit("CS3", "CĐCS 3", " kcn "),
        officer(" cs3 ", "Ngô Văn Ích", "0912000009"),
    ]
    sheet = read_roster(csv_file(tmp_path, rows))
    assert sheet.units[-1].parent_code == "KCN"
    assert sheet.officers[-1].unit_code == "CS3"


def test_codes_that_differ_only_in_case_are_duplicates(tmp_path: Path) -> None:
    problem = single_problem(csv_file(tmp_path, [*TREE, unit("cs1", "CĐCS khác", "H1")]))
    assert problem.line == 9
    assert problem.message == 'Mã đơn vị "cs1" bị trùng: đã khai báo ở dòng 5 ("CS1").'


# --------------------------------------------------------------------------- parents


def test_a_parent_given_by_name_is_matched(tmp_path: Path) -> None:
    rows = [*TREE, unit("CS3", "CĐCS 3", "lien doan lao dong tinh mau")]
    assert read_roster(csv_file(tmp_path, rows)).units[-1].parent_code == "T"


def test_a_parent_name_close_to_a_unit_is_suggested(tmp_path: Path) -> None:
    rows = [*TREE, unit("CS3", "CĐCS 3", "LĐ huyện Ví Dụ")]
    rows[0] = [*HEADER[:2], "Đơn vị cấp trên", *HEADER[3:]]
    problem = single_problem(csv_file(tmp_path, rows))
    assert problem.line == 9
    assert '(cột "Đơn vị cấp trên") không khớp mã hay tên đơn vị nào' in problem.message
    assert 'Có phải "H1" (LĐLĐ huyện Ví Dụ)?' in problem.message


def test_a_parent_name_two_units_share_asks_for_the_code(tmp_path: Path) -> None:
    rows = [
        *TREE,
        unit("H2", "LĐLĐ huyện Ví Dụ", "T"),
        unit("CS3", "CĐCS 3", "LĐLĐ huyện Ví Dụ"),
    ]
    problem = single_problem(csv_file(tmp_path, rows))
    assert problem.line == 10
    assert '"H1" (dòng 3), "H2" (dòng 9)' in problem.message
    assert "Hãy ghi mã của đơn vị cấp trên." in problem.message


# --------------------------------------------------------------------------- phones


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("0168 123 4567", "0381 234 567"),
        ("01621234567", "0321 234 567"),
        ("+84 120 123 4567", "0701 234 567"),
        ("0129.123.4567", "0821 234 567"),
        ("0199 123 4567", "0591 234 567"),
    ],
)
def test_old_11_digit_mobiles_convert_as_in_2018(old: str, new: str) -> None:
    assert converted_old_mobile(old) == new


@pytest.mark.parametrize("raw", ["0912 345 678", "0130 123 4567", "0168 123 456", "abc"])
def test_other_numbers_have_no_conversion(raw: str) -> None:
    assert converted_old_mobile(raw) is None


def test_an_old_mobile_in_the_sheet_gets_its_new_number_as_a_hint(tmp_path: Path) -> None:
    rows = [*TREE, unit("CS3", "CĐCS 3", "H1", chair="Đinh Văn Khoa", phone="0168 123 4567")]
    problem = single_problem(csv_file(tmp_path, rows))
    assert problem.line == 9
    assert '"0168 123 4567" (cột "dien_thoai") là số di động 11 chữ số cũ' in problem.message
    assert "số mới là 0381 234 567" in problem.message


# --------------------------------------------------------------------------- formulas


def test_the_csv_export_cannot_carry_a_formula(tmp_path: Path) -> None:
    sheet = RosterSheet(
        units=(
            UnitRow(0, "T", '=HYPERLINK("http://x","y")', None, "+cấp", "-Ai", None),
            UnitRow(0, "@H", "'=quoted already", "T", None, "@Người", None),
        ),
        officers=(),
    )
    path = tmp_path / "out.csv"
    write_roster(path, sheet)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@"))]
    assert '\'=HYPERLINK("http://x","y")' in cells
    assert "''=quoted already" in cells
    assert read_roster(path) == sheet  # still importable, the same roster


# --------------------------------------------------------------------------- printable sheet


def test_the_xlsx_export_has_a_sheet_to_print_and_stays_importable(tmp_path: Path) -> None:
    import openpyxl

    sheet = read_roster(csv_file(tmp_path, TREE))
    path = tmp_path / "export.xlsx"
    write_roster(path, sheet, registered={"H1"})
    assert read_roster(path) == sheet
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["Danh sách đơn vị", "In danh sách"]
    page = workbook["In danh sách"]
    rows = [[cell or "" for cell in row] for row in page.iter_rows(min_row=2, values_only=True)]
    assert rows[0] == ["STT", "Đơn vị", "Cấp", "Chủ tịch", "Điện thoại", "Đăng ký bot"]
    assert rows[1:] == [
        ["1", "Liên đoàn Lao động tỉnh Mẫu", "LĐLĐ tỉnh", "Nguyễn Văn An", "0912 000 101", "Chưa"],
        ["2", "LĐLĐ huyện Ví Dụ", "LĐLĐ huyện", "Trần Thị Bình", "0983 000 202", "Đã đăng ký"],
        ["3", "Công đoàn các khu công nghiệp", "Công đoàn KCN", "", "", "—"],
        ["4", "CĐCS Công ty May Mẫu", "CĐCS", "Lê Văn Cường", "0868 000 303", "Chưa"],
        ["5", "CĐCS Trường THCS Ví Dụ", "CĐCS", "Phạm Thị Dung", "0902 000 404", "Chưa"],
    ]
    assert page.print_title_rows == "$2:$2"
    assert page.page_setup.orientation == "landscape"
    assert [depth for depth, _ in print_rows(sheet, set())] == [0, 1, 2, 3, 2]


# --------------------------------------------------------------------------- bounds


def test_a_file_over_the_size_bound_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: no disk used

    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was opened")

    monkeypatch.setattr(Path, "open", no_reading)
    monkeypatch.setattr(Path, "read_bytes", no_reading)
    problem = single_problem(path)
    assert str(problem).startswith('Tệp: Tệp "huge.csv" quá lớn (20.0 MB)')
    assert "tối đa 20 MB và 200,000 dòng" in problem.message


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_file_over_the_line_bound_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    monkeypatch.setattr(read_module, "MAX_LINES", 30)
    rows = [*TREE, *(unit(f"CS{n}", f"CĐCS {n}", "H1") for n in range(100, 140))]
    make = csv_file if suffix == ".csv" else xlsx_file
    problem = single_problem(make(tmp_path, rows, name=f"long{suffix}"))
    assert problem.line == 0
    assert "có hơn 30 dòng" in problem.message
    assert len(read_roster(make(tmp_path, rows[:30], name=f"ok{suffix}")).units) == 27


def test_an_xlsx_that_unpacks_beyond_the_bound_is_refused_unopened(tmp_path: Path) -> None:
    path = xlsx_file(tmp_path, TREE)
    # A part of zeros: 300 MB unpacked from a few hundred kilobytes.
    with (
        zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/media/padding.bin", "w", force_zip64=True) as part,
    ):
        block = bytes(1024 * 1024)
        for _ in range(300):
            part.write(block)
    assert path.stat().st_size < MAX_FILE_BYTES
    problem = single_problem(path)
    assert problem.line == 0
    assert "giải nén ra 300 MB, quá giới hạn 200 MB" in problem.message


def test_problems_beyond_the_bound_are_counted_not_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(check_module, "MAX_PROBLEMS", 5)
    rows = [*TREE, *(unit(f"X{n}", "", "H1") for n in range(12))]
    problems = problems_of(csv_file(tmp_path, rows))
    assert len(problems) == 6
    assert problems[0] == problems[0].__class__(
        0, "Tệp có 12 lỗi; dưới đây là 5 lỗi đầu tiên. Hãy sửa rồi nhập lại để xem tiếp."
    )
