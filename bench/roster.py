"""Roster import at provincial scale: a 10,000-unit sheet (one province, 100 districts,
9,899 grassroots unions, each with a chair and a phone) read, checked and applied to a fresh
SQLite database, then imported again unchanged (the re-import an administrator does monthly);
the plan of a changed re-import (what `nhacviec roster import` prints before applying); and
the memory that reading a sheet at the size bound takes (issue 16: 1.1 GB before the bound).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.results import Result, at_most
from schedules.roster_sheet import COLUMNS, read_roster
from schedules.roster_sheet.columns import MAX_LINES
from schedules.roster_sheet.plan import RosterPlan, plan_roster
from storage.engine import Database
from storage.migrate import upgrade
from storage.roster import apply_roster
from storage.roster_state import load_roster_state

UNITS = 10_000
DISTRICTS = 100
TARGET_SECONDS = 10.0
PLAN_TARGET_SECONDS = 3.0
READ_TARGET_MB = 300.0  # the bound docs/roster.md states for reading a sheet at MAX_LINES


def write_sheet(path: Path, units: int = UNITS, districts: int = DISTRICTS) -> None:
    """A CSV roster: units parent-first, chairs on 09xx numbers, an officer per district."""
    lines = [",".join(COLUMNS), "T,LĐLĐ tỉnh Mẫu,,LĐLĐ tỉnh,,,Quản Trị,0900000000,quản trị"]
    for district in range(1, districts + 1):
        lines.append(
            f"H{district:03d},LĐLĐ huyện số {district},T,LĐLĐ huyện,,,"
            f"Cán Bộ {district},09010{district:05d},cán bộ"
        )
    for number in range(1, units - districts):
        district = number % districts + 1
        lines.append(
            f"CS{number:05d},CĐCS Đơn vị số {number},H{district:03d},CĐCS,"
            f"Chủ Tịch {number},0912{number:06d},,,"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_changed_sheet(path: Path, original: Path) -> None:
    """The re-import an administrator might get wrong: every 100th unit renamed, every 500th
    chair replaced, the last 50 units left out (archived)."""
    lines = original.read_text(encoding="utf-8").splitlines()
    changed = []
    for index, line in enumerate(lines[:-50]):
        if index > DISTRICTS + 1 and index % 100 == 0:
            line = line.replace("CĐCS Đơn vị số", "CĐCS đổi tên số")
        if index > DISTRICTS + 1 and index % 500 == 0:
            line = line.replace(",0912", ",0913")
        changed.append(line)
    path.write_text("\n".join(changed) + "\n", encoding="utf-8")


def plan_seconds(path: Path, database: Database) -> tuple[float, RosterPlan]:
    """Seconds from the file to the plan on screen: read, check, load the roster, compare."""
    started = time.perf_counter()
    sheet = read_roster(path)
    with database.session() as session:
        plan = plan_roster(sheet, load_roster_state(session))
    return time.perf_counter() - started, plan


def reading_megabytes(path: Path) -> float:
    """Peak memory growth of a fresh process reading `path`: its resident high-water mark
    (`VmHWM`, the process's own: `ru_maxrss` would carry this parent's peak across the exec)
    less its resident set once a small sheet has been read (modules and phone metadata
    loaded)."""
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from schedules.roster_sheet import read_roster, template_sheet, write_roster\n"
        "def status(key):\n"
        "    with open('/proc/self/status') as lines:\n"
        "        return next(int(l.split()[1]) for l in lines if l.startswith(key + ':'))\n"
        "small = Path(sys.argv[1]).with_name('small.csv')\n"
        "write_roster(small, template_sheet())\n"
        "read_roster(small)\n"
        "before = status('VmRSS')\n"
        "read_roster(Path(sys.argv[1]))\n"
        "print((status('VmHWM') - before) / 1024)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True
    )
    return float(done.stdout.strip())


def import_seconds(path: Path, database: Database) -> tuple[float, int]:
    """Seconds to read, check, apply and commit the sheet; and the units it added."""
    started = time.perf_counter()
    sheet = read_roster(path)
    with database.session() as session:
        changes = apply_roster(session, sheet=sheet, now=datetime.now(UTC))
    return time.perf_counter() - started, len(changes.added)


def run() -> list[Result]:
    with tempfile.TemporaryDirectory() as folder:
        sheet = Path(folder) / "roster.csv"
        write_sheet(sheet)
        database = Database.from_url(f"sqlite:///{Path(folder) / 'bench.db'}")
        try:
            upgrade(database.engine)
            first, added = import_seconds(sheet, database)
            assert added == UNITS, f"expected {UNITS} units, added {added}"
            again, _ = import_seconds(sheet, database)
            changed = Path(folder) / "changed.csv"
            write_changed_sheet(changed, sheet)
            planned, plan = plan_seconds(changed, database)
            assert len(plan.archived) == 50 and plan.needs_confirmation, "unexpected plan"
            assert len(plan.renamed) >= 90 and plan.chairs_replaced, "unexpected plan"
        finally:
            database.dispose()
        biggest = Path(folder) / "biggest.csv"
        write_sheet(biggest, units=MAX_LINES - 1, districts=1_000)
        megabytes = reading_megabytes(biggest)
        size = biggest.stat().st_size / 1024 / 1024
    return [
        at_most(f"roster import, {UNITS:,} units (SQLite)", first, "s", TARGET_SECONDS),
        at_most(f"roster re-import unchanged, {UNITS:,} units", again, "s", TARGET_SECONDS),
        at_most(
            f"roster re-import plan, {UNITS:,} units (read, check, compare; SQLite)",
            planned,
            "s",
            PLAN_TARGET_SECONDS,
        ),
        at_most(
            f"roster read at the bound, {MAX_LINES:,} lines ({size:,.1f} MB CSV): memory growth",
            megabytes,
            "MB",
            READ_TARGET_MB,
        ),
    ]
