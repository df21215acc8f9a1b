"""Conversation state per account: the step a multi-message exchange has reached."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from storage.models import ConversationState


def get_state(session: Session, *, account_id: int) -> ConversationState | None:
    return session.get(ConversationState, account_id)


def set_state(
    session: Session, *, account_id: int, name: str, data: dict[str, Any], now: datetime
) -> None:
    state = session.get(ConversationState, account_id)
    if state is None:
        session.add(ConversationState(account_id=account_id, name=name, data=data, updated_at=now))
    else:
        state.name, state.data, state.updated_at = name, data, now


def clear_state(session: Session, *, account_id: int) -> None:
    """End the account's step. The delete is flushed at once: until then the session would
    hand the deleted row back to `get_state`/`set_state`, and a step set later in the same
    turn (a handler leaves its conversation, then the Zalo renderer keeps the answer's
    numbered choices) would be deleted with it."""
    state = session.get(ConversationState, account_id)
    if state is not None:
        session.delete(state)
        session.flush()
