"""The working state of one reading: the folded line, masked as the passes consume it."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

from handlers.reply_grammar.reading import ReplyStatus
from handlers.reply_grammar.rules import Signal
from handlers.vietnamese_text import FoldedText


class Kind(IntEnum):
    """What consumed a position of the folded text."""

    FREE = 0
    MEANING = 1  # a status, percent, number or task reference
    FILLER = 2  # politeness
    NEUTRAL = 3  # recognised (a plan, a question) but kept in the note
    REASON = 4  # the reason text of a blocked marker


class Refusal(Exception):
    """Raised inside the reader to stop at the first thing that makes the line unreadable."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message


@dataclass
class Scan:
    """The working state of one reading: the folded text, masked as rules consume it."""

    folded: FoldedText
    work: str
    kinds: list[Kind]
    rules: list[str] = field(default_factory=list)
    statuses: list[tuple[int, ReplyStatus]] = field(default_factory=list)  # (position, …)
    signals: set[Signal] = field(default_factory=set)
    percents: list[tuple[int, str]] = field(default_factory=list)
    numbers: list[tuple[int, str]] = field(default_factory=list)
    targets: list[int] = field(default_factory=list)  # the `10` of `8/10 chỉ tiêu`
    task_items: list[int] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    reasons: list[tuple[int, int]] = field(default_factory=list)
    reason_markers: list[tuple[str, int, int]] = field(default_factory=list)
    code_reason: tuple[int, int] | None = None

    def mask(self, start: int, end: int, kind: Kind) -> None:
        """Mark `[start, end)` as consumed so later rules do not read it again."""
        if start >= end:
            return
        self.work = self.work[:start] + "\x00" * (end - start) + self.work[end:]
        for i in range(start, end):
            current = self.kinds[i]
            if current is Kind.FREE or kind is Kind.MEANING:
                self.kinds[i] = kind

    def note_rule(self, name: str) -> None:
        """Remember which rule contributed, once, in order."""
        if name not in self.rules:
            self.rules.append(name)

    def quote(self, start: int, end: int) -> str:
        """The chair's own text for a folded span."""
        return self.folded.original_span(start, end)
