"""The weekly summary's moment (moved past holidays) and its text for a branch with many
units late or blocked: ten overdue named worst first, then counted; «vướng mắc» grouped by
reason; the rate's change since last week."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from schedules.branch_figures import (
    BranchFigures,
    ChairInfo,
    DirectiveFigures,
    StatusCounts,
    TaskFigures,
    UnitInfo,
    UnitLine,
)
from schedules.calendar import WorkingCalendar
from schedules.status import Status
from schedules.weekly_summary import iso_week, weekly_due_at, weekly_text
from tests.conftest import VN

CALENDAR = WorkingCalendar(tz=VN)
NOW = datetime(2026, 12, 8, 8, 0, tzinfo=VN)  # Tuesday of ISO week 50


@pytest.mark.parametrize(
    ("moment", "weekday", "due"),
    [
        (datetime(2026, 12, 9, 12, 0, tzinfo=VN), 0, datetime(2026, 12, 7, 7, 30, tzinfo=VN)),
        # Monday 03/05/2027 is Labour Day's day off: Tuesday morning instead
        (datetime(2027, 5, 3, 9, 0, tzinfo=VN), 0, datetime(2027, 5, 4, 7, 30, tzinfo=VN)),
        # Tết 2027: Monday 08/02 to Wednesday 10/02 off, so Thursday
        (datetime(2027, 2, 9, 9, 0, tzinfo=VN), 0, datetime(2027, 2, 11, 7, 30, tzinfo=VN)),
        (datetime(2026, 12, 7, 9, 0, tzinfo=VN), 4, datetime(2026, 12, 11, 7, 30, tzinfo=VN)),
    ],
)
def test_due_moment(moment: datetime, weekday: int, due: datetime) -> None:
    assert weekly_due_at(moment, calendar=CALENDAR, weekday=weekday, at=time(7, 30)) == due


def test_iso_week_is_local() -> None:
    sunday_night_utc = datetime(2026, 12, 6, 18, 0, tzinfo=UTC)  # Monday 01:00 in Hà Nội
    assert iso_week(sunday_night_utc, VN) == "2026-W50"


def unit(n: int) -> UnitInfo:
    return UnitInfo(n, f"CDCS-{n:02d}", f"CĐCS số {n}", "CĐCS", 0, 1)


def line(
    n: int, status: Status, *, percent: int | None = None, note: str | None = None
) -> UnitLine:
    chair = ChairInfo(f"Chủ tịch {n}", None, registered=True)
    replied = NOW - timedelta(days=n) if percent else None
    return UnitLine(unit(n), chair, status, replied, percent, None, note)


def test_overdue_worst_first_and_reasons_grouped() -> None:
    overdue = [line(n, Status.OVERDUE, percent=(n * 7) % 60) for n in range(1, 16)]
    blocked = [line(20, Status.BLOCKED, note="thiếu kinh phí")] + [
        line(n, Status.BLOCKED, note="Thiếu kinh phí") for n in range(21, 25)
    ]
    blocked.append(line(30, Status.BLOCKED, note="chưa có người phụ trách"))
    done = [line(40, Status.DONE_ON_TIME)]
    lines = overdue + blocked + done
    counts = StatusCounts.of(item.status for item in lines)
    task = TaskFigures(
        1, 3, "CV 490/LĐLĐ, mục 3", "490/LĐLĐ mục 3", "Báo cáo sơ kết", NOW - timedelta(days=2),
        counts, 0.0, None, None, 0, 0, tuple(lines),
    )  # fmt: skip
    root = UnitInfo(0, "LDLD-X", "LĐLĐ huyện X", "LĐLĐ huyện", None, 0)
    figures = BranchFigures(
        root=root,
        now=NOW,
        units=(root, *(item.unit for item in lines)),
        directives=(DirectiveFigures(1, "CV 490/LĐLĐ", "Sơ kết 6 tháng", (task,)),),
        children=(),
        unregistered=(),
        chairs={},
    )
    text = weekly_text(figures, zone=VN, week="2026-W50")
    assert "📄 CV 490/LĐLĐ — Sơ kết 6 tháng" in text
    assert "Hoàn thành 1/22 đơn vị (5%; +5 điểm % so với tuần trước)" in text
    assert "quá hạn 15 · chưa báo cáo 0 · vướng mắc 6" in text
    assert (
        "   ⚠️ Vướng mắc «thiếu kinh phí»: CĐCS số 20; CĐCS số 21; CĐCS số 22 và 2 đơn vị khác"
        in text
    )
    assert "   ⚠️ Vướng mắc «chưa có người phụ trách»: CĐCS số 30" in text
    (overdue_line,) = [row for row in text.splitlines() if row.startswith("   🔴 Quá hạn:")]
    named = overdue_line.removeprefix("   🔴 Quá hạn: ").split(" và ")[0].split("; ")
    assert len(named) == 10 and overdue_line.endswith(" và 5 đơn vị khác")
    percents = [int(name.split("(")[1][:-2]) if "(" in name else 0 for name in named]
    assert percents == sorted(percents)  # the least progress first
