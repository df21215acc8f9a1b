# mypy: disable-error-code="import-untyped"
"""Writing a roster file: the export of the current roster and the example template, in the
layout `read_roster` reads back unchanged (.xlsx with text cells, or CSV UTF-8 with a BOM)."""

from __future__ import annotations

import csv
import secrets
from collections.abc import Callable, Collection
from pathlib import Path

from schedules.phones import display_phone
from schedules.roster_sheet.columns import COLUMNS, GUIDE, ROLE_LABELS, guard_formula
from schedules.roster_sheet.printable import add_print_sheet
from schedules.roster_sheet.tree import parent_first
from storage.models import Role
from storage.roster import OfficerRow, RosterSheet, UnitRow


def write_roster(
    path: Path, sheet: RosterSheet, *, registered: Collection[str] | None = None
) -> None:
    """Write the sheet in the import layout (.xlsx or .csv) so that reading it gives it back.

    Units are written parent-first; each unit's first officer shares the unit's row and the
    others follow on officer-only rows. The file is replaced atomically. Given `registered`
    (the codes of units whose chair registered with the bot), a .xlsx gets a second sheet to
    print (`printable`); a CSV has one sheet, and its cells that a spreadsheet would run as
    formulas are written after an apostrophe (`guard_formula`; reading drops it again).
    """
    rows = _layout(sheet)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":

        def write_xlsx(target: Path) -> None:
            _write_xlsx(target, rows, with_guide=False, printable=sheet, registered=registered)

        _atomic_write(path, write_xlsx)
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
        OfficerRow(0, "LDLD-T", "Hoàng Văn Em", "+84977000505", Role.ADMIN),
        OfficerRow(0, "LDLD-H01", "Vũ Thị Giang", "+84888000606", Role.OFFICER),
        OfficerRow(0, "LDLD-H01", "Đỗ Văn Hùng", "+84936000707", Role.OFFICER),
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
    if any(officer.role not in ROLE_LABELS for officer in sheet.officers):
        raise ValueError("an officer row's role is officer or admin: chairs are unit rows")
    units = parent_first(sheet.units, lambda u: u.code, lambda u: u.parent_code)
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
    return [officer.full_name, display_phone(officer.phone), ROLE_LABELS[officer.role]]


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
        csv.writer(out).writerows([guard_formula(cell) for cell in row] for row in rows)


def _write_xlsx(
    path: Path,
    rows: list[list[str]],
    *,
    with_guide: bool,
    printable: RosterSheet | None = None,
    registered: Collection[str] | None = None,
) -> None:
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
        for column, meaning, required in GUIDE:
            guide.append([column, meaning, required])
        for cell in guide[1]:
            cell.font = Font(bold=True)
        guide.column_dimensions["A"].width = 20
        guide.column_dimensions["B"].width = 90
        guide.column_dimensions["C"].width = 12
    if printable is not None and registered is not None:
        add_print_sheet(workbook, printable, registered)
    workbook.save(path)
