"""Registration requests of people the roster does not know, refused attempts, and who hears
about them: the officers of the unit's branch, or the administrators."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlmodel import Session, col

from storage.models import AccountState, Appointment, ChannelAccount, Person, Role, Unit
from storage.reach import last_used_first, one_per_person
from storage.registration_tables import RegistrationFailure, RegistrationRequest, RequestState

OPEN_STATES = (RequestState.ASKING, RequestState.PENDING)
FAILURE_WINDOW = timedelta(hours=24)


def open_request(
    session: Session,
    *,
    account_id: int,
    phone: str,
    full_name: str,
    now: datetime,
) -> RegistrationRequest:
    """A new request for the account; an earlier open one is cancelled (one at a time)."""
    cancel_open_requests(session, account_id=account_id)
    request = RegistrationRequest(
        account_id=account_id,
        phone=phone,
        full_name=full_name[:200] or "Chưa rõ tên",
        created_at=now,
    )
    session.add(request)
    session.flush()
    return request


def cancel_open_requests(session: Session, *, account_id: int) -> None:
    session.execute(
        update(RegistrationRequest)
        .where(
            col(RegistrationRequest.account_id) == account_id,
            col(RegistrationRequest.state).in_(OPEN_STATES),
        )
        .values(state=RequestState.CANCELLED)
    )


def get_request(session: Session, *, request_id: int) -> RegistrationRequest | None:
    return session.get(RegistrationRequest, request_id)


def mark_pending(request: RegistrationRequest) -> None:
    """The request went to those who may decide it."""
    request.state = RequestState.PENDING


def cancel_request(request: RegistrationRequest) -> None:
    """The request is closed undecided (no one to decide it, or its unit is taken)."""
    request.state = RequestState.CANCELLED


def give_name(request: RegistrationRequest, *, full_name: str) -> None:
    """The full name the person typed, which replaces the platform's display name."""
    request.full_name = full_name[:200]


def name_unit(request: RegistrationRequest, *, unit_text: str, unit_id: int | None) -> None:
    """What the person typed for their unit, and the roster's unit it matched (if one)."""
    request.unit_text = unit_text
    request.unit_id = unit_id


def decide_request(
    request: RegistrationRequest,
    *,
    state: RequestState,
    by_person_id: int | None,
    now: datetime,
) -> None:
    """Close the request with a decision (approved, rejected, or cancelled as taken)."""
    request.state = state
    request.decided_at = now
    request.decided_by_person_id = by_person_id


def ancestor_ids(session: Session, *, unit_id: int) -> list[int]:
    """The unit and every unit above it, nearest first."""
    chain: list[int] = []
    current: int | None = unit_id
    while current is not None and current not in chain:
        chain.append(current)
        current = session.scalar(select(col(Unit.parent_id)).where(col(Unit.id) == current))
    return chain


def _accounts_with_role(
    session: Session, *, role: Role, unit_ids: list[int] | None
) -> list[ChannelAccount]:
    query = (
        select(ChannelAccount)
        .join(Appointment, col(Appointment.person_id) == col(ChannelAccount.person_id))
        .where(
            col(Appointment.role) == role,
            col(Appointment.ended_at).is_(None),
            col(ChannelAccount.state) == AccountState.ACTIVE,
        )
        .order_by(*last_used_first())
    )
    if unit_ids is not None:
        query = query.where(col(Appointment.unit_id).in_(unit_ids))
    chosen = one_per_person(session.scalars(query))  # one copy per person, as storage.reach
    return sorted(chosen, key=lambda account: account.id or 0)


def deciders_for(session: Session, *, unit_id: int | None) -> list[ChannelAccount]:
    """Who is asked about a unit: the registered officers of its branch (any unit above it),
    or the administrators when the unit is unknown or its branch has no registered officer."""
    if unit_id is not None:
        officers = _accounts_with_role(
            session, role=Role.OFFICER, unit_ids=ancestor_ids(session, unit_id=unit_id)
        )
        if officers:
            return officers
    return _accounts_with_role(session, role=Role.ADMIN, unit_ids=None)


def bound_chair_ids(session: Session, *, unit_id: int) -> list[int]:
    """The current chairs of the unit who have an account with the bot."""
    return list(
        session.scalars(
            select(col(Appointment.person_id))
            .join(ChannelAccount, col(ChannelAccount.person_id) == col(Appointment.person_id))
            .where(
                col(Appointment.unit_id) == unit_id,
                col(Appointment.role) == Role.CHAIR,
                col(Appointment.ended_at).is_(None),
            )
            .distinct()
        )
    )


def unbound_chairs(session: Session, *, unit_id: int) -> list[Person]:
    """The people the roster names as the unit's chair who never registered with the bot:
    an officer approving someone else for the unit is asked which one is right."""
    bound = set(bound_chair_ids(session, unit_id=unit_id))
    chairs = session.scalars(
        select(Person)
        .join(Appointment, col(Appointment.person_id) == col(Person.id))
        .where(
            col(Appointment.unit_id) == unit_id,
            col(Appointment.role) == Role.CHAIR,
            col(Appointment.ended_at).is_(None),
        )
        .order_by(col(Appointment.id))
    )
    unique = {person.id: person for person in chairs if person.id not in bound}
    return list(unique.values())


def end_unbound_chairs(session: Session, *, unit_id: int, now: datetime) -> int:
    """End the chair appointments of the unit held by people who never registered: an
    officer approved someone else as the unit's chair."""
    ended = 0
    bound = set(bound_chair_ids(session, unit_id=unit_id))
    for appointment in session.scalars(
        select(Appointment).where(
            col(Appointment.unit_id) == unit_id,
            col(Appointment.role) == Role.CHAIR,
            col(Appointment.ended_at).is_(None),
        )
    ):
        if appointment.person_id not in bound:
            appointment.ended_at = now
            ended += 1
    return ended


def record_failure(
    session: Session, *, unit_id: int | None, account_id: int, reason: str, now: datetime
) -> int:
    """Store a refused attempt; returns how many the unit had in the last 24 hours
    (0 when the attempt names no unit)."""
    session.add(
        RegistrationFailure(unit_id=unit_id, account_id=account_id, reason=reason, created_at=now)
    )
    session.flush()
    if unit_id is None:
        return 0
    return int(
        session.scalar(
            select(func.count())
            .select_from(RegistrationFailure)
            .where(
                col(RegistrationFailure.unit_id) == unit_id,
                col(RegistrationFailure.created_at) > now - FAILURE_WINDOW,
            )
        )
        or 0
    )


def active_units(session: Session) -> list[tuple[int, str, str]]:
    """(id, code, name) of every unit in use, for matching what a person typed."""
    return [
        (unit_id, code, name)
        for unit_id, code, name in session.execute(
            select(col(Unit.id), col(Unit.code), col(Unit.name)).where(
                col(Unit.archived_at).is_(None)
            )
        ).all()
        if unit_id is not None
    ]
