"""Print the share of fields the reader gets right on the corpus, by document kind.

    python -m tests.schedules.corpus_share            # the table in docs/reading.md
    python -m tests.schedules.corpus_share --problems # and every field it gets wrong
    python -m tests.schedules.corpus_share --gaps     # READER_GAPS entries for what fails

Fields are judged by `tests.schedules.corpus_fields`, as the corpus tests judge them; a
document the reader refuses counts every field wrong.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict

from schedules.directive import Reading
from tests.schedules.corpus_fields import (
    CHECKS,
    VARIANTS,
    Expected,
    Problems,
    doc_id,
    expectations,
    judge,
    reading_of,
    variant_reading,
)

_REASON_CHARS = 200


def _read(entry: Expected, variant: str | None) -> Reading | None:
    if variant is None:
        return reading_of(entry["file"])
    return variant_reading(entry["file"], variant)


def results(variant: str | None = None) -> list[tuple[Expected, dict[str, Problems]]]:
    """Each document with its fields' problems (an empty list: the field is right)."""
    entries = expectations()
    if variant is not None:
        entries = tuple(entry for entry in entries if variant in entry.get("variants", []))
    return [(entry, judge(_read(entry, variant), entry)) for entry in entries]


def table(rows: list[tuple[Expected, dict[str, Problems]]]) -> list[str]:
    """A markdown table: per document kind, documents, fields right of fields, share."""
    right: dict[str, int] = defaultdict(int)
    total: dict[str, int] = defaultdict(int)
    documents: dict[str, int] = defaultdict(int)
    for entry, fields in rows:
        kind = entry["doc_kind"]
        documents[kind] += 1
        total[kind] += len(fields)
        right[kind] += sum(1 for problems in fields.values() if not problems)
    lines = ["| kind | documents | fields right | share |", "| --- | ---: | ---: | ---: |"]
    for kind in sorted(total):
        lines.append(_row(kind, documents[kind], right[kind], total[kind]))
    lines.append(_row("**all**", sum(documents.values()), sum(right.values()), sum(total.values())))
    return lines


def _row(kind: str, documents: int, right: int, total: int) -> str:
    share = 100 * right / total if total else 0.0
    return f"| {kind} | {documents} | {right}/{total} | {share:.0f}% |"


def by_field(rows: list[tuple[Expected, dict[str, Problems]]]) -> list[str]:
    lines = ["| field | documents right |", "| --- | ---: |"]
    for field in CHECKS:
        right = sum(1 for _, fields in rows if not fields[field])
        lines.append(f"| {field} | {right}/{len(rows)} |")
    return lines


def gap_entries() -> list[str]:
    """One `(document, field or variant): "reader gap: …",` line per failing case."""
    lines: list[str] = []
    for entry, fields in results():
        for field, problems in fields.items():
            if problems:
                lines.append(_entry(doc_id(entry), field, problems))
    for variant in VARIANTS:
        for entry, fields in results(variant):
            problems = list(dict.fromkeys(p for found in fields.values() for p in found))
            if problems:
                lines.append(_entry(doc_id(entry), variant, problems))
    return lines


def _entry(document: str, case: str, problems: Problems) -> str:
    reason = "reader gap: " + "; ".join(problems)
    if len(reason) > _REASON_CHARS:
        reason = reason[: _REASON_CHARS - 1] + "…"
    return f"    ({document!r}, {case!r}): {json.dumps(reason, ensure_ascii=False)},"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.schedules.corpus_share")
    parser.add_argument("--problems", action="store_true", help="list every wrong field")
    parser.add_argument(
        "--gaps", action="store_true", help="print the READER_GAPS entries of today's reader"
    )
    args = parser.parse_args(argv)
    if args.gaps:
        print(*gap_entries(), sep="\n")
        return 0
    rows = results()
    print("Text (.txt):", *table(rows), "", *by_field(rows), sep="\n")
    for name in VARIANTS:
        print(f"\nAs {name}:", *table(results(name)), sep="\n")
    if args.problems:
        print()
        variants: tuple[str | None, ...] = (None, *VARIANTS)
        for variant in variants:
            for entry, fields in results(variant):
                for field, problems in fields.items():
                    for problem in problems:
                        where = field if variant is None else f"{variant}: {field}"
                        print(f"{entry['file']} [{where}] {problem}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
