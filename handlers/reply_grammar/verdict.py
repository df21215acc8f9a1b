"""One status and percent from everything the passes found, or a refusal that says why not."""

from __future__ import annotations

from fractions import Fraction
from typing import NoReturn

from handlers.reply_grammar.messages import (
    COURTESY,
    ERR_AMBIGUOUS_COUNT,
    ERR_AMBIGUOUS_NUMBER,
    ERR_BARE_NOT_YET,
    ERR_CONTRADICTION,
    ERR_MANY_NUMBERS,
    ERR_MANY_PERCENTS,
    ERR_PLAN,
    ERR_QUESTION,
    ERR_UNREADABLE,
)
from handlers.reply_grammar.reading import COURTESY_RULE, ReplyStatus
from handlers.reply_grammar.rules import BARE_NOT_YET, BARE_NUMBER, Signal
from handlers.reply_grammar.scan import Refusal, Scan
from handlers.reply_grammar.vocabulary import ACK_WORDS


def resolve(scan: Scan) -> tuple[ReplyStatus, int | None]:
    """One status and percent from everything found, or a refusal that says why not."""
    values = list(dict.fromkeys(value for value, _ in scan.percents))
    if len(values) > 1:
        raw = [raw.strip() for _, raw in scan.percents]
        raise Refusal("many-percents", ERR_MANY_PERCENTS.format(values=", ".join(raw)))
    percent = values[0] if values else None
    found = list(dict.fromkeys(status for _, status in sorted(scan.statuses)))
    if not found:
        if percent is not None:
            return from_percent(percent), percent
        if scan.numbers:
            return ReplyStatus.IN_PROGRESS, None
        if Signal.QUESTION not in scan.signals and (
            Signal.RECEIVED in scan.signals or {Signal.ACK, Signal.PLAN} <= scan.signals
        ):
            # `đã nhận văn bản, sẽ triển khai`: acknowledged, not started; but a `chưa` left
            # over (`đã nhận văn bản nhưng chưa có kinh phí`) is asked about.
            if BARE_NOT_YET.search(scan.work):
                raise Refusal("bare-not-yet", ERR_BARE_NOT_YET)
            return ReplyStatus.NOT_STARTED, None
        refuse_unread(scan)
    if ReplyStatus.BLOCKED in found:
        if ReplyStatus.DONE in found:
            contradiction(ReplyStatus.DONE.label, ReplyStatus.BLOCKED.label)
        if percent == 100:
            contradiction(ReplyStatus.BLOCKED.label, "100%")
        return ReplyStatus.BLOCKED, percent
    if len(found) > 1:
        contradiction(found[0].label, found[1].label)
    status = found[0]
    if percent is None:
        return status, None
    if status is ReplyStatus.IN_PROGRESS or from_percent(percent) is status:
        return from_percent(percent), percent
    return contradiction(status.label, f"{percent}%")


def from_percent(percent: int) -> ReplyStatus:
    """100 is done, 0 is not started, anything between is in progress."""
    if percent >= 100:
        return ReplyStatus.DONE
    if percent <= 0:
        return ReplyStatus.NOT_STARTED
    return ReplyStatus.IN_PROGRESS


def contradiction(first: str, second: str) -> NoReturn:
    raise Refusal("contradiction", ERR_CONTRADICTION.format(first=first, second=second))


def refuse_unread(scan: Scan) -> NoReturn:
    """No status was found: say the most useful thing about why."""
    if Signal.QUESTION in scan.signals:
        raise Refusal("question", ERR_QUESTION)
    if Signal.PLAN in scan.signals:
        raise Refusal("plan", ERR_PLAN)
    if BARE_NOT_YET.search(scan.work):
        raise Refusal("bare-not-yet", ERR_BARE_NOT_YET)
    number = BARE_NUMBER.search(scan.work)
    if number is not None:
        raw = scan.quote(number.start(), number.end())
        value = Fraction(number.group().replace(",", "."))
        template = ERR_AMBIGUOUS_NUMBER if 0 <= value <= 100 else ERR_AMBIGUOUS_COUNT
        raise Refusal("ambiguous-number", template.format(raw=raw))
    if not any(c.isalnum() for c in scan.work) and (
        Signal.ACK in scan.signals or ACK_WORDS.search(scan.folded.text)
    ):
        raise Refusal(COURTESY_RULE, COURTESY)
    original = scan.folded.original
    quote = original if len(original) <= 40 else original[:39].rstrip() + "…"
    raise Refusal("unreadable", ERR_UNREADABLE.format(quote=quote))


def resolve_number(scan: Scan) -> int | None:
    """The indicator figure, when the line gives exactly one."""
    values = list(dict.fromkeys(value for value, _ in scan.numbers))
    if len(values) > 1:
        raw = [raw for _, raw in scan.numbers]
        raise Refusal("many-numbers", ERR_MANY_NUMBERS.format(values=", ".join(raw)))
    return values[0] if values else None
