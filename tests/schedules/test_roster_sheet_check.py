"""Checking a roster row by row and as a whole: every fault named with the line a person sees,
and a file with any fault gives no rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from schedules import roster_sheet
from schedules.roster_sheet import RosterFileError, RowProblem, read_roster
from tests.schedules.roster_sheet_files import (
    HEADER,
    TREE,
    csv_file,
    officer,
    problems_of,
    single_problem,
    unit,
)

# --------------------------------------------------------------------------- row errors


def test_missing_code(tmp_path: Path) -> None:
    rows = [*TREE, unit("", "CĐCS Không Mã", "H1")]
    problem = single_problem(csv_file(tmp_path, rows))
    assert problem == RowProblem(9, 'Thiếu mã đơn vị (cột "ma_don_vi") của đơn vị "CĐCS Không Mã".')


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


def test_parent_code_in_another_case_or_with_spaces_is_the_same_unit(tmp_path: Path) -> None:
    rows = [*TREE, unit("CS3", "CĐCS 3", " h1 ")]
    assert read_roster(csv_file(tmp_path, rows)).units[-1].parent_code == "H1"


def test_own_parent(tmp_path: Path) -> None:
    rows = [*TREE, unit("CS3", "CĐCS 3", "CS3")]
    problem = single_problem(csv_file(tmp_path, rows))
    assert problem == RowProblem(9, 'Đơn vị "CS3" có cấp trên là chính nó.')


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
