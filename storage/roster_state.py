"""The roster as it stands, read for a plan: units by code, who holds each role, people by
phone. Plain values from three Core queries (no ORM objects), so that planning a
10,000-unit re-import stays quick and reading it changes nothing."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlmodel import Session, col

from storage.models import Appointment, ChannelAccount, Person, Role, Unit


@dataclass(frozen=True, slots=True)
class UnitState:
    """A unit as stored; `parent_code` is its parent's code (None for a root)."""

    code: str
    name: str
    parent_code: str | None
    level: str
    archived: bool


@dataclass(frozen=True, slots=True)
class Holder:
    """A person holding a role now (an appointment not ended)."""

    person_id: int
    full_name: str
    phone: str | None  # E.164; None for someone bound by invite code


@dataclass(slots=True)
class RosterState:
    """What a plan compares a sheet with (`schedules.roster_sheet.plan.plan_roster`)."""

    units: dict[str, UnitState] = field(default_factory=dict)
    # (unit code, or None for an administrator; role) -> the current holders
    holders: dict[tuple[str | None, str], list[Holder]] = field(default_factory=dict)
    names_by_phone: dict[str, str] = field(default_factory=dict)

    @property
    def active_codes(self) -> list[str]:
        return [code for code, unit in self.units.items() if not unit.archived]


def load_roster_state(session: Session) -> RosterState:
    """Everything an import compares the sheet with, read in three statements."""
    state = RosterState()
    rows = session.execute(
        select(
            col(Unit.id), col(Unit.code), col(Unit.name), col(Unit.parent_id), col(Unit.level),
            col(Unit.archived_at),
        )
    ).all()  # fmt: skip
    code_of = {row[0]: row[1] for row in rows}
    for unit_id, code, name, parent_id, level, archived_at in rows:
        del unit_id
        state.units[code] = UnitState(
            code, name, code_of.get(parent_id) if parent_id is not None else None, level or "",
            archived_at is not None,
        )  # fmt: skip
    held = session.execute(
        select(
            col(Appointment.unit_id), col(Appointment.role), col(Person.id),
            col(Person.full_name), col(Person.phone),
        )
        .join(Person, col(Person.id) == col(Appointment.person_id))
        .where(col(Appointment.ended_at).is_(None))
        .order_by(col(Appointment.id))
    ).all()  # fmt: skip
    for unit_id, role, person_id, full_name, phone in held:
        key = (code_of.get(unit_id) if unit_id is not None else None, role)
        state.holders.setdefault(key, []).append(Holder(person_id, full_name, phone))
    state.names_by_phone = {
        phone: name
        for phone, name in session.execute(
            select(col(Person.phone), col(Person.full_name)).where(col(Person.phone).is_not(None))
        )
    }
    return state


def registered_chair_codes(session: Session) -> set[str]:
    """Codes of the units (not archived) whose current chair has an account bound with the
    bot: the export's printable sheet says "Đã đăng ký" for them."""
    return set(
        session.scalars(
            select(col(Unit.code))
            .join(Appointment, col(Appointment.unit_id) == col(Unit.id))
            .join(ChannelAccount, col(ChannelAccount.person_id) == col(Appointment.person_id))
            .where(
                col(Appointment.role) == Role.CHAIR.value,
                col(Appointment.ended_at).is_(None),
                col(Unit.archived_at).is_(None),
            )
            .distinct()
        )
    )
