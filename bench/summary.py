"""The branch's summary at province scale, on SQLite: a province of 20 districts and 1,000
CĐCS (one in ten without a registered chair), 50 tasks (5 directives of 10 items) given to
every CĐCS, so 50,000 assignments, a third of them answered. Prints the time to compute the
figures (`schedules.branch_figures`) and to write the `/tonghop` text from them, for the
province (one line per district) and for one district; the best of a few runs, in wall time
and in CPU time (the machine being shared, the CPU time is the fairer figure).

Then the weekly summary of the province from the same figures (`schedules.weekly_summary`):
its text, its chart (one bar per district) and its workbook (a sheet per task, every CĐCS on
each: 50 × 1,000 lines), each timed once (the chart after a first one that pays matplotlib's
import, timed apart in a fresh interpreter), and the peak memory (RSS) of this process while
it ran. (This replaces `bench summary_files`, which drew the same files from made-up inputs.)
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, insert, select
from sqlmodel import SQLModel, col

from bench.results import Result, at_most
from schedules.branch_figures import BranchFigures, compute_branch_figures
from schedules.summary import summary_text
from schedules.summary_chart import render_chart
from schedules.summary_workbook import render_workbook
from schedules.weekly_summary import iso_week, summary_chart, summary_workbook, weekly_text
from storage.engine import Database
from storage.migrate import upgrade
from storage.models import (
    Appointment,
    Assignment,
    ChannelAccount,
    Directive,
    Person,
    Progress,
    Reply,
    Role,
    Task,
    Unit,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
DISTRICTS = 20
PER_DISTRICT = 50
DIRECTIVES = 5
ITEMS = 10
ROUNDS = 5
TARGET_SECONDS = 1.0
NOW = datetime(2026, 12, 9, 9, 0, tzinfo=VN).astimezone(UTC)
IMPORT = (
    "import time; started = time.perf_counter(); from matplotlib.figure import Figure; "
    "print(time.perf_counter() - started)"
)
GIVEN = NOW - timedelta(days=14)


def seed(db: Database) -> tuple[int, int]:
    """The province; returns (province id, first district id)."""
    with db.session() as session:
        province = Unit(
            code="LDLD-T", name="LĐLĐ tỉnh", level="LĐLĐ tỉnh", created_at=GIVEN, updated_at=GIVEN
        )
        officer = Person(full_name="Cán bộ tỉnh", created_at=GIVEN)
        session.add_all([province, officer])
        session.flush()
        assert province.id is not None and officer.id is not None
        _insert(
            session,
            Unit,
            [
                {
                    "code": f"LDLD-H{d:02d}",
                    "name": f"LĐLĐ huyện {d}",
                    "level": "LĐLĐ huyện",
                    "parent_id": province.id,
                    "created_at": GIVEN,
                    "updated_at": GIVEN,
                }
                for d in range(DISTRICTS)
            ],
        )
        districts = list(
            session.scalars(
                select(col(Unit.id))
                .where(col(Unit.parent_id) == province.id)
                .order_by(col(Unit.code))
            )
        )
        _insert(
            session,
            Unit,
            [
                {
                    "code": f"CDCS-{d:02d}-{n:03d}",
                    "name": f"CĐCS số {n} huyện {d}",
                    "level": "CĐCS",
                    "parent_id": district,
                    "created_at": GIVEN,
                    "updated_at": GIVEN,
                }
                for d, district in enumerate(districts)
                for n in range(PER_DISTRICT)
            ],
        )
        leaves = list(
            session.scalars(
                select(col(Unit.id)).where(col(Unit.level) == "CĐCS").order_by(col(Unit.id))
            )
        )
        _insert(
            session,
            Person,
            [
                {"full_name": f"Chủ tịch {n}", "phone": f"+849{n:08d}", "created_at": GIVEN}
                for n in range(len(leaves))
            ],
        )
        people = list(
            session.scalars(
                select(col(Person.id))
                .where(col(Person.phone).is_not(None))
                .order_by(col(Person.id))
            )
        )
        _insert(
            session,
            Appointment,
            [
                {"person_id": p, "unit_id": u, "role": Role.CHAIR, "started_at": GIVEN}
                for p, u in zip(people, leaves, strict=True)
            ],
        )
        _insert(
            session,
            ChannelAccount,
            [
                {
                    "channel": "telegram",
                    "external_user_id": str(p),
                    "chat_id": str(p),
                    "person_id": p,
                    "state": "active",
                    "display_name": "",
                    "created_at": GIVEN,
                    "last_seen_at": GIVEN,
                }
                for n, p in enumerate(people)
                if n % 10
            ],
        )
        account = session.scalar(select(col(ChannelAccount.id)).limit(1))
        for d in range(DIRECTIVES):
            directive = Directive(
                kind="Công văn",
                number=f"{100 + d}/LĐLĐ",
                subject=f"Văn bản {d}",
                owner_unit_id=province.id,
                created_by_person_id=officer.id,
                created_at=GIVEN,
            )
            session.add(directive)
            session.flush()
            assert directive.id is not None
            for item in range(1, ITEMS + 1):
                task = Task(
                    directive_id=directive.id,
                    item=item,
                    text=f"Mục {item} của văn bản {d}",
                    deadline_at=NOW + timedelta(days=item - 5),
                    indicator_name="Số đoàn viên" if item == 1 else None,
                )
                session.add(task)
                session.flush()
                _insert(
                    session,
                    Assignment,
                    [
                        {
                            "task_id": task.id,
                            "unit_id": u,
                            "created_at": GIVEN,
                            "progress": Progress.OPEN,
                        }
                        for u in leaves
                    ],
                )
        rows = session.execute(select(col(Assignment.id))).scalars().all()
        # Figures come with the tasks that have an indicator (item 1 of each directive).
        counted = set(
            session.scalars(
                select(col(Assignment.id))
                .join(Task, col(Task.id) == col(Assignment.task_id))
                .where(col(Task.indicator_name).is_not(None))
            )
        )
        answered = [a for a in rows if a % 3 == 0]
        kinds = (Progress.DONE, Progress.IN_PROGRESS, Progress.BLOCKED)
        replies: list[dict[str, Any]] = []
        for n, assignment_id in enumerate(answered):
            progress = kinds[n % 3]
            at = GIVEN + timedelta(days=n % 12, minutes=n % 600)
            replies.append(
                {
                    "assignment_id": assignment_id,
                    "account_id": account,
                    "person_id": officer.id,
                    "raw_text": "…",
                    "progress": progress,
                    "percent": 50 if progress == Progress.IN_PROGRESS else None,
                    "number": n % 40 if assignment_id in counted else None,
                    "note": "thiếu kinh phí" if progress == Progress.BLOCKED else None,
                    "received_at": at,
                }
            )
        _insert(session, Reply, replies)
        _apply(session, replies)
        assert districts[0] is not None
        return province.id, districts[0]


def _insert(session: Any, model: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), 5000):
        session.execute(insert(model), rows[start : start + 5000])


def _apply(session: Any, replies: list[dict[str, Any]]) -> None:
    """Make each reply its assignment's state, as `storage.replies.record_reply` does."""
    table = SQLModel.metadata.tables[Assignment.__tablename__]
    statement = (
        table.update()
        .where(table.c.id == bindparam("target"))
        .values(
            progress=bindparam("p"),
            percent=bindparam("pc"),
            last_reply_at=bindparam("at"),
            done_at=bindparam("done"),
        )
    )
    session.execute(
        statement,
        [
            {
                "target": r["assignment_id"],
                "p": r["progress"],
                "pc": 100 if r["progress"] == Progress.DONE else r["percent"],
                "at": r["received_at"],
                "done": r["received_at"] if r["progress"] == Progress.DONE else None,
            }
            for r in replies
        ],
    )


