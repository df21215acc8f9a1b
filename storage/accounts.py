"""Chat-platform accounts: who wrote to the bot, from which chat, bound to which person."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session, col

from storage.models import AccountState, ChannelAccount


def touch_account(
    session: Session,
    *,
    channel: str,
    external_user_id: str,
    chat_id: str,
    display_name: str,
    now: datetime,
) -> ChannelAccount:
    """The account that just wrote, created on first contact; writing again makes it reachable."""
    account = session.scalars(
        select(ChannelAccount).where(
            col(ChannelAccount.channel) == channel,
            col(ChannelAccount.external_user_id) == external_user_id,
        )
    ).first()
    if account is None:
        account = ChannelAccount(
            channel=channel,
            external_user_id=external_user_id,
            chat_id=chat_id,
            display_name=display_name[:200],
            created_at=now,
            last_seen_at=now,
        )
        session.add(account)
        session.flush()
        return account
    account.chat_id = chat_id
    account.last_seen_at = now
    account.state = AccountState.ACTIVE
    if display_name:
        account.display_name = display_name[:200]
    return account


def accounts_of_person(session: Session, *, person_id: int) -> list[ChannelAccount]:
    """The person's accounts, the most recently used first."""
    return list(
        session.scalars(
            select(ChannelAccount)
            .where(col(ChannelAccount.person_id) == person_id)
            .order_by(col(ChannelAccount.last_seen_at).desc())
        )
    )


def mark_unreachable(session: Session, *, account_id: int) -> None:
    account = session.get(ChannelAccount, account_id)
    if account is not None:
        account.state = AccountState.UNREACHABLE
