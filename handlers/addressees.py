"""Match a directive's addressees (`Kính gửi`) to units of the officer's branch.

Addressees name kinds of units, not units: «LĐLĐ các huyện, thành phố», «Các công đoàn cơ
sở trực thuộc», «Công đoàn ngành, Công đoàn Viên chức». Each phrase is cut into the kinds
it lists, and a unit matches a kind when its level label (data from the roster) or its name
begins with it. Matching is on folded text (no diacritics, lower case) with the usual
abbreviations expanded, so «Liên đoàn Lao động» and «LĐLĐ» are the same word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from schedules.folding import fold

# Folded long form → the abbreviation rosters and directives both use.
_ABBREVIATIONS = (
    ("lien doan lao dong", "ldld"),
    ("cong doan co so", "cdcs"),
    ("cong doan nganh", "cd nganh"),
    ("cong doan vien chuc", "cd vien chuc"),
    ("cong doan", "cd"),
)
# What follows the kind and does not name it: «… trực thuộc LĐLĐ huyện», «… trên địa bàn».
_TAIL = re.compile(r"\s(?:truc thuoc|thuoc|tren dia ban|trong)\b.*$")
_LEAD = re.compile(r"^(?:[-–•+*]\s*)?(?:dong chi\s+)?(?:chu tich\s+)?(?:ban thuong vu\s+)?")
_LIST_SPLIT = re.compile(r"\s*(?:,|;|\bva\b)\s*")


@dataclass(frozen=True, slots=True)
class UnitRow:
    """What matching needs of a unit."""

    id: int
    code: str
    name: str
    level: str


def fold_words(text: str) -> str:
    """Lower-case ASCII words separated by single spaces, abbreviations applied."""
    folded = fold(text)
    words = " ".join(re.findall(r"[a-z0-9]+", folded))
    for long, short in _ABBREVIATIONS:
        words = re.sub(rf"\b{long}\b", short, words)
    return words


def addressee_kinds(phrase: str) -> list[str]:
    """The kinds of unit a phrase lists: «LĐLĐ các huyện, thành phố» → ldld huyen, ldld
    thanh pho; «Công đoàn ngành, Công đoàn Viên chức» → cd nganh, cd vien chuc."""
    folded = fold(phrase)
    folded = _TAIL.sub("", " ".join(folded.split()))
    folded = _LEAD.sub("", folded)
    words = folded
    head = ""
    match = re.match(r"^(?P<head>.*?)\bcac\s+(?P<rest>.+)$", folded)
    if match:
        head, words = match.group("head"), match.group("rest")
    kinds = []
    for part in _LIST_SPLIT.split(words):
        part = part.strip()
        if not part:
            continue
        kind = fold_words(part)
        # «LĐLĐ các huyện, thành phố»: the head names what every listed part is.
        if head.strip() and not kind.startswith(fold_words(head)):
            kind = f"{fold_words(head)} {kind}"
        if kind:
            kinds.append(kind)
    return kinds


def _matches(kind: str, label: str) -> bool:
    if not label:
        return False
    if label == kind or label.startswith(kind + " "):
        return True
    # «cd vien chuc tinh» names a unit whose level is «cd vien chuc».
    return kind.startswith(label + " ") and len(label.split()) >= 2


def match_addressees(phrases: Sequence[str], units: Iterable[UnitRow]) -> list[int]:
    """The ids of the units any addressee phrase names, in the order of `units`."""
    kinds = [kind for phrase in phrases for kind in addressee_kinds(phrase)]
    if not kinds:
        return []
    chosen = []
    for unit in units:
        labels = (fold_words(unit.level), fold_words(unit.name))
        if any(_matches(kind, label) for kind in kinds for label in labels):
            chosen.append(unit.id)
    return chosen
