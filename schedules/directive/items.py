"""The body of a directive cut into its preamble, numbered tasks and closing words.

Tasks are the top-level items `1.`, `2.` … in sequence (so a wrapped line that happens to
start with "2." later on, or `05-CT/TW`, is not a new task); numbering may restart under
Roman sections (`I.`, `II.`). Sub-items `a)`… and bullets stay with their item; footnotes
and page debris are skipped; the words after the last task that address the whole
document ("Đề nghị các công đoàn cơ sở …") are the closing. A news article lists its
contents unnumbered after "gồm:": they are numbered 1..n here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from schedules.directive.model import Task
from schedules.directive.text import Line, ends_sentence, join, paragraphs

_ITEM = re.compile(
    r"^(?:(?P<num>\d{1,2})\s*[.)](?!\d)|Điều\s+(?P<article>\d{1,2})\s*[.:])\s*(?P<text>.*)$"
)
_ROMAN = re.compile(r"^(?P<roman>[IVX]{1,5})\s*[.)/-]\s*(?P<text>\S.*)$")
_LETTER = re.compile(r"^(?P<letter>[a-zđ])\s*[).]\s*(?P<text>\S.*)$")
_DECIMAL = re.compile(r"^(?P<outer>\d{1,2})\.(?P<inner>\d{1,2})\.?\s+(?P<text>\S.*)$")
_BULLET = re.compile(r"^[-+•–—]\s*(?P<text>\S.*)$")
_INTRO = re.compile(
    r"(?:\bgồm|bao\s+gồm|như\s+sau|sau\s+đây|cụ\s+thể|sau)\s*:\s*(?P<rest>.*)$", re.IGNORECASE
)
_PURPOSE = re.compile(r"^(?:MỤC\s+ĐÍCH|MỤC\s+TIÊU|YÊU\s+CẦU)(?![\w])", re.IGNORECASE)
_INLINE_ITEM = re.compile(r"(?:^|(?<=[;.])|\s)\s*\(\d{1,2}\)\s+")
_COLON_END = re.compile(r":\s*(?P<rest>)$")
_COUNT = re.compile(r"(?P<count>\d{1,2})\s+(?:nội\s+dung|nhiệm\s+vụ|giải\s+pháp|nhóm)", re.I)
_CLOSING = re.compile(
    r"^(?:Đề\s+nghị|Yêu\s+cầu|Trên\s+đây|Nhận\s+được|Căn\s+cứ|Trong\s+quá\s+trình"
    r"|Quá\s+trình\s+(?:tổ\s+chức\s+)?(?:triển\s+khai|thực\s+hiện)|Mọi\s+vướng\s+mắc"
    r"|N[ơo]i\s+nh[ậa]n)(?![\w])",
    re.IGNORECASE,
)
_LATIN = "abcdefghijklmnopqrstuvwxyz"
_VIETNAMESE = "abcdđeghiklmnopqrstuvxy"
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10}
_MIN_LIST_ITEMS = 2


@dataclass(frozen=True, slots=True)
class Segments:
    """The body split by role: only tasks and closing words can set deadlines freely."""

    preamble: str
    tasks: tuple[Task, ...]
    closing: str


@dataclass
class _Draft:
    label: str
    number: int
    head: list[str] = field(default_factory=list)
    subitems: list[list[str]] = field(default_factory=list)
    letter: str | None = None

    def task(self, item: int) -> Task:
        return Task(
            item=item,
            text=join(self.head),
            subitems=tuple(join(sub) for sub in self.subitems),
            label=self.label,
        )


def segment(lines: list[Line], opens_closing: Callable[[str], bool]) -> Segments:
    """Cut the body lines; `opens_closing` recognises the author's closing request."""
    skip = _footnote_lines(lines)
    starts = _item_starts(lines, skip)
    if not starts:
        return _unnumbered(lines, skip)
    end = _closing_start(lines, skip, starts[-1], opens_closing)
    preamble, drafts, loose = _build(lines[:end], skip, set(starts))
    closing = [line.text for i, line in enumerate(lines[end:], end) if not skip[i]]
    tasks = tuple(draft.task(item) for item, draft in enumerate(drafts, 1))
    return Segments(join(preamble), tasks, join(loose + closing))


