"""The tables of a registration by approval: someone whose phone number is not in the
roster asks to chair a unit, and the refused attempts the branch's officers hear about.
Kept beside `storage/models.py` to keep each module small; loaded from there."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from storage.types import utc_field


class RequestState(StrEnum):
    ASKING = "asking"  # the bot asked which unit the person belongs to
    PENDING = "pending"  # officers were asked to approve
    APPROVED = "approved"
    REJECTED = "rejected"
    CANCELLED = "cancelled"  # the person registered otherwise, or the unit was already taken


class RegistrationRequest(SQLModel, table=True):
    """Someone whose phone number is not in the roster, asking to chair a unit: the officers
    of that unit's branch (or the administrators) approve or reject it in chat."""

    __tablename__ = "registration_requests"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="channel_accounts.id", index=True)
    phone: str = Field(max_length=20)  # E.164, as the contact button gave it
    full_name: str = Field(max_length=200)
    unit_id: int | None = Field(default=None, foreign_key="units.id", index=True)
    unit_text: str = Field(default="", max_length=300)  # what the person typed
    state: str = Field(default=RequestState.ASKING, max_length=20)
    created_at: datetime = utc_field()
    decided_at: datetime | None = utc_field(nullable=True)
    decided_by_person_id: int | None = Field(default=None, foreign_key="people.id")


class RegistrationFailure(SQLModel, table=True):
    """A refused registration attempt (bad code, someone else's contact, a unit already
    taken), kept so that the branch's officers hear of repeated attempts."""

    __tablename__ = "registration_failures"
    __table_args__ = (Index("ix_registration_failures_unit_time", "unit_id", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int | None = Field(default=None, foreign_key="units.id")
    account_id: int = Field(foreign_key="channel_accounts.id")
    reason: str = Field(max_length=30)
    created_at: datetime = utc_field()
