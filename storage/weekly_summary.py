"""What the weekly summary reads and writes: who gets it (officers with a branch, a reachable
account, and the summary not turned off), the officer's choice, and which rows are planned."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlmodel import Session, col

from storage.escalation import person_account_id
from storage.models import Appointment, ChannelAccount, OutboxMessage, Person, Role, Unit


@dataclass(frozen=True, slots=True)
class Recipient:
    """An officer to send the weekly summary to: their account and their branches' roots."""

    person_id: int
    account_id: int
    channel: str
    unit_ids: tuple[int, ...]


def recipients(session: Session) -> list[Recipient]:
    """Every officer with a current appointment to a unit still in the roster, the weekly
    summary on, and an account the bot can write to (their one used last)."""
    rows = session.execute(
        select(col(Appointment.person_id), col(Appointment.unit_id))
        .join(Person, col(Person.id) == col(Appointment.person_id))
        .join(Unit, col(Unit.id) == col(Appointment.unit_id))
        .where(
            col(Appointment.role) == Role.OFFICER,
            col(Appointment.ended_at).is_(None),
            col(Unit.archived_at).is_(None),
            col(Person.weekly_summary_off).is_(False),
        )
        .order_by(col(Appointment.person_id), col(Unit.code))
    ).all()
    units: dict[int, list[int]] = {}
    for person_id, unit_id in rows:
        units.setdefault(int(person_id), []).append(int(unit_id))
    found = []
    for person_id, unit_ids in units.items():
        account_id = person_account_id(session, person_id=person_id)
        account = session.get(ChannelAccount, account_id) if account_id is not None else None
        if account is not None and account.id is not None:
            roots = tuple(dict.fromkeys(unit_ids))
            found.append(Recipient(person_id, account.id, account.channel, roots))
    return found


def planned_keys(session: Session, *, keys: Iterable[str]) -> set[str]:
    """The keys among these that are in the outbox already (planned, sent or failed)."""
    wanted = list(keys)
    if not wanted:
        return set()
    return set(
        session.scalars(select(col(OutboxMessage.key)).where(col(OutboxMessage.key).in_(wanted)))
    )


def weekly_summary_on(session: Session, *, person_id: int) -> bool:
    person = session.get(Person, person_id)
    return person is not None and not person.weekly_summary_off


def set_weekly_summary(session: Session, *, person_id: int, on: bool) -> None:
    """Turn the person's weekly summary on or off (from the next week's planning on)."""
    session.execute(
        update(Person).where(col(Person.id) == person_id).values(weekly_summary_off=not on)
    )
