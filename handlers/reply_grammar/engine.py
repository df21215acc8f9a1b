"""`read_reply`: the checks before any rule, then the passes in order (see the package)."""

from __future__ import annotations

from handlers.reply_grammar.messages import ERR_EMPTY, ERR_NO_TEXT, ERR_TOO_LONG
from handlers.reply_grammar.notes import leftover_runs, note_from_spans
from handlers.reply_grammar.passes import (
    find_code,
    find_fractions,
    find_numbers,
    find_percents,
    find_reasons,
    find_statuses,
    find_tasks,
    mark_fillers,
)
from handlers.reply_grammar.reading import MAX_REPLY_CHARS, ReplyReading, ReplyStatus
from handlers.reply_grammar.scan import Kind, Refusal, Scan
from handlers.reply_grammar.verdict import resolve, resolve_number
from handlers.vietnamese_text import fold


def read_reply(text: str) -> ReplyReading:
    """Read one reply line; never raises, and refuses (status unknown, error set) when unsure."""
    stripped = text.strip()
    if not stripped:
        return _refused("empty", ERR_EMPTY)
    if len(stripped) > MAX_REPLY_CHARS:
        return _refused(
            "too-long", ERR_TOO_LONG.format(length=f"{len(stripped):,}".replace(",", "."))
        )
    folded = fold(stripped)
    if not any(c.isalnum() for c in folded.text):
        return _refused("no-text", ERR_NO_TEXT)
    scan = Scan(folded=folded, work=folded.text, kinds=[Kind.FREE] * len(folded.text))
    try:
        return _read(scan)
    except Refusal as refusal:
        return _refused(
            refusal.rule,
            refusal.message,
            task_item=scan.task_items[0] if len(set(scan.task_items)) == 1 else None,
            document_number=scan.documents[0] if len(set(scan.documents)) == 1 else None,
        )


def _refused(
    rule: str, message: str, task_item: int | None = None, document_number: str | None = None
) -> ReplyReading:
    return ReplyReading(
        status=ReplyStatus.UNKNOWN,
        error=message,
        rule=rule,
        task_item=task_item,
        document_number=document_number,
    )


def _read(scan: Scan) -> ReplyReading:
    """Run the passes in order; see the package docstring."""
    find_tasks(scan)
    code = find_code(scan)
    if code is None:
        find_fractions(scan)
    if code != "3":
        find_statuses(scan)
        find_percents(scan)
    mark_fillers(scan)
    if code == "3":
        note = note_from_spans(scan, [scan.code_reason] if scan.code_reason else [])
    else:
        find_reasons(scan)
        find_numbers(scan)
        note = note_from_spans(scan, scan.reasons) if scan.reasons else None
        if note is None:
            note = note_from_spans(scan, leftover_runs(scan))
    status, percent = resolve(scan)
    number = resolve_number(scan)
    return ReplyReading(
        status=status,
        percent=percent,
        number=number,
        of_target=scan.targets[0] if number is not None and len(set(scan.targets)) == 1 else None,
        note=note,
        task_item=scan.task_items[0] if scan.task_items else None,
        document_number=scan.documents[0] if scan.documents else None,
        rule="+".join(scan.rules),
    )
