"""The answer buttons under a reminder, and the short data they carry.

Button data is `a:{assignment_id}:{action}` (well under Telegram's 64 bytes). It names an
assignment, so whoever receives a press must check on the server that the presser chairs
that assignment's unit and that the assignment is still open: data can be forged.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from schedules.button_prefixes import ButtonPrefix
from schedules.numbers import parse_id

ANSWER_PREFIX = ButtonPrefix.ANSWER


class AnswerAction(StrEnum):
    DONE = "d"
    WORKING = "w"
    BLOCKED = "b"


ANSWER_LABELS: dict[AnswerAction, str] = {
    AnswerAction.DONE: "✅ Đã xong",
    AnswerAction.WORKING: "⏳ Đang làm",
    AnswerAction.BLOCKED: "⚠️ Vướng mắc",
}


@dataclass(frozen=True, slots=True)
class AnswerPress:
    """A press of an answer button: which assignment, which action, and what follows it
    (a percent chosen after «Đang làm», for instance), still unchecked."""

    assignment_id: int
    action: AnswerAction
    detail: str = ""


def answer_data(assignment_id: int, action: AnswerAction, detail: str = "") -> str:
    data = f"{ANSWER_PREFIX}:{assignment_id}:{action.value}"
    return f"{data}:{detail}" if detail else data


def answer_choices(assignment_id: int) -> list[list[dict[str, str]]]:
    """The row of three buttons stored with a reminder in the outbox."""
    return [
        [
            {"label": label, "data": answer_data(assignment_id, action)}
            for action, label in ANSWER_LABELS.items()
        ]
    ]


def read_answer_data(rest: str) -> AnswerPress | None:
    """The press behind the data after `a:`; None for anything malformed."""
    parts = rest.split(":")
    assignment_id = parse_id(parts[0]) if len(parts) in (2, 3) else None
    if assignment_id is None:
        return None
    try:
        action = AnswerAction(parts[1])
    except ValueError:
        return None
    return AnswerPress(assignment_id, action, parts[2] if len(parts) == 3 else "")
