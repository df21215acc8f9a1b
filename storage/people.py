"""People and their roles: chairs of units, officers of branches, administrators."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session, col

from storage.answerers import answering_units
from storage.models import Appointment, Person, Role, Unit


@dataclass(frozen=True, slots=True)
class Standing:
    """What a person may do: which units they chair and which branches they run."""

    person: Person
    chaired_unit_ids: tuple[int, ...]
    officer_unit_ids: tuple[int, ...]
    is_admin: bool

    @property
    def answering_unit_ids(self) -> tuple[int, ...]:
        """The units whose assignments this person answers for (`storage.answerers`)."""
        roles = [(Role.CHAIR, unit) for unit in self.chaired_unit_ids]
        roles += [(Role.OFFICER, unit) for unit in self.officer_unit_ids]
        return answering_units(roles)

    @property
    def is_officer(self) -> bool:
        return self.is_admin or bool(self.officer_unit_ids)


def get_person(session: Session, *, person_id: int) -> Person | None:
    return session.get(Person, person_id)


def get_person_by_phone(session: Session, *, phone: str) -> Person | None:
    return session.scalars(select(Person).where(col(Person.phone) == phone)).first()


def add_person(
    session: Session, *, full_name: str, now: datetime, phone: str | None = None
) -> Person:
    """A new person (with an id), known so far by what they told the bot."""
    person = Person(full_name=full_name, phone=phone, created_at=now)
    session.add(person)
    session.flush()
    return person


def get_or_create(session: Session, *, phone: str, full_name: str, now: datetime) -> Person:
    """The person with this phone number; a new one with this name when there is none."""
    person = get_person_by_phone(session, phone=phone)
    if person is not None:
        return person
    return add_person(session, full_name=full_name, phone=phone, now=now)


def standing_of(session: Session, *, person: Person) -> Standing:
    """The person's current (not ended, not archived) appointments."""
    rows = session.execute(
        select(col(Appointment.role), col(Appointment.unit_id), col(Unit.archived_at))
        .outerjoin(Unit, col(Unit.id) == col(Appointment.unit_id))
        .where(col(Appointment.person_id) == person.id, col(Appointment.ended_at).is_(None))
        .order_by(col(Appointment.id))
    ).all()
    return standing_from_rows(person, rows)


def standing_from_rows(
    person: Person, rows: Iterable[tuple[str | None, int | None, datetime | None]]
) -> Standing:
    """The standing from (role, unit id, unit archived at) rows of an outer join of the
    person's current appointments with their units (a row without a role: none)."""
    roles = [(role, unit) for role, unit, archived in rows if role and archived is None]
    chaired = tuple(unit for role, unit in roles if role == Role.CHAIR and unit is not None)
    officer = tuple(unit for role, unit in roles if role == Role.OFFICER and unit is not None)
    return Standing(person, chaired, officer, any(role == Role.ADMIN for role, _ in roles))


def current_chair(session: Session, *, unit_id: int) -> Person | None:
    return session.scalars(
        select(Person)
        .join(Appointment, col(Appointment.person_id) == col(Person.id))
        .where(
            col(Appointment.unit_id) == unit_id,
            col(Appointment.role) == Role.CHAIR,
            col(Appointment.ended_at).is_(None),
        )
        .order_by(col(Appointment.started_at).desc())
    ).first()


def appoint(
    session: Session, *, person_id: int, unit_id: int | None, role: Role, now: datetime
) -> Appointment:
    """Give a person a role, unless they already hold it."""
    existing = session.scalars(
        select(Appointment).where(
            col(Appointment.person_id) == person_id,
            col(Appointment.unit_id) == unit_id
            if unit_id is not None
            else col(Appointment.unit_id).is_(None),
            col(Appointment.role) == role,
            col(Appointment.ended_at).is_(None),
        )
    ).first()
    if existing is not None:
        return existing
    appointment = Appointment(person_id=person_id, unit_id=unit_id, role=role, started_at=now)
    session.add(appointment)
    session.flush()
    return appointment
