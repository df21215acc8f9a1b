"""Reading, checking and writing the roster sheet: every fault named with the line a person sees."""

from __future__ import annotations

import csv
import io
import string
from collections.abc import Sequence
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storage import roster_sheet
from storage.roster_sheet import (
    COLUMNS,
    OfficerRow,
    RosterFileError,
    RosterSheet,
    RowProblem,
    UnitRow,
    read_roster,
    template_sheet,
    write_roster,
    write_template,
)

HEADER = list(COLUMNS)
DOCS = Path(__file__).resolve().parents[2] / "docs"

Cell = str | int | float | None


def unit(
    code: str,
    name: str,
    parent: str = "",
    level: str = "",
    chair: str = "",
    phone: str = "",
    officer: str = "",
    officer_phone: str = "",
    role: str = "",
) -> list[str]:
    return [code, name, parent, level, chair, phone, officer, officer_phone, role]


def officer(code: str, name: str, phone: str, role: str = "") -> list[str]:
    return [code, "", "", "", "", "", name, phone, role]


def csv_file(
    tmp_path: Path,
    rows: Sequence[Sequence[str]],
    *,
    delimiter: str = ",",
    bom: bool = False,
    name: str = "roster.csv",
) -> Path:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode("utf-8"))
    return path


def xlsx_file(
    tmp_path: Path,
    rows: Sequence[Sequence[Cell]],
    *,
    formats: dict[str, str] | None = None,
    name: str = "roster.xlsx",
) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    for ref, number_format in (formats or {}).items():
        sheet[ref].number_format = number_format
    path = tmp_path / name
    workbook.save(path)
    return path


def problems_of(path: Path) -> list[RowProblem]:
    with pytest.raises(RosterFileError) as caught:
        read_roster(path)
    return caught.value.problems


def single_problem(path: Path) -> RowProblem:
    problems = problems_of(path)
    assert len(problems) == 1, problems
    return problems[0]


TREE = [
    HEADER,
    unit("T", "Liên đoàn Lao động tỉnh Mẫu", "", "LĐLĐ tỉnh", "Nguyễn Văn An", "0912 000 101"),
    unit("H1", "LĐLĐ huyện Ví Dụ", "T", "LĐLĐ huyện", "Trần Thị Bình", "0983000202"),
    unit("KCN", "Công đoàn các khu công nghiệp", "H1", "Công đoàn KCN"),
    unit("CS1", "CĐCS Công ty May Mẫu", "KCN", "CĐCS", "Lê Văn Cường", "+84868000303"),
    unit("CS2", "CĐCS Trường THCS Ví Dụ", "H1", "CĐCS", "Phạm Thị Dung", "84-902-000-404"),
    officer("H1", "Vũ Thị Giang", "0888 000 606", "cán bộ"),
    officer("T", "Hoàng Văn Em", "0977.000.505", "quản trị"),
]


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
        OfficerRow(8, "T", "Hoàng Văn Em", "+84977000505", "admin"),
        OfficerRow(7, "H1", "Vũ Thị Giang", "+84888000606", "officer"),
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


# --------------------------------------------------------------------------- header


@pytest.mark.parametrize(
    "header",
    [
        ["Mã đơn vị", "Tên đơn vị", "Mã cấp trên", "Cấp", "Chủ tịch", "Điện thoại",
         "Cán bộ", "Điện thoại cán bộ", "Vai trò"],
        ["MA_DON_VI", "TEN DON VI", "ma cap tren", "CAP", "Chu_tich", "SĐT",
         "Họ tên cán bộ", "SĐT cán bộ", "VAI TRÒ"],
        ["code", "name", "parent", "level", "chair", "phone",
         "officer", "officer phone", "role"],
        ["Mã ĐV", "Đơn vị", "Đơn vị cấp trên", "Loại đơn vị", "Họ tên chủ tịch",
         "Số điện thoại", "Tên cán bộ", "Số điện thoại cán bộ", "Vai trò cán bộ"],
    ],
)  # fmt: skip
def test_header_aliases(tmp_path: Path, header: list[str]) -> None:
    sheet = read_roster(csv_file(tmp_path, [header, *TREE[1:]]))
    assert sheet == read_roster(csv_file(tmp_path, TREE, name="ids.csv"))


