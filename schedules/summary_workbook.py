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

Written with XlsxWriter in its constant-memory mode (each row streamed to a temporary file
as the next one starts), chosen by measurement: a province of 50 tasks over 1,000 units
(450,000 styled cells, `python -m bench summary`) on the shared 2-core machine, load 2–5,
took 6.4–6.9 s of CPU with openpyxl's write-only mode (styles resolved once per workbook,
lxml present), 3.0–3.1 s with XlsxWriter (about the same in its in-memory mode, which keeps
every cell). Two Rust-backed writers did it in 0.4–0.7 s but are young packages of one
maintainer each, a compiled dependency in a process that holds the bot's tokens; the render
runs in the weekly process, off every person's turn, so seconds cost only the waiting
officer (docs/summary-files.md compares them).

XlsxWriter is imported inside `render_workbook`, so nothing that loads this module pays
for it.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Mapping, Sequence
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
HEADER_ROW = 4  # title, subtitle, a blank line, then the header (Excel counts from 1)
A4 = 9  # Excel's paper size number
PERCENT_FORMAT = "0.0%"
WHOLE_PERCENT_FORMAT = "0%"
DATE_TIME_FORMAT = "dd/mm/yyyy hh:mm"
NUMBER_FORMAT = "#,##0.##"
MAX_SHEET_NAME = 31
NO_CHAIR = "(chưa đăng ký)"
_FORBIDDEN_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
_FORMULA_START = ("=", "+", "-", "@")


