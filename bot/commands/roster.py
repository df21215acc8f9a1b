"""`nhacviec roster import FILE` loads units, chairs and officers from a CSV or Excel sheet;
`nhacviec roster export FILE` writes the current roster in the same layout."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "roster",
        help="import or export the roster of units, chairs and officers",
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
    dump = actions.add_parser(
        "export",
        help="write the current roster to a .xlsx or .csv file",
        description=(
            "Write the current roster (archived units left out) in the import layout: edit it "
            "and import it back. Officers without a phone number (bound by invite) are skipped."
        ),
    )
    dump.add_argument("file", type=Path, metavar="FILE", help="where to write (.xlsx or .csv)")
    dump.set_defaults(handler=_export)


def _export(args: argparse.Namespace) -> int:
    # Imported here so that building the parser does not load SQLAlchemy and openpyxl.
    from bot.commands.common import load_settings, open_database
    from schedules.roster_sheet import write_roster
    from storage.roster import current_sheet

    if args.file.suffix.lower() not in (".xlsx", ".csv"):
        print(f"Không ghi được {args.file.name}: chỉ hỗ trợ .xlsx hoặc .csv.", file=sys.stderr)
        return 1
    settings = load_settings()
    if settings is None:
        return 2
    with open_database(settings) as db, db.session() as session:
        sheet = current_sheet(session)
    try:
        write_roster(args.file, sheet)
    except OSError as error:
        print(f"Không ghi được {args.file}: {error.strerror}.", file=sys.stderr)
        return 1
    print(f"Đã ghi {args.file.name}: {len(sheet.units)} đơn vị, {len(sheet.officers)} cán bộ.")
    return 0


def _import(args: argparse.Namespace) -> int:
    from bot.commands.common import load_settings, open_database
    from handlers.texts import roster_replaced_chair
    from schedules.clock import SystemClock
    from schedules.roster_sheet import RosterFileError, read_roster
    from storage.roster import apply_roster, notify_replaced_chairs

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
    with open_database(settings) as db, db.session() as session:
        now = SystemClock().now()
        changes = apply_roster(session, sheet=sheet, now=now)
        told = notify_replaced_chairs(
            session, changes=changes, now=now, text_for=roster_replaced_chair
        )
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
    if told:
        print(f"  {told} tin báo cho chủ tịch được thay sẽ gửi khi bot chạy.")
    return 0
