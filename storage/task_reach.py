"""Which units a task given at a branch reaches: the one rule, in one place.

A directive or a `/giaoviec` given by a unit's officer goes to the units DIRECTLY below it
(`Reach.CHILDREN`): a district federation or a sector union receives it, and its officers
pass it on to their own units (docs/passing-down.md) with an earlier deadline. `EVERY_LEVEL`
(everything below, at any depth) is kept for a choice made on purpose — a pass-down «cấp
CĐCS», for instance, is a level, not a reach. The intake's «đơn vị tất cả», `/giaoviec`
and passing down all ask here.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import select
from sqlmodel import Session, col

from storage.models import Unit
from storage.units import subtree_ids


class Reach(StrEnum):
    CHILDREN = "children"  # the units directly below
    EVERY_LEVEL = "every_level"  # everything below, at any depth


DEFAULT_REACH = Reach.CHILDREN

REACH_WORDS = {
    Reach.CHILDREN: "các đơn vị trực thuộc trực tiếp",
    Reach.EVERY_LEVEL: "mọi đơn vị ở mọi cấp bên dưới",
}


def reached_unit_ids(session: Session, *, root_id: int, reach: Reach = DEFAULT_REACH) -> list[int]:
    """The units (not archived, the root left out) a task given at `root_id` reaches."""
    if reach == Reach.EVERY_LEVEL:
        return [unit_id for unit_id in subtree_ids(session, root_id=root_id) if unit_id != root_id]
    return [
        unit_id
        for unit_id in session.scalars(
            select(col(Unit.id))
            .where(col(Unit.parent_id) == root_id, col(Unit.archived_at).is_(None))
            .order_by(col(Unit.code))
        )
        if unit_id is not None
    ]


def units_below(session: Session, *, root_id: int) -> list[Unit]:
    """Every unit below `root_id` (not archived), at any depth, by code: what a pass-down
    chooses a level or listed units from."""
    ids = [unit_id for unit_id in subtree_ids(session, root_id=root_id) if unit_id != root_id]
    if not ids:
        return []
    return list(session.scalars(select(Unit).where(col(Unit.id).in_(ids)).order_by(col(Unit.code))))
