"""Which of a person's accounts gets their copy: the one rule, in one place.

A person may be bound on Telegram, on Zalo, or both; each outbox row is addressed to one
account, and a person gets ONE copy of anything, on the active account they used last
(`last_seen_at`, touched by every message they send; the lower id breaks a tie). Reminders
(`storage.chair_reach`), escalations and the officer's own notices (`person_account_id`),
registration requests and alerts to officers (`storage.registration.deciders_for`) and the
roster's notices (`storage.roster`) all choose through here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.sql.elements import UnaryExpression
from sqlmodel import Session, col

from storage.models import AccountState, ChannelAccount


def last_used_first() -> tuple[UnaryExpression[Any], UnaryExpression[Any]]:
    """The order in which a person's accounts are preferred: the first one gets the copy."""
    return col(ChannelAccount.last_seen_at).desc(), col(ChannelAccount.id).asc()


def person_account_id(session: Session, *, person_id: int) -> int | None:
    """The person's active account used last, or None when the bot cannot reach them."""
    return session.scalar(
        select(col(ChannelAccount.id))
        .where(
            col(ChannelAccount.person_id) == person_id,
            col(ChannelAccount.state) == AccountState.ACTIVE,
        )
        .order_by(*last_used_first())
        .limit(1)
    )


def one_per_person(accounts: Iterable[ChannelAccount]) -> list[ChannelAccount]:
    """Of accounts read in `last_used_first` order, each person's first (an unbound account
    stands for itself)."""
    chosen: dict[object, ChannelAccount] = {}
    for account in accounts:
        key = ("person", account.person_id) if account.person_id is not None else account.id
        chosen.setdefault(key, account)
    return list(chosen.values())
