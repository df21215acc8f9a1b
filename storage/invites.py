"""Invite codes: single use, expiring, unguessable, revocable."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import select
from sqlmodel import Session, col

from storage.models import Appointment, ChannelAccount, InviteCode, Role

# Upper-case letters and digits without the look-alikes 0/O and 1/I/L: codes are read aloud
# at meetings and typed on phones. 10 characters of 31 give about 50 bits: unguessable.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10
DEFAULT_TTL = timedelta(days=30)


class InviteProblem(StrEnum):
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"
    REVOKED = "revoked"


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def create_invite(
    session: Session,
    *,
    unit_id: int,
    created_by_person_id: int | None,
    now: datetime,
    role: Role = Role.CHAIR,
    ttl: timedelta = DEFAULT_TTL,
) -> InviteCode:
    invite = InviteCode(
        code=new_code(),
        unit_id=unit_id,
        role=role,
        created_by_person_id=created_by_person_id,
        created_at=now,
        expires_at=now + ttl,
    )
    session.add(invite)
    session.flush()
    return invite


def find_invite(session: Session, *, code: str) -> InviteCode | None:
    normalized = code.strip().upper()
    return session.scalars(select(InviteCode).where(col(InviteCode.code) == normalized)).first()


def check_invite(invite: InviteCode | None, *, now: datetime) -> InviteProblem | None:
    """Why an invite cannot be used now, or None when it can."""
    if invite is None:
        return InviteProblem.UNKNOWN
    if invite.revoked_at is not None:
        return InviteProblem.REVOKED
    if invite.used_at is not None:
        return InviteProblem.USED
    if invite.expires_at <= now:
        return InviteProblem.EXPIRED
    return None


def mark_used(invite: InviteCode, *, account_id: int, now: datetime) -> None:
    invite.used_at = now
    invite.used_by_account_id = account_id


def revoke_invite(session: Session, *, code: str, now: datetime) -> InviteCode | None:
    """Revoke the code (nobody can use it any more); None when there is no such code.
    Revoking twice keeps the first time."""
    invite = find_invite(session, code=code)
    if invite is not None and invite.revoked_at is None:
        invite.revoked_at = now
    return invite


def units_with_bound_chair(session: Session, *, unit_ids: Sequence[int]) -> set[int]:
    """Which of these units have a current chair who registered with the bot."""
    bound: set[int] = set()
    ids = list(unit_ids)
    for start in range(0, len(ids), 1000):  # stay under the databases' parameter limits
        bound.update(
            unit_id
            for unit_id in session.scalars(
                select(col(Appointment.unit_id))
                .join(ChannelAccount, col(ChannelAccount.person_id) == col(Appointment.person_id))
                .where(
                    col(Appointment.unit_id).in_(ids[start : start + 1000]),
                    col(Appointment.role) == Role.CHAIR,
                    col(Appointment.ended_at).is_(None),
                )
                .distinct()
            )
            if unit_id is not None
        )
    return bound
