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

# Header spellings, compared after `cell_key` (no diacritics, no case, no spaces or punctuation).
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
    """Map column ids to cell positions; the problems are those of a header row (line 1)."""
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
                f'Cột "{column}" xuất hiện hai lần: cột {column_letter(first)} '
                f'("{clean_cell(cells[first])}") và cột {column_letter(index)} '
                f'("{clean_cell(cell)}").'
            )
            continue
        columns[column] = index
    for column in REQUIRED_COLUMNS:
        if column not in columns:
            problems.append(
                f'Thiếu cột bắt buộc "{column}" ({COLUMN_MEANING[column]}) ở dòng tiêu đề.'
            )
    for name_col, phone_col in (("can_bo", "dien_thoai_can_bo"), ("dien_thoai", "chu_tich")):
        if name_col in columns and phone_col not in columns:
            problems.append(
                f'Có cột "{name_col}" nhưng thiếu cột "{phone_col}" ({COLUMN_MEANING[phone_col]}).'
            )
    if "vai_tro" in columns and "can_bo" not in columns:
        problems.append('Có cột "vai_tro" nhưng thiếu cột "can_bo" (họ tên cán bộ).')
    return columns, problems


@cache
def _alias_lookup() -> dict[str, str]:
    return {alias: column for column, aliases in _ALIASES.items() for alias in aliases}


def clean_cell(value: str) -> str:
    """NFC, invisible characters dropped, whitespace (non-breaking too) collapsed to one space."""
    text = unicodedata.normalize("NFC", value).translate(_INVISIBLE)
    return " ".join(text.split())


def cell_key(value: str) -> str:
    """Comparison key for headers and roles: `Mã đơn vị`, `MA_DON_VI`, `ma don vi` are equal."""
    return fold_key(clean_cell(value))


def column_letter(index: int) -> str:
    """Excel's name for the column at a 0-based position: 0 is "A", 26 is "AA"."""
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index + 1))
