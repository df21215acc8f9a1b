"""Choices on a channel without buttons (Zalo): a numbered list under the text, and the
number typed back read as the button it stands for.

The router calls `take_number` before routing (a number in range becomes that button's
`Incoming.button_data`) and `render` after (answers' choices become numbered lines, their
data kept in the conversation state for the next message). The outbox's Zalo sender renders
a row's buttons with the same `numbered_text` and keeps them with `remember`.

The pending choices ride in the conversation state's data under `CHOICES_KEY`: in a state of
their own (`State.CHOICES`) when nothing else waits, or beside the step that waits (after
«Đang làm» the percent step waits, and `2` picks 50% while `60` still reads as 60%).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlmodel import Session

from handlers.context import Turn
from handlers.messages import Channel, Choice, Outgoing
from handlers.states import State
from handlers.texts import for_channel
from storage.conversations import clear_state, get_state, set_state
from storage.models import ConversationState

CHOICES_KEY = "choices"
TEXT_ONLY_CHANNELS = frozenset({Channel.ZALO})
NUMBER_ONLY = re.compile(r"^\s*(?:so|số|số\s+thứ\s+tự)?\s*([0-9]{1,3})\s*[.)]?\s*$", re.IGNORECASE)
LIST_HINT = "Anh/chị gõ số thứ tự để chọn:"
OFFERS_ONE = "«1»"  # a last line that already says what typing 1 does
AGAIN = "Số {number} không có trong danh sách. Anh/chị gõ một số từ 1 đến {count}:"


@dataclass(frozen=True, slots=True)
class Listed:
    """One numbered choice: what the person reads and the button data it stands for."""

    label: str
    data: str


def is_text_only(channel: str) -> bool:
    return channel in TEXT_ONLY_CHANNELS


def numbered_lines(choices: Sequence[Listed], start: int = 1) -> str:
    return "\n".join(f"{start + index}. {choice.label}" for index, choice in enumerate(choices))


def numbered_text(text: str, choices: Sequence[Listed]) -> str:
    """The text with its choices as a numbered list under it (the text alone without any,
    or with one choice that its last line already offers as «1», as a notice's does)."""
    if not choices or (len(choices) == 1 and OFFERS_ONE in text.rsplit("\n", 1)[-1]):
        return text
    return f"{text}\n\n{LIST_HINT}\n{numbered_lines(choices)}"


def flatten(rows: Sequence[Sequence[Choice]]) -> list[Listed]:
    return [Listed(choice.label, choice.data) for row in rows for choice in row]


def flatten_stored(rows: Sequence[Sequence[dict[str, str]]] | None) -> list[Listed]:
    """An outbox row's buttons (`[[{label, data}]]`) as numbered choices."""
    return [Listed(button["label"], button["data"]) for row in rows or () for button in row]


def pending(state: ConversationState | None) -> list[Listed]:
    """The choices listed to this account last and not answered yet."""
    if state is None or not isinstance(state.data, dict):
        return []
    stored = state.data.get(CHOICES_KEY)
    if not isinstance(stored, list):
        return []
    return [
        Listed(str(item.get("label", "")), str(item["data"]))
        for item in stored
        if isinstance(item, dict) and isinstance(item.get("data"), str)
    ]


@dataclass(frozen=True, slots=True)
class Taken:
    """What the router does with a message after the pending choices were read:
    `button_data` to route as a press, or `answers` to send instead, and the state left."""

    state: ConversationState | None
    button_data: str | None = None
    answers: list[Outgoing] | None = None


def take_number(turn: Turn, state: ConversationState | None) -> Taken:
    """Before routing a text on a text-only channel: a number in range is that button; a
    number out of range gets the list again when nothing else waits (a waiting step, such as
    the percent, reads it itself); anything else drops the pending choices."""
    incoming = turn.incoming
    choices = pending(state)
    if not choices or state is None or not is_text_only(incoming.channel):
        return Taken(state)
    if incoming.command is not None or incoming.button_data is not None:
        return Taken(_drop(turn, state))
    match = NUMBER_ONLY.match(incoming.text or "") if incoming.attachment is None else None
    if match is not None:
        number = int(match.group(1))
        if 1 <= number <= len(choices):
            return Taken(_drop(turn, state), button_data=choices[number - 1].data)
        if state.name == State.CHOICES:
            again = AGAIN.format(number=number, count=len(choices))
            return Taken(state, answers=[Outgoing(f"{again}\n{numbered_lines(choices)}")])
    return Taken(_drop(turn, state))


def _drop(turn: Turn, state: ConversationState) -> ConversationState | None:
    """Forget the pending choices; the step they rode beside (if any) still waits."""
    assert turn.account.id is not None
    if state.name == State.CHOICES:
        clear_state(turn.session, account_id=turn.account.id)  # flushed: a handler may set one
        return None
    data = {key: value for key, value in state.data.items() if key != CHOICES_KEY}
    set_state(turn.session, account_id=turn.account.id, name=state.name, data=data, now=turn.now)
    return state


def render(turn: Turn, answers: list[Outgoing]) -> list[Outgoing]:
    """After routing, on a text-only channel: each answer in the channel's wording, its
    choices numbered under its text (numbers run on across the turn's answers), and the
    choices of the answers to this chat remembered for the next message."""
    channel = turn.incoming.channel
    if not is_text_only(channel):
        return answers
    said: list[Outgoing] = []
    listed: list[Listed] = []
    for answer in answers:
        text = for_channel(answer.text, channel)
        choices = flatten(answer.choices)
        if choices and answer.chat_id is None:
            text = _with_numbers(text, choices, start=len(listed) + 1)
            listed.extend(choices)
        elif choices:
            text = numbered_text(text, choices)
        said.append(replace(answer, text=text, choices=(), ask_contact=False))
    if listed:
        assert turn.account.id is not None
        remember(turn.session, account_id=turn.account.id, choices=listed, now=turn.now)
    return said


def _with_numbers(text: str, choices: Sequence[Listed], *, start: int) -> str:
    """The list under the text, unless the buttons are the numbers the text already lists
    (the "which task" question: `1. Việc số 1 …`, buttons 1 and 2)."""
    numbers = [str(n) for n in range(1, len(choices) + 1)]
    if start == 1 and [choice.label for choice in choices] == numbers:
        return text
    if start == 1:
        return numbered_text(text, choices)
    return f"{text}\n{numbered_lines(choices, start)}"


def remember(
    session: Session, *, account_id: int, choices: Sequence[Listed], now: datetime
) -> None:
    """Keep the choices just listed to an account, beside the step that waits, if any."""
    stored: list[dict[str, Any]] = [{"label": c.label, "data": c.data} for c in choices]
    state = get_state(session, account_id=account_id)
    data: dict[str, Any]
    if state is None or state.name == State.CHOICES:
        name, data = State.CHOICES.value, {}
    else:
        name, data = state.name, {k: v for k, v in state.data.items() if k != CHOICES_KEY}
    set_state(
        session, account_id=account_id, name=name, data={**data, CHOICES_KEY: stored}, now=now
    )
