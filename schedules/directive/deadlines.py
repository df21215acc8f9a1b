"""Deadline phrases in a directive's tasks, each with the date it means or proposes.

Absolute deadlines need a word that makes a date a deadline ("trước", "chậm nhất", "hạn
chót"…): a bare date is an event or an anniversary. Cited documents' dates are masked
out. Relative and periodic phrases come from the rules table; relative ones are not read
in the preamble (which recounts the past: "Trong 6 tháng đầu năm 2020, …") nor right
after a word that makes them an event ("do UBND tỉnh phát động trong năm 2024").
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import date
from functools import cache

from schedules.directive.dates import DATE_TEXT, parse_date_text
from schedules.directive.items import Segments
from schedules.directive.model import Deadline, DeadlineKind
from schedules.directive.references import cited_spans
from schedules.directive.rules import RelativeRule, RuleContext

Span = tuple[int, int]

_TRIGGER = (
    r"(?:trước|chậm\s+nhất(?:\s+là)?|hạn\s+(?:chót|cuối|nộp)(?:\s+là)?|không\s+muộn\s+hơn"
    r"|đến\s+hết)"
)
_TIME = r"(?:\s+(?:lúc\s+)?\d{1,2}\s*(?:giờ|h|g)(?:\s*\d{2}(?:\s*phút)?)?)?"
_EVENT_CUE = re.compile(
    r"(?:phát\s+động|ban\s+hành|diễn\s+ra|lễ\s+lớn|ngày\s+lễ|sự\s+kiện|kỷ\s+niệm"
    r"|đã(?:\s+\S+){0,2})\s*$",
    re.IGNORECASE,
)
_CUE_WINDOW = 40
# What an item asks for when a period's end is its deadline ("báo cáo kết quả từ ngày 01/5
# đến ngày 31/5/2025"): a report or a result, not a campaign that runs over the period.
_RESULT_WORDS = re.compile(
    r"(?<![\w])(?:báo\s+cáo|kết\s+quả|gửi\s+về|nộp|hoàn\s+thành|hoàn\s+tất|tổng\s+hợp"
    r"|đăng\s+ký|xong)(?![\w])",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(r"[.;!?](?=\s|$)")


@cache
def _absolute() -> re.Pattern[str]:
    return re.compile(
        rf"(?<![\w]){_TRIGGER}(?:\s+(?:vào|trong))?{_TIME}\s*,?\s*(?:ngày\s+)?"
        rf"(?P<date>{DATE_TEXT})",
        re.IGNORECASE,
    )


@cache
def _window() -> re.Pattern[str]:
    """A period: "từ ngày 01/5 đến ngày 31/5/2025", "từ 01/5 - 31/5/2025"."""
    return re.compile(
        rf"(?<![\w])từ\s+(?:ngày\s+)?(?P<start>{DATE_TEXT})\s*(?:đến|tới|[-–])\s*"
        rf"(?:hết\s+)?(?:ngày\s+)?(?P<date>{DATE_TEXT})",
        re.IGNORECASE,
    )


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def find_deadlines(
    segments: Segments, context: RuleContext, rules: Sequence[RelativeRule]
) -> tuple[Deadline, ...]:
    """Deadlines in document order: the preamble (written dates and recurrences only), the
    tasks, then the closing words."""
    found: list[Deadline] = []
    found += _scan(segments.preamble, None, context, rules, relative=False)
    for task in segments.tasks:
        for piece in (task.text, *task.subitems):
            found += _scan(piece, task.item, context, rules, relative=True)
    found += _scan(segments.closing, None, context, rules, relative=True)
    return tuple(dict.fromkeys(found))


def _scan(
    text: str,
    task_item: int | None,
    context: RuleContext,
    rules: Sequence[RelativeRule],
    *,
    relative: bool,
) -> list[Deadline]:
    if not text:
        return []
    taken: list[Span] = cited_spans(text)
    hits: list[tuple[int, Deadline]] = []
    periodic = [rule for rule in rules if rule.kind is DeadlineKind.PERIODIC]
    others = [rule for rule in rules if rule.kind is DeadlineKind.RELATIVE] if relative else []
    for rule, match in _rule_matches(text, periodic, taken):
        hits.append((match.start(), _proposed(rule, match, task_item, context)))
    windows = list(_free(_window().finditer(text), taken))
    for match in _free(_absolute().finditer(text), taken):
        hits.append((match.start(), _absolute_deadline(match, task_item, context)))
    for match in windows:
        if _asks_for_result(text, match, alone=not hits):
            hits.append((match.start(), _absolute_deadline(match, task_item, context)))
    dated = [_clause(text, start) for start, hit in hits if hit.kind is DeadlineKind.ABSOLUTE]
    for rule, match in _rule_matches(text, others, taken):
        if _EVENT_CUE.search(text[max(0, match.start() - _CUE_WINDOW) : match.start()]):
            continue
        if _clause(text, match.start()) in dated:
            continue  # "báo cáo tổng kết năm 2025 … trước ngày 25/11/2025": the date wins
        hits.append((match.start(), _proposed(rule, match, task_item, context)))
    return [deadline for _, deadline in sorted(hits, key=lambda hit: hit[0])]


def _asks_for_result(text: str, window: re.Match[str], *, alone: bool) -> bool:
    """A period's end is a deadline when its clause asks for a report or a result, or when
    the item asks for one and gives no other date; a campaign's period is not a deadline."""
    clause = _clause(text, window.start())
    starts = [0, *(match.end() for match in _CLAUSE_END.finditer(text))]
    end = starts[clause + 1] if clause + 1 < len(starts) else len(text)
    if _RESULT_WORDS.search(text, starts[clause], end):
        return True
    return alone and bool(_RESULT_WORDS.search(text))


