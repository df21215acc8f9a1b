# mypy: disable-error-code="import-untyped"
"""The roster sheet: read and check an administrator's Excel/CSV file, and write one back.

Nothing here touches the database. `read_roster` either returns a `RosterSheet` that is safe
to apply in one pass (codes unique, every parent defined, no cycle, phones in E.164, units
parent-first) or raises `RosterFileError` with every problem found, each tied to the row number
the administrator sees in Excel or a text editor (the header is line 1; line 0 is the file as a
whole). A file with errors yields no rows at all: a half-applied roster is worse than none.

Problem messages are for the administrator and quote the file's own values (codes, names,
phones); they must not be logged. `RosterFileError`'s own text carries only a count.
"""

from __future__ import annotations

import csv
import io
import re
import secrets
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cache
from pathlib import Path
from typing import Literal, TypeVar

from schedules.folding import fold_key
from schedules.phones import display_phone, normalize_phone

Role = Literal["officer", "admin"]

_T = TypeVar("_T")

# Column ids, in the order the template and `write_roster` use.
COLUMNS: tuple[str, ...] = (
    "ma_don_vi",
    "ten_don_vi",
    "ma_cap_tren",
    "cap",
    "chu_tich",
    "dien_thoai",
    "can_bo",
    "dien_thoai_can_bo",
    "vai_tro",
)
# Without these three the file cannot describe a tree. A missing `ma_cap_tren` column must not
# silently turn every unit into a root.
REQUIRED_COLUMNS: tuple[str, ...] = ("ma_don_vi", "ten_don_vi", "ma_cap_tren")

# Lengths the database columns accept (storage.models); checked here so that a valid sheet
# never fails half-way through the import.
MAX_CODE = 64
MAX_UNIT_NAME = 300
MAX_LEVEL = 100
MAX_PERSON_NAME = 200

# Header spellings, compared after `_key` (no diacritics, no case, no spaces or punctuation).
_ALIASES: dict[str, tuple[str, ...]] = {
    "ma_don_vi": ("madonvi", "madv", "ma", "code", "unitcode"),
    "ten_don_vi": ("tendonvi", "tendv", "ten", "donvi", "tencongdoan", "name", "unitname"),
    "ma_cap_tren": (
        "macaptren",
        "madonvicaptren",
        "madvcaptren",
        "captren",
        "donvicaptren",
        "parent",
        "parentcode",
        "parentunitcode",
    ),
    "cap": ("cap", "capdonvi", "loaidonvi", "level", "unitlevel"),
    "chu_tich": ("chutich", "hotenchutich", "tenchutich", "chair", "chairname"),
    "dien_thoai": (
        "dienthoai",
        "sodienthoai",
        "sdt",
        "dt",
        "dienthoaichutich",
        "sodienthoaichutich",
        "sdtchutich",
        "phone",
        "chairphone",
    ),
    "can_bo": ("canbo", "hotencanbo", "tencanbo", "officer", "officername"),
    "dien_thoai_can_bo": (
        "dienthoaicanbo",
        "sodienthoaicanbo",
        "sdtcanbo",
        "officerphone",
    ),
    "vai_tro": ("vaitro", "vaitrocanbo", "role", "officerrole"),
}

_ROLE_WORDS: dict[str, Role] = {
    "": "officer",
    "canbo": "officer",
    "officer": "officer",
    "quantri": "admin",
    "quantrivien": "admin",
    "admin": "admin",
    "administrator": "admin",
}
_ROLE_LABELS: dict[Role, str] = {"officer": "cán bộ", "admin": "quản trị"}

_HEADER_SEARCH_ROWS = 20  # a title block above the table is common in office sheets
_CSV_DELIMITERS = (",", ";", "\t")
_SCIENTIFIC = re.compile(r"\d+(?:[.,]\d+)?e\+?\d+", re.IGNORECASE)
_ZERO_FORMAT = re.compile(r"0+")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


@dataclass(frozen=True, slots=True)
class UnitRow:
    """One unit of the tree. `line` is where it was defined; it does not take part in equality."""

    line: int = field(compare=False)
    code: str
    name: str
    parent_code: str | None
    level: str | None
    chair_name: str | None
    chair_phone: str | None  # E.164


