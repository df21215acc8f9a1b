# mypy: disable-error-code="import-untyped"
"""The export's second sheet, for an officer to print: one line per unit (STT, unit indented
by its depth, level, chair, phone, registered with the bot or not), A4 landscape, the header
repeated on every page. The import reads only the first sheet, so the export stays
importable with it."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from typing import Any

from schedules.phones import display_phone
from storage.roster import RosterSheet, UnitRow

TITLE = "In danh sách"
HEADINGS = ("STT", "Đơn vị", "Cấp", "Chủ tịch", "Điện thoại", "Đăng ký bot")
WIDTHS = (6, 56, 18, 26, 16, 14)
REGISTERED, NOT_REGISTERED, NO_CHAIR = "Đã đăng ký", "Chưa", "—"


def print_rows(sheet: RosterSheet, registered: Collection[str]) -> list[tuple[int, list[str]]]:
    """(depth, cells) per unit, each unit's branch right under it; `registered` holds the
    codes of the units whose chair has registered with the bot."""
    rows: list[tuple[int, list[str]]] = []
    for number, (level, unit) in enumerate(_tree_order(sheet.units), start=1):
        if unit.chair_name:
            status = REGISTERED if unit.code in registered else NOT_REGISTERED
        else:
            status = NO_CHAIR
        rows.append(
            (
                level,
                [
                    str(number),
                    unit.name,
                    unit.level or "",
                    unit.chair_name or "",
                    display_phone(unit.chair_phone) if unit.chair_phone else "",
                    status,
                ],
            )
        )
    return rows


def _tree_order(units: Sequence[UnitRow]) -> Iterator[tuple[int, UnitRow]]:
    """Depth-first, siblings in the sheet's order (no recursion: a tree may be deep)."""
    codes = {unit.code for unit in units}
    children: dict[str | None, list[UnitRow]] = {}
    for unit in units:
        parent = unit.parent_code if unit.parent_code in codes else None
        children.setdefault(parent, []).append(unit)
    stack = [(0, unit) for unit in reversed(children.get(None, []))]
    while stack:
        depth, unit = stack.pop()
        yield depth, unit
        stack.extend((depth + 1, child) for child in reversed(children.get(unit.code, [])))


def add_print_sheet(workbook: Any, sheet: RosterSheet, registered: Collection[str]) -> None:
    """Append the printable sheet to an openpyxl workbook."""
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.page import PageMargins

    page = workbook.create_sheet(TITLE)
    page.append(["DANH SÁCH ĐƠN VỊ VÀ CHỦ TỊCH CÔNG ĐOÀN"])
    page["A1"].font = Font(bold=True, size=13)
    page.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADINGS))
    page["A1"].alignment = Alignment(horizontal="center")
    page.append(list(HEADINGS))
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for cell in page[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
    for depth, cells in print_rows(sheet, registered):
        page.append(cells)
        for index, cell in enumerate(page[page.max_row]):
            cell.data_type = "s"  # text, never a formula
            cell.number_format = "@"
            cell.border = border
            cell.alignment = Alignment(
                vertical="top", wrap_text=True, indent=min(depth, 10) if index == 1 else 0
            )
    for index, width in enumerate(WIDTHS, start=1):
        page.column_dimensions[get_column_letter(index)].width = width
    page.print_title_rows = "2:2"
    page.freeze_panes = "A3"
    page.page_setup.orientation = "landscape"
    page.page_setup.paperSize = page.PAPERSIZE_A4
    page.page_setup.fitToWidth = 1
    page.page_setup.fitToHeight = 0
    page.sheet_properties.pageSetUpPr.fitToPage = True
    page.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    page.oddFooter.center.text = "Trang &P / &N"
