"""The checks that need the whole sheet, and the order a sheet is kept in.

Every parent found (by code in any case, or by name), no unit its own ancestor, officers
pointing at defined units, one person per phone; units parent-first so that the import can
link each unit to a parent it has already written.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TypeVar

from schedules.folding import fold_key
from schedules.phones import display_phone
from schedules.roster_sheet.columns import clean_cell
from storage.roster import OfficerRow, RosterSheet, UnitRow

_T = TypeVar("_T")

Report = Callable[[int, str], None]
"""Where a check reports a problem: the line and the message."""


def link_parents(units: Sequence[UnitRow], heading: str, report: Report) -> list[UnitRow]:
    """Each parent cell resolved to a unit of the file: a code in any case (` h1 ` is "H1")
    or a unit's name (`LĐLĐ huyện Ví Dụ`, diacritics optional); one that matches nothing, or
    a name two units share, is reported with the closest codes and names. `heading` is the
    file's own heading of the parent column."""
    by_code = {unit.code.casefold(): unit for unit in units}
    by_name: dict[str, list[UnitRow]] = {}  # built the first time a parent is not a code

    def named_like(given: str) -> list[UnitRow]:
        if not by_name:
            for unit in units:
                by_name.setdefault(fold_key(unit.name), []).append(unit)
        return by_name.get(fold_key(given), [])

    suggester = _Suggester(units)
    linked: list[UnitRow] = []
    for unit in units:
        given = unit.parent_code
        if given is None:
            linked.append(unit)
            continue
        found = by_code.get(given.casefold())
        named = named_like(given) if found is None else []
        if found is None and len(named) == 1:
            found = named[0]
        if found is not None:
            if found.code != given:
                unit = replace(unit, parent_code=found.code)
            linked.append(unit)
            continue
        if len(named) > 1:
            listed = ", ".join(f'"{u.code}" (dòng {u.line})' for u in named[:5])
            report(
                unit.line,
                f'Cấp trên "{given}" của đơn vị "{unit.code}" (cột {heading}) trùng tên với '
                f"{len(named)} đơn vị: {listed}. Hãy ghi mã của đơn vị cấp trên.",
            )
        else:
            report(
                unit.line,
                f'Cấp trên "{given}" của đơn vị "{unit.code}" (cột {heading}) không khớp mã '
                "hay tên đơn vị nào trong tệp (đơn vị cấp trên phải có trong cùng tệp)."
                + suggester.hint(given, besides=unit.code),
            )
        linked.append(unit)
    return linked


def check_links(units: Sequence[UnitRow], report: Report) -> None:
    """No unit its own ancestor (parents already linked by `link_parents`)."""
    by_code = {unit.code: unit for unit in units}
    for unit in units:
        if unit.parent_code == unit.code:
            report(unit.line, f'Đơn vị "{unit.code}" có cấp trên là chính nó.')

    # Walk up from every unit; a walk that meets itself is a cycle, reported once at its
    # earliest line and naming every unit on it.
    state: dict[str, int] = {}  # 1: on the current walk, 2: finished
    for unit in units:
        path: list[str] = []
        code: str | None = unit.code
        while code is not None and code in by_code and state.get(code) is None:
            state[code] = 1
            path.append(code)
            parent = by_code[code].parent_code
            code = parent if parent != code else None
        if code is not None and state.get(code) == 1:
            ring = path[path.index(code) :]
            members = [by_code[c] for c in ring]
            start = min(range(len(members)), key=lambda i: members[i].line)
            ordered = members[start:] + members[:start]
            chain = " → ".join(f'"{m.code}" (dòng {m.line})' for m in ordered)
            report(
                ordered[0].line,
                f'Vòng lặp cấp trên: {chain} → "{ordered[0].code}". '
                "Một đơn vị không thể là cấp trên của chính cấp trên mình.",
            )
        for c in path:
            state[c] = 2


