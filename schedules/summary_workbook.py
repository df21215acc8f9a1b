# mypy: disable-error-code="import-untyped"
"""The weekly summary's Excel workbook, in the layout officers report upward with.

The first sheet («Tổng hợp») has one line per unit (a child unit, or a grassroots union)
with its tasks counted by status and the completion rate, then a total line; each task
follows on a sheet of its own, one line per unit with its chair, phone, status, last report,
percent, indicator and note. Figures are numbers and dates are dates, with Excel formats
(a percent is 0.6 shown as 60 %), so officers can sort, sum and paste them.

Every text that came from people (unit, chair, task, note) is written as text: a name
starting with `=`, `+`, `-` or `@` never becomes a formula. No cell holds a formula at all;
the total line is computed here.

openpyxl is imported inside `render_workbook`, so nothing that loads this module pays for it.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Mapping, Sequence
from copy import copy
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from schedules.status import Status

SUMMARY_SHEET = "Tổng hợp"
SUMMARY_HEADERS = (
    "STT",
    "Đơn vị",
    "Tổng số việc",
    "Hoàn thành đúng hạn",
    "Hoàn thành quá hạn",
    "Chưa hoàn thành trong hạn",
    "Chưa hoàn thành quá hạn",
    "Chưa báo cáo",
    "Tỷ lệ hoàn thành (%)",
)
SUMMARY_WIDTHS = (6, 40, 12, 14, 14, 16, 16, 12, 14)
# The summary's status columns, and the statuses each one counts. «Vướng mắc» is not yet
# done and is the officer's to solve: it is counted with the work still within its deadline.
SUMMARY_COLUMNS: tuple[tuple[Status, ...], ...] = (
    (Status.DONE_ON_TIME,),
    (Status.DONE_LATE,),
    (Status.IN_PROGRESS, Status.BLOCKED),
    (Status.OVERDUE,),
    (Status.NO_REPORT,),
)
TASK_HEADERS = (
    "STT",
    "Đơn vị",
    "Chủ tịch",
    "Điện thoại",
    "Trạng thái",
    "Lần báo cáo cuối",
    "%",
    "Chỉ tiêu",
    "Ghi chú",
)
TASK_WIDTHS = (6, 36, 24, 14, 24, 18, 8, 12, 40)
HEADER_ROW = 4  # title, subtitle, a blank line, then the header
PERCENT_FORMAT = "0.0%"
WHOLE_PERCENT_FORMAT = "0%"
DATE_TIME_FORMAT = "dd/mm/yyyy hh:mm"
NUMBER_FORMAT = "#,##0.##"
MAX_SHEET_NAME = 31
_FORBIDDEN_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
_FORMULA_START = ("=", "+", "-", "@")


@dataclass(frozen=True, slots=True)
class UnitLine:
    """One line of the summary sheet: a unit and its tasks counted by status."""

    unit: str
    counts: Mapping[Status, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class TaskUnitLine:
    """One unit on a task's sheet."""

    unit: str
    status: Status
    chair: str = ""  # empty: no registered chair
    phone: str = ""  # empty when outside the officer's scope
    last_report_at: datetime | None = None
    percent: int | None = None  # the chair's last «đang làm 60%»
    indicator: float | None = None  # the last figure reported for the task's indicator
    note: str = ""  # the «vướng mắc» reason, the chair's words


@dataclass(frozen=True, slots=True)
class TaskSheet:
    """A task and its units, for one sheet."""

    label: str  # short, e.g. `CV 490/LĐLĐ, mục 3`: the sheet's name is made from it
    directive: str  # `Công văn 490/LĐLĐ ngày 06/03/2026 V/v …`
    task: str  # the task's text
    deadline: datetime | None = None
    indicator_name: str | None = None
    lines: Sequence[TaskUnitLine] = ()


@dataclass(frozen=True, slots=True)
class SummaryWorkbook:
    """Everything the workbook shows, as of one moment in the users' zone."""

    title: str
    branch: str
    as_of: datetime
    zone: ZoneInfo
    units: Sequence[UnitLine] = ()
    tasks: Sequence[TaskSheet] = ()