def _best(work: Callable[[], object]) -> tuple[float, float, object]:
    """The best wall time and the best CPU time of a few runs, and the result. On a shared
    machine the CPU time is the fairer figure: it leaves out the time spent waiting for a
    core."""
    wall, cpu, result = float("inf"), float("inf"), None
    for _ in range(ROUNDS):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = work()
        wall = min(wall, time.perf_counter() - started)
        cpu = min(cpu, time.process_time() - started_cpu)
    return wall, cpu, result


def measure(db: Database, name: str, root_id: int) -> list[Result]:
    """The time to compute one branch's figures, and to write its text."""

    def figures() -> BranchFigures:
        with db.session() as session:
            found = compute_branch_figures(session, root_id=root_id, now=NOW)
        assert found is not None
        return found

    wall, cpu, computed = _best(figures)
    assert isinstance(computed, BranchFigures)
    text_wall, _, text = _best(lambda: summary_text(computed, zone=VN))
    assert isinstance(text, str)
    assignments = sum(task.counts.total for task in computed.tasks)
    size = f"{assignments:,} assignments, {len(computed.units):,} units"
    return [
        at_most(f"summary {name}: figures ({size}), wall", wall, "s", TARGET_SECONDS),
        at_most(f"summary {name}: figures ({size}), CPU", cpu, "s", TARGET_SECONDS),
        at_most(
            f"summary {name}: /tonghop text ({len(text):,} characters), wall",
            text_wall,
            "s",
            TARGET_SECONDS,
        ),
    ]


def weekly(db: Database, root_id: int) -> list[Result]:
    """The weekly summary of the branch: text, chart and workbook, timed once each."""
    with db.session() as session:
        figures = compute_branch_figures(session, root_id=root_id, now=NOW)
    assert figures is not None
    week = iso_week(NOW, VN)
    text_wall, _, text = _best(lambda: weekly_text(figures, zone=VN, week=week))
    assert isinstance(text, str)
    imported = subprocess.run(
        [sys.executable, "-c", IMPORT], capture_output=True, text=True, check=True
    )
    chart = summary_chart(figures, zone=VN, week=week)
    render_chart(chart)  # matplotlib's import and font cache: once per process
    chart_wall = _once(lambda: render_chart(chart))
    book = summary_workbook(figures, zone=VN, week=week)
    lines = sum(len(task.lines) for task in book.tasks)
    book_wall = _once(lambda: render_workbook(book))
    return [
        at_most("weekly: matplotlib's first import", float(imported.stdout), "s", 5.0),
        at_most(f"weekly: text ({len(text):,} characters), wall", text_wall, "s", TARGET_SECONDS),
        at_most(f"weekly: chart ({len(chart.bars)} bars), wall", chart_wall, "s", TARGET_SECONDS),
        at_most(
            f"weekly: workbook ({len(book.tasks)} task sheets, {lines:,} lines), wall",
            book_wall,
            "s",
            TARGET_SECONDS,
        ),
    ]


def _once(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def peak_rss_mib() -> float:
    """This process's peak resident memory so far (Linux counts KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)


def run() -> list[Result]:
    with tempfile.TemporaryDirectory() as folder:
        db = Database.from_url(f"sqlite:///{Path(folder) / 'summary.db'}")
        try:
            upgrade(db.engine)
            province, district = seed(db)
            results = measure(db, "province", province) + measure(db, "district", district)
            results += weekly(db, province)
            return [*results, at_most("summary: peak memory (RSS)", peak_rss_mib(), "MiB", 1024)]
        finally:
            db.dispose()
