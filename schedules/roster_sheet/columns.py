# mypy: disable-error-code="import-untyped"
"""The sheet's columns: their ids and order, the header spellings people use, the role
words, the database's length limits and the template's help texts."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import cache

from schedules.folding import fold_key
from storage.models import Role

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

HEADER_SEARCH_ROWS = 20  # a title block above the table is common in office sheets

# Bounds on what a roster file may cost (issue 16: a 49 MB, 300,000-row CSV took 1.1 GB).
# A national roster (about 150,000 units, ~100 bytes a row) fits; anything larger is refused
# before a byte of it is read. The file is read as a stream, so reading stays within a fixed
# memory bound (measured by `python -m bench roster`, stated in docs/roster.md).
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_LINES = 200_000
# A .xlsx is a zip: its parts may expand far beyond the file's size. The sum of the sizes the
# zip declares (which decompression cannot exceed) is bounded before openpyxl opens it.
MAX_XLSX_UNPACKED_BYTES = 200 * 1024 * 1024
# A file wrong on every row would otherwise hold one message per row.
MAX_PROBLEMS = 1_000

# A cell a spreadsheet would run as a formula. The CSV export writes such a cell after an
# apostrophe (the usual guard: the cell shows as text), and reading drops that apostrophe.
FORMULA_STARTS: tuple[str, ...] = ("=", "+", "-", "@")

# Header spellings, compared after `cell_key` (no diacritics, no case, no spaces or punctuation):
# the template's ids, the headings officers type in their own sheets, and English.
_ALIASES: dict[str, tuple[str, ...]] = {
    "ma_don_vi": ("madonvi", "madv", "ma", "code", "unitcode", "macongdoan", "madonvicongdoan"),
    "ten_don_vi": (
        "tendonvi",
        "tendv",
        "ten",
        "donvi",
        "tencongdoan",
        "tendonvicongdoan",
        "tencongdoancoso",
        "tencdcs",
        "name",
        "unitname",
    ),
    "ma_cap_tren": (
        "macaptren",
        "madonvicaptren",
        "madvcaptren",
        "captren",
        "donvicaptren",
        "tendonvicaptren",
        "captrentructiep",
        "donvicaptrentructiep",
        "congdoancaptren",
        "congdoancaptrentructiep",
        "parent",
        "parentcode",
        "parentunitcode",
    ),
    "cap": ("cap", "capdonvi", "loaidonvi", "level", "unitlevel"),
    "chu_tich": (
        "chutich",
        "hotenchutich",
        "hovatenchutich",
        "tenchutich",
        "chutichcongdoan",
        "hotenchutichcongdoan",
        "hovatenchutichcongdoan",
        "chair",
        "chairname",
    ),
    "dien_thoai": (
        "dienthoai",
        "sodienthoai",
        "sdt",
        "dt",
        "sodt",
        "dtdd",
        "didong",
        "dienthoaididong",
        "sodienthoaididong",
        "dienthoaichutich",
        "sodienthoaichutich",
        "sdtchutich",
        "dtchutich",
        "phone",
        "chairphone",
    ),
    "can_bo": (
        "canbo",
        "hotencanbo",
        "hovatencanbo",
        "tencanbo",
        "canbophutrach",
        "hotencanbophutrach",
        "hovatencanbophutrach",
        "officer",
        "officername",
    ),
    "dien_thoai_can_bo": (
        "dienthoaicanbo",
        "sodienthoaicanbo",
        "sdtcanbo",
        "dtcanbo",
        "dienthoaicanbophutrach",
        "sodienthoaicanbophutrach",
        "sdtcanbophutrach",
        "officerphone",
    ),
    "vai_tro": ("vaitro", "vaitrocanbo", "role", "officerrole"),
}

# The sheet's words for the two roles an officer row can give (compared after `cell_key`).
ROLE_WORDS: dict[str, Role] = {
    "": Role.OFFICER,
    "canbo": Role.OFFICER,
    "officer": Role.OFFICER,
    "quantri": Role.ADMIN,
    "quantrivien": Role.ADMIN,
    "admin": Role.ADMIN,
    "administrator": Role.ADMIN,
}
ROLE_LABELS: dict[Role, str] = {Role.OFFICER: "cán bộ", Role.ADMIN: "quản trị"}

# How messages name a column the file does not have: the heading the template's users know.
LABELS: dict[str, str] = {
    "ma_don_vi": "Mã đơn vị",
    "ten_don_vi": "Tên đơn vị",
    "ma_cap_tren": "Mã cấp trên",
    "cap": "Cấp",
    "chu_tich": "Chủ tịch",
    "dien_thoai": "Điện thoại",
    "can_bo": "Cán bộ",
    "dien_thoai_can_bo": "Điện thoại cán bộ",
    "vai_tro": "Vai trò",
}
# Other headings a missing column may have, offered in the message that it is missing.
_ALSO: dict[str, str] = {
    "ma_don_vi": '"Mã ĐV" hoặc "Mã"',
    "ten_don_vi": '"Đơn vị" hoặc "Tên công đoàn"',
    "ma_cap_tren": '"Đơn vị cấp trên" hoặc "Cấp trên"',
    "chu_tich": '"Họ và tên Chủ tịch"',
    "dien_thoai": '"Số điện thoại" hoặc "SĐT"',
    "can_bo": '"Cán bộ phụ trách"',
    "dien_thoai_can_bo": '"SĐT cán bộ"',
}

COLUMN_MEANING: dict[str, str] = {
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


# The template's second sheet: what each column means and whether it must be filled.
GUIDE: tuple[tuple[str, str, str], ...] = (
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


_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def match_header(cells: Sequence[str]) -> tuple[dict[str, int], list[str]]:
    """Map column ids to cell positions; the problems are those of a header row, worded
    with the file's own headings (a missing column by its usual heading)."""
    lookup = _alias_lookup()
    columns: dict[str, int] = {}
    problems: list[str] = []
    for index, cell in enumerate(cells):
        column = lookup.get(cell_key(cell))
        if column is None:
            continue  # extra columns (STT, ghi chú …) are allowed and ignored
        if column in columns:
            first = columns[column]
            problems.append(
                f"Hai cột cùng là cột {COLUMN_MEANING[column]}: cột {column_letter(first)} "
                f'("{clean_cell(cells[first])}") và cột {column_letter(index)} '
                f'("{clean_cell(cell)}"). Hãy xoá hoặc đổi tên một cột.'
            )
            continue
        columns[column] = index
    for column in REQUIRED_COLUMNS:
        if column not in columns:
            problems.append(f"Thiếu cột bắt buộc {missing_column(column)} ở dòng tiêu đề.")
    for name_col, phone_col in (("can_bo", "dien_thoai_can_bo"), ("dien_thoai", "chu_tich")):
        if name_col in columns and phone_col not in columns:
            problems.append(
                f'Có cột "{clean_cell(cells[columns[name_col]])}" nhưng thiếu cột '
                f"{missing_column(phone_col)}."
            )
    if "vai_tro" in columns and "can_bo" not in columns:
        problems.append(
            f'Có cột "{clean_cell(cells[columns["vai_tro"]])}" nhưng thiếu cột '
            f"{missing_column('can_bo')}."
        )
    return columns, problems


