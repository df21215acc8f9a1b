"""One line about several tasks (`mục 2 xong, mục 3 đang làm`): one reading per task.

A line that names two or more different tasks is cut into parts, each read on its own with
`read_reply`: first at clause breaks (`,` `;` a new line, `. `), so that `xong mục 2, đang
làm mục 3` works as well as `mục 2 xong, mục 3 đang làm`; then, inside a clause naming two
tasks, where the second reference starts. A clause naming no task belongs to the part
before it (`mục 3 chưa xong, đang vướng kinh phí, mục 4 xong`). A part that is only its
reference (`mục 2, mục 3 xong`) shares the next part's reading. A part that names only an
item (`mục 3` after `CV 490 mục 2`) is about the document named before it.

If any part cannot be read confidently the whole line is refused with that part's answer,
prefixed by the task it names: nothing is stored from a line that is half understood.
"""

from __future__ import annotations

import dataclasses
import itertools
import re

from handlers.reply_grammar.engine import read_reply
from handlers.reply_grammar.reading import ReplyReading
from handlers.reply_grammar.rules import DOCUMENT, TASK_ITEM, TASK_LIST
from handlers.reply_grammar.vocabulary import FILLERS
from handlers.vietnamese_text import FoldedText, fold

CLAUSE_BREAK = re.compile(r"[,;\n]|\.(?=\s)")
# What may sit beside a bare reference: joining words and punctuation.
JOINERS = re.compile(r"(?<![a-z0-9])(?:va|voi|cung|ca|hay|&)(?![a-z0-9])", re.ASCII)


def read_replies(text: str) -> list[ReplyReading]:
    """One reading per task the line names; one reading (possibly a refusal) otherwise."""
    whole = read_reply(text)
    if whole.rule not in {"many-tasks", "many-documents"}:
        return [whole]
    folded = fold(text.strip())
    listed = list(TASK_LIST.finditer(folded.text))
    if listed:
        return _read_list(folded, listed)
    references = _references(folded.text)
    if len({ref for _, ref in references}) < 2:
        return [whole]
    parts = _parts(folded.text, [start for start, _ in references])
    readings: list[ReplyReading | None] = []
    document: str | None = None
    for start, end in parts:
        part = folded.original_span(start, end)
        if _is_bare(folded.text[start:end]):
            readings.append(None)
            continue
        reading = read_reply(part)
        if reading.error is not None:
            return [_refused_part(reading)]
        if reading.document_number is not None:
            document = reading.document_number
        elif reading.task_item is not None and document is not None:
            reading = dataclasses.replace(reading, document_number=document)
        readings.append(reading)
    return _share_bare(readings, parts, folded)


def _read_list(folded: FoldedText, listed: list[re.Match[str]]) -> list[ReplyReading]:
    """`mục 2, 3 xong`, `mục 2 và 3 đang làm 50%`: the same reading for each listed item.
    Only one list, and no other reference, may be on the line."""
    match = listed[0]
    items = [int(match["first"]), *(int(i) for i in re.findall(r"\d+", match["more"]))]
    start, end = match.span()
    head = folded.original_span(0, start) if start else ""
    tail = folded.original_span(end, len(folded.text)) if end < len(folded.text) else ""
    reading = read_reply(f"{head} mục {items[0]} {tail}")
    if len(listed) > 1 or len(set(items)) != len(items) or reading.error is not None:
        return [read_reply(folded.original)]  # refused as it stands: asked, not guessed
    return [dataclasses.replace(reading, task_item=item) for item in items]


def _references(folded: str) -> list[tuple[int, tuple[str | None, int | None]]]:
    """Where each task reference starts, and what it names: a document with its item
    (`CV 490 mục 3`) is one reference."""
    documents = [(m.start(), m.end(), m["doc"] or m["doc2"]) for m in DOCUMENT.finditer(folded)]
    items = [(m.start(), int(m["item"] or m["item2"])) for m in TASK_ITEM.finditer(folded)]
    references: list[tuple[int, tuple[str | None, int | None]]] = []
    used: set[int] = set()
    for start, end, number in documents:
        item = next(
            ((s, i) for s, i in items if s >= end and not folded[end:s].strip(" ,:.-")), None
        )
        if item is not None:
            used.add(item[0])
        references.append((start, (number.lstrip("0") or "0", item[1] if item else None)))
    references += [(start, (None, item)) for start, item in items if start not in used]
    return sorted(references)


def _parts(folded: str, starts: list[int]) -> list[tuple[int, int]]:
    """Cut at clause breaks, then at the second reference of a clause; group clauses
    without a reference with the part before."""
    clauses: list[tuple[int, int]] = []
    position = 0
    for brk in CLAUSE_BREAK.finditer(folded):
        clauses.append((position, brk.end()))
        position = brk.end()
    clauses.append((position, len(folded)))
    pieces: list[tuple[int, int, bool]] = []  # (start, end, names a task)
    for begin, end in clauses:
        inside = [start for start in starts if begin <= start < end]
        cuts = [begin, *inside[1:], end]
        for left, right in itertools.pairwise(cuts):
            pieces.append((left, right, any(left <= s < right for s in inside)))
    parts: list[tuple[int, int]] = []
    named = False
    for left, right, has_reference in pieces:
        if not parts or (has_reference and named):
            parts.append((left, right))
            named = has_reference
        else:
            parts[-1] = (parts[-1][0], right)
            named = named or has_reference
    return parts


def _is_bare(folded_part: str) -> bool:
    """A part that is only a reference, joining words and politeness (`mục 2,`)."""
    rest = DOCUMENT.sub(" ", folded_part)
    rest = TASK_ITEM.sub(" ", rest)
    rest = FILLERS.sub(" ", rest)
    rest = JOINERS.sub(" ", rest)
    return not any(c.isalnum() for c in rest)


def _share_bare(
    readings: list[ReplyReading | None], parts: list[tuple[int, int]], folded: FoldedText
) -> list[ReplyReading]:
    """A bare reference takes the reading of the next part that says something."""
    result: list[ReplyReading] = []
    for index, reading in enumerate(readings):
        if reading is not None:
            result.append(reading)
            continue
        start, end = parts[index]
        following = next((r for r in readings[index + 1 :] if r is not None), None)
        if following is None:  # `mục 2 xong, mục 3`: nothing said about mục 3
            return [read_reply(folded.original_span(start, end))]
        document, item = _references(folded.text[start:end])[0][1]
        result.append(
            dataclasses.replace(
                following, task_item=item, document_number=document or following.document_number
            )
        )
    return result


def _refused_part(reading: ReplyReading) -> ReplyReading:
    """The whole line refused with the answer about the part that was not understood."""
    if reading.rule == "unreadable" or reading.task_item is None:
        return reading  # the answer quotes the part already, or there is no task to name
    return dataclasses.replace(reading, error=f"Mục {reading.task_item}: {reading.error}")
