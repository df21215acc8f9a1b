"""Who may act on which units: an officer on their unit's branch, an administrator on all.

`may_act_on` is the one permission check (give work, read a summary, invite a chair);
`may_steer` narrows it for passing a unit's task down and reporting it up; the rest find the
unit a command names, by code or by name, within that scope.
"""

from __future__ import annotations

from handlers.context import Turn
from schedules.folding import fold
from storage import answerers, branch_facts, registration, units
from storage.models import Unit

MAX_SUGGESTED = 5


def may_act_on(turn: Turn, *, unit_id: int) -> bool:
    """Whether the person asking may act on this unit: an administrator anywhere in the
    tree, an officer within the branches they run, nobody else."""
    standing = turn.standing
    if standing is None:
        return False
    return standing.is_admin or units.is_within(
        turn.session, unit_id=unit_id, root_ids=standing.officer_unit_ids
    )


def may_steer(turn: Turn, *, unit_id: int) -> bool:
    """Whether the person may pass this unit's tasks down and report them up for it
    (docs/passing-down.md): an officer of the unit; an administrator anywhere; an officer of
    a branch (`may_act_on`) for a unit in it with no officer of its own the bot can reach —
    a unit whose own officer acts is left to them, so two people never steer one task."""
    standing = turn.standing
    if standing is None:
        return False
    if standing.is_admin or unit_id in standing.officer_unit_ids:
        return True
    return may_act_on(turn, unit_id=unit_id) and not answerers.units_answered_by_officers(
        turn.session, unit_ids=[unit_id]
    )


def find_unit_in_scope(turn: Turn, code: str) -> tuple[Unit | None, str | None]:
    """The unit this code (or name, with or without diacritics) names if the person may act
    on it; otherwise a Vietnamese reason, with suggestions when a name fits several units.

    A unit outside the branch is answered exactly like an unknown one, so an officer cannot
    probe another district's codes.
    """
    wanted = " ".join(code.split())
    unknown = f"Không tìm thấy đơn vị «{wanted[:60]}» trong phạm vi anh/chị phụ trách."
    unit = units.get_unit_by_code(turn.session, code=wanted.upper()) or units.get_unit_by_code(
        turn.session, code=wanted
    )
    if unit is not None and unit.id is not None and unit.archived_at is None:
        return (unit, None) if may_act_on(turn, unit_id=unit.id) else (None, unknown)
    found = _units_named(turn, wanted)
    if len(found) == 1:
        return found[0], None
    if not found:
        return None, unknown
    listed = "\n".join(f"• {unit.name}: mã {unit.code}" for unit in found[:MAX_SUGGESTED])
    more = f"\n… và {len(found) - MAX_SUGGESTED} đơn vị khác" if len(found) > MAX_SUGGESTED else ""
    return None, (
        f"Có {len(found)} đơn vị có tên như «{wanted[:60]}»:\n{listed}{more}\n"
        "Anh/chị ghi mã đơn vị để chọn đúng một."
    )


def _units_named(turn: Turn, wanted: str) -> list[Unit]:
    """Units in scope whose name is the text (compared without diacritics or case), else
    whose name contains it (three letters at least)."""
    folded = " ".join(fold(wanted).split())
    if len(folded) < 3:
        return []
    named = [
        (unit_id, " ".join(fold(name).split()))
        for unit_id, _, name in registration.active_units(turn.session)
    ]
    exact = [unit_id for unit_id, name in named if name == folded]
    ids = exact or [unit_id for unit_id, name in named if folded in name]
    # One walk of the officer's branches, not one walk up the tree per unit that matched.
    scope = set(scope_unit_ids(turn))
    allowed = [unit_id for unit_id in ids if unit_id in scope]
    return sorted(units.units_by_ids(turn.session, unit_ids=allowed), key=lambda u: u.code)


def home_unit(turn: Turn) -> Unit | None:
    """The unit an officer acts for when a command names none: their first appointment; for
    an administrator without one, the root of the tree when there is only one."""
    standing = turn.standing
    if standing is None:
        return None
    if not standing.officer_unit_ids:
        roots = branch_facts.top_unit_ids(turn.session) if standing.is_admin else []
        return units.get_unit(turn.session, unit_id=roots[0]) if len(roots) == 1 else None
    return units.get_unit(turn.session, unit_id=standing.officer_unit_ids[0])


def no_home_unit(turn: Turn) -> str:
    """Why a command that names no unit cannot run: an administrator is asked to name one."""
    if turn.standing is not None and turn.standing.is_admin:
        return (
            "Anh/chị là quản trị hệ thống: xin ghi mã hoặc tên đơn vị nhận việc, "
            "ví dụ /giaoviec LDLD-HUYEN 20/12/2026 Nội dung việc."
        )
    return "Anh/chị chưa được phân công phụ trách đơn vị nào."


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
