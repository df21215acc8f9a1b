"""From raw text to clean lines: Unicode, OCR markdown, footnotes and page debris.

Text arrives from .txt, Word, PDF or a chat paste, in NFC or decomposed Vietnamese, with
markdown marks left by OCR (`#### 8.`, `**TM. BAN THƯỜNG VỤ`), footnotes printed in the
middle of an item, and page numbers. The parsers downstream see only clean `Line`s.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Zero-width characters and the BOM carry no text; some editors sprinkle them in.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_LINE_BREAKS = re.compile(r"\r\n|[\r\v\f\u2028\u2029\x85]")
_BLANK_RUN = re.compile(r"\n[ \t\u00a0\n]*\n")
_HEADING = re.compile(r"^(?:#{1,6}|>)\s*")
_STARS = re.compile(r"\*+")
_SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹⁰"
_FOOTNOTE_START = re.compile(rf"^(?:[{_SUPERSCRIPTS}]+|\[\d{{1,3}}\])\s*\S")
_FOOTNOTE_MARK = re.compile(rf"[{_SUPERSCRIPTS}]+")
_DEBRIS = re.compile(
    r"^(?:[-–—]?\s*\d{1,3}\s*[-–—]?"  # a page number alone: "2", "- 2 -"
    r"|trang\s+\d{1,3}(?:\s*/\s*\d{1,3})?"  # "Trang 2/5"
    r"|[-_=~*.·•]{3,}"  # rules and separators
    r"|[(\[]\s*(?:\.{3,}|…)\s*[)\]]"  # an extract's elision "(...)": a break, no text
    r"|\|?[\s|:-]+\|?)$",  # empty markdown table rows
    re.IGNORECASE,
)
# A table cell's border: a bar with space (or a line's edge) on either side.
_CELL_SEPARATOR = re.compile(r"\s*\|\s*")
# A gap this wide inside a line is a column's edge; a date's loose spacing is narrower.
_COLUMN_GAP = re.compile(r"[ \t\u00a0]{5,}")
_ROW_NUMBER = re.compile(r"^\d{1,2}\.?$")
# A line at least this share of the longest line's length was wrapped by the layout.
_WRAPPED_SHARE = 0.8
_TERMINAL = re.compile(r"[.;:!?…](?:[”\"')\]]*)$")


@dataclass(frozen=True, slots=True)
class Line:
    """One non-empty line after cleaning.

    `after_blank` says a blank line came before it (a paragraph break in .txt and Word,
    absent in PDF); `footnote` marks a footnote's first line.
    """

    text: str
    after_blank: bool = False
    footnote: bool = False


def normalize(raw: str) -> str:
    """NFC, one kind of space and of line break: regexes can then match Vietnamese as typed."""
    text = unicodedata.normalize("NFC", raw).translate(_INVISIBLE)
    # Runs of blank lines become one: they only ever mean "a paragraph ends here".
    return _BLANK_RUN.sub("\n\n", _LINE_BREAKS.sub("\n", text))


def split_lines(text: str) -> list[Line]:
    """Clean lines of a normalized text; blank lines and page debris are dropped."""
    lines: list[Line] = []
    blank = False
    for raw in _cells(text.split("\n")):
        cleaned = clean_line(raw)
        if not cleaned or _DEBRIS.match(cleaned):
            blank = True
            continue
        footnote = bool(_FOOTNOTE_START.match(cleaned))
        if not footnote:
            cleaned = _FOOTNOTE_MARK.sub("", cleaned).strip()
        lines.append(Line(cleaned, after_blank=blank, footnote=footnote))
        blank = False
    return lines


def _cells(rows: list[str]) -> list[str]:
    """A table row copied as text ("Số: 712/LĐLĐ | Ninh Bình, ngày …", "| a | b |") gives one
    line per cell: a two-column header's halves are separate fields, not one line."""
    lines: list[str] = []
    for row in rows:
        if "|" not in row:
            # Two columns laid out with spaces ("Nơi nhận:        TM. BAN THƯỜNG VỤ").
            lines.extend(
                _COLUMN_GAP.split(row.strip()) if _COLUMN_GAP.search(row.strip()) else [row]
            )
            continue
        cells = [c.strip() for c in _CELL_SEPARATOR.split(row.strip().strip("|")) if c.strip()]
        if len(cells) > 1 and _ROW_NUMBER.match(cells[0]):
            # A numbered row of a plan's table ("| 1 | Ban hành thể lệ | Trước ngày …"): one item.
            lines.append(f"{cells[0].rstrip('.')}. " + "; ".join(cells[1:]))
            continue
        lines.extend(cells or [""])  # a row of empty cells is a blank line
    return lines


def clean_line(raw: str) -> str:
    """One line without OCR markdown: heading marks and emphasis stars go, `(*)` stays."""
    text = _SPACES.sub(" ", raw).strip()
    text = _HEADING.sub("", text)
    text = _STARS.sub(_keep_footnote_star, text)
    return _SPACES.sub(" ", text).strip()


def _keep_footnote_star(match: re.Match[str]) -> str:
    source = match.string
    start, end = match.span()
    if start > 0 and source[start - 1] == "(" and source[end : end + 1] == ")":
        return match.group()
    return ""


def ends_sentence(text: str) -> bool:
    """The text ends with sentence punctuation, so a new paragraph may follow."""
    return bool(_TERMINAL.search(text))


def paragraphs(lines: list[Line]) -> list[str]:
    """Lines joined back into paragraphs, for PDF text that breaks at every printed line.

    A line runs on when it has no closing punctuation and either the next starts in lower
    case or it is nearly as long as the longest line (so it was wrapped, not a title).
    """
    return [join([line.text for line in lines[a:b]]) for a, b in paragraph_spans(lines)]


def paragraph_spans(lines: list[Line]) -> list[tuple[int, int]]:
    """Each paragraph of `paragraphs` as the range of line indices it was joined from."""
    wrap_width = max((len(line.text) for line in lines), default=0) * _WRAPPED_SHARE
    spans: list[tuple[int, int]] = []
    for index, line in enumerate(lines):
        previous = lines[index - 1].text if index else ""
        runs_on = (
            spans
            and not line.after_blank
            and not ends_sentence(previous)
            and (line.text[:1].islower() or len(previous) >= wrap_width)
        )
        if runs_on:
            spans[-1] = (spans[-1][0], index + 1)
        else:
            spans.append((index, index + 1))
    return spans


def join(parts: list[str]) -> str:
    """Join wrapped pieces of one paragraph or item with single spaces."""
    return " ".join(part for part in parts if part).strip()
