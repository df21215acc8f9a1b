"""Who a notice reaches: the audience resolved in SQL, one query per kind (the whole branch,
one level of it, listed units, the units not done on a task), so a branch of thousands of
units costs one round trip. A recipient is the reachable account of a unit's current chair
(`storage.chair_reach`); a unit without one counts as "no account"."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session, col

from storage.chair_reach import chair_accounts
from storage.models import Assignment, ChannelAccount, Progress, Unit


@dataclass(frozen=True, slots=True)
class Audience:
    """Who a notice would reach: the units, and per unit the chair's account or None."""

    unit_ids: tuple[int, ...]
    recipients: dict[int, int]  # account id → the (first) unit it is reached for
    no_account_unit_ids: tuple[int, ...]

    @property
    def units(self) -> int:
        return len(self.unit_ids)


@dataclass(frozen=True, slots=True)
class BranchUnit:
    id: int
    code: str
    name: str
    level: str
    parent_id: int | None


def _tree(root_ids: Sequence[int] | None) -> Any:
    """The ids of the roots and everything below them (all units when `root_ids` is None)."""
    start: Any = select(col(Unit.id).label("id"))
    start = (
        start.where(col(Unit.parent_id).is_(None))
        if root_ids is None
        else start.where(col(Unit.id).in_(list(root_ids)))
    )
    tree = start.cte("tree", recursive=True)
    return tree.union_all(select(col(Unit.id)).where(col(Unit.parent_id) == tree.c.id))


def branch_units(session: Session, *, root_ids: Sequence[int] | None) -> list[BranchUnit]:
    """The live units below the roots (not the roots themselves), by code; None: the tree."""
    tree = _tree(root_ids)
    query = select(
        col(Unit.id), col(Unit.code), col(Unit.name), col(Unit.level), col(Unit.parent_id)
    ).where(col(Unit.id).in_(select(tree.c.id)), col(Unit.archived_at).is_(None))
    if root_ids is not None:
        query = query.where(col(Unit.id).not_in(list(root_ids)))
    return [BranchUnit(*row) for row in session.execute(query.order_by(col(Unit.code))).all()]


def levels_below(session: Session, *, root_ids: Sequence[int] | None) -> list[str]:
    """The level labels found below the roots, the most numerous first."""
    tree = _tree(root_ids)
    query = (
        select(col(Unit.level), func.count())
        .where(
            col(Unit.id).in_(select(tree.c.id)),
            col(Unit.archived_at).is_(None),
            col(Unit.level) != "",
        )
        .group_by(col(Unit.level))
        .order_by(func.count().desc(), col(Unit.level))
    )
    if root_ids is not None:
        query = query.where(col(Unit.id).not_in(list(root_ids)))
    return [level for level, _ in session.execute(query).all()]


def _audience_ids(
    *,
    root_ids: Sequence[int] | None,
    kind: str,
    level: str = "",
    unit_ids: Sequence[int] = (),
    task_id: int | None = None,
) -> Any:
    """A selectable of the audience's unit ids, for one kind of audience."""
    tree = _tree(root_ids)
    below = select(tree.c.id)
    if root_ids is not None:
        below = below.where(tree.c.id.not_in(list(root_ids)))
    if kind == "branch":
        return below
    if kind == "level":
        return select(col(Unit.id)).where(col(Unit.id).in_(below), col(Unit.level) == level)
    if kind == "units":
        return select(col(Unit.id)).where(col(Unit.id).in_(list(unit_ids)), col(Unit.id).in_(below))
    if kind == "late":
        return select(col(Assignment.unit_id)).where(
            col(Assignment.task_id) == task_id,
            col(Assignment.progress) != Progress.DONE,
            col(Assignment.unit_id).in_(select(tree.c.id)),
        )
    raise ValueError(f"unknown audience kind {kind!r}")


def task_reaches(session: Session, *, task_id: int, root_ids: Sequence[int] | None) -> bool:
    """Whether the task was given to any unit of the branch."""
    tree = _tree(root_ids)
    found = session.scalar(
        select(col(Assignment.id))
        .where(col(Assignment.task_id) == task_id, col(Assignment.unit_id).in_(select(tree.c.id)))
        .limit(1)
    )
    return found is not None


def resolve(
    session: Session,
    *,
    root_ids: Sequence[int] | None,
    kind: str,
    level: str = "",
    unit_ids: Sequence[int] = (),
    task_id: int | None = None,
) -> Audience:
    """The audience's live units with their chairs' reachable accounts, in one query."""
    postgres = session.get_bind().dialect.name == "postgresql"
    chairs = chair_accounts(postgres)
    ids = _audience_ids(
        root_ids=root_ids, kind=kind, level=level, unit_ids=unit_ids, task_id=task_id
    )
    rows = session.execute(
        select(col(Unit.id), chairs.c.account_id)
        .outerjoin(chairs, chairs.c.unit_id == col(Unit.id))
        .where(col(Unit.id).in_(ids), col(Unit.archived_at).is_(None))
        .order_by(col(Unit.code))
    ).all()
    recipients: dict[int, int] = {}
    missing: list[int] = []
    for unit_id, account_id in rows:
        if account_id is None:
            missing.append(unit_id)
        else:
            recipients.setdefault(account_id, unit_id)
    return Audience(tuple(unit_id for unit_id, _ in rows), recipients, tuple(missing))


def units_named(session: Session, *, unit_ids: Iterable[int]) -> list[tuple[str, str]]:
    """(code, name) of the units, by code."""
    ids = list(unit_ids)
    if not ids:
        return []
    return [
        (code, name)
        for code, name in session.execute(
            select(col(Unit.code), col(Unit.name))
            .where(col(Unit.id).in_(ids))
            .order_by(col(Unit.code))
        ).all()
    ]


def channels_of(session: Session, *, account_ids: Iterable[int]) -> set[str]:
    """The channels (telegram, zalo) the accounts are on: a long notice to Zalo alone is
    refused, not split."""
    ids = list(account_ids)
    if not ids:
        return set()
    return set(
        session.scalars(
            select(col(ChannelAccount.channel)).where(col(ChannelAccount.id).in_(ids)).distinct()
        )
    )