@dataclass(frozen=True, slots=True)
class OfficerRow:
    """An officer (or administrator) attached to a unit; their scope is that unit's subtree."""

    line: int = field(compare=False)
    unit_code: str
    full_name: str
    phone: str  # E.164
    role: Role


@dataclass(frozen=True, slots=True)
class RosterSheet:
    """A whole, checked roster: units parent-first, officers grouped in the same unit order."""

    units: tuple[UnitRow, ...]
    officers: tuple[OfficerRow, ...]


@dataclass(frozen=True, slots=True)
class RowProblem:
    """Why a row (or, at line 0, the whole file) cannot be imported, in Vietnamese."""

    line: int
    message: str

    def __str__(self) -> str:
        where = "Tệp" if self.line == 0 else f"Dòng {self.line}"
        return f"{where}: {self.message}"


class RosterFileError(Exception):
    """The sheet cannot be imported; `problems` lists every reason, sorted by line."""

    def __init__(self, problems: Sequence[RowProblem]) -> None:
        self.problems: list[RowProblem] = sorted(problems, key=lambda p: p.line)
        # Only a count: the messages quote names and phones, and exceptions reach logs.
        super().__init__(f"roster file has {len(self.problems)} problem(s)")


# --------------------------------------------------------------------------- reading


def read_roster(path: Path) -> RosterSheet:
    """Read and check a .xlsx (first sheet) or .csv roster; RosterFileError lists every fault."""
    lines = _read_lines(path)
    return _check(lines)


def _fail(message: str) -> RosterFileError:
    return RosterFileError([RowProblem(0, message)])


def _read_lines(path: Path) -> list[tuple[int, list[str]]]:
    """The file as (line number, raw cell texts), whatever its format."""
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise _fail(
            f'Tệp "{path.name}" là định dạng Excel 97-2003 (.xls), không đọc được. '
            "Hãy mở bằng Excel và chọn Lưu thành → Sổ làm việc Excel (.xlsx)."
        )
    if suffix not in (".xlsx", ".csv"):
        raise _fail(
            f'Tệp "{path.name}" không đọc được: chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv).'
        )
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise _fail(f'Không tìm thấy tệp "{path.name}".') from None
    except OSError:
        raise _fail(
            f'Không mở được tệp "{path.name}" (không có quyền đọc hoặc lỗi ổ đĩa).'
        ) from None
    if not data.strip():
        raise _fail(f'Tệp "{path.name}" trống: không có dòng tiêu đề và không có đơn vị nào.')
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _fail(
            f'Tệp "{path.name}" thực chất là tệp Excel 97-2003 (.xls) hoặc tệp Office cũ. '
            "Hãy mở bằng Excel và chọn Lưu thành → Sổ làm việc Excel (.xlsx)."
        )
    if suffix == ".xlsx":
        return _xlsx_lines(path, data)
    if data.startswith(b"PK\x03\x04"):
        raise _fail(
            f'Tệp "{path.name}" có đuôi .csv nhưng nội dung là tệp Excel. '
            "Hãy đổi đuôi tệp thành .xlsx rồi nhập lại."
        )
    return _csv_lines(path, data)