def _footnote_lines(lines: list[Line]) -> list[bool]:
    """A footnote runs from its marked first line to the next blank line; a PDF has none, so
    there it ends where a sentence ends and the text it interrupted resumes in lower case."""
    skip: list[bool] = []
    inside = False
    for index, line in enumerate(lines):
        if line.footnote:
            inside = True
        elif line.after_blank or _ITEM.match(line.text) or _resumes(lines, index):
            inside = False
        skip.append(inside)
    return skip


def _resumes(lines: list[Line], index: int) -> bool:
    """The text a footnote interrupted goes on: a lower-case line after a sentence's end."""
    return index > 0 and lines[index].text[:1].islower() and ends_sentence(lines[index - 1].text)


def _item_starts(lines: list[Line], skip: list[bool]) -> list[int]:
    """Indices of lines opening a task: numbers in sequence, restarting after a Roman section.
    An extract may start at any number ("(...) 3. … 4. … 5."), if at least two follow on."""
    starts = _starts_from(lines, skip, 1)
    if starts:
        return starts
    first = next(
        (_number(m) for i, ln in enumerate(lines) if not skip[i] and (m := _ITEM.match(ln.text))),
        None,
    )
    if first is None or first == 1:
        return []
    found = _starts_from(lines, skip, first)
    return found if len(found) >= _MIN_LIST_ITEMS else []


def _starts_from(lines: list[Line], skip: list[bool], first: int) -> list[int]:
    starts: list[int] = []
    expected, roman = first, 1
    for index, line in enumerate(lines):
        if skip[index]:
            continue
        if (item := _ITEM.match(line.text)) and _number(item) == expected:
            starts.append(index)
            expected += 1
        elif (section := _ROMAN.match(line.text)) and _is_section(section, roman):
            roman = _roman(section.group("roman")) + 1
            expected = 1
    return starts


def _closing_start(
    lines: list[Line], skip: list[bool], last: int, opens_closing: Callable[[str], bool]
) -> int:
    for index in range(last + 1, len(lines)):
        line = lines[index]
        if skip[index] or _LETTER.match(line.text) or _BULLET.match(line.text):
            continue
        new_paragraph = line.after_blank or ends_sentence(lines[index - 1].text)
        if new_paragraph and (_CLOSING.match(line.text) or opens_closing(line.text)):
            return index
    return len(lines)


def _build(
    lines: list[Line], skip: list[bool], starts: set[int]
) -> tuple[list[str], list[_Draft], list[str]]:
    preamble: list[str] = []
    loose: list[str] = []
    drafts: list[_Draft] = []
    current: _Draft | None = None
    section = ""
    roman = 1
    purpose = False
    for index, line in enumerate(lines):
        if skip[index]:
            continue
        text = line.text
        if index in starts and purpose:
            preamble.append(text)  # "I. MỤC ĐÍCH, YÊU CẦU / 1. Nâng cao …": an aim, not a task
        elif index in starts and (item := _ITEM.match(text)):
            number = _number(item)
            label = f"{section}.{number}" if section else str(number)
            current = _Draft(label=label, number=number, head=[item.group("text")])
            drafts.append(current)
        elif (heading := _ROMAN.match(text)) and _is_section(heading, roman):
            roman = _roman(heading.group("roman")) + 1
            section = heading.group("roman")
            current = None
            purpose = bool(_PURPOSE.match(heading.group("text")))
        elif current is None or purpose:
            (loose if drafts or (section and not purpose) else preamble).append(text)
        else:
            _add_to(current, text)
    return preamble, drafts, loose


def _is_section(heading: re.Match[str], expected: int) -> bool:
    """The next Roman section; or, for the first, any one headed in capitals: an extract
    keeps only its later sections ("III. TỔ CHỨC THỰC HIỆN"), numbered III.1, III.2 …"""
    number = _roman(heading.group("roman"))
    if number == expected:
        return True
    title = heading.group("text")
    return expected == 1 and title.isupper() and len(title.split()) >= 2


