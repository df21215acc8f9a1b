"""What people sent, stored before it is handled: nothing a user sent is lost, and an update
the platform delivers twice (after a restart) is handled once."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from storage.models import InboundMessage


def record_inbound(
    session: Session,
    *,
    channel: str,
    update_id: str,
    kind: str,
    text: str | None,
    now: datetime,
    account_id: int | None = None,
    payload: dict[str, Any] | None = None,
) -> InboundMessage | None:
    """Store the message; None when this update was already handled."""
    seen = session.scalars(
        select(InboundMessage).where(
            col(InboundMessage.channel) == channel, col(InboundMessage.update_id) == update_id
        )
    ).first()
    if seen is not None and seen.handled_at is not None:
        return None
    if seen is not None:
        return seen
    message = InboundMessage(
        channel=channel,
        update_id=update_id,
        account_id=account_id,
        kind=kind,
        text=text,
        payload=payload,
        received_at=now,
    )
    session.add(message)
    session.flush()
    return message
