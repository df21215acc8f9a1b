"""The roster reader never crashes: random bytes, mangled CSV and mangled workbooks give a
sheet that holds together or a `RosterFileError` whose every problem is a Vietnamese line
tied to a row; no other exception escapes to the administrator.

(Only the public reader is called: how a sheet is applied is storage's business.)"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schedules.roster_sheet import RosterFileError, RosterSheet, read_roster
from tests.schedules.roster_sheet_files import TREE, Cell, csv_file, xlsx_file

FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# What spreadsheets and people put in cells: the reader's own triggers among them.
CELLS = st.one_of(
    st.text(max_size=20),
    st.sampled_from(
        [
            "",
            " ",
            "T",
            "H1",
            "CS1",
            "CĐCS",
            "cán bộ",
            "quản trị",
            "chủ tịch",
            "0912 000 101",
            "+84868000303",
            "84-902-000-404",
            "9.12e+08",
            "=1+1",
            "'0912000101",
            "\x00",
            "\ufeff",
            "a" * 300,
            "²",
            "١٢٣",
        ]
    ),
)
XLSX_CELLS: st.SearchStrategy[Cell] = st.one_of(
    CELLS.filter(lambda text: not any(ord(c) < 32 and c not in "\t\n\r" for c in text)),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.none(),
)


def holds_together(sheet: RosterSheet) -> None:
    """What `read_roster` promises of a sheet: codes unique, parents known, parents first."""
    codes = [unit.code for unit in sheet.units]
    assert len(codes) == len(set(codes))
    seen: set[str] = set()
    for unit in sheet.units:
        assert unit.parent_code is None or unit.parent_code in seen
        seen.add(unit.code)
    for person in sheet.officers:
        assert person.unit_code in seen
    phones = [u.chair_phone for u in sheet.units if u.chair_phone]
    phones += [o.phone for o in sheet.officers if o.phone]
    assert all(phone.startswith("+") for phone in phones)


def read_or_refuse(path: Path) -> None:
    try:
        sheet = read_roster(path)
    except RosterFileError as error:
        problems = error.problems
    else:
        holds_together(sheet)
        return
    assert problems
    assert all(problem.message and problem.line >= 0 for problem in problems)


@st.composite
def mangled_rows(draw: st.DrawFn, cells: st.SearchStrategy[Cell]) -> list[list[Cell]]:
    """The valid tree with rows dropped, duplicated, cut short or lengthened, and cells
    replaced."""
    rows: list[list[Cell]] = [list(row) for row in TREE]
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(rows) - 1))
        operation = draw(st.sampled_from(["cell", "cell", "drop", "copy", "cut", "grow"]))
        if operation == "cell" and rows[at]:
            rows[at][draw(st.integers(0, len(rows[at]) - 1))] = draw(cells)
        elif operation == "drop" and len(rows) > 1:
            del rows[at]
        elif operation == "copy":
            rows.insert(draw(st.integers(0, len(rows))), list(rows[at]))
        elif operation == "cut":
            rows[at] = rows[at][: draw(st.integers(0, len(rows[at])))]
        else:
            rows[at] = rows[at] + draw(st.lists(cells, max_size=3))
    return rows


@FUZZ
@given(st.binary(max_size=2000), st.sampled_from(["roster.csv", "roster.xlsx"]))
def test_random_bytes_never_crash(data: bytes, name: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        read_or_refuse(path)


@FUZZ
@given(mangled_rows(CELLS), st.sampled_from([",", ";", "\t"]), st.booleans())
def test_mangled_csv_never_crashes(rows: list[list[str]], delimiter: str, bom: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        read_or_refuse(csv_file(Path(folder), rows, delimiter=delimiter, bom=bom))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mangled_rows(XLSX_CELLS))
def test_mangled_workbooks_never_crash(rows: list[list[Cell]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        read_or_refuse(xlsx_file(Path(folder), rows))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_damaged_workbooks_never_crash(data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = xlsx_file(Path(folder), TREE)
        content = bytearray(path.read_bytes())
        for _ in range(data.draw(st.integers(1, 10))):
            content[data.draw(st.integers(0, len(content) - 1))] = data.draw(st.integers(0, 255))
        path.write_bytes(bytes(content[: data.draw(st.integers(len(content) // 2, len(content)))]))
        read_or_refuse(path)