def render_workbook(book: SummaryWorkbook) -> bytes:
    """The workbook as .xlsx bytes.

    Written in openpyxl's write-only mode (rows streamed, no cell kept in memory) with each
    named style resolved once to its style array: the usual mode spent most of its time
    finding a named style per cell and kept every cell of a big branch in memory."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    styles = _add_styles(workbook)
    summary = workbook.create_sheet(SUMMARY_SHEET)
    _fill_summary(_Writer(summary, styles), book)
    taken = {SUMMARY_SHEET.casefold()}
    for task in book.tasks:
        name = sheet_name(task.label, taken)
        taken.add(name.casefold())
        _fill_task(_Writer(workbook.create_sheet(name), styles), task, book)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class _Writer:
    """A write-only sheet and the workbook's style arrays: rows are appended in order, and
    the sheet's layout (widths, merged title, frozen header, print set-up) is set before the
    first row, as write-only mode requires."""

    def __init__(self, sheet: Any, styles: dict[str, Any]) -> None:
        self.sheet = sheet
        self.styles = styles

    def row(self, values: Sequence[Any], styles: Sequence[str]) -> None:
        from openpyxl.cell import WriteOnlyCell

        cells = []
        for value, style in zip(values, styles, strict=True):
            cell = WriteOnlyCell(self.sheet, value)
            if isinstance(value, str):
                cell.data_type = "s"  # openpyxl would store a text starting with `=` as a formula
                if value.startswith(_FORMULA_START):
                    cell._style = copy(self.styles[style])
                    cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
                    cells.append(cell)
                    continue
            cell._style = self.styles[style]  # shared: never changed after this
            cells.append(cell)
        self.sheet.append(cells)


def sheet_name(label: str, taken: set[str]) -> str:
    """A sheet name Excel accepts, made from `label`: at most 31 characters, none of
    `[]:*?/\\`, not starting or ending with an apostrophe, and not in `taken` (casefolded:
    Excel compares sheet names without case)."""
    base = _FORBIDDEN_IN_SHEET_NAME.sub("-", " ".join(label.split())).strip("'").strip()
    base = base or "Việc"
    name = base[:MAX_SHEET_NAME].rstrip()
    number = 2
    while name.casefold() in taken:
        suffix = f" ({number})"
        name = base[: MAX_SHEET_NAME - len(suffix)].rstrip() + suffix
        number += 1
    return name


def _fill_summary(writer: _Writer, book: SummaryWorkbook) -> None:
    _layout(writer.sheet, SUMMARY_WIDTHS, landscape=True)
    _title(
        writer,
        book.title,
        f"{book.branch} · đến ngày {_day(book.as_of, book.zone)}",
        SUMMARY_WIDTHS,
    )
    writer.row(SUMMARY_HEADERS, [_HEADER] * len(SUMMARY_HEADERS))
    totals = [0] * (len(SUMMARY_COLUMNS) + 1)
    for number, line in enumerate(book.units, start=1):
        figures = [sum(line.counts.get(s, 0) for s in column) for column in SUMMARY_COLUMNS]
        all_tasks = sum(line.counts.values())
        totals = [a + b for a, b in zip(totals, [all_tasks, *figures], strict=True)]
        writer.row(_summary_values(number, line.unit, all_tasks, figures), _SUMMARY)
    writer.row(_summary_values(None, "Tổng cộng", totals[0], totals[1:]), _TOTAL)


def _summary_values(number: int | None, unit: str, all_tasks: int, figures: list[int]) -> list[Any]:
    done = figures[0] + figures[1]
    return [number, unit, all_tasks, *figures, done / all_tasks if all_tasks else None]


def _fill_task(writer: _Writer, task: TaskSheet, book: SummaryWorkbook) -> None:
    _layout(writer.sheet, TASK_WIDTHS, landscape=True)
    deadline = f"hạn {_day(task.deadline, book.zone)}" if task.deadline else "chưa có hạn"
    subtitle = f"{task.directive} · {deadline} · đến ngày {_day(book.as_of, book.zone)}"
    _title(writer, f"{task.label}: {task.task}", subtitle, TASK_WIDTHS)
    headers = list(TASK_HEADERS)
    if task.indicator_name:
        headers[7] = f"Chỉ tiêu: {task.indicator_name}"
    writer.row(headers, [_HEADER] * len(headers))
    zone = book.zone
    write = writer.row
    for number, line in enumerate(task.lines, start=1):
        reported = line.last_report_at
        values: list[Any] = [
            number,
            line.unit,
            line.chair or "(chưa đăng ký)",
            line.phone,
            line.status.label,
            reported.astimezone(zone).replace(tzinfo=None) if reported else None,
            line.percent / 100 if line.percent is not None else None,
            line.indicator,
            line.note,
        ]
        write(values, _TASK)


# Named styles, registered once per workbook: assigning a style by name copies a few
# integers, where building Border and Alignment objects per cell made openpyxl compare them
# with every style it knew (two minutes for 50 tasks over 1,000 units).
_TEXT, _NUMBER, _FIGURE, _RATE, _PERCENT, _DATE = (
    "nv-text",
    "nv-number",
    "nv-figure",
    "nv-rate",
    "nv-percent",
    "nv-date",
)
_HEADER, _TOTAL_TEXT, _TOTAL_NUMBER, _TOTAL_RATE = (
    "nv-header",
    "nv-total-text",
    "nv-total-number",
    "nv-total-rate",
)
_SUMMARY = (_NUMBER, _TEXT, *[_NUMBER] * 6, _RATE)
_TOTAL = (_TOTAL_NUMBER, _TOTAL_TEXT, *[_TOTAL_NUMBER] * 6, _TOTAL_RATE)
_TASK = (_NUMBER, _TEXT, _TEXT, _TEXT, _TEXT, _DATE, _PERCENT, _FIGURE, _TEXT)


def _add_styles(workbook: Any) -> dict[str, Any]:
    """Register the named styles; returns each one's style array, resolved once (openpyxl
    looks a named style up by name in a list on every assignment)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side

    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    top = Alignment(vertical="top")
    wrapped = Alignment(vertical="top", wrap_text=True)
    bold = Font(bold=True)
    formats = {
        _TEXT: (wrapped, "General", None),
        _NUMBER: (top, "General", None),
        _FIGURE: (top, NUMBER_FORMAT, None),
        _RATE: (top, PERCENT_FORMAT, None),
        _PERCENT: (top, WHOLE_PERCENT_FORMAT, None),
        _DATE: (top, DATE_TIME_FORMAT, None),
        _TOTAL_TEXT: (wrapped, "General", bold),
        _TOTAL_NUMBER: (top, "General", bold),
        _TOTAL_RATE: (top, PERCENT_FORMAT, bold),
    }
    for name, (alignment, number_format, font) in formats.items():
        style = NamedStyle(name=name, border=border, alignment=alignment)
        style.number_format = number_format
        if font is not None:
            style.font = font
        workbook.add_named_style(style)
    header = NamedStyle(
        name=_HEADER,
        border=border,
        font=bold,
        fill=PatternFill("solid", fgColor="DDEBF7"),
        alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
    )
    workbook.add_named_style(header)
    probe = WriteOnlyCell(workbook.create_sheet("probe"), None)
    arrays = {}
    for name in (*formats, _HEADER):
        probe.style = name
        arrays[name] = copy(probe._style)
    workbook.remove(probe.parent)
    return arrays


def _title(writer: _Writer, title: str, subtitle: str, widths: Sequence[int]) -> None:
    """Title and subtitle across the table's width, wrapped (rows 1 and 2), then a blank row:
    Excel does not grow a merged row to its text, so the height is set from its length."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet = writer.sheet
    line_chars = sum(widths)
    last = get_column_letter(len(widths))
    lines = ((1, title, Font(bold=True, size=14), 21, 0.8), (2, subtitle, Font(italic=True), 15, 1))
    for row, text, font, line_height, chars_per_width in lines:
        cell = WriteOnlyCell(sheet, text)
        cell.data_type = "s"
        cell.font = font
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.merged_cells.add(f"A{row}:{last}{row}")
        count = max(1, math.ceil(len(text) / (line_chars * chars_per_width)))
        sheet.row_dimensions[row].height = line_height * count
        sheet.append([cell])
    sheet.append([])


def _layout(sheet: Any, widths: Sequence[int], *, landscape: bool) -> None:
    """Column widths, the header frozen and repeated on every printed page, A4 with the
    columns fitted to the page's width: set before the first row is written."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _day(moment: datetime, zone: ZoneInfo) -> str:
    return f"{moment.astimezone(zone):%d/%m/%Y}"