# The formats' names: each column of a table takes one.
_TEXT, _NUMBER, _FIGURE, _RATE, _PERCENT, _DATE = (
    "text",
    "number",
    "figure",
    "rate",
    "percent",
    "date",
)
_HEADER, _TOTAL_TEXT, _TOTAL_NUMBER, _TOTAL_RATE = (
    "header",
    "total-text",
    "total-number",
    "total-rate",
)
_SUMMARY = (_NUMBER, _TEXT, *[_NUMBER] * 6, _RATE)
_TOTAL = (_TOTAL_NUMBER, _TOTAL_TEXT, *[_TOTAL_NUMBER] * 6, _TOTAL_RATE)
_TASK = (_NUMBER, _TEXT, _TEXT, _TEXT, _TEXT, _DATE, _PERCENT, _FIGURE, _TEXT)


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
    """The workbook as .xlsx bytes."""
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer,
        {
            "constant_memory": True,
            # Text is text: nothing a person typed becomes a formula, a link or a number.
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    formats = _Formats(workbook)
    _fill_summary(_Writer(workbook.add_worksheet(SUMMARY_SHEET), formats), book)
    taken = {SUMMARY_SHEET.casefold()}
    for task in book.tasks:
        name = sheet_name(task.label, taken)
        taken.add(name.casefold())
        _fill_task(_Writer(workbook.add_worksheet(name), formats), task, book)
    workbook.close()
    return buffer.getvalue()


class _Formats:
    """The workbook's cell formats, made once: each a border, an alignment and a number
    format, and the same with Excel's quote prefix for a text that looks like a formula."""

    def __init__(self, workbook: Any) -> None:
        thin = {"border": 1, "border_color": "#999999", "valign": "top"}
        bold = {"bold": True}
        specs: dict[str, dict[str, Any]] = {
            _TEXT: {"text_wrap": True},
            _NUMBER: {},
            _FIGURE: {"num_format": NUMBER_FORMAT},
            _RATE: {"num_format": PERCENT_FORMAT},
            _PERCENT: {"num_format": WHOLE_PERCENT_FORMAT},
            _DATE: {"num_format": DATE_TIME_FORMAT},
            _TOTAL_TEXT: {"text_wrap": True, **bold},
            _TOTAL_NUMBER: bold,
            _TOTAL_RATE: {"num_format": PERCENT_FORMAT, **bold},
            _HEADER: {
                **bold,
                "align": "center",
                "valign": "vcenter",
                "text_wrap": True,
                "bg_color": "#DDEBF7",
            },
        }
        self.plain = {name: workbook.add_format({**thin, **spec}) for name, spec in specs.items()}
        self.quoted = {
            name: workbook.add_format({**thin, **spec, "quote_prefix": True})
            for name, spec in specs.items()
            if spec.get("text_wrap")
        }
        self.title = workbook.add_format(
            {"bold": True, "font_size": 14, "text_wrap": True, "valign": "top"}
        )
        self.subtitle = workbook.add_format({"italic": True, "text_wrap": True, "valign": "top"})


class _Writer:
    """A sheet being written, row after row (constant-memory mode: a row is final once the
    next begins), and the workbook's formats."""

    def __init__(self, sheet: Any, formats: _Formats) -> None:
        self.sheet = sheet
        self.formats = formats

    def row(self, row: int, values: Sequence[Any], styles: Sequence[str]) -> None:
        """One row from column A: texts as text, numbers as numbers, datetimes (naive, in
        the users' zone) as Excel dates, None as an empty cell with its border."""
        sheet, plain = self.sheet, self.formats.plain
        for column, (value, style) in enumerate(zip(values, styles, strict=True)):
            if value is None:
                sheet.write_blank(row, column, None, plain[style])
            elif isinstance(value, str):
                self.text(row, column, value, style)
            elif isinstance(value, datetime):
                sheet.write_datetime(row, column, value, plain[style])
            else:
                sheet.write_number(row, column, value, plain[style])

    def text(self, row: int, column: int, value: str, style: str = _TEXT) -> None:
        """A text from people as text; an empty one as an empty cell with its border."""
        if not value:
            self.sheet.write_blank(row, column, None, self.formats.plain[style])
        elif value.startswith(_FORMULA_START):  # Excel keeps it text when the cell is edited
            self.sheet.write_string(row, column, value, self.formats.quoted[style])
        else:
            self.sheet.write_string(row, column, value, self.formats.plain[style])


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
    _layout(writer.sheet, SUMMARY_WIDTHS)
    _title(
        writer,
        book.title,
        f"{book.branch} · đến ngày {_day(book.as_of, book.zone)}",
        SUMMARY_WIDTHS,
    )
    writer.row(HEADER_ROW - 1, SUMMARY_HEADERS, [_HEADER] * len(SUMMARY_HEADERS))
    totals = [0] * (len(SUMMARY_COLUMNS) + 1)
    row = HEADER_ROW
    for number, line in enumerate(book.units, start=1):
        figures = [sum(line.counts.get(s, 0) for s in column) for column in SUMMARY_COLUMNS]
        all_tasks = sum(line.counts.values())
        totals = [a + b for a, b in zip(totals, [all_tasks, *figures], strict=True)]
        writer.row(row, _summary_values(number, line.unit, all_tasks, figures), _SUMMARY)
        row += 1
    writer.row(row, _summary_values(None, "Tổng cộng", totals[0], totals[1:]), _TOTAL)


def _summary_values(number: int | None, unit: str, all_tasks: int, figures: list[int]) -> list[Any]:
    done = figures[0] + figures[1]
    return [number, unit, all_tasks, *figures, done / all_tasks if all_tasks else None]


def _fill_task(writer: _Writer, task: TaskSheet, book: SummaryWorkbook) -> None:
    _layout(writer.sheet, TASK_WIDTHS)
    deadline = f"hạn {_day(task.deadline, book.zone)}" if task.deadline else "chưa có hạn"
    subtitle = f"{task.directive} · {deadline} · đến ngày {_day(book.as_of, book.zone)}"
    _title(writer, f"{task.label}: {task.task}", subtitle, TASK_WIDTHS)
    headers = list(TASK_HEADERS)
    if task.indicator_name:
        headers[7] = f"Chỉ tiêu: {task.indicator_name}"
    writer.row(HEADER_ROW - 1, headers, [_HEADER] * len(headers))
    # The lines are most of the workbook (50 tasks over 1,000 units: 450,000 cells), so each
    # column is written with its own call rather than through `_Writer.row`'s checks.
    sheet, plain = writer.sheet, writer.formats.plain
    text, number_format, date_format = writer.text, plain[_NUMBER], plain[_DATE]
    percent_format, figure_format = plain[_PERCENT], plain[_FIGURE]
    zone = book.zone
    for number, line in enumerate(task.lines, start=1):
        row = HEADER_ROW - 1 + number
        sheet.write_number(row, 0, number, number_format)
        text(row, 1, line.unit)
        text(row, 2, line.chair or NO_CHAIR)
        text(row, 3, line.phone)
        text(row, 4, line.status.label)
        reported = line.last_report_at
        if reported is None:
            sheet.write_blank(row, 5, None, date_format)
        else:
            sheet.write_datetime(
                row, 5, reported.astimezone(zone).replace(tzinfo=None), date_format
            )
        if line.percent is None:
            sheet.write_blank(row, 6, None, percent_format)
        else:
            sheet.write_number(row, 6, line.percent / 100, percent_format)
        if line.indicator is None:
            sheet.write_blank(row, 7, None, figure_format)
        else:
            sheet.write_number(row, 7, line.indicator, figure_format)
        text(row, 8, line.note)


def _title(writer: _Writer, title: str, subtitle: str, widths: Sequence[int]) -> None:
    """Title and subtitle across the table's width, wrapped (rows 1 and 2), then a blank row:
    Excel does not grow a merged row to its text, so the height is set from its length."""
    sheet, formats = writer.sheet, writer.formats
    line_chars = sum(widths)
    lines = ((title, formats.title, 21, 0.8), (subtitle, formats.subtitle, 15, 1))
    for row, (text, cell_format, line_height, chars_per_width) in enumerate(lines):
        count = max(1, math.ceil(len(text) / (line_chars * chars_per_width)))
        sheet.set_row(row, line_height * count)
        sheet.merge_range(row, 0, row, len(widths) - 1, text, cell_format)  # as text


def _layout(sheet: Any, widths: Sequence[int]) -> None:
    """Column widths, the header frozen and repeated on every printed page, A4 landscape
    with the columns fitted to the page's width: set before the first row is written."""
    for column, width in enumerate(widths):
        sheet.set_column(column, column, width)
    sheet.freeze_panes(HEADER_ROW, 0)
    sheet.repeat_rows(HEADER_ROW - 1)
    sheet.set_paper(A4)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)


def _day(moment: datetime, zone: ZoneInfo) -> str:
    return f"{moment.astimezone(zone):%d/%m/%Y}"
