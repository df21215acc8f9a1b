"""The branch's summary at province scale, on SQLite: a province of 20 districts and 1,000
CĐCS (one chair in ten not registered with the bot), 50 tasks (5 directives of 10 items)
given to every CĐCS, so 50,000 assignments, a third of them answered. The data is made the
way the bot makes it: the roster through its import (`bench.roster.write_sheet`,
`storage.roster.apply_roster`), accounts, directives, tasks, assignments and replies through
the storage functions the handlers call.

Measured in a process of its own, spawned as the bot's weekly process is
(`bot.weekly_process`), so that its peak memory is a renderer's and not the seeding's:
- the time to compute the figures (`schedules.branch_figures`) and to write the `/tonghop`
  text from them, for the province (one line per district) and for one district; the best of
  a few runs, in wall time and in CPU time (the machine being shared, the CPU time is the
  fairer figure);
- the weekly summary of the province from the same figures, each from the figures to what
  is sent: its text, its chart (one bar per district; after a first one that pays
  matplotlib's import, itself timed in a fresh interpreter) and its workbook (a sheet per
  task, every CĐCS on each: 50 × 1,000 lines), each timed once;
- that process's peak memory (RSS).
"""

from __future__ import annotations

import multiprocessing
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bench.results import Result, at_most
from bench.roster import write_sheet
from schedules.branch_figures import BranchFigures, compute_branch_figures
from schedules.roster_sheet import read_roster
from schedules.summary import summary_text
from schedules.summary_chart import render_chart
from schedules.summary_workbook import render_workbook
from schedules.weekly_summary import iso_week, summary_chart, summary_workbook, weekly_text
from storage import accounts, directives
from storage.branch_facts import branch_units
from storage.engine import Database
from storage.indicators import set_indicator
from storage.migrate import upgrade
from storage.models import Assignment, Progress
from storage.people import current_chair, get_person_by_phone
from storage.replies import record_reply
from storage.roster import apply_roster
from storage.units import get_unit_by_code

VN = ZoneInfo("Asia/Ho_Chi_Minh")
DISTRICTS = 20
GRASSROOTS = 1_000
DIRECTIVES = 5
ITEMS = 10
ROUNDS = 5
TARGET_SECONDS = 1.0
NOW = datetime(2026, 12, 9, 9, 0, tzinfo=VN).astimezone(UTC)
GIVEN = NOW - timedelta(days=14)
IMPORT = (
    "import time; started = time.perf_counter(); from matplotlib.figure import Figure; "
    "print(time.perf_counter() - started)"
)
PROVINCE, FIRST_DISTRICT, ADMIN_PHONE = "T", "H001", "+84900000000"  # bench.roster's sheet


def seed(db: Database, folder: Path) -> tuple[int, int]:
    """The province; returns (province id, first district id)."""
    sheet = folder / "roster.csv"
    write_sheet(sheet, units=1 + DISTRICTS + GRASSROOTS, districts=DISTRICTS)
    with db.session() as session:
        apply_roster(session, sheet=read_roster(sheet), now=GIVEN)
    with db.session() as session:
        province = get_unit_by_code(session, code=PROVINCE)
        district = get_unit_by_code(session, code=FIRST_DISTRICT)
        officer = get_person_by_phone(session, phone=ADMIN_PHONE)
        assert province and district and officer and province.id and district.id and officer.id
        leaves = [u.id for u in branch_units(session, root_id=province.id) if u.level == "CĐCS"]
        assert len(leaves) == GRASSROOTS, len(leaves)
        account_id = _register(session, leaves)
        given: list[tuple[Assignment, bool]] = []
        for d in range(DIRECTIVES):
            directive = directives.create_directive(
                session,
                kind="Công văn",
                number=f"{100 + d}/LĐLĐ",
                subject=f"Văn bản {d}",
                owner_unit_id=province.id,
                created_by_person_id=officer.id,
                now=GIVEN,
            )
            assert directive.id is not None
            for item in range(1, ITEMS + 1):
                task = directives.add_task(
                    session,
                    directive_id=directive.id,
                    item=item,
                    text=f"Mục {item} của văn bản {d}",
                    deadline_at=NOW + timedelta(days=item - 5),
                )
                if item == 1:
                    set_indicator(session, task=task, name="Số đoàn viên", unit=None)
                assert task.id is not None
                created = directives.assign(session, task_id=task.id, unit_ids=leaves, now=GIVEN)
                given += [(assignment, item == 1) for assignment in created]
        _answer(session, given, account_id=account_id, person_id=officer.id)
        return province.id, district.id


