"""Roster import at provincial scale: a 10,000-unit sheet (one province, 100 districts,
9,899 grassroots unions, each with a chair and a phone) read, checked and applied to a fresh
SQLite database, then imported again unchanged (the re-import an administrator does monthly)."""

from __future__ import annotations

import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.results import Result, at_most
from schedules.roster_sheet import COLUMNS, read_roster
from storage.engine import Database
from storage.migrate import upgrade
from storage.roster import apply_roster

UNITS = 10_000
DISTRICTS = 100
TARGET_SECONDS = 10.0


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
        finally:
            database.dispose()
    return [
        at_most(f"roster import, {UNITS:,} units (SQLite)", first, "s", TARGET_SECONDS),
        at_most(f"roster re-import unchanged, {UNITS:,} units", again, "s", TARGET_SECONDS),
    ]
