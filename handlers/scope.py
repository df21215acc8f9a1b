"""Who may act on which units: an officer on their unit's branch, an administrator on all."""

from __future__ import annotations

from handlers.context import Turn
from storage import units
from storage.models import Unit


def find_unit_in_scope(turn: Turn, code: str) -> tuple[Unit | None, str | None]:
    """The unit with this code if the officer may act on it; otherwise a Vietnamese reason.

    A unit outside the branch is answered exactly like an unknown one, so an officer cannot
    probe another district's codes.
    """
    unit = units.get_unit_by_code(
        turn.session, code=code.strip().upper()
    ) or units.get_unit_by_code(turn.session, code=code.strip())
    standing = turn.standing
    if (
        unit is None
        or unit.id is None
        or unit.archived_at is not None
        or standing is None
        or not (
            standing.is_admin
            or units.is_within(turn.session, unit_id=unit.id, root_ids=standing.officer_unit_ids)
        )
    ):
        return None, f"Không tìm thấy đơn vị mã «{code}» trong phạm vi anh/chị phụ trách."
    return unit, None


def home_unit(turn: Turn) -> Unit | None:
    """The unit an officer acts for when a command names none (their first appointment)."""
    standing = turn.standing
    if standing is None or not standing.officer_unit_ids:
        return None
    return units.get_unit(turn.session, unit_id=standing.officer_unit_ids[0])


def scope_unit_ids(turn: Turn) -> list[int]:
    """Every unit the officer may see: the union of their branches (all units for an admin)."""
    standing = turn.standing
    if standing is None:
        return []
    if standing.is_admin:
        return units.all_unit_ids(turn.session)
    ids: dict[int, None] = {}
    for root in standing.officer_unit_ids:
        ids.update(dict.fromkeys(units.subtree_ids(turn.session, root_id=root)))
    return list(ids)