def missing_column(column: str) -> str:
    """A column the file lacks, by its usual heading and what it holds."""
    also = f", hoặc {_ALSO[column]}" if column in _ALSO else ""
    return f'"{LABELS[column]}" ({COLUMN_MEANING[column]}{also})'


def column_heading(column: str, headings: dict[str, str]) -> str:
    """How a row's message names a column: the file's own heading, quoted."""
    return f'"{headings.get(column) or LABELS[column]}"'


def unguard_formula(text: str) -> str:
    """Drop the apostrophe the CSV export puts before a cell that would be a formula."""
    if text.startswith("'") and text.lstrip("'").startswith(FORMULA_STARTS):
        return text[1:]
    return text


def guard_formula(text: str) -> str:
    """A cell a spreadsheet must show as text, never run: `=1+1` is written `'=1+1`."""
    return "'" + text if text.lstrip("'").startswith(FORMULA_STARTS) else text


@cache
def _alias_lookup() -> dict[str, str]:
    return {alias: column for column, aliases in _ALIASES.items() for alias in aliases}


def clean_cell(value: str) -> str:
    """NFC, invisible characters dropped, whitespace (non-breaking too) collapsed to one space."""
    if not value:
        return ""
    if not unicodedata.is_normalized("NFC", value):
        value = unicodedata.normalize("NFC", value)
    return " ".join(value.translate(_INVISIBLE).split())


def cell_key(value: str) -> str:
    """Comparison key for headers and roles: `Mã đơn vị`, `MA_DON_VI`, `ma don vi` are equal."""
    return fold_key(clean_cell(value))


def column_letter(index: int) -> str:
    """Excel's name for the column at a 0-based position: 0 is "A", 26 is "AA"."""
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index + 1))
