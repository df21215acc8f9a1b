"""Chat-platform accounts: who wrote to the bot, from which chat, bound to which person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Select, Update, bindparam, select, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, SQLModel, col

from storage.models import (
    AccountState,
    Appointment,
    ChannelAccount,
    ConversationState,
    Person,
    Unit,
)
from storage.people import Standing, standing_from_rows


@dataclass(frozen=True, slots=True)
class Arrival:
    """Who just wrote, with everything the router needs before it routes: the account, its
    person and their standing (None while unregistered), and the conversation step waiting."""

    account: ChannelAccount
    person: Person | None
    standing: Standing | None
    state: ConversationState | None


def arrive(
    session: Session,
    *,
    channel: str,
    external_user_id: str,
    chat_id: str,
    display_name: str,
    now: datetime,
) -> Arrival:
    """The account that just wrote (created on first contact, made reachable again, its chat
    and name kept current), its person, their standing and the waiting conversation step, in
    one query and one UPDATE: every message anyone sends starts here, so it is read once,
    with statements built once."""
    rows = session.execute(
        _arrival_query(), {"arrival_channel": channel, "arrival_user": external_user_id}
    ).all()
    if not rows:
        account = _new_account(
            session,
            channel=channel,
            external_user_id=external_user_id,
            chat_id=chat_id,
            display_name=display_name,
            now=now,
        )
        return Arrival(account, None, None, None)
    account, person, state = rows[0][0], rows[0][1], rows[0][2]
    values = {
        "chat_id": chat_id,
        "last_seen_at": now,
        "state": AccountState.ACTIVE,
        "display_name": display_name[:200] if display_name else account.display_name,
    }
    session.connection().execute(_touch_statement(), {"touch_id": account.id, **_touch(values)})
    for key, value in values.items():  # what the row now holds, without marking it changed
        set_committed_value(account, key, value)
    if person is None:
        return Arrival(account, None, None, state)
    standing = standing_from_rows(
        person, [(role, unit, archived) for *_, role, unit, archived in rows]
    )
    return Arrival(account, person, standing, state)


@cache
def _arrival_query() -> Select[
    ChannelAccount, Person, ConversationState, str, int | None, datetime | None
]:
    return (
        select(
            ChannelAccount,
            Person,
            ConversationState,
            col(Appointment.role),
            col(Appointment.unit_id),
            col(Unit.archived_at),
        )
        .outerjoin(Person, col(Person.id) == col(ChannelAccount.person_id))
        .outerjoin(
            Appointment,
            (col(Appointment.person_id) == col(Person.id)) & col(Appointment.ended_at).is_(None),
        )
        .outerjoin(Unit, col(Unit.id) == col(Appointment.unit_id))
        .outerjoin(ConversationState, col(ConversationState.account_id) == col(ChannelAccount.id))
        .where(
            col(ChannelAccount.channel) == bindparam("arrival_channel"),
            col(ChannelAccount.external_user_id) == bindparam("arrival_user"),
        )
        .order_by(col(Appointment.id))
    )


def _touch(values: dict[str, Any]) -> dict[str, Any]:
    return {f"touch_{key}": value for key, value in values.items()}


@cache
def _touch_statement() -> Update:
    table = SQLModel.metadata.tables[ChannelAccount.__tablename__]
    return (
        update(table)
        .where(table.c.id == bindparam("touch_id"))
        .values({key: bindparam(f"touch_{key}") for key in _TOUCHED})
    )


_TOUCHED = ("chat_id", "last_seen_at", "state", "display_name")


def _new_account(
    session: Session,
    *,
    channel: str,
    external_user_id: str,
    chat_id: str,
    display_name: str,
    now: datetime,
) -> ChannelAccount:
    """First contact: the account, not bound to anyone yet (`arrive` found no row)."""
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


def accounts_of_person(session: Session, *, person_id: int) -> list[ChannelAccount]:
    """The person's accounts, the most recently used first."""
    return list(
        session.scalars(
            select(ChannelAccount)
            .where(col(ChannelAccount.person_id) == person_id)
            .order_by(col(ChannelAccount.last_seen_at).desc())
        )
    )


def bind(session: Session, *, account_id: int, person_id: int) -> bool:
    """The account now speaks for the person; False when the account is gone."""
    account = session.get(ChannelAccount, account_id)
    if account is None:
        return False
    account.person_id = person_id
    return True


def unbind(session: Session, *, account_id: int) -> None:
    """The account stops speaking for anyone (it keeps its messages; the roster is untouched)."""
    account = session.get(ChannelAccount, account_id)
    if account is not None:
        account.person_id = None


def mark_unreachable(session: Session, *, account_id: int) -> None:
    account = session.get(ChannelAccount, account_id)
    if account is not None:
        account.state = AccountState.UNREACHABLE
