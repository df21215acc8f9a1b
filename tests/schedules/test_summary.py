"""The officer's summary text from a branch's figures (no database): what is said once, what
is named and how far, the view by child unit, the unregistered units, nothing given."""

from __future__ import annotations

from datetime import datetime, timedelta

from schedules.branch_figures import (
    BranchFigures,
    ChairInfo,
    ChildFigures,
    DirectiveFigures,
    StatusCounts,
    TaskFigures,
    UnitInfo,
    UnitLine,
)
from schedules.status import Status
from schedules.summary import MAX_NAMES, summary_text
from tests.conftest import VN

DEADLINE = datetime(2026, 12, 10, 17, 0, tzinfo=VN)
NOW = DEADLINE + timedelta(days=1)
ROOT = UnitInfo(1, "LDLD-X", "LĐLĐ huyện X", "LĐLĐ huyện", None, 0)


def _unit(n: int, depth: int = 1) -> UnitInfo:
    return UnitInfo(100 + n, f"CDCS-{n:02d}", f"CĐCS {n}", "CĐCS", 1, depth)


def _line(
    n: int, status: Status, *, percent: int | None = None, note: str | None = None
) -> UnitLine:
    chair = ChairInfo(f"Chủ tịch {n}", "+84912000011", registered=True)
    return UnitLine(_unit(n), chair, status, NOW, percent, None, note)


def _task(lines: list[UnitLine], *, week_ago: float | None = 20.0) -> TaskFigures:
    return TaskFigures(
        task_id=7,
        item=3,
        label="CV 490/LĐLĐ, mục 3",
        reference="490/LĐLĐ mục 3",
        text="Kết nạp đoàn viên",
        deadline_at=DEADLINE,
        counts=StatusCounts.of(line.status for line in lines),
        rate_week_ago=week_ago,
        indicator_name="Số đoàn viên kết nạp mới",
        indicator_unit="người",
        indicator_sum=1_230,
        indicator_reported=2,
        units=tuple(lines),
    )


def _figures(
    tasks: list[TaskFigures],
    *,
    units: list[UnitInfo],
    children: tuple[ChildFigures, ...] = (),
    unregistered: tuple[UnitInfo, ...] = (),
) -> BranchFigures:
    directive = DirectiveFigures(1, "CV 490/LĐLĐ", "Tháng Công nhân", tuple(tasks))
    return BranchFigures(
        ROOT, NOW, (ROOT, *units), (directive,) if tasks else (), children, unregistered, {}
    )


FIVE = [
    _line(1, Status.DONE_ON_TIME),
    _line(2, Status.DONE_LATE),
    _line(3, Status.BLOCKED, note="thiếu kinh phí"),
    _line(4, Status.OVERDUE, percent=40),
    _line(5, Status.OVERDUE),
]


def test_counts_said_once_and_the_units_not_done_named_worst_first() -> None:
    text = summary_text(_figures([_task(FIVE)], units=[_unit(n) for n in range(1, 6)]), zone=VN)
    lines = text.splitlines()
    assert lines[0] == "📊 Tổng hợp LĐLĐ huyện X — 11/12/2026 17:00"
    block = lines[lines.index("▪️ CV 490/LĐLĐ, mục 3 — hạn 10/12/2026 (đã quá hạn 1 ngày)") :]
    assert block[1:7] == [
        "   Kết nạp đoàn viên",
        "   Hoàn thành 2/5 đơn vị (40%; tuần trước 20%): đúng hạn 1, quá hạn 1",
        "   Chưa xong 3: Vướng mắc 1 · Quá hạn chưa hoàn thành 2",
        "   📈 Số đoàn viên kết nạp mới: 1.230 người (2/5 đơn vị đã báo số)",
        "   ⚠️ Vướng mắc — CĐCS 3: thiếu kinh phí",
        "   🔴 Quá hạn chưa hoàn thành: CĐCS 4 (40%); CĐCS 5",
    ]
    assert "CĐCS 1" not in text  # done units are named only in a task's detail
    detail = summary_text(_figures([_task(FIVE)], units=[]), zone=VN, detail=True)
    assert "   🟢 Hoàn thành đúng hạn (1):\n      • CĐCS 1" in detail
    assert "   🟠 Hoàn thành quá hạn (1):\n      • CĐCS 2" in detail


def test_a_long_list_is_cut_in_the_branch_view_and_whole_in_the_detail() -> None:
    many = [_line(n, Status.NO_REPORT) for n in range(1, 26)]
    branch = summary_text(_figures([_task(many)], units=[]), zone=VN)
    assert f"CĐCS {MAX_NAMES} … và {25 - MAX_NAMES} đơn vị khác" in branch
    detail = summary_text(_figures([_task(many)], units=[]), zone=VN, detail=True)
    assert "      • CĐCS 24\n      • CĐCS 25" in detail and "đơn vị khác" not in detail


def test_several_levels_one_line_per_child_and_the_unregistered_named() -> None:
    districts = [UnitInfo(10 + n, f"LDLD-{n}", f"LĐLĐ huyện {n}", "", 1, 1) for n in (1, 2)]
    grassroots = [_unit(n, depth=2) for n in (1, 2, 3)]
    children = (
        ChildFigures(districts[1], StatusCounts(overdue=2, blocked=1, done_on_time=1), 1),
        ChildFigures(districts[0], StatusCounts(done_on_time=3, in_progress=1), 0),
    )
    figures = _figures(
        [_task(FIVE, week_ago=None)],
        units=districts + grassroots,
        children=children,
        unregistered=(grassroots[2],),
    )
    text = summary_text(figures, zone=VN)
    assert "Hoàn thành 2/5 đơn vị (40%): đúng hạn 1, quá hạn 1" in text
    assert "   ⚠️ Vướng mắc: CĐCS 3 (thiếu kinh phí)" in text
    assert "Quá hạn chưa hoàn thành: CĐCS" not in text  # the grassroots are not listed here
    assert text.split("\n\n")[-2].splitlines() == [
        "Theo đơn vị trực thuộc (thấp nhất trước):",
        "• LĐLĐ huyện 2 (LDLD-2): 25% xong (1/4) · quá hạn 2 · vướng mắc 1 · 1 chưa đăng ký",
        "• LĐLĐ huyện 1 (LDLD-1): 75% xong (3/4)",
        "Xem chi tiết: /tonghop MÃ (ví dụ /tonghop LDLD-2)",
    ]
    assert text.split("\n\n")[-1].splitlines() == [
        "👤 Chưa có chủ tịch đăng ký với bot (1):",
        "• CĐCS 3 (CDCS-03)",
        "Gửi mã mời: /moi MÃ (ví dụ /moi CDCS-03)",
    ]


def test_nothing_given() -> None:
    text = summary_text(_figures([], units=[_unit(1)]), zone=VN)
    assert text.startswith("Chưa có việc nào đang theo dõi trong LĐLĐ huyện X.")
