"""`nhacviec read-reply TEXT [--json]`: show how the bot reads a chair's reply, and why.

For whoever supports the chairs: paste the line a chair sent and see the status, percent,
number, note and task the bot took from it, and the grammar rules that decided.
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from handlers.reply_grammar import ReplyReading


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `read-reply` sub-command."""
    parser = subparsers.add_parser(
        "read-reply",
        help="show how a chair's reply line is read",
        description=(
            "Read one reply line the way the bot does and print the reading. "
            "A line about several tasks (`mục 2 xong, mục 3 đang làm`) gives one reading "
            "per task (with --json, a list). "
            "Exit status 0 for a reading, 1 when the line would be refused. "
            "Put `--` before a line that starts with '-', e.g. read-reply -- -20%"
        ),
    )
    parser.add_argument(
        "text",
        metavar="TEXT",
        nargs="+",
        help="the reply line (several words are joined with spaces)",
    )
    parser.add_argument("--json", action="store_true", help="print the reading as JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the reading of `args.text`; 1 when the bot would refuse the line."""
    # Imported here so that building the parser does not load the reply grammar.
    from handlers.reply_grammar import read_replies

    readings = read_replies(" ".join(args.text))
    if args.json:
        payload = [reading_as_json(one) for one in readings]
        print(json.dumps(payload if len(payload) > 1 else payload[0], ensure_ascii=False))
    elif len(readings) == 1:
        print("\n".join(describe(readings[0])))
    else:
        for number, reading in enumerate(readings, start=1):
            print(f"Phần {number}:")
            print("\n".join(f"  {line}" for line in describe(reading)))
    return 1 if any(reading.error is not None for reading in readings) else 0


def reading_as_json(reading: ReplyReading) -> dict[str, object]:
    """The JSON shape promised in issue 5, plus the rules that decided."""
    return {
        "status": reading.status.value,
        "percent": reading.percent,
        "number": reading.number,
        "of_target": reading.of_target,
        "note": reading.note,
        "task_item": reading.task_item,
        "error": reading.error,
        "rule": reading.rule,
    }


def describe(reading: ReplyReading) -> list[str]:
    """A few Vietnamese lines for a person reading the terminal."""
    lines = [f"Trạng thái: {reading.status.label} ({reading.status.value})"]
    if reading.percent is not None:
        lines.append(f"Tỷ lệ: {reading.percent}%")
    if reading.number is not None:
        figure = f"Số liệu: {reading.number:,}".replace(",", ".")
        if reading.of_target is not None:
            figure += f" trên {reading.of_target:,} (chỉ tiêu)".replace(",", ".")
        lines.append(figure)
    if reading.note is not None:
        lines.append(f"Ghi chú: {reading.note}")
    if reading.document_number is not None or reading.task_item is not None:
        parts = []
        if reading.document_number is not None:
            parts.append(f"văn bản số {reading.document_number}")
        if reading.task_item is not None:
            parts.append(f"mục {reading.task_item}")
        lines.append("Việc: " + ", ".join(parts))
    if reading.error is not None:
        lines.append(f"Không ghi nhận: {reading.error}")
    lines.append(f"Quy tắc: {reading.rule or '(không có)'}")
    return lines
