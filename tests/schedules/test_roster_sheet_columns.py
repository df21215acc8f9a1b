"""The header row: the spellings people give the columns, and the columns a roster needs."""

from __future__ import annotations

from pathlib import Path

import pytest

from schedules.roster_sheet import UnitRow, read_roster
from tests.schedules.roster_sheet_files import (
    HEADER,
    TREE,
    csv_file,
    problems_of,
    single_problem,
    unit,
)

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
    # A column the file lacks is named by its usual heading, never by an internal id.
    assert '"Tên đơn vị" (tên đơn vị' in problems[0].message
    assert '"Mã cấp trên" (mã đơn vị cấp trên, hoặc "Đơn vị cấp trên"' in problems[1].message
    assert "ten_don_vi" not in problems[0].message + problems[1].message


def test_header_without_code_column(tmp_path: Path) -> None:
    rows = [["Tên", "Cấp trên"], ["Tỉnh", ""]]
    problem = single_problem(csv_file(tmp_path, rows))
    assert problem.line == 1
    assert '"Mã đơn vị" (mã đơn vị' in problem.message


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
    assert 'Có cột "can_bo" nhưng thiếu cột "Điện thoại cán bộ"' in problem.message