def _csv_lines(path: Path, data: bytes) -> list[tuple[int, list[str]]]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _fail(
            f'Tệp "{path.name}" được lưu dạng Unicode UTF-16, không phải CSV UTF-8. '
            "Trong Excel, chọn Lưu thành → CSV UTF-8 (Comma delimited) (*.csv)."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad_line = data[: exc.start].count(b"\n") + 1
        raise _fail(
            f'Tệp "{path.name}" không phải mã UTF-8 (ký tự lạ ở dòng {bad_line}), '
            "có thể đã lưu bằng bảng mã cũ (TCVN3, VNI, Windows-1258). "
            "Trong Excel, chọn Lưu thành → CSV UTF-8 (Comma delimited) (*.csv)."
        ) from None
    if "\x00" in text:
        raise _fail(f'Tệp "{path.name}" không phải tệp văn bản CSV.')
    text = text.replace("\r\n", "\n").replace("\r", "\n")

    first_line = 1
    delimiter: str | None = None
    head, _, rest = text.partition("\n")
    sep = re.fullmatch(r'"?sep=(.)"?,*;*\s*', head, re.IGNORECASE)
    if sep:  # Excel's own hint line: "sep=;"
        delimiter, text, first_line = sep.group(1), rest, 2
    if delimiter is None:
        delimiter = _guess_delimiter(text)

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    lines: list[tuple[int, list[str]]] = []
    try:
        while True:
            start = reader.line_num + first_line
            try:
                record = next(reader)
            except StopIteration:
                break
            lines.append((start, record))
    except csv.Error:
        raise _fail(
            f'Tệp "{path.name}" không đọc được như CSV '
            f"(lỗi ở dòng {reader.line_num + first_line - 1})."
        ) from None
    return lines


def _guess_delimiter(text: str) -> str:
    """The delimiter that makes the most header names recognisable; Vietnamese Excel uses ';'."""
    sample = "\n".join(text.split("\n", _HEADER_SEARCH_ROWS)[:_HEADER_SEARCH_ROWS])
    best, best_score = ",", (-1, -1)
    for delimiter in _CSV_DELIMITERS:
        try:
            records = list(csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter))
        except csv.Error:
            continue
        known = max((len(_match_header(r)[0]) for r in records), default=0)
        widest = max((len(r) for r in records), default=0)
        if (known, widest) > best_score:
            best, best_score = delimiter, (known, widest)
    return best


def _xlsx_lines(path: Path, data: bytes) -> list[tuple[int, list[str]]]:
    # openpyxl is imported here so that importing this module stays cheap.
    import openpyxl

    broken = (
        f'Tệp "{path.name}" bị hỏng hoặc không phải tệp Excel .xlsx. '
        "Hãy mở bằng Excel, lưu lại dạng .xlsx rồi nhập lại."
    )
    if not data.startswith(b"PK"):
        raise _fail(broken)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # BadZipFile, KeyError, openpyxl's and the XML parser's own errors
        raise _fail(broken) from None
    try:
        if not workbook.worksheets:
            raise _fail(f'Tệp "{path.name}" không có trang tính nào.')
        sheet = workbook.worksheets[0]
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()  # a wrong stored size must not cut columns or rows off
        lines: list[tuple[int, list[str]]] = []
        try:
            for number, row in enumerate(sheet.iter_rows(min_row=1), start=1):
                lines.append((number, [_cell_text(c.value, c.number_format) for c in row]))
        except Exception:
            raise _fail(broken) from None
        return lines
    finally:
        workbook.close()


