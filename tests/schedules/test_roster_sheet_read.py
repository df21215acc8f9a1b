"""Reading roster files: CSV dialects, Excel cells, and files that cannot be read at all,
each told to the administrator in Vietnamese with the line a person sees."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from schedules.roster_sheet import OfficerRow, UnitRow, read_roster
from storage.models import Role
from tests.schedules.roster_sheet_files import (
    HEADER,
    TREE,
    Cell,
    csv_file,
    officer,
    single_problem,
    unit,
    xlsx_file,
)

# --------------------------------------------------------------------------- valid files


def test_four_level_tree(tmp_path: Path) -> None:
    sheet = read_roster(csv_file(tmp_path, TREE))
    assert [u.code for u in sheet.units] == ["T", "H1", "KCN", "CS1", "CS2"]
    assert sheet.units[0] == UnitRow(
        2, "T", "Liên đoàn Lao động tỉnh Mẫu", None, "LĐLĐ tỉnh", "Nguyễn Văn An", "+84912000101"
    )
    assert sheet.units[3].parent_code == "KCN"
    assert sheet.units[3].chair_phone == "+84868000303"
    assert sheet.units[2].chair_name is None
    assert sheet.units[2].chair_phone is None
    assert [u.line for u in sheet.units] == [2, 3, 4, 5, 6]
    # officers come grouped in unit order, whatever order the rows had
    assert sheet.officers == (
        OfficerRow(8, "T", "Hoàng Văn Em", "+84977000505", Role.ADMIN),
        OfficerRow(7, "H1", "Vũ Thị Giang", "+84888000606", Role.OFFICER),
    )
    assert [o.line for o in sheet.officers] == [8, 7]


def test_children_before_parents_come_out_parent_first(tmp_path: Path) -> None:
    rows = [
        HEADER,
        unit("CS1", "CĐCS 1", "KCN"),
        unit("CS2", "CĐCS 2", "H1"),
        unit("KCN", "CĐ KCN", "H1"),
        unit("H1", "Huyện 1", "T"),
        unit("T", "Tỉnh"),
        unit("T2", "Tỉnh 2"),
    ]
    sheet = read_roster(csv_file(tmp_path, rows))
    order = [u.code for u in sheet.units]
    assert order == ["T", "H1", "KCN", "CS1", "CS2", "T2"]
    position = {code: i for i, code in enumerate(order)}
    for row in sheet.units:
        if row.parent_code is not None:
            assert position[row.parent_code] < position[row.code]


def test_officer_on_a_defining_row_and_on_later_rows(tmp_path: Path) -> None:
    rows = [
        HEADER,
        unit("T", "Tỉnh", officer="Cán Bộ Một", officer_phone="0912000001"),
        officer("T", "Cán Bộ Hai", "0912000002", "officer"),
        officer("T", "Cán Bộ Ba", "0912000003", "Quan tri"),
        officer("T", "Cán Bộ Bốn", "0912000004", "ADMIN"),
        officer("T", "Cán Bộ Năm", "0912000005", "Cán Bộ"),
    ]
    sheet = read_roster(csv_file(tmp_path, rows))
    assert len(sheet.units) == 1
    assert [(o.line, o.full_name, o.role) for o in sheet.officers] == [
        (2, "Cán Bộ Một", "officer"),
        (3, "Cán Bộ Hai", "officer"),
        (4, "Cán Bộ Ba", "admin"),
        (5, "Cán Bộ Bốn", "admin"),
        (6, "Cán Bộ Năm", "officer"),
    ]


def test_text_is_cleaned(tmp_path: Path) -> None:
    decomposed = "Nguye\u0302\u0303n Va\u0306n An"  # "Nguyễn Văn An" typed as combining marks
    rows = [
        HEADER,
        unit(" T ", "  Liên   đoàn\u00a0tỉnh ", "", " LĐLĐ  tỉnh", decomposed, " 0912000101 "),
    ]
    (row,) = read_roster(csv_file(tmp_path, rows)).units
    assert (row.code, row.name, row.level) == ("T", "Liên đoàn tỉnh", "LĐLĐ tỉnh")
    assert row.chair_name == "Nguyễn Văn An"


def test_blank_rows_and_extra_columns_are_ignored_and_lines_stay_physical(tmp_path: Path) -> None:
    rows = [
        ["STT", *HEADER, "Ghi chú"],
        ["1", *unit("T", "Tỉnh"), "gốc"],
        [],
        ["", *[""] * 9, ""],
        ["2", *unit("H", "Huyện", "X"), ""],
        ["3"],  # a numbered but empty row
    ]
    problem = single_problem(csv_file(tmp_path, rows))
    assert problem.line == 5


def test_title_rows_above_the_header(tmp_path: Path) -> None:
    rows: list[list[Cell]] = [
        ["DANH SÁCH CÔNG ĐOÀN CƠ SỞ"],
        ["(kèm theo Công văn số 490/LĐLĐ)"],
        [],
        list(HEADER),
        unit("T", "Tỉnh"),
        unit("H", "Huyện", "T", chair="Lý Văn Mười", phone="0912"),
    ]
    problem = single_problem(xlsx_file(tmp_path, rows))
    assert problem.line == 6
    assert "0912" in problem.message


def test_quoted_cell_over_two_lines_reports_the_line_where_the_record_starts(
    tmp_path: Path,
) -> None:
    path = tmp_path / "roster.csv"
    path.write_text(
        ",".join(HEADER) + '\nT,"Liên đoàn\ntỉnh",,,,,,,\nH,Huyện,X,,,,,,\n',
        encoding="utf-8",
    )
    problem = single_problem(path)
    assert problem.line == 4
    path.write_text(",".join(HEADER) + '\nT,"Liên đoàn\ntỉnh",,,,,,,\n', encoding="utf-8")
    assert read_roster(path).units[0].name == "Liên đoàn tỉnh"


# --------------------------------------------------------------------------- csv dialects


def test_csv_with_bom(tmp_path: Path) -> None:
    assert read_roster(csv_file(tmp_path, TREE, bom=True)) == read_roster(
        csv_file(tmp_path, TREE, name="plain.csv")
    )


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_csv_with_other_delimiters(tmp_path: Path, delimiter: str) -> None:
    path = csv_file(tmp_path, TREE, delimiter=delimiter, bom=True)
    assert read_roster(path) == read_roster(csv_file(tmp_path, TREE, name="comma.csv"))


def test_semicolon_file_with_commas_inside_names(tmp_path: Path) -> None:
    rows = [HEADER, unit("T", "LĐLĐ tỉnh, thành phố Mẫu", level="LĐLĐ tỉnh, thành phố")]
    (row,) = read_roster(csv_file(tmp_path, rows, delimiter=";")).units
    assert row.name == "LĐLĐ tỉnh, thành phố Mẫu"


def test_excel_sep_line(tmp_path: Path) -> None:
    body = csv_file(tmp_path, [*TREE[:2], unit("H", "Huyện", "X")], delimiter=";")
    path = tmp_path / "sep.csv"
    path.write_bytes(b"sep=;\r\n" + body.read_bytes())
    problem = single_problem(path)
    assert problem.line == 4


def test_crlf_and_lone_cr_line_endings(tmp_path: Path) -> None:
    text = ",".join(HEADER) + "\rT,Tỉnh,,,,,,,\rH,Huyện,X,,,,,,\r"
    path = tmp_path / "mac.csv"
    path.write_bytes(text.encode())
    assert single_problem(path).line == 3
    path.write_bytes(text.replace("\r", "\r\n").encode())
    assert single_problem(path).line == 3


# --------------------------------------------------------------------------- xlsx cells


def test_xlsx_numbers_stay_text_as_typed(tmp_path: Path) -> None:
    rows: list[list[Cell]] = [
        list(HEADER),
        [123, "Tỉnh", None, None, "Nguyễn Văn An", 912345678, None, None, None],
        [456.0, "Huyện", 123, None, "Trần Thị Bình", 84983000202, "Vũ Thị Giang", 888000606, None],
        [7, "CĐCS", 456, "CĐCS", None, None, None, None, None],
    ]
    path = xlsx_file(tmp_path, rows, formats={"A4": "000"})
    sheet = read_roster(path)
    assert [(u.code, u.parent_code) for u in sheet.units] == [
        ("123", None),
        ("456", "123"),
        ("007", "456"),
    ]
    assert [u.chair_phone for u in sheet.units] == ["+84912345678", "+84983000202", None]
    assert sheet.officers[0].phone == "+84888000606"


def test_xlsx_reads_the_first_sheet_even_if_another_is_active(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    first = workbook.active
    first.append(HEADER)
    first.append(unit("T", "Tỉnh"))
    other = workbook.create_sheet("Ghi chú")
    other.append(["không phải danh sách"])
    workbook.active = 1
    path = tmp_path / "two.xlsx"
    workbook.save(path)
    assert [u.code for u in read_roster(path).units] == ["T"]


def test_xlsx_formula_cells_give_their_cached_value_or_nothing(tmp_path: Path) -> None:
    # openpyxl stores no cached value; Excel would. A formula without a value reads as empty.
    rows: list[list[Cell]] = [list(HEADER), unit("T", "Tỉnh"), ["H", "Huyện", "=A2"]]
    assert [u.parent_code for u in read_roster(xlsx_file(tmp_path, rows)).units] == [None, None]


# --------------------------------------------------------------------------- unreadable files


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    problem = single_problem(path)
    assert problem.line == 0
    assert "trống" in problem.message
    path.write_bytes(b"\xef\xbb\xbf\r\n \r\n")
    assert single_problem(path).line == 0


def test_header_only(tmp_path: Path) -> None:
    problem = single_problem(csv_file(tmp_path, [HEADER, [], []]))
    assert problem.line == 0
    assert "không có đơn vị nào" in problem.message
    assert single_problem(xlsx_file(tmp_path, [HEADER])).line == 0


def test_empty_xlsx(tmp_path: Path) -> None:
    assert single_problem(xlsx_file(tmp_path, [])).line == 0


def test_wrong_encoding(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    text = ",".join(HEADER) + "\nT,Liên đoàn,,,,,,,\n"
    path.write_bytes(text.encode("cp1258"))
    problem = single_problem(path)
    assert problem.line == 0
    assert "UTF-8" in problem.message
    assert "dòng 2" in problem.message


def test_utf16_text(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_bytes(("\t".join(HEADER) + "\n").encode("utf-16"))
    problem = single_problem(path)
    assert problem.line == 0
    assert "UTF-16" in problem.message


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("roster.pdf", b"%PDF-1.4", ".xlsx"),
        ("roster.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", ".xls"),
        ("roster.xlsx", b"PK\x03\x04 this is not a workbook", "bị hỏng"),
        ("roster.xlsx", b"ma_don_vi,ten_don_vi\n", "bị hỏng"),
        ("roster.csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", ".xls"),
        ("roster.csv", b"binary\x00\x01\x02", "CSV"),
    ],
)
def test_unreadable_file_is_one_problem_at_line_0(
    tmp_path: Path, name: str, content: bytes, words: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    problem = single_problem(path)
    assert problem.line == 0
    assert words in problem.message


def test_xlsx_saved_with_a_csv_name(tmp_path: Path) -> None:
    source = xlsx_file(tmp_path, TREE)
    path = tmp_path / "roster.csv"
    path.write_bytes(source.read_bytes())
    problem = single_problem(path)
    assert problem.line == 0
    assert ".xlsx" in problem.message


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "roster.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    problem = single_problem(path)
    assert problem.line == 0
    assert "bị hỏng" in problem.message


def test_missing_file(tmp_path: Path) -> None:
    problem = single_problem(tmp_path / "nowhere.csv")
    assert problem.line == 0
    assert "Không tìm thấy" in problem.message
