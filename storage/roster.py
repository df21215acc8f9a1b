"""Applying a validated roster sheet to the database: units updated in place by code,
chairs and officers appointed, units missing from the sheet archived (never deleted).

The rows (`UnitRow`, `OfficerRow`, `RosterSheet`) are defined here, beside the queries that
apply them and read them back (`current_sheet`), so that storage does not depend on the
spreadsheet code: `schedules.roster_sheet` reads and writes files of these rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlmodel import Session, col

from storage.models import Appointment, ChannelAccount, Person, Role, Unit
from storage.outbox import PlannedMessage, enqueue
from storage.people import standing_of
from storage.reach import last_used_first, person_account_id


@dataclass(frozen=True, slots=True)
class UnitRow:
    """One unit of the tree. `line` is where a sheet defined it (0 when not read from a file);
    it does not take part in equality."""

    line: int = field(compare=False)
    code: str
    name: str
    parent_code: str | None
    level: str | None
    chair_name: str | None
    chair_phone: str | None  # E.164


@dataclass(frozen=True, slots=True)
class OfficerRow:
    """An officer (or administrator) attached to a unit; their scope is that unit's subtree."""

    line: int = field(compare=False)
    unit_code: str
    full_name: str
    phone: str  # E.164
    role: Role  # OFFICER or ADMIN: chairs are the units' own rows


@dataclass(frozen=True, slots=True)
class RosterSheet:
    """A whole, checked roster: units parent-first, officers grouped in the same unit order."""

    units: tuple[UnitRow, ...]
    officers: tuple[OfficerRow, ...]