def _cell_text(value: object, number_format: str | None) -> str:
    """A cell as the text the person typed: 123 stays "123", a "000" format keeps "001"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        value = int(value)
    if isinstance(value, int):
        text = str(value)
        if number_format and _ZERO_FORMAT.fullmatch(number_format) and value >= 0:
            text = text.zfill(len(number_format))  # Excel's "keep leading zeros" number format
        return text
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


# --------------------------------------------------------------------------- checking


@dataclass(slots=True)
class _Unit:
    line: int
    code: str
    name: str
    parent_code: str | None
    level: str | None
    chair_name: str | None
    chair_phone: str | None


@dataclass(slots=True)
class _Officer:
    line: int
    unit_code: str
    full_name: str
    phone: str
    role: Role


@dataclass(slots=True)
class _Checker:
    """Collects every problem of a sheet instead of stopping at the first."""

    problems: list[RowProblem] = field(default_factory=list)
    units: list[_Unit] = field(default_factory=list)
    officers: list[_Officer] = field(default_factory=list)
    first_definition: dict[str, int] = field(default_factory=dict)
    # unit codes that officer rows refer to, with the line, checked once every unit is known
    officer_refs: list[tuple[int, str]] = field(default_factory=list)

    def add(self, line: int, message: str) -> None:
        self.problems.append(RowProblem(line, message))


def _check(lines: list[tuple[int, list[str]]]) -> RosterSheet:
    header_at = _find_header(lines)
    if header_at is None:
        raise _fail("Tệp không có dòng tiêu đề và không có đơn vị nào.")
    header_line, header_cells = lines[header_at]
    columns, header_problems = _match_header(header_cells)
    problems = [RowProblem(header_line, m) for m in header_problems]
    if problems:
        raise RosterFileError(problems)

    checker = _Checker()
    seen_data = False
    for line, cells in lines[header_at + 1 :]:
        row = {name: _clean(cells[i]) if i < len(cells) else "" for name, i in columns.items()}
        if not any(row.values()):
            continue  # blank rows (or rows with only an "STT" number) carry nothing
        seen_data = True
        _check_row(checker, line, row)
    if not seen_data:
        raise _fail("Tệp chỉ có dòng tiêu đề, không có đơn vị nào bên dưới.")

    _check_links(checker)
    _check_officers(checker)
    if checker.problems:
        raise RosterFileError(checker.problems)
    return _sheet(checker.units, checker.officers)


def _find_header(lines: list[tuple[int, list[str]]]) -> int | None:
    """Index of the header: the first row naming the code column, else the first filled row."""
    first_filled: int | None = None
    filled = 0
    for index, (_, cells) in enumerate(lines):
        if not any(_clean(c) for c in cells):
            continue
        if first_filled is None:
            first_filled = index
        if "ma_don_vi" in _match_header(cells)[0]:
            return index
        filled += 1
        if filled >= _HEADER_SEARCH_ROWS:
            break
    return first_filled


def _match_header(cells: Sequence[str]) -> tuple[dict[str, int], list[str]]:
    """Map column ids to cell positions; the problems are those of a header row (line 1)."""
    lookup = _alias_lookup()
    columns: dict[str, int] = {}
    problems: list[str] = []
    for index, cell in enumerate(cells):
        column = lookup.get(_key(cell))
        if column is None:
            continue  # extra columns (STT, ghi chú …) are allowed and ignored
        if column in columns:
            problems.append(
                f'Cột "{column}" xuất hiện hai lần: cột {_letter(columns[column])} '
                f'("{_clean(cells[columns[column]])}") và cột {_letter(index)} ("{_clean(cell)}").'
            )
            continue
        columns[column] = index
    for column in REQUIRED_COLUMNS:
        if column not in columns:
            problems.append(
                f'Thiếu cột bắt buộc "{column}" ({_COLUMN_MEANING[column]}) ở dòng tiêu đề.'
            )
    for name_col, phone_col in (("can_bo", "dien_thoai_can_bo"), ("dien_thoai", "chu_tich")):
        if name_col in columns and phone_col not in columns:
            problems.append(
                f'Có cột "{name_col}" nhưng thiếu cột "{phone_col}" ({_COLUMN_MEANING[phone_col]}).'
            )
    if "vai_tro" in columns and "can_bo" not in columns:
        problems.append('Có cột "vai_tro" nhưng thiếu cột "can_bo" (họ tên cán bộ).')
    return columns, problems


@cache
def _alias_lookup() -> dict[str, str]:
    return {alias: column for column, aliases in _ALIASES.items() for alias in aliases}


_COLUMN_MEANING: dict[str, str] = {
    "ma_don_vi": "mã đơn vị",
    "ten_don_vi": "tên đơn vị",
    "ma_cap_tren": "mã đơn vị cấp trên",
    "cap": "cấp",
    "chu_tich": "họ tên chủ tịch",
    "dien_thoai": "điện thoại chủ tịch",
    "can_bo": "họ tên cán bộ",
    "dien_thoai_can_bo": "điện thoại cán bộ",
    "vai_tro": "vai trò cán bộ",
}


def _check_row(checker: _Checker, line: int, row: dict[str, str]) -> None:
    code = row.get("ma_don_vi", "")
    unit_fields = ("ten_don_vi", "ma_cap_tren", "cap", "chu_tich", "dien_thoai")
    officer_fields = ("can_bo", "dien_thoai_can_bo", "vai_tro")
    has_officer = any(row.get(f) for f in officer_fields)
    defines_unit = any(row.get(f) for f in unit_fields) or not has_officer
    label = f'đơn vị "{code}"' if code else "đơn vị"

    if not code:
        name = row.get("ten_don_vi", "")
        if defines_unit:
            checker.add(line, "Thiếu mã đơn vị" + (f' (đơn vị "{name}").' if name else "."))
        else:
            checker.add(line, "Dòng cán bộ thiếu mã đơn vị (cột ma_don_vi).")
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
        checker.add(line, f"{label[0].upper()}{label[1:]} thiếu tên đơn vị (cột ten_don_vi).")
    elif len(name) > MAX_UNIT_NAME:
        checker.add(line, f"Tên {label} dài quá {MAX_UNIT_NAME} ký tự.")
    if level and len(level) > MAX_LEVEL:
        checker.add(line, f'Cấp "{level}" của {label} dài quá {MAX_LEVEL} ký tự.')
    if chair_name and len(chair_name) > MAX_PERSON_NAME:
        checker.add(line, f"Họ tên chủ tịch {label} dài quá {MAX_PERSON_NAME} ký tự.")

    chair_phone: str | None = None
    if chair_raw:
        chair_phone = _phone(checker, line, chair_raw, f"chủ tịch {label}")
        if not chair_name:
            checker.add(
                line,
                f'Có số điện thoại chủ tịch "{chair_raw}" nhưng thiếu họ tên chủ tịch {label} '
                "(cột chu_tich).",
            )

    if not code:
        return
    first = checker.first_definition.get(code)
    if first is not None:
        checker.add(line, f'Mã đơn vị "{code}" bị trùng: đã khai báo ở dòng {first}.')
        return
    checker.first_definition[code] = line
    checker.units.append(_Unit(line, code, name, parent, level, chair_name, chair_phone))


def _check_officer_fields(
    checker: _Checker, line: int, code: str, label: str, row: dict[str, str]
) -> None:
    name = row.get("can_bo", "")
    raw_phone = row.get("dien_thoai_can_bo", "")
    raw_role = row.get("vai_tro", "")
    if not (name or raw_phone or raw_role):
        return
    role = _ROLE_WORDS.get(_key(raw_role))
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
        checker.add(line, f'Cán bộ "{name}" ({label}) thiếu số điện thoại (cột dien_thoai_can_bo).')
        return
    who = f'cán bộ "{name}" ({label})' if name else f"cán bộ ({label})"
    phone = _phone(checker, line, raw_phone, who)
    if not name:
        checker.add(
            line,
            f'Có số điện thoại cán bộ "{raw_phone}" ({label}) nhưng thiếu họ tên (cột can_bo).',
        )
        return
    if len(name) > MAX_PERSON_NAME:
        checker.add(line, f'Họ tên cán bộ "{name[:40]}…" dài quá {MAX_PERSON_NAME} ký tự.')
    if phone is not None and role is not None and code:
        checker.officers.append(_Officer(line, code, name, phone, role))


def _phone(checker: _Checker, line: int, raw: str, whose: str) -> str | None:
    phone = normalize_phone(raw)
    if phone is not None:
        return phone
    if _SCIENTIFIC.fullmatch(raw):
        checker.add(
            line,
            f'Số điện thoại {whose} bị Excel đổi thành dạng số mũ ("{raw}"), đã mất chữ số. '
            "Hãy định dạng cột điện thoại là Văn bản (Text) và gõ lại số.",
        )
    else:
        checker.add(
            line,
            f'Số điện thoại {whose} "{raw}" không hợp lệ: cần một số di động hoặc cố định '
            "Việt Nam, ví dụ 0912 345 678.",
        )
    return None


def _check_links(checker: _Checker) -> None:
    """Every parent defined, no unit its own ancestor."""
    by_code = {unit.code: unit for unit in checker.units}
    folded = _folded(by_code)
    for unit in checker.units:
        if unit.parent_code is None:
            continue
        if unit.parent_code == unit.code:
            checker.add(unit.line, f'Đơn vị "{unit.code}" có mã cấp trên là chính nó.')
        elif unit.parent_code not in by_code:
            checker.add(
                unit.line,
                f'Mã cấp trên "{unit.parent_code}" của đơn vị "{unit.code}" không có trong tệp '
                "(đơn vị cấp trên phải được khai báo trong cùng tệp)."
                + _did_you_mean(unit.parent_code, folded),
            )

    # Walk up from every unit; a walk that meets itself is a cycle, reported once at its
    # earliest line and naming every unit on it.
    state: dict[str, int] = {}  # 1: on the current walk, 2: finished
    for unit in checker.units:
        path: list[str] = []
        code: str | None = unit.code
        while code is not None and code in by_code and state.get(code) is None:
            state[code] = 1
            path.append(code)
            parent = by_code[code].parent_code
            code = parent if parent != code else None
        if code is not None and state.get(code) == 1:
            ring = path[path.index(code) :]
            members = [by_code[c] for c in ring]
            start = min(range(len(members)), key=lambda i: members[i].line)
            ordered = members[start:] + members[:start]
            chain = " → ".join(f'"{m.code}" (dòng {m.line})' for m in ordered)
            checker.add(
                ordered[0].line,
                f'Vòng lặp cấp trên: {chain} → "{ordered[0].code}". '
                "Một đơn vị không thể là cấp trên của chính cấp trên mình.",
            )
        for c in path:
            state[c] = 2


def _check_officers(checker: _Checker) -> None:
    """Officer rows point at a defined unit; one person per phone; no officer listed twice."""
    defined = checker.first_definition
    folded = _folded(defined)
    for line, code in checker.officer_refs:
        if code not in defined:
            checker.add(
                line,
                f'Dòng cán bộ thuộc mã đơn vị "{code}", nhưng mã này không được khai báo '
                "ở dòng nào trong tệp." + _did_you_mean(code, folded),
            )

    listed: dict[tuple[str, str], int] = {}
    for officer in checker.officers:
        key = (officer.unit_code, officer.phone)
        if key in listed:
            checker.add(
                officer.line,
                f"Cán bộ có số {display_phone(officer.phone)} đã được khai báo cho đơn vị "
                f'"{officer.unit_code}" ở dòng {listed[key]}.',
            )
        else:
            listed[key] = officer.line

    # The database keeps one person per phone: the same number under two names is a typo
    # (or two people sharing a phone), and the import could not tell whose it is.
    owner: dict[str, tuple[str, int]] = {}
    people = [(u.line, u.chair_name, u.chair_phone) for u in checker.units]
    people += [(o.line, o.full_name, o.phone) for o in checker.officers]
    for line, name, phone in sorted(people, key=lambda p: p[0]):
        if name is None or phone is None:
            continue
        if phone not in owner:
            owner[phone] = (name, line)
        elif _key_name(owner[phone][0]) != _key_name(name):
            first_name, first_line = owner[phone]
            checker.add(
                line,
                f'Số điện thoại {display_phone(phone)} đã thuộc về "{first_name}" ở dòng '
                f'{first_line}, ở đây lại ghi "{name}". Mỗi số điện thoại chỉ của một người.',
            )


def _sheet(units: list[_Unit], officers: list[_Officer]) -> RosterSheet:
    """Units parent-first (file order kept wherever it already is), officers grouped by unit."""
    ordered = _parent_first(units, lambda u: u.code, lambda u: u.parent_code)
    position = {unit.code: index for index, unit in enumerate(ordered)}
    grouped = sorted(officers, key=lambda o: (position[o.unit_code], o.line))
    return RosterSheet(
        units=tuple(
            UnitRow(u.line, u.code, u.name, u.parent_code, u.level, u.chair_name, u.chair_phone)
            for u in ordered
        ),
        officers=tuple(
            OfficerRow(o.line, o.unit_code, o.full_name, o.phone, o.role) for o in grouped
        ),
    )


def _parent_first(
    items: Sequence[_T], code_of: Callable[[_T], str], parent_of: Callable[[_T], str | None]
) -> list[_T]:
    """Each item after its parent; an item whose parent is absent counts as a root."""
    by_code = {code_of(item): item for item in items}
    done: set[str] = set()
    ordered: list[_T] = []
    for item in items:
        chain: list[_T] = []
        current: _T | None = item
        while current is not None and code_of(current) not in done:
            chain.append(current)
            done.add(code_of(current))  # also guards against a cycle in unchecked input
            parent = parent_of(current)
            current = by_code.get(parent) if parent is not None else None
        ordered.extend(reversed(chain))
    return ordered


# --------------------------------------------------------------------------- writing


def write_roster(path: Path, sheet: RosterSheet) -> None:
    """Write the sheet in the import layout (.xlsx or .csv) so that reading it gives it back.

    Units are written parent-first; each unit's first officer shares the unit's row and the
    others follow on officer-only rows. The file is replaced atomically.
    """
    rows = _layout(sheet)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        _atomic_write(path, lambda target: _write_xlsx(target, rows, with_guide=False))
    elif suffix == ".csv":
        _atomic_write(path, lambda target: _write_csv(target, rows))
    else:
        raise ValueError(f"unsupported roster file type {suffix!r}: use .xlsx or .csv")


def template_sheet() -> RosterSheet:
    """The example roster shipped as docs/roster-template.*: made-up people and numbers."""
    units = (
        UnitRow(0, "LDLD-T", "Liên đoàn Lao động tỉnh Mẫu", None, "LĐLĐ tỉnh",
                "Nguyễn Văn An", "+84912000101"),
        UnitRow(0, "LDLD-H01", "Liên đoàn Lao động huyện Ví Dụ", "LDLD-T", "LĐLĐ huyện",
                "Trần Thị Bình", "+84983000202"),
        UnitRow(0, "CDN-GD", "Công đoàn ngành Giáo dục tỉnh Mẫu", "LDLD-T", "Công đoàn ngành",
                None, None),
        UnitRow(0, "CDCS-0001", "Công đoàn cơ sở Công ty TNHH May Mẫu", "LDLD-H01", "CĐCS",
                "Lê Văn Cường", "+84868000303"),
        UnitRow(0, "CDCS-0002", "Công đoàn cơ sở Trường THCS Ví Dụ", "CDN-GD", "CĐCS",
                "Phạm Thị Dung", "+84902000404"),
    )  # fmt: skip
    officers = (
        OfficerRow(0, "LDLD-T", "Hoàng Văn Em", "+84977000505", "admin"),
        OfficerRow(0, "LDLD-H01", "Vũ Thị Giang", "+84888000606", "officer"),
        OfficerRow(0, "LDLD-H01", "Đỗ Văn Hùng", "+84936000707", "officer"),
    )
    return RosterSheet(units, officers)


def write_template(path: Path) -> None:
    """Write the example roster; an .xlsx also gets a second sheet explaining each column."""
    rows = _layout(template_sheet())
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        _atomic_write(path, lambda target: _write_xlsx(target, rows, with_guide=True))
    else:
        write_roster(path, template_sheet())


def _layout(sheet: RosterSheet) -> list[list[str]]:
    """The rows of the file, header first, every cell as text."""
    known = {unit.code for unit in sheet.units}
    stray = sorted({o.unit_code for o in sheet.officers} - known)
    if stray:
        raise ValueError(f"{len(stray)} officer unit code(s) are not among the units")
    units = _parent_first(sheet.units, lambda u: u.code, lambda u: u.parent_code)
    by_unit: dict[str, list[OfficerRow]] = {}
    for officer in sheet.officers:
        by_unit.setdefault(officer.unit_code, []).append(officer)

    rows: list[list[str]] = [list(COLUMNS)]
    for unit in units:
        officers = by_unit.get(unit.code, [])
        first = officers[0] if officers else None
        rows.append(
            [
                unit.code,
                unit.name,
                unit.parent_code or "",
                unit.level or "",
                unit.chair_name or "",
                display_phone(unit.chair_phone) if unit.chair_phone else "",
                *_officer_cells(first),
            ]
        )
        rows.extend([unit.code, "", "", "", "", "", *_officer_cells(o)] for o in officers[1:])
    return rows


def _officer_cells(officer: OfficerRow | None) -> list[str]:
    if officer is None:
        return ["", "", ""]
    return [officer.full_name, display_phone(officer.phone), _ROLE_LABELS[officer.role]]


def _atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Write beside the target, then rename: a failed export never leaves half a roster.

    The temporary file is opened the ordinary way (not mkstemp's 0600) so the result gets
    the same permissions a plain save would.
    """
    target = path.with_name(f".{path.stem}-{secrets.token_hex(4)}{path.suffix}")
    try:
        write(target)
        target.replace(path)
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def _write_csv(path: Path, rows: list[list[str]]) -> None:
    # UTF-8 with BOM: without it Excel shows Vietnamese diacritics as mojibake.
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        csv.writer(out).writerows(rows)


