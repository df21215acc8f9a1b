"""`nhacviec parse FILE [--json]`: read a directive file and print what was understood."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `parse` sub-command."""
    parser = subparsers.add_parser(
        "parse",
        help="read a directive (.txt, .docx, .pdf) and print its tasks and deadlines",
        description="Read a directive and print its number, subject, tasks and deadlines; "
        "--json adds, per header field, whether it was found in the header, in the prose, "
        "or is missing.",
    )
    parser.add_argument("file", metavar="FILE", type=Path, help="the directive file")
    parser.add_argument("--json", action="store_true", help="print the reading as JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the reading; a file that cannot be read gets one Vietnamese line on stderr."""
    # Imported here so that building the parser does not load the directive reader.
    from schedules.directive import (
        DocumentError,
        check_size,
        read_document,
        reading_to_json,
        render_reading,
    )

    path: Path = args.file
    try:
        check_size(path.stat().st_size)
        reading = read_document(path.read_bytes(), path.name)
    except DocumentError as error:
        print(f"Lỗi: {error.message}", file=sys.stderr)
        return 1
    except OSError:
        print(f"Lỗi: không mở được tệp {path}. Hãy kiểm tra đường dẫn.", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(reading_to_json(reading), ensure_ascii=False, indent=2))
    else:
        print(render_reading(reading))
    return 0
