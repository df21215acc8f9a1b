"""The passes over a line, in the order `engine` runs them; each masks what it consumed."""

from __future__ import annotations

import re
from fractions import Fraction

from handlers.reply_grammar.messages import (
    ERR_AMBIGUOUS_NUMBER,
    ERR_BAD_FRACTION,
    ERR_BAD_NUMBER,
    ERR_MANY_DOCUMENTS,
    ERR_MANY_TASKS,
    ERR_NUMBER_RANGE,
    ERR_PERCENT_RANGE,
)
from handlers.reply_grammar.reading import ReplyStatus
from handlers.reply_grammar.rules import (
    CODE,
    CODE_PERCENT,
    COUNT,
    DOCUMENT,
    FRACTION,
    INDICATOR,
    PERCENT,
    STATUS_RULES,
    TASK_ITEM,
    TASK_LIST,
    Signal,
)
from handlers.reply_grammar.scan import Kind, Refusal, Scan
from handlers.reply_grammar.vocabulary import CLAUSE_BREAK, FILLERS, MULTIPLIERS
from schedules.numbers import fits_int64

LEADING_SKIP = re.compile(r"[^a-z0-9]+", re.ASCII)


def find_tasks(scan: Scan) -> None:
    """`CV 490 mục 3`, `#2`, `490/LĐLĐ`: which task the line is about."""
    if (listed := TASK_LIST.search(scan.work)) is not None:  # `mục 2, 3`: read_replies' job
        items = dict.fromkeys([listed["first"], *re.findall(r"\d+", listed["more"])])
        raise Refusal(
            "many-tasks", ERR_MANY_TASKS.format(values=", ".join(f"mục {i}" for i in items))
        )
    for match in list(DOCUMENT.finditer(scan.work)):
        scan.documents.append((match["doc"] or match["doc2"]).lstrip("0") or "0")
        scan.note_rule("document")
        scan.mask(match.start(), match.end(), Kind.MEANING)
    for match in list(TASK_ITEM.finditer(scan.work)):
        scan.task_items.append(int(match["item"] or match["item2"]))
        scan.note_rule("task-item")
        scan.mask(match.start(), match.end(), Kind.MEANING)
    refuse_if_many("many-tasks", ERR_MANY_TASKS, [f"mục {i}" for i in scan.task_items])
    refuse_if_many("many-documents", ERR_MANY_DOCUMENTS, scan.documents)


def refuse_if_many(rule: str, message: str, values: list[str]) -> None:
    distinct = list(dict.fromkeys(values))
    if len(distinct) > 1:
        raise Refusal(rule, message.format(values=", ".join(distinct)))


def skip_fillers(work: str, pos: int) -> int:
    """The first position after punctuation and politeness at `pos`."""
    while True:
        match = LEADING_SKIP.match(work, pos) or FILLERS.match(work, pos)
        if match is None or match.end() == pos:
            return pos
        pos = match.end()


def find_code(scan: Scan) -> str | None:
    """`1` done, `2 60` in progress 60%, `3 lý do` blocked: the codes the reminder offers."""
    start = skip_fillers(scan.work, 0)
    match = CODE.match(scan.work, start)
    if match is None:
        return None
    code = match["code"]
    end = match.end()
    scan.note_rule(f"code-{code}")
    if code == "1":
        scan.statuses.append((start, ReplyStatus.DONE))
    elif code == "2":
        scan.statuses.append((start, ReplyStatus.IN_PROGRESS))
        percent = CODE_PERCENT.match(scan.work, end)
        if percent is not None:
            scan.percents.append(parse_percent(scan, percent))
            end = percent.end()
    else:
        scan.statuses.append((start, ReplyStatus.BLOCKED))
        scan.code_reason = (end, len(scan.work))
    scan.mask(match.start(), end, Kind.MEANING)
    return code


def find_fractions(scan: Scan) -> None:
    """`8/10 chỉ tiêu`, `đạt 8/10`: the percent of the target and the figure (8), read before
    the status words so that `hoàn thành 8/10` is 80%, not done."""
    for match in list(FRACTION.finditer(scan.work)):
        if not (match["verb"] or match["unit"] or match["target"]):
            continue  # `8/10` alone may be a date
        raw = scan.quote(match.start("num"), match.end()).strip()
        numerator, denominator = int(match["num"]), int(match["den"])
        if denominator == 0:
            raise Refusal("bad-fraction", ERR_BAD_FRACTION.format(raw=raw))
        share = min(Fraction(numerator * 100, denominator), Fraction(100))
        scan.percents.append((int(share + Fraction(1, 2)), raw))
        scan.numbers.append((numerator, raw))
        scan.targets.append(denominator)
        scan.note_rule("fraction")
        scan.mask(match.start(), match.end(), Kind.MEANING)