def _write_xlsx(path: Path, rows: list[list[str]], *, with_guide: bool) -> None:
    import openpyxl
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Danh sách đơn vị"
    for values in rows:
        sheet.append(values)
    for row in sheet.iter_rows():
        for cell in row:
            # Text: Excel must not eat leading zeros or turn codes into numbers.
            cell.number_format = "@"
            if isinstance(cell.value, str):
                cell.data_type = "s"  # a name starting with "=" is text, never a formula
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = (14, 44, 14, 18, 24, 16, 24, 18, 12)
    for index, width in enumerate(widths, start=1):
        dimension = sheet.column_dimensions[get_column_letter(index)]
        dimension.width = width
        dimension.number_format = "@"  # rows typed in later are text too
    sheet.freeze_panes = "A2"
    if with_guide:
        guide = workbook.create_sheet("Hướng dẫn")
        guide.append(["Cột", "Ý nghĩa", "Bắt buộc"])
        for column, meaning, required in _GUIDE:
            guide.append([column, meaning, required])
        for cell in guide[1]:
            cell.font = Font(bold=True)
        guide.column_dimensions["A"].width = 20
        guide.column_dimensions["B"].width = 90
        guide.column_dimensions["C"].width = 12
    workbook.save(path)


_GUIDE: tuple[tuple[str, str, str], ...] = (
    ("ma_don_vi", "Mã đơn vị, duy nhất trong tệp (nên dùng chữ không dấu, số, gạch ngang).", "Có"),
    ("ten_don_vi", "Tên đầy đủ của đơn vị. Để trống nếu dòng này chỉ thêm một cán bộ.", "Có"),
    ("ma_cap_tren", "Mã đơn vị cấp trên, phải có trong tệp; để trống ở đơn vị cao nhất.", "Có"),
    ("cap", "Tên cấp, ví dụ: LĐLĐ tỉnh, LĐLĐ huyện, Công đoàn ngành, CĐCS.", "Không"),
    ("chu_tich", "Họ tên chủ tịch công đoàn của đơn vị.", "Không"),
    ("dien_thoai", "Điện thoại chủ tịch, ví dụ 0912 345 678 (cần có họ tên chủ tịch).", "Không"),
    ("can_bo", "Họ tên một cán bộ. Thêm cán bộ: thêm dòng chỉ có mã đơn vị và cán bộ.", "Không"),
    ("dien_thoai_can_bo", "Điện thoại của cán bộ, bắt buộc khi có họ tên cán bộ.", "Không"),
    ("vai_tro", 'Vai trò cán bộ: "cán bộ" (mặc định) hoặc "quản trị".', "Không"),
)  # fmt: skip


# --------------------------------------------------------------------------- text helpers


def _clean(value: str) -> str:
    """NFC, invisible characters dropped, whitespace (non-breaking too) collapsed to one space."""
    text = unicodedata.normalize("NFC", value).translate(_INVISIBLE)
    return " ".join(text.split())


def _key(value: str) -> str:
    """Comparison key for headers and roles: `Mã đơn vị`, `MA_DON_VI`, `ma don vi` are equal."""
    return fold_key(_clean(value))


def _key_name(name: str) -> str:
    return _clean(name).casefold()


def _folded(codes: Iterable[str]) -> dict[str, str]:
    return {code.casefold(): code for code in codes}


def _did_you_mean(code: str, folded: dict[str, str]) -> str:
    match = folded.get(code.casefold())
    return f' Có phải "{match}" (khác chữ hoa/thường)?' if match else ""


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index + 1))


__all__ = [
    "COLUMNS",
    "REQUIRED_COLUMNS",
    "OfficerRow",
    "Role",
    "RosterFileError",
    "RosterSheet",
    "RowProblem",
    "UnitRow",
    "read_roster",
    "template_sheet",
    "write_roster",
    "write_template",
]
