"""The weekly summary's files for a branch of 1,000 units and 50 tasks: the time to draw the
chart and to write the workbook, against the issue's aim of 1 s each, and matplotlib's first
import in a fresh interpreter (paid once per process that draws)."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from bench.results import Result, at_most
from schedules.status import STATUS_ORDER
from schedules.summary_chart import ChartBar, SummaryChart, render_chart
from schedules.summary_workbook import (
    SummaryWorkbook,
    TaskSheet,
    TaskUnitLine,
    UnitLine,
    render_workbook,
)

UNITS = 1000
TASKS = 50
TARGET_SECONDS = 1.0
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
IMPORT = (
    "import time; started = time.perf_counter(); from matplotlib.figure import Figure; "
    "print(time.perf_counter() - started)"
)


def _inputs() -> tuple[SummaryChart, SummaryWorkbook]:
    now = datetime(2026, 11, 30, 7, 30, tzinfo=ZONE)
    units = [f"CĐCS Công ty số {n} khu công nghiệp Vũng Áng" for n in range(1, UNITS + 1)]
    statuses = list(STATUS_ORDER)
    tasks = [
        TaskSheet(
            label=f"CV {t}/LĐLĐ, mục {t % 5 + 1}",
            directive=f"Công văn {t}/LĐLĐ ngày 02/11/2026",
            task="Kết nạp đoàn viên mới, thành lập công đoàn cơ sở năm 2026",
            deadline=now,
            indicator_name="số đoàn viên kết nạp",
            lines=[
                TaskUnitLine(
                    unit,
                    statuses[(n + t) % len(statuses)],
                    chair="Nguyễn Văn An",
                    phone="0912000001",
                    last_report_at=now,
                    percent=60,
                    indicator=12,
                    note="đang vận động người lao động",
                )
                for n, unit in enumerate(units)
            ],
        )
        for t in range(1, TASKS + 1)
    ]
    lines = [
        UnitLine(unit, {status: (n + k) % 7 for k, status in enumerate(statuses)})
        for n, unit in enumerate(units)
    ]
    book = SummaryWorkbook(
        "Tổng hợp tình hình thực hiện nhiệm vụ", "LĐLĐ tỉnh", now, ZONE, lines, tasks
    )
    bars = [
        ChartBar(task.label, {s: sum(1 for x in task.lines if x.status is s) for s in statuses})
        for task in tasks
    ]
    chart = SummaryChart("Tổng hợp tuần 48/2026", "LĐLĐ tỉnh · 30/11/2026", bars)
    return chart, book


def _seconds(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def run() -> list[Result]:
    imported = subprocess.run(
        [sys.executable, "-c", IMPORT], capture_output=True, text=True, check=True
    )
    chart, book = _inputs()
    render_chart(chart)  # the import and the font cache, paid once per process
    return [
        at_most("matplotlib first import", float(imported.stdout), "s", 5.0),
        at_most(
            f"chart, {TASKS} tasks", _seconds(lambda: render_chart(chart)), "s", TARGET_SECONDS
        ),
        at_most(
            f"workbook, {TASKS} tasks x {UNITS} units",
            _seconds(lambda: render_workbook(book)),
            "s",
            TARGET_SECONDS,
        ),
    ]
