"""The checks that need the whole sheet, and the order a sheet is kept in.

Every parent defined, no unit its own ancestor, officers pointing at defined units, one
person per phone; units parent-first so that the import can link each unit to a parent it
has already written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from schedules.phones import display_phone
from schedules.roster_sheet.columns import clean_cell
from storage.roster import OfficerRow, RosterSheet, UnitRow

_T = TypeVar("_T")

Report = Callable[[int, str], None]
"""Where a check reports a problem: the line and the message."""


def check_links(units: Sequence[UnitRow], report: Report) -> None:
    """Every parent defined, no unit its own ancestor."""
    by_code = {unit.code: unit for unit in units}
    folded = _folded(by_code)
    for unit in units:
        if unit.parent_code is None:
            continue
        if unit.parent_code == unit.code:
            report(unit.line, f'Đơn vị "{unit.code}" có mã cấp trên là chính nó.')
        elif unit.parent_code not in by_code:
            report(
                unit.line,
                f'Mã cấp trên "{unit.parent_code}" của đơn vị "{unit.code}" không có trong tệp '
                "(đơn vị cấp trên phải được khai báo trong cùng tệp)."
                + _did_you_mean(unit.parent_code, folded),
            )

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
    defined: dict[str, int],
    report: Report,
) -> None:
    """Officer rows point at a defined unit; one person per phone; no officer listed twice.

    `officer_refs` are the (line, unit code) of officer-only rows; `defined` maps each unit
    code to the line that first defined it.
    """
    folded = _folded(defined)
    for line, code in officer_refs:
        if code not in defined:
            report(
                line,
                f'Dòng cán bộ thuộc mã đơn vị "{code}", nhưng mã này không được khai báo '
                "ở dòng nào trong tệp." + _did_you_mean(code, folded),
            )

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


def _folded(codes: Iterable[str]) -> dict[str, str]:
    return {code.casefold(): code for code in codes}


def _did_you_mean(code: str, folded: dict[str, str]) -> str:
    match = folded.get(code.casefold())
    return f' Có phải "{match}" (khác chữ hoa/thường)?' if match else ""