def check_officers(
    units: Sequence[UnitRow],
    officers: Sequence[OfficerRow],
    officer_refs: Sequence[tuple[int, str]],
    defined: dict[str, str],
    report: Report,
) -> list[OfficerRow]:
    """Officer rows point at a defined unit (any case: `ldld-h01` is "LDLD-H01"); one person
    per phone; no officer listed twice. The officers come back with the unit's own spelling.

    `officer_refs` are the (line, unit code) of officer-only rows; `defined` maps each unit
    code, case-folded, to its spelling in the file.
    """
    suggester = _Suggester(units)
    for line, code in officer_refs:
        if code.casefold() not in defined:
            report(
                line,
                f'Dòng cán bộ thuộc mã đơn vị "{code}", nhưng mã này không được khai báo '
                "ở dòng nào trong tệp." + suggester.hint(code),
            )
    officers = [
        replace(o, unit_code=defined[o.unit_code.casefold()])
        if o.unit_code.casefold() in defined and defined[o.unit_code.casefold()] != o.unit_code
        else o
        for o in officers
    ]

    listed: dict[tuple[str, str], int] = {}
    for officer in officers:
        key = (officer.unit_code, officer.phone)
        if key in listed:
            report(
                officer.line,
                f"Cán bộ có số {display_phone(officer.phone)} đã được khai báo cho đơn vị "
                f'"{officer.unit_code}" ở dòng {listed[key]}.',
            )
        else:
            listed[key] = officer.line

    # The database keeps one person per phone: the same number under two names is a typo
    # (or two people sharing a phone), and the import could not tell whose it is.
    owner: dict[str, tuple[str, int]] = {}
    people = [(u.line, u.chair_name, u.chair_phone) for u in units]
    people += [(o.line, o.full_name, o.phone) for o in officers]
    for line, name, phone in sorted(people, key=lambda p: p[0]):
        if name is None or phone is None:
            continue
        if phone not in owner:
            owner[phone] = (name, line)
        elif _key_name(owner[phone][0]) != _key_name(name):
            first_name, first_line = owner[phone]
            report(
                line,
                f'Số điện thoại {display_phone(phone)} đã thuộc về "{first_name}" ở dòng '
                f'{first_line}, ở đây lại ghi "{name}". Mỗi số điện thoại chỉ của một người.',
            )
    return officers


def in_sheet_order(units: Sequence[UnitRow], officers: Sequence[OfficerRow]) -> RosterSheet:
    """Units parent-first (file order kept wherever it already is), officers grouped by unit."""
    ordered = parent_first(units, lambda u: u.code, lambda u: u.parent_code)
    position = {unit.code: index for index, unit in enumerate(ordered)}
    grouped = sorted(officers, key=lambda o: (position[o.unit_code], o.line))
    return RosterSheet(units=tuple(ordered), officers=tuple(grouped))


def parent_first(
    items: Sequence[_T], code_of: Callable[[_T], str], parent_of: Callable[[_T], str | None]
) -> list[_T]:
    """Each item after its parent; an item whose parent is absent counts as a root."""
    by_code = {code_of(item): item for item in items}
    done: set[str] = set()
    ordered: list[_T] = []
    for item in items:
        chain: list[_T] = []
        current: _T | None = item
        while current is not None and code_of(current) not in done:
            chain.append(current)
            done.add(code_of(current))  # also guards against a cycle in unchecked input
            parent = parent_of(current)
            current = by_code.get(parent) if parent is not None else None
        ordered.extend(reversed(chain))
    return ordered


def _key_name(name: str) -> str:
    return clean_cell(name).casefold()


class _Suggester:
    """The codes and names closest to what a person typed, for "Có phải …?" (difflib: the
    standard library's matcher is enough for a hint, and only the first few are looked up
    so that a file wrong on every row stays quick)."""

    LOOKUPS = 20

    def __init__(self, units: Sequence[UnitRow]) -> None:
        self._units = units
        self._keys: dict[str, UnitRow] | None = None
        self._asked = 0

    def hint(self, given: str, besides: str | None = None) -> str:
        """The « Có phải …?» hint: up to three units, never `besides` (the row's own unit)."""
        self._asked += 1
        if self._asked > self.LOOKUPS:
            return ""
        if self._keys is None:
            self._keys = {}
            for unit in self._units:
                self._keys.setdefault(fold_key(unit.code), unit)
                self._keys.setdefault(fold_key(unit.name), unit)
        close = difflib.get_close_matches(fold_key(given), list(self._keys), n=4, cutoff=0.6)
        found = dict.fromkeys(self._keys[key] for key in close)
        units = [unit for unit in found if unit.code != besides][:3]
        if not units:
            return ""
        return " Có phải " + " hay ".join(f'"{u.code}" ({u.name})' for u in units) + "?"
