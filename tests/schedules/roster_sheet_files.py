"""Roster files the roster sheet tests build: rows in the import layout, written as CSV or
.xlsx, and the problems reading them gives."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

import openpyxl
import pytest

from schedules.roster_sheet import COLUMNS, RosterFileError, RowProblem, read_roster

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