def test_columns_in_another_order_and_optional_ones_missing(tmp_path: Path) -> None:
    rows = [
        ["ten_don_vi", "ma_cap_tren", "ma_don_vi"],
        ["Tỉnh", "", "T"],
        ["Huyện", "T", "H"],
    ]
    sheet = read_roster(csv_file(tmp_path, rows))
    assert sheet.units == (
        UnitRow(2, "T", "Tỉnh", None, None, None, None),
        UnitRow(3, "H", "Huyện", "T", None, None, None),
    )
    assert sheet.officers == ()


def test_missing_required_columns_are_named_on_line_1(tmp_path: Path) -> None:
    rows = [["ma_don_vi", "cap", "chu_tich", "dien_thoai"], ["T", "LĐLĐ tỉnh", "", ""]]
    problems = problems_of(csv_file(tmp_path, rows))
    assert [p.line for p in problems] == [1, 1]
    assert '"ten_don_vi"' in problems[0].message
    assert '"ma_cap_tren"' in problems[1].message


def test_header_without_code_column(tmp_path: Path) -> None:
    rows = [["Tên", "Cấp trên"], ["Tỉnh", ""]]
    problem = single_problem(csv_file(tmp_path, rows))
    assert problem.line == 1
    assert '"ma_don_vi"' in problem.message


def test_duplicate_header_column(tmp_path: Path) -> None:
    rows = [[*HEADER, "SĐT"], unit("T", "Tỉnh")]
    problem = single_problem(csv_file(tmp_path, rows))
    assert problem.line == 1
    assert "cột F" in problem.message
    assert "cột J" in problem.message


def test_officer_name_column_without_phone_column(tmp_path: Path) -> None:
    rows = [["ma_don_vi", "ten_don_vi", "ma_cap_tren", "can_bo"], ["T", "Tỉnh", "", "A"]]
    problem = single_problem(csv_file(tmp_path, rows))
    assert problem.line == 1
    assert '"dien_thoai_can_bo"' in problem.message


# --------------------------------------------------------------------------- row errors


def test_missing_code(tmp_path: Path) -> None:
    rows = [*TREE, unit("", "CĐCS Không Mã", "H1")]
    problem = single_problem(csv_file(tmp_path, rows))
    assert problem == RowProblem(9, 'Thiếu mã đơn vị (đơn vị "CĐCS Không Mã").')


def test_officer_row_missing_code(tmp_path: Path) -> None:
    problem = single_problem(csv_file(tmp_path, [*TREE, officer("", "Ngô Văn Ích", "0912000009")]))
    assert problem.line == 9
    assert "thiếu mã đơn vị" in problem.message


def test_missing_name(tmp_path: Path) -> None:
    rows = [*TREE, unit("CS3", "", "H1", "CĐCS")]
    problem = single_problem(csv_file(tmp_path, rows))
    assert problem.line == 9
    assert '"CS3"' in problem.message
    assert "thiếu tên đơn vị" in problem.message


def test_code_alone_on_a_row_is_a_unit_without_a_name(tmp_path: Path) -> None:
    problem = single_problem(csv_file(tmp_path, [*TREE, ["CS3"]]))
    assert problem.line == 9
    assert "thiếu tên đơn vị" in problem.message


def test_duplicate_code_names_the_first_line(tmp_path: Path) -> None:
    rows = [*TREE, unit("CS1", "CĐCS trùng mã", "H1")]
    problem = single_problem(csv_file(tmp_path, rows))
    assert problem == RowProblem(9, 'Mã đơn vị "CS1" bị trùng: đã khai báo ở dòng 5.')


def test_unknown_parent(tmp_path: Path) -> None:
    rows = [*TREE, unit("CS3", "CĐCS 3", "H9")]
    problem = single_problem(csv_file(tmp_path, rows))
    assert problem.line == 9
    assert '"H9"' in problem.message
    assert '"CS3"' in problem.message


def test_unknown_parent_that_differs_only_in_case_gets_a_hint(tmp_path: Path) -> None:
    rows = [*TREE, unit("CS3", "CĐCS 3", "h1")]
    problem = single_problem(csv_file(tmp_path, rows))
    assert problem.line == 9
    assert 'Có phải "H1"' in problem.message


def test_own_parent(tmp_path: Path) -> None:
    rows = [*TREE, unit("CS3", "CĐCS 3", "CS3")]
    problem = single_problem(csv_file(tmp_path, rows))
    assert problem == RowProblem(9, 'Đơn vị "CS3" có mã cấp trên là chính nó.')