def _add_to(draft: _Draft, text: str) -> None:
    """A line inside a task: a new sub-item or bullet, or more of the current piece."""
    letter = _LETTER.match(text)
    if letter and _follows(draft.letter, letter.group("letter")):
        draft.letter = letter.group("letter")
        draft.subitems.append([letter.group(0)])
        return
    decimal = _DECIMAL.match(text)
    if (decimal and int(decimal.group("outer")) == draft.number) or _BULLET.match(text):
        draft.subitems.append([text])
        return
    (draft.subitems[-1] if draft.subitems else draft.head).append(text)


def _follows(previous: str | None, letter: str) -> bool:
    if previous is None:
        return letter == "a"
    return any(
        previous in alphabet
        and alphabet.index(previous) + 1 < len(alphabet)
        and alphabet[alphabet.index(previous) + 1] == letter
        for alphabet in (_LATIN, _VIETNAMESE)
    )


def _unnumbered(lines: list[Line], skip: list[bool]) -> Segments:
    """Items listed without numbers after "… gồm:", one per line ending in ";" or a bullet."""
    for index, line in enumerate(lines):
        intro = _INTRO.search(line.text) or _bulleted_after(lines, index)
        if intro is None or skip[index]:
            continue
        count = _COUNT.search(line.text[: intro.start()])
        items, after = _list_after(lines, skip, index, intro.group("rest"), count)
        if len(items) < _MIN_LIST_ITEMS:
            continue
        preamble = [ln.text for i, ln in enumerate(lines[:index]) if not skip[i]]
        preamble.append(line.text[: intro.start()])
        closing = [ln.text for i, ln in enumerate(lines[after:], after) if not skip[i]]
        tasks = tuple(Task(item=n, text=text, label=str(n)) for n, text in enumerate(items, 1))
        return Segments(join(preamble), tasks, join(closing))
    # One paragraph a line, so that a notice's requests can be told from its title.
    body = [line for i, line in enumerate(lines) if not skip[i]]
    return Segments("", (), "\n".join(paragraphs(body)))


def _bulleted_after(lines: list[Line], index: int) -> re.Match[str] | None:
    """ "… yêu cầu các cấp công đoàn:" over bullet lines: an unnumbered list by its shape."""
    following = lines[index + 1 : index + 1 + _MIN_LIST_ITEMS]
    if len(following) < _MIN_LIST_ITEMS or not all(_BULLET.match(ln.text) for ln in following):
        return None
    return _COLON_END.search(lines[index].text)


def _list_after(
    lines: list[Line], skip: list[bool], index: int, rest: str, count: re.Match[str] | None
) -> tuple[list[str], int]:
    limit = int(count.group("count")) if count else None
    inline = [item for item in _INLINE_ITEM.split(rest) if item.strip()]
    if len(inline) >= _MIN_LIST_ITEMS and _INLINE_ITEM.match(rest.strip()):
        # "… các nhiệm vụ sau: (1) …; (2) …; (3) …" in one paragraph of a news item.
        return [item.strip().rstrip(";.").strip() for item in inline], index + 1
    items: list[str] = [rest.strip()] if rest.strip() else []
    follow = index + 1
    while follow < len(lines) and (limit is None or len(items) < limit):
        line = lines[follow]
        if skip[follow]:
            follow += 1
            continue
        bullet = _BULLET.match(line.text)
        if bullet:
            items.append(bullet.group("text"))
        elif not items or items[-1].endswith(";"):
            items.append(line.text)
        elif not ends_sentence(items[-1]):
            items[-1] = f"{items[-1]} {line.text}"
        else:
            break
        follow += 1
    return [item.rstrip(";").strip() for item in items], follow


def _number(match: re.Match[str]) -> int:
    return int(match.group("num") or match.group("article"))


def _roman(text: str) -> int:
    """Value of a Roman numeral up to XXXIX, enough for section headings."""
    values = [_ROMAN_VALUES[char] for char in text]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))
