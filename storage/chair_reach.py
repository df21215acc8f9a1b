"""Which units have a chair the bot can write to: the SQL pieces the reminder queries join."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from storage.models import AccountState, Appointment, Assignment, ChannelAccount, Role
from storage.reach import last_used_first


def _current_chair_with_active_account() -> ColumnElement[bool]:
    """For a join of appointments to their person's accounts: a current chair's live account."""
    return (
        (col(Appointment.role) == Role.CHAIR)
        & col(Appointment.ended_at).is_(None)
        & (col(ChannelAccount.state) == AccountState.ACTIVE)
    )


def chair_accounts(postgres: bool) -> Any:
    """Per unit, the active account of its current chair, the one used last
    (`storage.reach`: one copy per person): a derived
    table that the database joins in one hash join (a correlated subquery per assignment
    costs seconds at national scale). PostgreSQL gets DISTINCT ON, which it estimates
    well; SQLite a window function."""
    if postgres:
        return (
            select(
                col(Appointment.unit_id).label("unit_id"),
                col(ChannelAccount.id).label("account_id"),
            )
            .join(ChannelAccount, col(ChannelAccount.person_id) == col(Appointment.person_id))
            .where(_current_chair_with_active_account())
            .ext(distinct_on(col(Appointment.unit_id)))
            .order_by(col(Appointment.unit_id), *last_used_first())
            .subquery("chairs")
        )
    ranked = (
        select(
            col(Appointment.unit_id).label("unit_id"),
            col(ChannelAccount.id).label("account_id"),
            func.row_number()
            .over(
                partition_by=col(Appointment.unit_id),
                order_by=last_used_first(),
            )
            .label("rank"),
        )
        .join(ChannelAccount, col(ChannelAccount.person_id) == col(Appointment.person_id))
        .where(_current_chair_with_active_account())
        .subquery()
    )
    return (
        select(ranked.c.unit_id, ranked.c.account_id).where(ranked.c.rank == 1).subquery("chairs")
    )


def has_reachable_chair() -> ColumnElement[bool]:
    """The assignment's unit has a chair the bot can write to."""
    reachable = (
        select(col(Appointment.unit_id))
        .join(ChannelAccount, col(ChannelAccount.person_id) == col(Appointment.person_id))
        .where(_current_chair_with_active_account())
    )
    return col(Assignment.unit_id).in_(reachable)