def test_cycle_reported_once_at_its_first_line_naming_every_unit(tmp_path: Path) -> None:
    rows = [
        *TREE,
        unit("B", "Đơn vị B", "C"),  # line 9
        unit("X", "Đơn vị X", "B"),  # line 10: below the cycle, not on it
        unit("A", "Đơn vị A", "B"),  # line 11
        unit("C", "Đơn vị C", "A"),  # line 12
    ]
    problem = single_problem(csv_file(tmp_path, rows))
    assert problem.line == 9
    assert '"B" (dòng 9) → "C" (dòng 12) → "A" (dòng 11) → "B"' in problem.message


def test_two_cycles_two_problems(tmp_path: Path) -> None:
    rows = [
        HEADER,
        unit("A", "A", "B"),
        unit("B", "B", "A"),
        unit("T", "Tỉnh"),
        unit("C", "C", "D"),
        unit("D", "D", "C"),
    ]
    assert [p.line for p in problems_of(csv_file(tmp_path, rows))] == [2, 5]


def test_bad_chair_phone(tmp_path: Path) -> None:
    rows = [*TREE, unit("CS3", "CĐCS 3", "H1", chair="Đinh Văn Khoa", phone="0912 345")]
    problem = single_problem(csv_file(tmp_path, rows))
    assert problem.line == 9
    assert '"0912 345"' in problem.message
    assert "chủ tịch" in problem.message


def test_chair_phone_turned_scientific_by_excel(tmp_path: Path) -> None:
    rows = [*TREE, unit("CS3", "CĐCS 3", "H1", chair="Đinh Văn Khoa", phone="8,49123E+11")]
    problem = single_problem(csv_file(tmp_path, rows))
    assert problem.line == 9
    assert "số mũ" in problem.message
    assert "Văn bản" in problem.message


def test_chair_phone_without_chair_name(tmp_path: Path) -> None:
    rows = [*TREE, unit("CS3", "CĐCS 3", "H1", phone="0912000009")]
    problem = single_problem(csv_file(tmp_path, rows))
    assert problem.line == 9
    assert "thiếu họ tên chủ tịch" in problem.message


def test_chair_name_without_phone_is_fine(tmp_path: Path) -> None:
    rows = [*TREE, unit("CS3", "CĐCS 3", "H1", chair="Đinh Văn Khoa")]
    assert read_roster(csv_file(tmp_path, rows)).units[-1].chair_name == "Đinh Văn Khoa"


def test_bad_officer_phone(tmp_path: Path) -> None:
    rows = [*TREE, officer("H1", "Ngô Văn Ích", "0912-34")]
    problem = single_problem(csv_file(tmp_path, rows))
    assert problem.line == 9
    assert '"0912-34"' in problem.message
    assert "Ngô Văn Ích" in problem.message


def test_officer_for_an_undefined_code(tmp_path: Path) -> None:
    rows = [*TREE, officer("H9", "Ngô Văn Ích", "0912000009")]
    problem = single_problem(csv_file(tmp_path, rows))
    assert problem.line == 9
    assert '"H9"' in problem.message


def test_officer_row_before_its_unit_is_fine(tmp_path: Path) -> None:
    rows = [HEADER, officer("T", "Ngô Văn Ích", "0912000009"), unit("T", "Tỉnh")]
    sheet = read_roster(csv_file(tmp_path, rows))
    assert sheet.officers[0].line == 2


def test_officer_name_without_phone(tmp_path: Path) -> None:
    problem = single_problem(csv_file(tmp_path, [*TREE, officer("H1", "Ngô Văn Ích", "")]))
    assert problem.line == 9
    assert "thiếu số điện thoại" in problem.message


def test_officer_phone_without_name(tmp_path: Path) -> None:
    problem = single_problem(csv_file(tmp_path, [*TREE, officer("H1", "", "0912000009")]))
    assert problem.line == 9
    assert "thiếu họ tên" in problem.message


def test_officer_phone_without_name_on_a_defining_row(tmp_path: Path) -> None:
    rows = [*TREE, unit("CS3", "CĐCS 3", "H1", officer_phone="0912000009")]
    problem = single_problem(csv_file(tmp_path, rows))
    assert problem.line == 9
    assert "thiếu họ tên" in problem.message


def test_unknown_role(tmp_path: Path) -> None:
    rows = [*TREE, officer("H1", "Ngô Văn Ích", "0912000009", "trưởng ban")]
    problem = single_problem(csv_file(tmp_path, rows))
    assert problem.line == 9
    assert '"trưởng ban"' in problem.message


def test_role_without_officer(tmp_path: Path) -> None:
    rows = [*TREE, unit("CS3", "CĐCS 3", "H1", role="quản trị")]
    problem = single_problem(csv_file(tmp_path, rows))
    assert problem.line == 9


