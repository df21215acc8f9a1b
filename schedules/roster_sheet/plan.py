"""What importing a sheet would change, worked out before anything is written: units added,
restored, renamed, moved, re-levelled and archived; chairs replaced or given; officers and
administrators added or removed; people renamed.

`storage.roster.apply_roster` makes the same decisions (tests hold the two to each other);
the plan exists so that an import that would archive units or take a role from anyone is
shown first and applied only when the administrator says so (`--yes`): a re-import of a
one-row file must not archive the rest of the tree by surprise.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from storage.models import Role
from storage.roster import RosterSheet, align_codes
from storage.roster_state import Holder, RosterState


@dataclass(frozen=True, slots=True)
class UnitChange:
    """A unit and one of its values before and after (a name, a parent code, a level)."""

    code: str
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class ChairChange:
    """A unit's chairs: `before` are ended (empty when the unit had none), `after` start."""

    code: str
    unit_name: str
    before: tuple[str, ...]
    after: str


@dataclass(frozen=True, slots=True)
class RoleChange:
    """An officer (unit code) or administrator (code None) who starts or stops."""

    code: str | None
    full_name: str
    role: str


@dataclass(slots=True)
class RosterPlan:
    units_in_file: int = 0
    units_now: int = 0  # units not archived before the import
    added: list[tuple[str, str]] = field(default_factory=list)  # (code, name)
    restored: list[tuple[str, str]] = field(default_factory=list)
    renamed: list[UnitChange] = field(default_factory=list)
    moved: list[UnitChange] = field(default_factory=list)  # parent codes, "" for a root
    relevelled: list[UnitChange] = field(default_factory=list)
    archived: list[tuple[str, str]] = field(default_factory=list)
    chairs_replaced: list[ChairChange] = field(default_factory=list)
    chairs_given: list[ChairChange] = field(default_factory=list)  # existing units only
    roles_added: list[RoleChange] = field(default_factory=list)
    roles_removed: list[RoleChange] = field(default_factory=list)
    people_renamed: list[UnitChange] = field(default_factory=list)  # code field: the phone

    @property
    def unbound(self) -> int:
        """Roles the import ends: chairs replaced, officers and administrators removed."""
        return sum(len(c.before) for c in self.chairs_replaced) + len(self.roles_removed)

    @property
    def needs_confirmation(self) -> bool:
        """Archives a unit or takes a role from someone: applied only with `--yes`."""
        return bool(self.archived) or self.unbound > 0

    @property
    def archives_everything(self) -> bool:
        """No unit in use stays: most likely the wrong file, or codes that changed."""
        return self.units_now > 0 and len(self.archived) == self.units_now

    @property
    def changes_nothing(self) -> bool:
        return not any(
            (
                self.added, self.restored, self.renamed, self.moved, self.relevelled,
                self.archived, self.chairs_replaced, self.chairs_given, self.roles_added,
                self.roles_removed, self.people_renamed,
            )
        )  # fmt: skip


def plan_roster(sheet: RosterSheet, state: RosterState) -> RosterPlan:
    """The plan of importing `sheet` over `state` (`storage.roster_state.load_roster_state`)."""
    sheet = align_codes(sheet, state.units)
    plan = RosterPlan(units_in_file=len(sheet.units), units_now=len(state.active_codes))
    listed = {unit.code for unit in sheet.units}
    for row in sheet.units:
        now = state.units.get(row.code)
        if now is None:
            plan.added.append((row.code, row.name))
            continue
        if now.archived:
            plan.restored.append((row.code, row.name))
        if now.name != row.name:
            plan.renamed.append(UnitChange(row.code, now.name, row.name))
        if now.parent_code != row.parent_code:
            plan.moved.append(UnitChange(row.code, now.parent_code or "", row.parent_code or ""))
        if now.level != (row.level or ""):
            plan.relevelled.append(UnitChange(row.code, now.level, row.level or ""))
        if row.chair_name or row.chair_phone:
            _plan_chair(plan, row.code, row.name, row.chair_name or "", row.chair_phone, state)
    plan.archived = [
        (code, unit.name)
        for code, unit in state.units.items()
        if not unit.archived and code not in listed
    ]
    _plan_roles(plan, sheet, state, listed)
    _plan_names(plan, sheet, state)
    return plan


def _plan_chair(
    plan: RosterPlan, code: str, unit_name: str, name: str, phone: str | None, state: RosterState
) -> None:
    """As `apply_roster`: a chair with a phone is that person; a chair by name only is the
    current chair of that name, if any; every other current chair of the unit is ended."""
    current = state.holders.get((code, Role.CHAIR.value), [])

    def same(holder: Holder) -> bool:
        return holder.phone == phone if phone else holder.full_name == name

    kept = next((holder for holder in current if same(holder)), None)
    ended = tuple(holder.full_name for holder in current if holder is not kept)
    if ended:
        plan.chairs_replaced.append(ChairChange(code, unit_name, ended, name))
    elif kept is None:
        plan.chairs_given.append(ChairChange(code, unit_name, (), name))


def _plan_roles(plan: RosterPlan, sheet: RosterSheet, state: RosterState, listed: set[str]) -> None:
    """Officers and administrators by phone; people without a phone (bound by invite code)
    cannot be listed, so they keep their roles; a unit left out keeps its officers (it is
    archived, its history stays)."""
    wanted: dict[tuple[str | None, str], dict[str, str]] = {}
    for officer in sheet.officers:
        code = None if officer.role == Role.ADMIN else officer.unit_code
        wanted.setdefault((code, officer.role.value), {})[officer.phone] = officer.full_name
    keys = set(wanted) | {
        key
        for key in state.holders
        if key[1] != Role.CHAIR.value and (key[0] in listed or key[0] is None)
    }
    for key in sorted(keys, key=lambda k: (k[0] or "", k[1])):
        code, role = key
        phones = wanted.get(key, {})
        holders = state.holders.get(key, [])
        held = {holder.phone for holder in holders}
        plan.roles_removed.extend(
            RoleChange(code, holder.full_name, role)
            for holder in holders
            if holder.phone is not None and holder.phone not in phones
        )
        plan.roles_added.extend(
            RoleChange(code, name, role) for phone, name in phones.items() if phone not in held
        )


def _plan_names(plan: RosterPlan, sheet: RosterSheet, state: RosterState) -> None:
    """People the sheet names by a known phone under another name are renamed."""
    seen: set[str] = set()
    people = [(u.chair_phone, u.chair_name) for u in sheet.units]
    people += [(o.phone, o.full_name) for o in sheet.officers]
    for phone, name in people:
        if phone is None or not name or phone in seen:
            continue
        seen.add(phone)
        before = state.names_by_phone.get(phone)
        if before is not None and before != name:
            plan.people_renamed.append(UnitChange(phone, before, name))
