"""`nhacviec roster import FILE`: load units, chairs and officers from a CSV or Excel sheet."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.commands.common import load_settings
from schedules.clock import SystemClock
from storage.engine import Database
from storage.migrate import upgrade
from storage.roster import apply_roster
from storage.roster_sheet import RosterFileError, read_roster


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "roster",
        help="import the roster of units, chairs and officers",
        description="The roster: units (a tree of any depth), their chairs and officers.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    load = actions.add_parser(
        "import",
        help="load a .csv or .xlsx roster (see docs/roster.md)",
        description=(
            "Load a .csv or .xlsx roster. The whole file is checked first: a file with any "
            "bad row is refused whole, with every problem and its line number. Re-importing "
            "updates units in place by code; units missing from the file are archived."
        ),
    )
    load.add_argument("file", type=Path, metavar="FILE", help="the roster sheet")
    load.set_defaults(handler=_import)


def _import(args: argparse.Namespace) -> int:
    try:
        sheet = read_roster(args.file)
    except RosterFileError as error:
        print(
            f"Không nhập danh sách {args.file.name}: có {len(error.problems)} lỗi.", file=sys.stderr
        )
        for problem in error.problems:
            print(f"  Dòng {problem.line}: {problem.message}", file=sys.stderr)
        return 1
    settings = load_settings()
    if settings is None:
        return 2
    db = Database.from_url(settings.database_url)
    try:
        upgrade(db.engine)
        with db.session() as session:
            changes = apply_roster(session, sheet=sheet, now=SystemClock().now())
    finally:
        db.dispose()
    print(
        f"Đã nhập {args.file.name}: thêm {len(changes.added)}, sửa {len(changes.changed)}, "
        f"lưu trữ {len(changes.archived)} đơn vị; {len(sheet.officers)} cán bộ."
    )
    for label, codes in (
        ("Thêm", changes.added),
        ("Sửa", changes.changed),
        ("Lưu trữ", changes.archived),
    ):
        if codes:
            shown = ", ".join(codes[:20]) + (f" … (+{len(codes) - 20})" if len(codes) > 20 else "")
            print(f"  {label}: {shown}")
    return 0