def _register(session: Session, leaves: list[int]) -> int:
    """Nine chairs in ten register with the bot; returns one of their accounts."""
    account_id = 0
    for n, unit_id in enumerate(leaves):
        chair = current_chair(session, unit_id=unit_id)
        assert chair is not None and chair.id is not None
        if n % 10 == 0:
            continue
        account = accounts.arrive(
            session,
            channel="telegram",
            external_user_id=str(chair.id),
            chat_id=str(chair.id),
            display_name=chair.full_name,
            now=GIVEN,
        ).account
        assert account.id is not None
        accounts.bind(session, account_id=account.id, person_id=chair.id)
        account_id = account.id
    return account_id


def _answer(
    session: Session, given: list[tuple[Assignment, bool]], *, account_id: int, person_id: int
) -> None:
    """A third of the assignments answered, in turn done, in progress at 50 % and blocked
    for lack of funds, over twelve days; a figure on the tasks with an indicator."""
    kinds = (Progress.DONE, Progress.IN_PROGRESS, Progress.BLOCKED)
    answered = [(a, counted) for a, counted in given if a.id is not None and a.id % 3 == 0]
    for n, (assignment, counted) in enumerate(answered):
        progress = kinds[n % 3]
        record_reply(
            session,
            assignment=assignment,
            account_id=account_id,
            person_id=person_id,
            raw_text="…",
            progress=progress,
            now=GIVEN + timedelta(days=n % 12, minutes=n % 600),
            percent=50 if progress == Progress.IN_PROGRESS else None,
            number=n % 40 if counted else None,
            note="thiếu kinh phí" if progress == Progress.BLOCKED else None,
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


def _once(work: Callable[[], object]) -> tuple[float, float, object]:
    """The wall time and the CPU time of one run, and the result."""
    started, started_cpu = time.perf_counter(), time.process_time()
    result = work()
    return time.perf_counter() - started, time.process_time() - started_cpu, result


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
        _within(f"summary {name}: /tonghop text ({len(text):,} characters), wall", text_wall),
    ]


def weekly(db: Database, root_id: int) -> list[Result]:
    """The weekly summary of the branch, each part from the figures to what is sent."""
    with db.session() as session:
        figures = compute_branch_figures(session, root_id=root_id, now=NOW)
    assert figures is not None
    week = iso_week(NOW, VN)
    text_wall, _, text = _best(lambda: weekly_text(figures, zone=VN, week=week))
    assert isinstance(text, str)
    chart = summary_chart(figures, zone=VN, week=week)
    render_chart(chart)  # matplotlib's import and font cache: once per process
    chart_wall, chart_cpu, _ = _once(
        lambda: render_chart(summary_chart(figures, zone=VN, week=week))
    )
    book_wall, book_cpu, data = _once(
        lambda: render_workbook(summary_workbook(figures, zone=VN, week=week))
    )
    assert isinstance(data, bytes)
    lines = sum(task.counts.total for task in figures.tasks)
    sheets = f"{len(figures.tasks)} task sheets, {lines:,} lines, {len(data) / 2**20:.1f} MiB"
    return [
        _within(f"weekly: text ({len(text):,} characters), wall", text_wall),
        _within(f"weekly: chart ({len(chart.bars)} bars), wall", chart_wall),
        _within(f"weekly: chart ({len(chart.bars)} bars), CPU", chart_cpu),
        _within(f"weekly: workbook ({sheets}), wall", book_wall),
        _within(f"weekly: workbook ({sheets}), CPU", book_cpu),
    ]


def _within(name: str, seconds: float) -> Result:
    return at_most(name, seconds, "s", TARGET_SECONDS)


def peak_rss_mib() -> float:
    """This process's peak resident memory so far (Linux counts KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)


def renderer(database_url: str, province: int, district: int) -> list[Result]:
    """Everything measured, in a process that has done nothing else (the weekly process's
    place): its peak memory is what rendering a province costs."""
    db = Database.from_url(database_url)
    try:
        results = measure(db, "province", province) + measure(db, "district", district)
        results += weekly(db, province)
    finally:
        db.dispose()
    return [
        *results,
        at_most("summary: the renderer's peak memory (RSS)", peak_rss_mib(), "MiB", 1024),
    ]


def run() -> list[Result]:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'summary.db'}"
        db = Database.from_url(url)
        try:
            upgrade(db.engine)
            started = time.perf_counter()
            province, district = seed(db, Path(folder))
            print(f"summary: seeded in {time.perf_counter() - started:.1f} s (not measured)")
        finally:
            db.dispose()
        imported = subprocess.run(
            [sys.executable, "-c", IMPORT], capture_output=True, text=True, check=True
        )
        spawn = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as pool:
            results = pool.submit(renderer, url, province, district).result()
    return [
        at_most("weekly: matplotlib's first import", float(imported.stdout), "s", 5.0),
        *results,
    ]
