"""The bot's own working tables, beside the domain's (`storage.models`): the shared sending
pace, the files published for Zalo to fetch, and the summaries officers asked for. Imported by
`storage.models`, so that every table is on `SQLModel.metadata` wherever models are."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, LargeBinary
from sqlmodel import Field, SQLModel

from storage.types import utc_field


class SendPace(SQLModel, table=True):
    """The next free sending slot of one platform, shared by every bot process: the
    platform's rate is per bot, not per process (issue 13), so processes reserve slots here
    (`storage/send_pace.py`) instead of each keeping its own count."""

    __tablename__ = "send_pace"

    channel: str = Field(primary_key=True, max_length=20)
    next_at: datetime = utc_field()


class PublicFile(SQLModel, table=True):
    """A file the bot publishes at an unguessable, expiring address (Zalo's sendPhoto takes
    a URL). Kept in the database so that any process behind the HTTPS address serves it."""

    __tablename__ = "public_files"

    token: str = Field(primary_key=True, max_length=64)
    mime_type: str = Field(max_length=100)
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    expires_at: datetime = utc_field(index=True)


class SummaryRequest(SQLModel, table=True):
    """A summary an officer asked for (`/tuantong`), rendered in the weekly process and
    sent through the outbox; kept, with its claim, so that a restart loses none."""

    __tablename__ = "summary_requests"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="people.id", index=True)
    account_id: int = Field(foreign_key="channel_accounts.id")  # where it was asked
    unit_ids: list[int] = Field(sa_column=Column(JSON, nullable=False))  # the branches
    requested_at: datetime = utc_field()
    claimed_at: datetime | None = utc_field(nullable=True)  # a renderer's lease
    done_at: datetime | None = utc_field(nullable=True, index=True)