def test_same_officer_twice_on_one_unit(tmp_path: Path) -> None:
    rows = [*TREE, officer("H1", "Vũ Thị Giang", "+84888000606")]
    problem = single_problem(csv_file(tmp_path, rows))
    assert problem.line == 9
    assert "dòng 7" in problem.message


def test_one_phone_two_names(tmp_path: Path) -> None:
    rows = [*TREE, unit("CS3", "CĐCS 3", "H1", chair="Đinh Văn Khoa", phone="0912 000 101")]
    problem = single_problem(csv_file(tmp_path, rows))
    assert problem.line == 9
    assert "Nguyễn Văn An" in problem.message
    assert "dòng 2" in problem.message


def test_one_person_chairing_two_units_and_serving_as_officer(tmp_path: Path) -> None:
    rows = [
        *TREE,
        unit("CS3", "CĐCS 3", "H1", chair="nguyễn văn  an", phone="0912000101"),
        officer("T", "Nguyễn Văn An", "0912000101"),
    ]
    assert len(read_roster(csv_file(tmp_path, rows)).units) == 6


def test_too_long_for_the_database(tmp_path: Path) -> None:
    rows = [*TREE, unit("C" * 65, "N" * 301, "H1")]
    problems = problems_of(csv_file(tmp_path, rows))
    assert [p.line for p in problems] == [9, 9]


def test_limits_match_the_database_columns() -> None:
    from storage.models import Person, Unit

    def length(model: type, name: str) -> int:
        return int(model.__table__.columns[name].type.length)

    assert length(Unit, "code") == roster_sheet.MAX_CODE
    assert length(Unit, "name") == roster_sheet.MAX_UNIT_NAME
    assert length(Unit, "level") == roster_sheet.MAX_LEVEL
    assert length(Person, "full_name") == roster_sheet.MAX_PERSON_NAME


def test_several_problems_on_one_row_are_each_reported(tmp_path: Path) -> None:
    rows = [*TREE, unit("CS3", "", "H9", chair="A", phone="1", officer="B", officer_phone="2")]
    problems = problems_of(csv_file(tmp_path, rows))
    assert [p.line for p in problems] == [9, 9, 9, 9]


def test_five_bad_rows_among_a_thousand(tmp_path: Path) -> None:
    rows = [HEADER, unit("T", "LĐLĐ tỉnh")]
    rows += [unit(f"CS{i:04d}", f"CĐCS số {i}", "T", "CĐCS", f"Chủ Tịch {i}",
                  f"09{i:08d}") for i in range(1, 1000)]  # fmt: skip
    rows[101] = unit("CS0100", "CĐCS số 100", "T", "CĐCS", "Chủ Tịch 100", "09123")
    rows[202] = unit("CS0201", "CĐCS số 201", "T9")
    rows[303] = unit("CS0001", "CĐCS số 302 (mã trùng)", "T")
    rows[404] = unit("CS0403", "", "T")
    rows[505] = officer("CS0001", "Cán Bộ", "0912")
    path = csv_file(tmp_path, rows)
    problems = problems_of(path)
    assert len(rows) == 1001
    assert [p.line for p in problems] == [102, 203, 304, 405, 506]
    assert "dòng 3" in problems[2].message  # CS0001 was first defined on line 3


def test_a_file_with_errors_gives_no_rows(tmp_path: Path) -> None:
    with pytest.raises(RosterFileError) as caught:
        read_roster(csv_file(tmp_path, [*TREE, unit("CS3", "CĐCS 3", "H9")]))
    assert "H9" not in str(caught.value)
    assert "Nguyễn" not in str(caught.value)
    assert str(caught.value) == "roster file has 1 problem(s)"
    assert str(caught.value.problems[0]).startswith("Dòng 9: ")


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


# --------------------------------------------------------------------------- writing


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_round_trip(tmp_path: Path, suffix: str) -> None:
    original = read_roster(csv_file(tmp_path, TREE))
    path = tmp_path / f"export{suffix}"
    write_roster(path, original)
    again = read_roster(path)
    assert again == original
    write_roster(path, again)
    assert read_roster(path) == original


