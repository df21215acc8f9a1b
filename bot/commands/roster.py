"""`nhacviec roster import FILE` loads units, chairs and officers from a CSV or Excel sheet,
printing its plan first and applying one that archives units or ends roles only with
`--yes`; `nhacviec roster export FILE` writes the current roster in the same layout."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

NEEDS_YES = 3  # exit code: the plan archives units or ends roles and `--yes` was not given


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
            "Load a .csv or .xlsx roster (at most 20 MB and 200,000 lines). The whole file is "
            "checked first: a file with any bad row is refused whole, with every problem and "
            "its line number (exit 1). Then the plan is printed: units added, restored, "
            "renamed, moved, archived; chairs, officers and administrators changed. The file "
            "is the whole roster: re-importing updates units in place by code (compared "
            "without case) and archives the units missing from it. A plan that archives any "
            "unit or ends anyone's role is applied only with --yes (otherwise nothing changes, "
            "exit 3), and so is a plan that would archive every unit in use."
        ),
    )
    load.add_argument("file", type=Path, metavar="FILE", help="the roster sheet")
    mode = load.add_mutually_exclusive_group()
    mode.add_argument("--dry-run", action="store_true", help="print the plan and change nothing")
    mode.add_argument(
        "--yes",
        action="store_true",
        help="apply the plan even when it archives units or ends someone's role",
    )
    load.set_defaults(handler=_import)
    dump = actions.add_parser(
        "export",
        help="write the current roster to a .xlsx or .csv file",
        description=(
            "Write the current roster (archived units left out) in the import layout: edit it "
            "and import it back. Officers without a phone number (bound by invite) are skipped. "
            "A .xlsx also gets a second sheet to print (STT, unit, level, chair, phone, "
            "registered with the bot or not); a .csv has one sheet only, and a cell a "
            "spreadsheet would run as a formula (=, +, -, @) is written after an apostrophe."
        ),
    )
    dump.add_argument("file", type=Path, metavar="FILE", help="where to write (.xlsx or .csv)")
    dump.set_defaults(handler=_export)


def _export(args: argparse.Namespace) -> int:
    # Imported here so that building the parser does not load SQLAlchemy and openpyxl.
    from bot.commands.common import load_settings, open_database
    from schedules.roster_sheet import write_roster
    from storage.roster import current_sheet
    from storage.roster_state import registered_chair_codes

    if args.file.suffix.lower() not in (".xlsx", ".csv"):
        print(f"Không ghi được {args.file.name}: chỉ hỗ trợ .xlsx hoặc .csv.", file=sys.stderr)
        return 1
    settings = load_settings()
    if settings is None:
        return 2
    with open_database(settings) as db, db.session() as session:
        sheet = current_sheet(session)
        registered = registered_chair_codes(session)
    try:
        write_roster(args.file, sheet, registered=registered)
    except OSError as error:
        print(f"Không ghi được {args.file}: {error.strerror}.", file=sys.stderr)
        return 1
    print(f"Đã ghi {args.file.name}: {len(sheet.units)} đơn vị, {len(sheet.officers)} cán bộ.")
    if args.file.suffix.lower() == ".xlsx":
        print(f"  Trang thứ hai «In danh sách»: {len(registered)} chủ tịch đã đăng ký bot.")
    else:
        print("  Tệp CSV chỉ có một trang; muốn có trang in danh sách, hãy xuất ra .xlsx.")
    return 0


def _import(args: argparse.Namespace) -> int:
    from bot.commands.common import load_settings, open_database
    from handlers.texts import roster_replaced_chair
    from schedules.clock import SystemClock
    from schedules.roster_sheet import RosterFileError, read_roster
    from schedules.roster_sheet.plan import plan_roster
    from schedules.roster_sheet.plan_text import plan_lines, refusal_lines
    from storage.roster import apply_roster, notify_replaced_chairs
    from storage.roster_state import load_roster_state

    try:
        sheet = read_roster(args.file)
    except RosterFileError as error:
        print(
            f"Không nhập danh sách {args.file.name}: có {len(error.problems)} lỗi.", file=sys.stderr
        )
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    settings = load_settings()
    if settings is None:
        return 2
    with open_database(settings) as db, db.session() as session:
        # Planned and applied in one transaction: what is shown is what is done.
        plan = plan_roster(sheet, load_roster_state(session))
        print("\n".join(plan_lines(plan, args.file.name)))
        if args.dry_run:
            print("Chạy thử (--dry-run): chưa có gì thay đổi.")
            return 0
        if plan.needs_confirmation and not args.yes:
            command = f"nhacviec roster import {args.file}"
            print("\n".join(refusal_lines(plan, command)), file=sys.stderr)
            return NEEDS_YES
        now = SystemClock().now()
        changes = apply_roster(session, sheet=sheet, now=now)
        told = notify_replaced_chairs(
            session, changes=changes, now=now, text_for=roster_replaced_chair
        )
    print(
        f"Đã nhập {args.file.name}: thêm {len(changes.added)}, sửa {len(changes.changed)}, "
        f"lưu trữ {len(changes.archived)} đơn vị; {len(sheet.officers)} cán bộ."
    )
    if told:
        print(f"  {told} tin báo cho chủ tịch được thay sẽ gửi khi bot chạy.")
    return 0
