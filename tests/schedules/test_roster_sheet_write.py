"""Writing roster files (export and template): reading a written file gives the same roster."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schedules.roster_sheet import (
    OfficerRow,
    RosterSheet,
    UnitRow,
    read_roster,
    template_sheet,
    write_roster,
    write_template,
)
from storage.models import Role
from tests.schedules.roster_sheet_files import (
    DOCS,
    TREE,
    csv_file,
)

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
        officers=(OfficerRow(0, "1.0", "Ông 'Một'", "+84912000102", Role.ADMIN),),
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
            OfficerRow(0, "T", "Một", "+84912000001", Role.OFFICER),
            OfficerRow(0, "H", "Hai", "+84912000002", Role.OFFICER),
            OfficerRow(0, "T", "Ba", "+84912000003", Role.ADMIN),
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
    sheet = RosterSheet((), (OfficerRow(0, "T", "Một", "+84912000001", Role.OFFICER),))
    with pytest.raises(ValueError):
        write_roster(tmp_path / "out.csv", sheet)
    with pytest.raises(ValueError):
        write_roster(tmp_path / "out.txt", RosterSheet((), ()))
    # The sheet has no words for a chair on an officer row: chairs are written on unit rows.
    chair_as_officer = RosterSheet(
        (UnitRow(0, "T", "Tỉnh", None, None, None, None),),
        (OfficerRow(0, "T", "Một", "+84912000001", Role.CHAIR),),
    )
    with pytest.raises(ValueError):
        write_roster(tmp_path / "out.csv", chair_as_officer)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["roster-template.csv", "roster-template.xlsx"])
def test_shipped_templates_read_back_as_the_example(name: str) -> None:
    sheet = read_roster(DOCS / name)
    assert sheet == template_sheet()
    levels = {u.level for u in sheet.units}
    assert {"LĐLĐ tỉnh", "LĐLĐ huyện", "Công đoàn ngành", "CĐCS"} <= levels
    assert any(o.role == Role.ADMIN for o in sheet.officers)


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
            role = draw(st.sampled_from([Role.OFFICER, Role.ADMIN]))
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