@dataclass(slots=True)
class RosterChanges:
    """What an import did, by unit code, for the administrator to read."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    archived: list[str] = field(default_factory=list)
    replaced_chairs: dict[str, list[int]] = field(default_factory=dict)  # code -> old person ids
    ended_chair_appointments: list[int] = field(default_factory=list)  # for the notices


def align_codes(sheet: RosterSheet, stored: Iterable[str]) -> RosterSheet:
    """The sheet with each code spelled as the stored unit it names: codes compare without
    case, so `cdcs-01` in a new file updates "CDCS-01" instead of adding a unit and archiving
    the old one."""
    codes = set(stored)
    spelling: dict[str, str] = {}
    for code in sorted(codes):
        spelling.setdefault(code.casefold(), code)

    def aligned(code: str) -> str:
        return code if code in codes else spelling.get(code.casefold(), code)

    if all(aligned(unit.code) == unit.code for unit in sheet.units):
        return sheet
    units = tuple(
        replace(
            unit,
            code=aligned(unit.code),
            parent_code=aligned(unit.parent_code) if unit.parent_code else None,
        )
        for unit in sheet.units
    )
    officers = tuple(replace(o, unit_code=aligned(o.unit_code)) for o in sheet.officers)
    return RosterSheet(units, officers)


def apply_roster(session: Session, *, sheet: RosterSheet, now: datetime) -> RosterChanges:
    """Make the database match the sheet, in the caller's transaction.

    Everything is loaded up front; new units, people and appointments are written with one
    bulk INSERT each (10,000 units take a few statements, not tens of thousands), and only
    the rows that change are touched. What it will do can be shown first:
    `schedules.roster_sheet.plan_roster` (the command line's plan and `--yes`).
    """
    changes = RosterChanges()
    units = {unit.code: unit for unit in session.scalars(select(Unit))}
    sheet = align_codes(sheet, units)
    unit_ids = {code: unit.id for code, unit in units.items() if unit.id is not None}
    people_by_phone = {
        person.phone: person
        for person in session.scalars(select(Person).where(col(Person.phone).is_not(None)))
    }
    current: dict[tuple[int | None, str], list[Appointment]] = {}
    for appointment in session.scalars(
        select(Appointment).where(col(Appointment.ended_at).is_(None))
    ):
        current.setdefault((appointment.unit_id, appointment.role), []).append(appointment)

    _add_units(session, [row for row in sheet.units if row.code not in units], unit_ids, now)
    parents: list[dict[str, Any]] = []
    for row in sheet.units:
        parent_id = unit_ids[row.parent_code] if row.parent_code else None
        unit = units.get(row.code)
        if unit is None:
            changes.added.append(row.code)
            if parent_id is not None:
                parents.append({"id": unit_ids[row.code], "parent_id": parent_id})
            continue
        fields = (row.name, row.level or "", parent_id, None)
        if (unit.name, unit.level, unit.parent_id, unit.archived_at) != fields:
            unit.name, unit.level, unit.parent_id, unit.archived_at = fields
            unit.updated_at = now
            changes.changed.append(row.code)
    if parents:
        session.execute(update(Unit), parents)

    # Who should hold each role: existing people by phone (renamed when the sheet says so),
    # new people gathered for one bulk insert (one per phone; name-only chairs each their own).
    new_people: list[dict[str, Any]] = []
    new_by_phone: dict[str, int] = {}
    wanted_refs: dict[tuple[int | None, str], list[int | tuple[str, int]]] = {}

    def person_ref(name: str, phone: str | None) -> int | tuple[str, int]:
        person = people_by_phone.get(phone) if phone else None
        if person is not None:
            if name and person.full_name != name:
                person.full_name = name
            assert person.id is not None
            return person.id
        if phone and phone in new_by_phone:
            return ("new", new_by_phone[phone])
        new_people.append({"full_name": name, "phone": phone, "created_at": now})
        if phone:
            new_by_phone[phone] = len(new_people) - 1
        return ("new", len(new_people) - 1)

    for row in sheet.units:
        if row.chair_name or row.chair_phone:
            chair_key = (unit_ids[row.code], Role.CHAIR.value)
            chair = _unchanged_chair_without_phone(row, unit_ids, current, session)
            ref = chair.id if chair is not None and chair.id is not None else None
            wanted_refs.setdefault(chair_key, []).append(
                ref if ref is not None else person_ref(row.chair_name or "", row.chair_phone)
            )
    for officer in sheet.officers:
        unit_id = None if officer.role == Role.ADMIN else unit_ids[officer.unit_code]
        wanted_refs.setdefault((unit_id, officer.role.value), []).append(
            person_ref(officer.full_name, officer.phone)
        )
    new_ids: list[int] = []
    if new_people:
        new_ids = list(
            session.scalars(
                insert(Person).returning(col(Person.id), sort_by_parameter_order=True),
                new_people,
            )
        )
    wanted = {
        key: [ref if isinstance(ref, int) else new_ids[ref[1]] for ref in refs]
        for key, refs in wanted_refs.items()
    }

    listed_unit_ids = set(unit_ids[row.code] for row in sheet.units)
    code_of = {unit_id: code for code, unit_id in unit_ids.items()}
    appointments: list[dict[str, Any]] = []
    # The sheet names people by phone, so it cannot list those registered by invite code
    # (no phone): their roles stay. A unit whose chair cells are blank keeps its chairs; a
    # chair is replaced by listing another one.
    unlisted = set(session.scalars(select(col(Person.id)).where(col(Person.phone).is_(None))))
    for key in set(current) | set(wanted):
        unit_id, role = key
        if unit_id is not None and unit_id not in listed_unit_ids:
            continue  # archived below; its appointments stay for the history
        if role == Role.CHAIR and key not in wanted:
            continue
        keep = set(wanted.get(key, []))
        if role != Role.CHAIR:
            keep |= {a.person_id for a in current.get(key, []) if a.person_id in unlisted}
        held = {appointment.person_id for appointment in current.get(key, [])}
        for appointment in current.get(key, []):
            if appointment.person_id not in keep:
                appointment.ended_at = now
                if role == Role.CHAIR and unit_id is not None:
                    assert appointment.id is not None
                    changes.ended_chair_appointments.append(appointment.id)
                    changes.replaced_chairs.setdefault(code_of[unit_id], []).append(
                        appointment.person_id
                    )
        appointments.extend(
            {"person_id": person_id, "unit_id": unit_id, "role": role, "started_at": now}
            for person_id in sorted(keep - held)
        )
    session.flush()  # end the replaced appointments before the unique index sees new ones
    if appointments:
        session.execute(insert(Appointment), appointments)

    listed_codes = {row.code for row in sheet.units}
    for code, unit in units.items():
        if code not in listed_codes and unit.archived_at is None:
            unit.archived_at = unit.updated_at = now
            changes.archived.append(code)
    session.flush()
    for code in changes.replaced_chairs:
        if code not in changes.changed and code not in changes.added:
            changes.changed.append(code)
    return changes


def _add_units(
    session: Session, rows: list[UnitRow], unit_ids: dict[str, int], now: datetime
) -> None:
    """Insert the new units in one statement (parents are linked afterwards)."""
    if not rows:
        return
    inserted = session.execute(
        insert(Unit).returning(col(Unit.id), col(Unit.code), sort_by_parameter_order=True),
        [
            {
                "code": row.code,
                "name": row.name,
                "level": row.level or "",
                "created_at": now,
                "updated_at": now,
            }
            for row in rows
        ],
    )
    for unit_id, code in inserted:
        unit_ids[code] = unit_id


def _unchanged_chair_without_phone(
    row: UnitRow,
    unit_ids: dict[str, int],
    current: dict[tuple[int | None, str], list[Appointment]],
    session: Session,
) -> Person | None:
    """A chair listed by name only is the same person as the current chair of that name:
    without a phone there is nothing else to match on, and re-importing must not replace them."""
    if row.chair_phone or not row.chair_name:
        return None
    for appointment in current.get((unit_ids[row.code], Role.CHAIR), []):
        person = session.get(Person, appointment.person_id)
        if person is not None and person.full_name == row.chair_name:
            return person
    return None


def notify_replaced_chairs(
    session: Session,
    *,
    changes: RosterChanges,
    now: datetime,
    text_for: Callable[[str, bool], str],
) -> int:
    """Tell each replaced chair, through the outbox, that they no longer chair the unit; a
    person left with no role at all is unbound from the bot. `text_for(unit_name, unbound)`
    words the notice. Keyed by appointment and account, so re-running sends nothing twice."""
    messages: list[PlannedMessage] = []
    for appointment_id in changes.ended_chair_appointments:
        appointment = session.get(Appointment, appointment_id)
        if appointment is None or appointment.unit_id is None:
            continue
        person = session.get(Person, appointment.person_id)
        unit = session.get(Unit, appointment.unit_id)
        if person is None or unit is None:
            continue
        standing = standing_of(session, person=person)
        unbound = not (standing.chaired_unit_ids or standing.is_officer)
        accounts = session.scalars(
            select(ChannelAccount)
            .where(col(ChannelAccount.person_id) == person.id)
            .order_by(*last_used_first())
        ).all()
        told = person_account_id(session, person_id=person.id) if person.id else None
        for account in accounts:
            assert account.id is not None
            if unbound:
                account.person_id = None
            if account.id == told:  # one copy, on the account used last (storage.reach)
                messages.append(
                    PlannedMessage(
                        key=f"roster:replaced:{appointment_id}:{account.id}",
                        account_id=account.id,
                        kind="notice",
                        text=text_for(unit.name, unbound),
                        due_at=now,
                    )
                )
    return enqueue(session, messages=messages, now=now)


def current_sheet(session: Session) -> RosterSheet:
    """The roster as it stands, in the sheet's shape: importing it back changes nothing.

    Archived units are left out. People without a phone number (bound by invite code) cannot
    be written as officers, since the sheet identifies officers by phone; a chair without a
    phone is written by name, which the import matches to the current chair.
    """
    units = list(
        session.scalars(
            select(Unit).where(col(Unit.archived_at).is_(None)).order_by(col(Unit.code))
        )
    )
    code_of = {unit.id: unit.code for unit in units}
    rows = session.execute(
        select(Appointment, Person)
        .join(Person, col(Person.id) == col(Appointment.person_id))
        .where(col(Appointment.ended_at).is_(None))
        .order_by(col(Appointment.started_at), col(Appointment.id))
    ).all()
    chairs: dict[int, Person] = {}
    officers: list[OfficerRow] = []
    root = next((unit.code for unit in units if unit.parent_id not in code_of), None)
    for appointment, person in rows:
        if appointment.role == Role.CHAIR:
            if appointment.unit_id in code_of:
                chairs.setdefault(appointment.unit_id, person)
        elif person.phone is None:
            continue
        elif appointment.role == Role.ADMIN and root is not None:
            officers.append(OfficerRow(0, root, person.full_name, person.phone, Role.ADMIN))
        elif appointment.role == Role.OFFICER and appointment.unit_id in code_of:
            code = code_of[appointment.unit_id]
            officers.append(OfficerRow(0, code, person.full_name, person.phone, Role.OFFICER))
    unit_rows = []
    for unit in units:
        assert unit.id is not None
        chair = chairs.get(unit.id)
        unit_rows.append(
            UnitRow(
                0,
                unit.code,
                unit.name,
                code_of.get(unit.parent_id) if unit.parent_id is not None else None,
                unit.level or None,
                chair.full_name if chair else None,
                chair.phone if chair else None,
            )
        )
    return RosterSheet(tuple(unit_rows), tuple(officers))