def test_round_trip_keeps_awkward_text(tmp_path: Path) -> None:
    sheet = RosterSheet(
        units=(
            UnitRow(0, "001", '=HYPERLINK("x")', None, "+1", '-Lê; "Văn", A', "+84912000101"),
            UnitRow(0, "1.0", 'Đơn vị; có, dấu "ngoặc"', "001", "@cấp", None, None),
        ),
        officers=(OfficerRow(0, "1.0", "Ông 'Một'", "+84912000102", "admin"),),
    )
    for suffix in (".csv", ".xlsx"):
        path = tmp_path / f"awkward{suffix}"
        write_roster(path, sheet)
        assert read_roster(path) == sheet


def test_writing_puts_units_parent_first_and_officers_under_their_unit(tmp_path: Path) -> None:
    sheet = RosterSheet(
        units=(UnitRow(0, "H", "Huyện", "T", None, None, None), UnitRow(0, "T", "Tỉnh", None,
               None, None, None)),
        officers=(
            OfficerRow(0, "T", "Một", "+84912000001", "officer"),
            OfficerRow(0, "H", "Hai", "+84912000002", "officer"),
            OfficerRow(0, "T", "Ba", "+84912000003", "admin"),
        ),
    )  # fmt: skip
    path = tmp_path / "out.csv"
    write_roster(path, sheet)
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[1:] == [
        "T,Tỉnh,,,,,Một,0912 000 001,cán bộ",
        "T,,,,,,Ba,0912 000 003,quản trị",
        "H,Huyện,T,,,,Hai,0912 000 002,cán bộ",
    ]
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")


def test_writing_refuses_officers_of_unknown_units(tmp_path: Path) -> None:
    sheet = RosterSheet((), (OfficerRow(0, "T", "Một", "+84912000001", "officer"),))
    with pytest.raises(ValueError):
        write_roster(tmp_path / "out.csv", sheet)
    with pytest.raises(ValueError):
        write_roster(tmp_path / "out.txt", RosterSheet((), ()))
    assert list(tmp_path.iterdir()) == []


def test_line_is_not_part_of_equality() -> None:
    assert UnitRow(2, "T", "Tỉnh", None, None, None, None) == UnitRow(
        9, "T", "Tỉnh", None, None, None, None
    )


@pytest.mark.parametrize("name", ["roster-template.csv", "roster-template.xlsx"])
def test_shipped_templates_read_back_as_the_example(name: str) -> None:
    sheet = read_roster(DOCS / name)
    assert sheet == template_sheet()
    levels = {u.level for u in sheet.units}
    assert {"LĐLĐ tỉnh", "LĐLĐ huyện", "Công đoàn ngành", "CĐCS"} <= levels
    assert any(o.role == "admin" for o in sheet.officers)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_write_template(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"template{suffix}"
    write_template(path)
    assert read_roster(path) == template_sheet()


# --------------------------------------------------------------------------- property


_letters = "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọ"
_word = st.text(alphabet=_letters + _letters.upper(), min_size=1, max_size=8)
_words = st.lists(_word, min_size=1, max_size=4).map(" ".join)
_code = st.text(alphabet=string.ascii_uppercase + string.digits + "-._", min_size=1, max_size=10)


@st.composite
def _sheets(draw: st.DrawFn) -> RosterSheet:
    codes = draw(st.lists(_code, min_size=1, max_size=12, unique=True))
    units: list[UnitRow] = []
    used_phones: set[int] = set()
    for index, code in enumerate(codes):
        parent = draw(st.sampled_from([None, *codes[:index]]))
        chair = draw(st.one_of(st.none(), _words))
        phone = None
        if chair is not None and draw(st.booleans()):
            number = draw(st.integers(0, 9_999_999).filter(lambda n: n not in used_phones))
            used_phones.add(number)
            phone = f"+8491{number:07d}"
        level = draw(st.one_of(st.none(), _words))
        units.append(UnitRow(0, code, draw(_words), parent, level, chair, phone))
    officers: list[OfficerRow] = []
    for code in codes:
        for _ in range(draw(st.integers(0, 2))):
            number = draw(st.integers(0, 9_999_999).filter(lambda n: n not in used_phones))
            used_phones.add(number)
            role = draw(st.sampled_from(["officer", "admin"]))
            officers.append(OfficerRow(0, code, draw(_words), f"+8498{number:07d}", role))
    return RosterSheet(tuple(units), tuple(officers))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(sheet=_sheets(), suffix=st.sampled_from([".csv", ".xlsx"]))
def test_read_of_write_is_identity(tmp_path: Path, sheet: RosterSheet, suffix: str) -> None:
    path = tmp_path / f"prop{suffix}"
    write_roster(path, sheet)
    assert read_roster(path) == sheet
