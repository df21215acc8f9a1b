"""Who answers for a unit's assignments: the one rule, in one place.

A task given to a unit is the business of the people who hold a role AT that unit (not
above it): its current chair and the officers appointed to it. A grassroots union has a
chair; a district federation or a sector union usually has officers and may have a chair.
They all get the reminders of the unit's assignments, see them in `/viec` and may report for
the unit (docs/passing-down.md). The rule is used twice, in the same words: in Python for a
person's standing (`answering_units`), and in SQL for the reminder planner
(`answerer_accounts`, `has_reachable_answerer`).

The chair keeps the reminder's historical key `reminder:{assignment}:{step}`; each officer's
copy adds `:p{person}`, so re-planning is idempotent per person and one person gets one copy
(on their account used last, `storage.reach`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Integer, String, case, cast, func, literal, null, select, union_all
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col

from storage.chair_reach import chair_accounts
from storage.models import AccountState, Appointment, Assignment, ChannelAccount, Role
from storage.reach import last_used_first

# The roles, held at the unit itself, that answer for its assignments.
ANSWERING_ROLES: tuple[Role, ...] = (Role.CHAIR, Role.OFFICER)


def answering_units(roles: Iterable[tuple[str, int | None]]) -> tuple[int, ...]:
    """Of a person's current (role, unit) appointments, the units they answer for."""
    units = (unit for role, unit in roles if role in ANSWERING_ROLES and unit is not None)
    return tuple(dict.fromkeys(units))


def _live(roles: tuple[Role, ...]) -> ColumnElement[bool]:
    return (
        col(Appointment.role).in_(roles)
        & col(Appointment.ended_at).is_(None)
        & (col(ChannelAccount.state) == AccountState.ACTIVE)
    )


def answerer_accounts(postgres: bool) -> Any:
    """Per unit, the accounts its reminders go to: (unit_id, account_id, person_id) with
    person_id NULL for the chair's copy (`storage.chair_reach`, one per unit) and set for
    each officer of the unit (their account used last)."""
    chairs = chair_accounts(postgres)
    officer_roles = tuple(role for role in ANSWERING_ROLES if role != Role.CHAIR)
    ranked = (
        select(
            col(Appointment.unit_id).label("unit_id"),
            col(ChannelAccount.id).label("account_id"),
            col(Appointment.person_id).label("person_id"),
            func.row_number()
            .over(partition_by=col(Appointment.id), order_by=last_used_first())
            .label("rank"),
        )
        .join(ChannelAccount, col(ChannelAccount.person_id) == col(Appointment.person_id))
        .where(_live(officer_roles))
        .subquery()
    )
    officers = select(ranked.c.unit_id, ranked.c.account_id, ranked.c.person_id).where(
        ranked.c.rank == 1
    )
    chair_rows = select(
        chairs.c.unit_id, chairs.c.account_id, null().cast(Integer).label("person_id")
    )
    return union_all(chair_rows, officers).subquery("answerers")


def copy_suffix(person_id: Any) -> Any:
    """The end of an outbox key that tells the officers' copies apart (empty for the chair)."""
    return case((person_id.is_(None), literal("")), else_=literal(":p") + cast(person_id, String))


def has_reachable_answerer() -> ColumnElement[bool]:
    """The assignment's unit has someone answering for it whom the bot can write to."""
    reachable = (
        select(col(Appointment.unit_id))
        .join(ChannelAccount, col(ChannelAccount.person_id) == col(Appointment.person_id))
        .where(_live(ANSWERING_ROLES))
    )
    return col(Assignment.unit_id).in_(reachable)


def units_answered_by_officers(session: Session, *, unit_ids: Iterable[int]) -> set[int]:
    """Of these units, those with an officer of their own whom the bot can write to: they
    are reached without a chair (a summary does not list them as waiting for one)."""
    ids = list(unit_ids)
    found: set[int] = set()
    for start in range(0, len(ids), 500):  # stay under the database's parameter limit
        found.update(
            unit_id
            for unit_id in session.scalars(
                select(col(Appointment.unit_id))
                .join(ChannelAccount, col(ChannelAccount.person_id) == col(Appointment.person_id))
                .where(
                    _live(tuple(role for role in ANSWERING_ROLES if role != Role.CHAIR)),
                    col(Appointment.unit_id).in_(ids[start : start + 500]),
                )
            )
            if unit_id is not None
        )
    return found
