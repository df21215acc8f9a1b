"""Queries over the union tree."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlmodel import Session, col

from storage.models import Unit


def get_unit(session: Session, *, unit_id: int) -> Unit | None:
    return session.get(Unit, unit_id)


def get_unit_by_code(session: Session, *, code: str) -> Unit | None:
    return session.scalars(select(Unit).where(col(Unit.code) == code)).first()


def subtree_ids(session: Session, *, root_id: int, include_archived: bool = False) -> list[int]:
    """The ids of a unit and everything below it, at any depth (a recursive query)."""
    tree = select(col(Unit.id)).where(col(Unit.id) == root_id).cte("tree", recursive=True)
    tree = tree.union_all(select(col(Unit.id)).where(col(Unit.parent_id) == tree.c.id))
    query = select(col(Unit.id)).where(col(Unit.id).in_(select(tree.c.id)))
    if not include_archived:
        query = query.where(col(Unit.archived_at).is_(None))
    return [unit_id for unit_id in session.scalars(query) if unit_id is not None]


def is_within(session: Session, *, unit_id: int, root_ids: Iterable[int]) -> bool:
    """Whether `unit_id` is one of `root_ids` or below one of them (walks up the tree)."""
    roots = set(root_ids)
    seen: set[int] = set()
    current: int | None = unit_id
    while current is not None and current not in seen:
        if current in roots:
            return True
        seen.add(current)
        current = session.scalar(select(col(Unit.parent_id)).where(col(Unit.id) == current))
    return False


def units_by_ids(session: Session, *, unit_ids: Iterable[int]) -> list[Unit]:
    ids = list(unit_ids)
    if not ids:
        return []
    return list(session.scalars(select(Unit).where(col(Unit.id).in_(ids)).order_by(Unit.code)))


def all_unit_ids(session: Session) -> list[int]:
    return [
        unit_id
        for unit_id in session.scalars(select(col(Unit.id)).where(col(Unit.archived_at).is_(None)))
        if unit_id is not None
    ]
