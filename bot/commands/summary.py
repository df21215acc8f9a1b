"""`nhacviec summary --unit CODE [--xlsx FILE] [--chart FILE]`: the weekly summary of a
branch, as officers get it: the text on stdout, the chart (PNG) and the workbook (.xlsx)
written to the files named."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "summary",
        help="print a branch's weekly summary; write its chart and workbook",
        description=(
            "Print the weekly summary of the branch CODE (the unit and all units below it) "
            "as officers receive it: per open directive and task the units in each status, "
            "the completion rate and its change since last week, the overdue units, the "
            "units with no registered chair, the indicators' sums. With --chart and --xlsx, "
            "also write its chart (PNG) and its Excel workbook."
        ),
    )
    parser.add_argument("--unit", required=True, metavar="CODE", help="the branch's top unit")
    parser.add_argument("--xlsx", type=Path, metavar="FILE", help="write the workbook here")
    parser.add_argument("--chart", type=Path, metavar="FILE", help="write the chart (PNG) here")
    parser.set_defaults(handler=_summary)


def _summary(args: argparse.Namespace) -> int:
    # Imported here so that building the parser loads neither SQLAlchemy nor matplotlib.
    from bot.commands.common import load_settings, open_database
    from schedules.branch_figures import compute_branch_figures
    from schedules.clock import SystemClock
    from schedules.summary_chart import render_chart
    from schedules.summary_workbook import render_workbook
    from schedules.weekly_summary import iso_week, summary_chart, summary_workbook, weekly_text
    from storage import units

    settings = load_settings()
    if settings is None:
        return 2
    zone = settings.zone
    now = SystemClock().now()
    week = iso_week(now, zone)
    with open_database(settings) as db, db.session() as session:
        root = units.get_unit_by_code(session, code=args.unit)
        if root is None or root.id is None or root.archived_at is not None:
            print(f"Không có đơn vị mã «{args.unit}».", file=sys.stderr)
            return 1
        figures = compute_branch_figures(session, root_id=root.id, now=now)
    assert figures is not None
    print(weekly_text(figures, zone=zone, week=week))
    wanted = [(args.chart, "biểu đồ"), (args.xlsx, "bảng Excel")]
    if any(path is not None for path, _ in wanted) and not figures.tasks:
        print("Không có việc nào đang theo dõi: không ghi tệp.", file=sys.stderr)
        return 0
    try:
        if args.chart is not None:
            args.chart.write_bytes(render_chart(summary_chart(figures, zone=zone, week=week)))
            print(f"Đã ghi biểu đồ: {args.chart}", file=sys.stderr)
        if args.xlsx is not None:
            book = summary_workbook(figures, zone=zone, week=week)
            args.xlsx.write_bytes(render_workbook(book))
            print(f"Đã ghi bảng Excel: {args.xlsx}", file=sys.stderr)
    except OSError as error:
        print(f"Không ghi được tệp: {error.strerror or error}", file=sys.stderr)
        return 1
    return 0
