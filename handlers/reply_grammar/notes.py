"""The note: the chair's own words that no rule explained, or a blocked marker's reason,
trimmed of politeness, punctuation and joining words; a note of only particles (`mới`,
`bạn`) says nothing and is dropped.
"""

from __future__ import annotations

from collections.abc import Iterable

from handlers.reply_grammar.scan import Kind, Scan
from handlers.reply_grammar.vocabulary import JUNK_NOTE, LEAD_CONNECTOR, TRAIL_CONNECTOR

KEEP_AT_END = frozenset("%)?\"'»")
KEEP_AT_START = frozenset("(\"'«#")


def leftover_runs(scan: Scan) -> list[tuple[int, int]]:
    """Stretches of text no rule explained, split where a meaningful match sits."""
    runs: list[tuple[int, int]] = []
    start: int | None = None
    for i, kind in enumerate([*scan.kinds, Kind.MEANING]):
        if kind is Kind.MEANING or kind is Kind.REASON:
            if start is not None:
                runs.append((start, i))
                start = None
        elif start is None:
            start = i
    return runs


def note_from_spans(scan: Scan, spans: Iterable[tuple[int, int]]) -> str | None:
    """The chair's words for the spans, politeness and connectors trimmed; None if empty."""
    parts: list[str] = []
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    for start, end in merged:
        start, end = trim(scan, start, end)
        if start < end and not JUNK_NOTE.fullmatch((quote := scan.quote(start, end)).lower()):
            parts.append(quote)
    return "; ".join(parts) if parts else None


def trim(scan: Scan, start: int, end: int) -> tuple[int, int]:
    """Shrink a span past punctuation, politeness and joining words at both ends."""
    text = scan.folded.text

    def dropped(i: int) -> bool:
        return scan.kinds[i] in (Kind.FILLER, Kind.MEANING)

    while True:
        before = (start, end)
        while start < end and (
            dropped(start) or (not text[start].isalnum() and text[start] not in KEEP_AT_START)
        ):
            start += 1
        while end > start and (
            dropped(end - 1) or (not text[end - 1].isalnum() and text[end - 1] not in KEEP_AT_END)
        ):
            end -= 1
        lead = LEAD_CONNECTOR.match(text, start, end)
        if lead is not None and lead.end() <= end:
            start = lead.end()
        trail = TRAIL_CONNECTOR.search(text, start, end)
        if trail is not None and trail.start() > start:
            end = trail.start()
        if (start, end) == before:
            return start, end