def find_statuses(scan: Scan) -> None:
    """Apply `STATUS_RULES` in order; each match masks its words."""
    for rule in STATUS_RULES:
        for match in list(rule.pattern.finditer(scan.work)):
            scan.note_rule(rule.name)
            kind = Kind.MEANING
            if isinstance(rule.effect, ReplyStatus):
                scan.statuses.append((match.start(), rule.effect))
            elif rule.effect is Signal.FROM_PERCENT:
                scan.percents.append(parse_percent(scan, match))
            elif rule.effect is Signal.AMBIGUOUS:
                raw = scan.quote(match.start("value"), match.end("value"))
                raise Refusal("ambiguous-number", ERR_AMBIGUOUS_NUMBER.format(raw=raw))
            else:
                scan.signals.add(rule.effect)
                if rule.effect is not Signal.NO_OBSTACLE:
                    kind = Kind.NEUTRAL
            if rule.percent is not None:
                scan.percents.append((rule.percent, scan.quote(match.start(), match.end())))
            if rule.reason:
                scan.reason_markers.append((rule.reason, match.start(), match.end()))
            scan.mask(match.start(), match.end(), kind)


def parse_percent(scan: Scan, match: re.Match[str]) -> tuple[int, str]:
    """The percent of a match with `sign` and `value` groups; refuses outside 0..100."""
    raw = scan.quote(match.start("value") - (1 if match["sign"] else 0), match.end())
    value = Fraction(match["value"].replace(",", "."))
    if match["sign"] or value > 100:
        raise Refusal("percent-range", ERR_PERCENT_RANGE.format(raw=raw.strip()))
    return int(value + Fraction(1, 2)), raw


def find_percents(scan: Scan) -> None:
    """Percentages standing alone (`60%`, `khoảng 60 phần trăm`)."""
    for match in list(PERCENT.finditer(scan.work)):
        scan.percents.append(parse_percent(scan, match))
        scan.note_rule("percent")
        scan.mask(match.start(), match.end(), Kind.MEANING)


def mark_fillers(scan: Scan) -> None:
    """Politeness: masked so it is never read as content, and trimmed from notes."""
    for match in list(FILLERS.finditer(scan.work)):
        scan.mask(match.start(), match.end(), Kind.FILLER)


def find_reasons(scan: Scan) -> None:
    """The reason beside a blocked marker: the rest of its clause, or the clause before."""
    for where, start, end in scan.reason_markers:
        if where == "before":
            begin = start
            while begin > 0 and scan.kinds[begin - 1] not in (Kind.MEANING, Kind.NEUTRAL):
                begin -= 1
            span = (begin, start)
        else:
            span = (end, reason_end(scan, end))
        scan.reasons.append(span)
        scan.mask(*span, Kind.REASON)


def reason_end(scan: Scan, start: int) -> int:
    """End of the reason: the first clause, and further clauses until one says something."""
    text = scan.folded.text
    end = start
    first = True
    pos = start
    while pos < len(text):
        brk = CLAUSE_BREAK.search(text, pos)
        clause_end = brk.start() if brk else len(text)
        says_something = any(
            scan.kinds[i] in (Kind.MEANING, Kind.NEUTRAL) for i in range(pos, clause_end)
        )
        if not first and says_something:
            return end
        end = clause_end
        first = False
        if brk is None:
            return end
        pos = brk.end()
    return end


def find_numbers(scan: Scan) -> None:
    """Indicator numbers: after a verb (`kết nạp 12`), else before a unit (`12 đoàn viên`)."""
    for match in list(INDICATOR.finditer(scan.work)):
        if match["verb"] == "thu" and not (match["unit"] or match["mult"]):
            continue  # `thu 2` is as likely `thứ 2` (Monday) as money collected
        scan.numbers.append(parse_number(scan, match))
        scan.note_rule("indicator")
        scan.mask(match.start(), match.end(), Kind.MEANING)
    if scan.numbers:
        return  # other figures on the line stay in the note
    for match in list(COUNT.finditer(scan.work)):
        if not (match["unit"] or match["mult"]):
            continue
        scan.numbers.append(parse_number(scan, match))
        scan.note_rule("count")
        scan.mask(match.start(), match.end(), Kind.MEANING)


def parse_number(scan: Scan, match: re.Match[str]) -> tuple[int, str]:
    """A whole number; `1.200` is twelve hundred, `1,5 triệu` is 1,500,000."""
    raw_number = match["num"]
    multiplier_word = match["mult"]
    multiplier = MULTIPLIERS[multiplier_word] if multiplier_word else 1
    raw = scan.quote(match.start("num"), match.end()).strip()
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", raw_number):
        value = Fraction(int(raw_number.replace(".", "")))
    else:
        value = Fraction(raw_number.replace(",", "."))
    value *= multiplier
    if value.denominator != 1:
        raise Refusal("bad-number", ERR_BAD_NUMBER.format(raw=raw))
    if not fits_int64(int(value)):  # `replies.number` is a BIGINT
        raise Refusal("number-range", ERR_NUMBER_RANGE.format(raw=raw))
    return int(value), raw