def _clause(text: str, position: int) -> int:
    """Which clause (between ".", ";" or "!") a position falls in, counted from 0."""
    return len(_CLAUSE_END.findall(text, 0, position))


def _rule_matches(
    text: str, rules: Sequence[RelativeRule], taken: list[Span]
) -> list[tuple[RelativeRule, re.Match[str]]]:
    """Matches of these rules that overlap nothing taken; the longest phrase goes first."""
    candidates = [
        (rule, match)
        for rule in rules
        for pattern in rule.patterns
        for match in _compiled(pattern).finditer(text)
    ]
    candidates.sort(key=lambda pair: (pair[1].start() - pair[1].end(), pair[1].start()))
    chosen: list[tuple[RelativeRule, re.Match[str]]] = []
    for rule, match in candidates:
        if not _overlaps(match.span(), taken):
            taken.append(match.span())
            chosen.append((rule, match))
    return sorted(chosen, key=lambda pair: pair[1].start())


def _free(matches: Iterator[re.Match[str]], taken: list[Span]) -> Iterator[re.Match[str]]:
    """Matches that overlap nothing taken before; each one yielded is taken in turn."""
    for match in matches:
        if not _overlaps(match.span(), taken):
            taken.append(match.span())
            yield match


def _overlaps(span: Span, taken: list[Span]) -> bool:
    start, end = span
    return any(start < other_end and other_start < end for other_start, other_end in taken)


def _proposed(
    rule: RelativeRule, match: re.Match[str], task_item: int | None, context: RuleContext
) -> Deadline:
    return Deadline(
        date=rule.proposal.propose(match.groupdict(), context),
        text=_phrase(match),
        task_item=task_item,
        kind=rule.kind,
        rule=rule.id,
        needs_confirmation=True,
    )


def _absolute_deadline(
    match: re.Match[str], task_item: int | None, context: RuleContext
) -> Deadline:
    """A written date; with no year it takes the document's (next year's if already past).

    The officer must confirm a guessed year, an impossible date, or one before the issue.
    """
    default_year = context.issue_date.year if context.issue_date else None
    day, inferred = parse_date_text(match.group("date"), default_year)
    start = context.start()
    if day is not None and inferred and start is not None and day < start:
        day = _next_year(day)
    return Deadline(
        date=day,
        text=_phrase(match),
        task_item=task_item,
        kind=DeadlineKind.ABSOLUTE,
        rule=None,
        needs_confirmation=inferred or day is None or (start is not None and day < start),
    )


def _next_year(day: date) -> date | None:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29/02 has no next-year twin
        return None


def _phrase(match: re.Match[str]) -> str:
    return " ".join(match.group().split())
