"""Cutting a text that is too long for one message into numbered parts.

Every answer and every outbox row goes through `split_text` just before it is sent (the
Telegram adapter, the outbox dispatcher), so no handler has to count characters: a
`/tonghop` of 300 units arrives as `(1/3) …`, `(2/3) …`, `(3/3) …`. A text cuts at the
coarsest boundary that works: between lines (a unit's line stays whole), then after a
sentence, then between words; only a single run of characters longer than a whole part
is cut inside.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from types import MappingProxyType

# The longest text one message may carry, per channel (`handlers.messages.Channel` values).
TEXT_LIMITS: Mapping[str, int] = MappingProxyType({"telegram": 4096, "zalo": 2000})

# After a sentence's end mark (and a closing quote or bracket), before the next one starts.
_SENTENCE_END = re.compile(r"(?<=[.!?…;])[\"'»)\]]*\s+")
_WORD_END = re.compile(r"\s+")


def size(text: str) -> int:
    """A text's length as the platforms count it: in UTF-16 code units (Telegram counts an
    emoji such as 📊 as two; every Vietnamese letter is one)."""
    return len(text.encode("utf-16-le")) // 2


def text_limit(channel: str) -> int:
    """The channel's limit; an unknown channel gets the smallest one known."""
    return TEXT_LIMITS.get(channel, min(TEXT_LIMITS.values()))


def part_label(index: int, count: int) -> str:
    """`(2/3) `: what starts part `index` (from 1) of `count`."""
    return f"({index}/{count}) "


def split_text(text: str, limit: int) -> list[str]:
    """The text as it should be sent: itself when it fits, else numbered parts that each fit.

    The numbering is counted inside the limit. Parts lose only the whitespace at the
    boundaries where they were cut.
    """
    if size(text) <= limit:
        return [text]
    digits = len(str(size(text) // limit + 1))  # parts can be no fewer than this
    while True:
        widest = part_label(10**digits - 1, 10**digits - 1)
        if len(widest) + 2 > limit:  # room for at least one character, even an emoji
            raise ValueError(f"limit {limit} leaves no room for a part's text")
        pieces = _pieces(text, limit - len(widest), 0)
        if len(pieces) < 10**digits:
            count = len(pieces)
            return [part_label(i, count) + piece for i, piece in enumerate(pieces, start=1)]
        digits += 1


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def _after(pattern: re.Pattern[str]) -> Callable[[str], list[str]]:
    """A cutter that keeps each boundary's whitespace at the end of the piece before it."""

    def cut(text: str) -> list[str]:
        pieces, start = [], 0
        for match in pattern.finditer(text):
            pieces.append(text[start : match.end()])
            start = match.end()
        pieces.append(text[start:])
        return [piece for piece in pieces if piece]

    return cut


# Coarsest first: lines, sentences, words.
_LEVELS: tuple[Callable[[str], list[str]], ...] = (
    _lines,
    _after(_SENTENCE_END),
    _after(_WORD_END),
)


def _pieces(text: str, budget: int, level: int) -> list[str]:
    """Pieces of at most `budget` units, each trimmed, packed greedily in order.

    The size of the piece being filled is kept as a running count (its trailing whitespace
    included, which only errs on the safe side), so a long text costs one pass."""
    text = text.strip()
    if size(text) <= budget:
        return [text] if text else []
    if level == len(_LEVELS):  # one run with no boundary at all: cut it where it must be
        return _cut_run(text, budget)
    pieces: list[str] = []
    current: list[str] = []
    used = 0
    for unit in _LEVELS[level](text):
        body = unit.rstrip()
        if used + size(body) <= budget and (current or body):
            current.append(unit)
            used += size(unit)
            continue
        if not body:  # whitespace at the start of a piece, or that would not fit: drop it
            continue
        if current:
            pieces.append("".join(current).strip())
        current, used = [], 0
        if size(body) <= budget:
            current, used = [unit.lstrip()], size(unit.lstrip())
            continue
        finer = _pieces(unit, budget, level + 1)
        pieces.extend(finer[:-1])
        # The tail of a long line may share its piece with what follows.
        tail = finer[-1] + unit[len(body) :]
        current, used = [tail], size(tail)
    if "".join(current).strip():
        pieces.append("".join(current).strip())
    return pieces


def _cut_run(text: str, budget: int) -> list[str]:
    """A run without any boundary, in pieces of at most `budget` (never halving an emoji)."""
    pieces: list[str] = []
    current: list[str] = []
    used = 0
    for char in text:
        width = size(char)
        if used + width > budget and current:
            pieces.append("".join(current))
            current, used = [], 0
        current.append(char)
        used += width
    pieces.append("".join(current))
    return pieces
