"""Checking a roster's lines: every problem of the file, each tied to its line, or a sheet
that is safe to apply in one pass.

Every row is checked on its own first (codes, names, phones, lengths), then the rows
together (parents defined, no cycle, one person per phone); all problems are collected
instead of stopping at the first, so an administrator fixes the file in one go.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain

from schedules.phones import converted_old_mobile, normalize_phone
from schedules.roster_sheet.columns import (
    HEADER_SEARCH_ROWS,
    MAX_CODE,
    MAX_LEVEL,
    MAX_PERSON_NAME,
    MAX_PROBLEMS,
    MAX_UNIT_NAME,
    ROLE_WORDS,
    cell_key,
    clean_cell,
    column_heading,
    match_header,
    unguard_formula,
)
from schedules.roster_sheet.problems import RosterFileError, RowProblem, file_problem
from schedules.roster_sheet.tree import check_links, check_officers, in_sheet_order, link_parents
from storage.roster import OfficerRow, RosterSheet, UnitRow

_SCIENTIFIC = re.compile(r"\d+(?:[.,]\d+)?e\+?\d+", re.IGNORECASE)


@dataclass(slots=True)
class _Checker:
    """Collects every problem of a sheet instead of stopping at the first, and the rows that
    passed their own checks (frozen: the row checks build each one whole)."""

    headings: dict[str, str]  # column id -> the file's own heading, for the messages
    problems: list[RowProblem] = field(default_factory=list)
    dropped: int = 0  # problems beyond MAX_PROBLEMS, counted, not kept
    units: list[UnitRow] = field(default_factory=list)
    officers: list[OfficerRow] = field(default_factory=list)
    # each unit code, case-folded (codes compare without case): its spelling and first line
    first_definition: dict[str, tuple[str, int]] = field(default_factory=dict)
    # unit codes that officer rows refer to, with the line, checked once every unit is known
    officer_refs: list[tuple[int, str]] = field(default_factory=list)

    def add(self, line: int, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(RowProblem(line, message))
        else:
            self.dropped += 1

    def column(self, column: str) -> str:
        return column_heading(column, self.headings)

    def error(self) -> RosterFileError:
        problems = list(self.problems)
        if self.dropped:
            problems.append(
                RowProblem(
                    0,
                    f"Tệp có {len(self.problems) + self.dropped:,} lỗi; dưới đây là "
                    f"{len(self.problems):,} lỗi đầu tiên. Hãy sửa rồi nhập lại để xem tiếp.",
                )
            )
        return RosterFileError(problems)


def check_lines(lines: Iterable[tuple[int, list[str]]]) -> RosterSheet:
    """The sheet the file's (line number, cell texts) describe, or RosterFileError with every
    problem found: the header's, each row's, then those between rows.

    The lines are consumed as a stream: only the rows that passed their checks are kept, so a
    large file costs the memory of its units, not of its text.
    """
    stream = iter(lines)
    found = _find_header(stream)
    if found is None:
        raise file_problem("Tệp không có dòng tiêu đề và không có đơn vị nào.")
    (header_line, header_cells), ahead = found
    columns, header_problems = match_header(header_cells)
    if header_problems:
        raise RosterFileError([RowProblem(header_line, m) for m in header_problems])

    headings = {name: clean_cell(header_cells[i]) for name, i in columns.items()}
    checker = _Checker(headings)
    seen_data = False
    for line, cells in chain(ahead, stream):
        row = {
            name: unguard_formula(clean_cell(cells[i])) if i < len(cells) else ""
            for name, i in columns.items()
        }
        if not any(row.values()):
            continue  # blank rows (or rows with only an "STT" number) carry nothing
        seen_data = True
        _check_row(checker, line, row)
    if not seen_data:
        raise file_problem("Tệp chỉ có dòng tiêu đề, không có đơn vị nào bên dưới.")

    units = link_parents(checker.units, checker.column("ma_cap_tren"), checker.add)
    check_links(units, checker.add)
    spelling = {key: code for key, (code, _) in checker.first_definition.items()}
    officers = check_officers(units, checker.officers, checker.officer_refs, spelling, checker.add)
    if checker.problems:
        raise checker.error()
    return in_sheet_order(units, officers)


Line = tuple[int, list[str]]


def _find_header(stream: Iterator[Line]) -> tuple[Line, list[Line]] | None:
    """The header (the first row naming the code column among the first filled rows, else the
    first filled row) and the filled rows read past it."""
    filled: list[Line] = []
    for line in stream:
        if not any(clean_cell(c) for c in line[1]):
            continue
        filled.append(line)
        if "ma_don_vi" in match_header(line[1])[0]:
            return line, []
        if len(filled) >= HEADER_SEARCH_ROWS:
            break
    if not filled:
        return None
    return filled[0], filled[1:]


def _check_row(checker: _Checker, line: int, row: dict[str, str]) -> None:
    code = row.get("ma_don_vi", "")
    unit_fields = ("ten_don_vi", "ma_cap_tren", "cap", "chu_tich", "dien_thoai")
    officer_fields = ("can_bo", "dien_thoai_can_bo", "vai_tro")
    has_officer = any(row.get(f) for f in officer_fields)
    defines_unit = any(row.get(f) for f in unit_fields) or not has_officer
    label = f'đơn vị "{code}"' if code else "đơn vị"

    if not code:
        name = row.get("ten_don_vi", "")
        where = f"(cột {checker.column('ma_don_vi')})"
        if defines_unit:
            checker.add(
                line, f"Thiếu mã đơn vị {where}" + (f' của đơn vị "{name}".' if name else ".")
            )
        else:
            checker.add(line, f"Dòng cán bộ thiếu mã đơn vị {where}.")
    elif len(code) > MAX_CODE:
        checker.add(line, f'Mã đơn vị "{code}" dài quá {MAX_CODE} ký tự.')

    if defines_unit:
        _check_unit_row(checker, line, code, label, row)
    elif code:
        checker.officer_refs.append((line, code))
    _check_officer_fields(checker, line, code, label, row)


def _check_unit_row(
    checker: _Checker, line: int, code: str, label: str, row: dict[str, str]
) -> None:
    name = row.get("ten_don_vi", "")
    parent = row.get("ma_cap_tren", "") or None
    level = row.get("cap", "") or None
    chair_name = row.get("chu_tich", "") or None
    chair_raw = row.get("dien_thoai", "")

    if not name:
        checker.add(
            line,
            f"{label[0].upper()}{label[1:]} thiếu tên đơn vị (cột {checker.column('ten_don_vi')}).",
        )
    elif len(name) > MAX_UNIT_NAME:
        checker.add(line, f"Tên {label} dài quá {MAX_UNIT_NAME} ký tự.")
    if level and len(level) > MAX_LEVEL:
        checker.add(line, f'Cấp "{level}" của {label} dài quá {MAX_LEVEL} ký tự.')
    if chair_name and len(chair_name) > MAX_PERSON_NAME:
        checker.add(line, f"Họ tên chủ tịch {label} dài quá {MAX_PERSON_NAME} ký tự.")

    chair_phone: str | None = None
    if chair_raw:
        chair_phone = _phone(checker, line, chair_raw, f"chủ tịch {label}", "dien_thoai")
        if not chair_name:
            checker.add(
                line,
                f'Có số điện thoại chủ tịch "{chair_raw}" nhưng thiếu họ tên chủ tịch {label} '
                f"(cột {checker.column('chu_tich')}).",
            )

    if not code:
        return
    first = checker.first_definition.get(code.casefold())
    if first is not None:
        spelled = f' ("{first[0]}")' if first[0] != code else ""
        checker.add(line, f'Mã đơn vị "{code}" bị trùng: đã khai báo ở dòng {first[1]}{spelled}.')
        return
    checker.first_definition[code.casefold()] = (code, line)
    # Levels and parent codes repeat on thousands of rows: one string each.
    checker.units.append(
        UnitRow(
            line,
            code,
            name,
            sys.intern(parent) if parent else None,
            sys.intern(level) if level else None,
            chair_name,
            chair_phone,
        )
    )


def _check_officer_fields(
    checker: _Checker, line: int, code: str, label: str, row: dict[str, str]
) -> None:
    name = row.get("can_bo", "")
    raw_phone = row.get("dien_thoai_can_bo", "")
    raw_role = row.get("vai_tro", "")
    if not (name or raw_phone or raw_role):
        return
    role = ROLE_WORDS.get(cell_key(raw_role))
    if role is None:
        checker.add(
            line,
            f'Vai trò "{raw_role}" không hợp lệ: chỉ nhận "cán bộ" (mặc định, để trống cũng được) '
            'hoặc "quản trị".',
        )
    if not name and not raw_phone:
        checker.add(line, f'Có vai trò "{raw_role}" nhưng thiếu họ tên và số điện thoại cán bộ.')
        return
    if not raw_phone:
        checker.add(
            line,
            f'Cán bộ "{name}" ({label}) thiếu số điện thoại '
            f"(cột {checker.column('dien_thoai_can_bo')}).",
        )
        return
    who = f'cán bộ "{name}" ({label})' if name else f"cán bộ ({label})"
    phone = _phone(checker, line, raw_phone, who, "dien_thoai_can_bo")
    if not name:
        checker.add(
            line,
            f'Có số điện thoại cán bộ "{raw_phone}" ({label}) nhưng thiếu họ tên '
            f"(cột {checker.column('can_bo')}).",
        )
        return
    if len(name) > MAX_PERSON_NAME:
        checker.add(line, f'Họ tên cán bộ "{name[:40]}…" dài quá {MAX_PERSON_NAME} ký tự.')
    if phone is not None and role is not None and code:
        checker.officers.append(OfficerRow(line, code, name, phone, role))


def _phone(checker: _Checker, line: int, raw: str, whose: str, column: str) -> str | None:
    phone = normalize_phone(raw)
    if phone is not None:
        return phone
    where = f"(cột {checker.column(column)})"
    converted = converted_old_mobile(raw)
    if converted is not None:
        checker.add(
            line,
            f'Số điện thoại {whose} "{raw}" {where} là số di động 11 chữ số cũ, đã đổi sang '
            f"10 chữ số từ năm 2018: số mới là {converted}. Hãy kiểm tra với người đó rồi "
            "ghi số mới.",
        )
    elif _SCIENTIFIC.fullmatch(raw):
        checker.add(
            line,
            f'Số điện thoại {whose} {where} bị Excel đổi thành dạng số mũ ("{raw}"), đã mất '
            "chữ số. Hãy định dạng cột điện thoại là Văn bản (Text) và gõ lại số.",
        )
    else:
        checker.add(
            line,
            f'Số điện thoại {whose} "{raw}" {where} không hợp lệ: cần một số di động hoặc cố '
            "định Việt Nam, ví dụ 0912 345 678.",
        )
    return None
