"""What people sent, stored before it is handled: nothing a user sent is lost, and an update
the platform delivers twice (after a restart) is handled once.

An update is known by (channel, bot id, update id): platforms number updates per bot, and
the numbering restarts with a new token or a new Bot API server, which must start clean."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, SQLModel, col

from storage.models import InboundMessage


def record_inbound(
    session: Session,
    *,
    channel: str,
    update_id: str,
    kind: str,
    bot_id: str = "",
    text: str | None,
    now: datetime,
    account_id: int | None = None,
    payload: dict[str, Any] | None = None,
    handled_at: datetime | None = None,
) -> int | None:
    """Store the message; the id of its row, or None when this update was already handled.

    One `INSERT … ON CONFLICT DO NOTHING RETURNING id` on the hot path (every message a
    chair sends) instead of a look-up followed by an insert; the look-up runs only for an
    update seen before. A caller that handles the message in the same transaction passes
    `handled_at`: the row is never seen unhandled, and no UPDATE follows.
    """
    values: dict[str, Any] = {
        "channel": channel,
        "bot_id": bot_id,
        "update_id": update_id,
        "account_id": account_id,
        "kind": kind,
        "text": text,
        "payload": payload,
        "received_at": now,
        "handled_at": handled_at,
    }
    connection = session.connection()
    new_id = connection.execute(_insert_statement(connection.dialect.name), values).scalar()
    if new_id is None:
        seen = session.scalars(
            select(InboundMessage).where(
                col(InboundMessage.channel) == channel,
                col(InboundMessage.bot_id) == bot_id,
                col(InboundMessage.update_id) == update_id,
            )
        ).first()
        if seen is None or seen.handled_at is not None:
            return None
        if handled_at is not None:
            seen.handled_at = handled_at
        return seen.id
    return int(new_id)


@cache
def _insert_statement(dialect: str) -> Insert:
    """Built once per dialect: the parameters are the row's values, bound at execution."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = SQLModel.metadata.tables[InboundMessage.__tablename__]  # Core: no ORM bulk insert
    return (
        insert(table)
        .on_conflict_do_nothing(index_elements=["channel", "bot_id", "update_id"])
        .returning(table.c.id)
    )
