"""The weekly summary's workbook, opened with openpyxl: sheets, headers, figures, formats,
frozen header and print set-up; names from people stay text."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from schedules.status import Status
from schedules.summary_workbook import (
    HEADER_ROW,
    SUMMARY_HEADERS,
    SUMMARY_SHEET,
    TASK_HEADERS,
    SummaryWorkbook,
    TaskSheet,
    TaskUnitLine,
    UnitLine,
    render_workbook,
    sheet_name,
)
from tests.conftest import VN

AS_OF = datetime(2026, 11, 30, 7, 30, tzinfo=VN)
REPORTED = datetime(2026, 11, 27, 2, 15, tzinfo=VN)


def book(tasks: list[TaskSheet] | None = None) -> SummaryWorkbook:
    return SummaryWorkbook(
        title="Tổng hợp tình hình thực hiện nhiệm vụ",
        branch="LĐLĐ huyện Hương Sơn",
        as_of=AS_OF,
        zone=VN,
        units=[
            UnitLine(
                "CĐCS Trường THCS Sơn Tây",
                {Status.DONE_ON_TIME: 2, Status.DONE_LATE: 1, Status.BLOCKED: 1},
            ),
            UnitLine('=HYPERLINK("http://x")', {Status.OVERDUE: 2, Status.NO_REPORT: 2}),
        ],
        tasks=tasks
        if tasks is not None
        else [
            TaskSheet(
                label="CV 490/LĐLĐ, mục 3",
                directive="Công văn 490/LĐLĐ ngày 06/11/2026",
                task="Kết nạp đoàn viên mới",
                deadline=datetime(2026, 12, 20, 17, 0, tzinfo=VN),
                indicator_name="số đoàn viên kết nạp",
                lines=[
                    TaskUnitLine(
                        "CĐCS Trường THCS Sơn Tây",
                        Status.IN_PROGRESS,
                        chair="Nguyễn Thị Hoa",
                        phone="0912000001",
                        last_report_at=REPORTED,
                        percent=60,
                        indicator=12,
                        note="+ đang vận động",
                    ),
                    TaskUnitLine("@CĐCS Công ty May", Status.NO_REPORT),
                ],
            )
        ],
    )


def opened(data: bytes) -> Workbook:
    return load_workbook(io.BytesIO(data))


def row_values(sheet: object, row: int) -> list[object]:
    return [cell.value for cell in sheet[row]]  # type: ignore[index]


def test_the_summary_sheet_counts_each_unit_and_totals_them() -> None:
    workbook = opened(render_workbook(book()))
    assert workbook.sheetnames == [SUMMARY_SHEET, "CV 490-LĐLĐ, mục 3"]
    sheet = workbook[SUMMARY_SHEET]
    assert "Tổng hợp" in sheet["A1"].value
    assert "LĐLĐ huyện Hương Sơn" in sheet["A2"].value and "30/11/2026" in sheet["A2"].value
    assert tuple(row_values(sheet, HEADER_ROW)) == SUMMARY_HEADERS
    first = row_values(sheet, HEADER_ROW + 1)
    assert first == [1, "CĐCS Trường THCS Sơn Tây", 4, 2, 1, 1, 0, 0, 0.75]
    total = row_values(sheet, HEADER_ROW + 3)
    assert total == [None, "Tổng cộng", 8, 2, 1, 1, 2, 2, 3 / 8]
    assert sheet.cell(HEADER_ROW + 1, 9).number_format == "0.0%"
    assert sheet.cell(HEADER_ROW + 3, 2).font.bold


def test_a_task_sheet_lists_its_units_with_excel_formats() -> None:
    sheet = opened(render_workbook(book()))["CV 490-LĐLĐ, mục 3"]
    assert "Kết nạp đoàn viên mới" in sheet["A1"].value
    assert "hạn 20/12/2026" in sheet["A2"].value
    headers = row_values(sheet, HEADER_ROW)
    assert headers[:7] == list(TASK_HEADERS[:7])
    assert headers[7] == "Chỉ tiêu: số đoàn viên kết nạp"
    line = row_values(sheet, HEADER_ROW + 1)
    assert line == [
        1,
        "CĐCS Trường THCS Sơn Tây",
        "Nguyễn Thị Hoa",
        "0912000001",
        "Đang thực hiện (trong hạn)",
        REPORTED.replace(tzinfo=None),  # Vietnam's wall clock: Excel has no zones
        0.6,
        12,
        "+ đang vận động",
    ]
    assert sheet.cell(HEADER_ROW + 1, 6).number_format == "dd/mm/yyyy hh:mm"
    assert sheet.cell(HEADER_ROW + 1, 7).number_format == "0%"
    missing = row_values(sheet, HEADER_ROW + 2)
    assert missing[2] == "(chưa đăng ký)"
    assert missing[4] == "Chưa báo cáo"
    assert missing[5] is None and missing[6] is None


def test_every_sheet_has_a_frozen_header_borders_widths_and_a4_print_setup() -> None:
    workbook = opened(render_workbook(book()))
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == f"A{HEADER_ROW + 1}"
        assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4 == "9"  # A4
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        # One page wide (fitToWidth left out means 1, ECMA-376's default), as many pages
        # down as it takes.
        assert sheet.page_setup.fitToWidth in (None, 1) and sheet.page_setup.fitToHeight == 0
        assert sheet.column_dimensions["B"].width >= 30
        assert sheet.cell(HEADER_ROW + 1, 2).border.left.style == "thin"
        assert sheet.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"


def test_names_from_people_are_text_never_formulas() -> None:
    workbook = opened(render_workbook(book()))
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    unit = workbook[SUMMARY_SHEET].cell(HEADER_ROW + 2, 2)
    assert unit.value == '=HYPERLINK("http://x")' and unit.data_type == "s"
    assert unit.quotePrefix


@pytest.mark.parametrize(
    ("label", "taken", "expected"),
    [
        ("CV 490/LĐLĐ, mục 3", set(), "CV 490-LĐLĐ, mục 3"),
        ("a[b]c:d*e?f/g\\h", set(), "a-b-c-d-e-f-g-h"),
        ("'trích'", set(), "trích"),
        ("x" * 40, set(), "x" * 31),
        ("x" * 40, {"x" * 31}, "x" * 27 + " (2)"),
        ("Tổng hợp", {"tổng hợp"}, "Tổng hợp (2)"),
        ("???", set(), "---"),
    ],
)
def test_sheet_names_are_ones_excel_accepts(label: str, taken: set[str], expected: str) -> None:
    assert sheet_name(label, taken) == expected


def test_tasks_with_the_same_label_get_distinct_sheets() -> None:
    tasks = [TaskSheet(label="CV 12/LĐLĐ, mục 1", directive="CV", task=f"Việc {n}") for n in (1, 2)]
    workbook = opened(render_workbook(book(tasks)))
    assert workbook.sheetnames == [SUMMARY_SHEET, "CV 12-LĐLĐ, mục 1", "CV 12-LĐLĐ, mục 1 (2)"]


def test_a_long_task_title_wraps_and_its_row_grows_to_hold_it() -> None:
    long_task = "Tổ chức các hoạt động chăm lo cho đoàn viên, người lao động dịp Tết. " * 8
    tasks = [TaskSheet(label="CV 12/LĐLĐ, mục 1", directive="CV 12/LĐLĐ", task=long_task)]
    workbook = opened(render_workbook(book(tasks)))
    short, long = workbook[SUMMARY_SHEET], workbook["CV 12-LĐLĐ, mục 1"]
    assert long["A1"].alignment.wrap_text
    assert long.row_dimensions[1].height > short.row_dimensions[1].height
    assert "A1:I1" in {str(merged) for merged in long.merged_cells.ranges}
