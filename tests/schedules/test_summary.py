"""The officer's summary text, from views and reply facts (no database)."""

from __future__ import annotations

from datetime import datetime, timedelta

from schedules.summary import summary_text
from storage.directives import AssignmentView
from storage.models import Assignment, Directive, Progress, Task, Unit
from storage.replies import ReplyFacts
from tests.conftest import VN

DEADLINE = datetime(2026, 12, 10, 17, 0, tzinfo=VN)
NOW = DEADLINE + timedelta(days=1)


def _view(
    n: int,
    progress: Progress,
    *,
    done_at: datetime | None = None,
    percent: int | None = None,
    replied: bool = True,
) -> AssignmentView:
    directive = Directive(
        id=1,
        kind="công văn",
        number="490/LĐLĐ",
        subject="s",
        owner_unit_id=1,
        created_by_person_id=1,
    )
    task = Task(
        id=7,
        directive_id=1,
        item=3,
        text="Kết nạp đoàn viên",
        deadline_at=DEADLINE,
        indicator_name="Số đoàn viên kết nạp mới",
        indicator_unit="người",
    )
    assignment = Assignment(
        id=n,
        task_id=7,
        unit_id=n,
        progress=progress,
        percent=percent,
        done_at=done_at,
        last_reply_at=done_at or (NOW if replied else None),
    )
    return AssignmentView(assignment, task, directive, Unit(id=n, code=f"U{n}", name=f"CĐCS {n}"))


def test_counts_labels_reasons_and_the_indicator_sum() -> None:
    views = [
        _view(1, Progress.DONE, done_at=DEADLINE - timedelta(days=1), percent=100),
        _view(2, Progress.DONE, done_at=DEADLINE + timedelta(hours=2), percent=100),
        _view(3, Progress.BLOCKED),
        _view(4, Progress.IN_PROGRESS, percent=40),
        _view(5, Progress.OPEN, replied=False),
    ]
    facts = {
        1: ReplyFacts(number=1_200),
        2: ReplyFacts(number=30),
        3: ReplyFacts(blocked_reason="thiếu kinh phí"),
    }
    text = summary_text(views, now=NOW, zone=VN, facts=facts)
    assert "▪️ CV 490/LĐLĐ, mục 3 (hạn 10/12/2026)" in text
    assert "Xong: 2/5 đơn vị" in text
    assert (
        "Hoàn thành đúng hạn: 1 · Hoàn thành quá hạn: 1 · Vướng mắc: 1 · Quá hạn chưa hoàn thành: 2"
    ) in text
    assert "📈 Số đoàn viên kết nạp mới: 1.230 người (2/5 đơn vị đã báo số)" in text
    assert "✅ CĐCS 1; CĐCS 2 (quá hạn)" in text
    assert (
        "⏳ Chưa xong: CĐCS 3 (vướng mắc: thiếu kinh phí); CĐCS 4 (quá hạn 40%); "
        "CĐCS 5 (quá hạn, chưa báo cáo)"
    ) in text


def test_nothing_given() -> None:
    assert "Chưa có việc nào" in summary_text([], now=NOW, zone=VN)
