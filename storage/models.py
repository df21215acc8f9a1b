"""The tables of nhacviec: the union tree, people and their roles, directives, tasks,
assignments, replies, the outbox and conversation state.

Relationships are not declared: the query modules join explicitly, which keeps every
query visible in one place and avoids lazy loads in async code.
"""

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlmodel import Field, SQLModel

from storage.types import utc_field


def _utc(nullable: bool = False, index: bool = False) -> Any:
    return utc_field(nullable=nullable, index=index)


class Role(StrEnum):
    CHAIR = "chair"
    OFFICER = "officer"
    ADMIN = "admin"


class AccountState(StrEnum):
    ACTIVE = "active"
    UNREACHABLE = "unreachable"  # blocked the bot, or the chat is gone


class Progress(StrEnum):
    """The state of an assignment, as the latest reply left it."""

    OPEN = "open"  # no reply yet
    DONE = "done"
    IN_PROGRESS = "in_progress"
    BLOCKED = "blocked"
    NOT_STARTED = "not_started"


class OutboxState(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"  # no longer needed (the unit reported done, a later step replaced it)


class Unit(SQLModel, table=True):
    """A node of the union tree; the level label (LĐLĐ tỉnh, CĐCS …) is data, not code."""

    __tablename__ = "units"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=64, unique=True, index=True)
    name: str = Field(max_length=300)
    parent_id: int | None = Field(default=None, foreign_key="units.id", index=True)
    level: str = Field(default="", max_length=100)
    archived_at: datetime | None = _utc(nullable=True)
    created_at: datetime = _utc()
    updated_at: datetime = _utc()


class Person(SQLModel, table=True):
    """A human: a chair, an officer or an administrator."""

    __tablename__ = "people"

    id: int | None = Field(default=None, primary_key=True)
    full_name: str = Field(max_length=200)
    phone: str | None = Field(default=None, max_length=20, unique=True, index=True)  # E.164
    created_at: datetime = _utc()
    # An officer's weekly summary (text, chart, workbook) is pushed unless they turned it off
    # (`/tuantong tat`); a chair who is no officer gets none whatever this says.
    weekly_summary_off: bool = Field(
        default=False, sa_column=Column(Boolean, nullable=False, server_default=false())
    )


class Appointment(SQLModel, table=True):
    """A person's role: chair of a unit, officer of a unit (and its subtree), or administrator."""

    __tablename__ = "appointments"
    __table_args__ = (
        Index(
            "uq_appointments_current",
            "person_id",
            "unit_id",
            "role",
            unique=True,
            sqlite_where=text("ended_at IS NULL"),
            postgresql_where=text("ended_at IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="people.id", index=True)
    unit_id: int | None = Field(default=None, foreign_key="units.id", index=True)
    role: str = Field(max_length=20)
    started_at: datetime = _utc()
    ended_at: datetime | None = _utc(nullable=True)


class ChannelAccount(SQLModel, table=True):
    """Someone's account on one chat platform; bound to a person once they registered."""

    __tablename__ = "channel_accounts"
    __table_args__ = (UniqueConstraint("channel", "external_user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=20)
    external_user_id: str = Field(max_length=64)
    chat_id: str = Field(max_length=64)
    display_name: str = Field(default="", max_length=200)
    person_id: int | None = Field(default=None, foreign_key="people.id", index=True)
    state: str = Field(default=AccountState.ACTIVE, max_length=20)
    created_at: datetime = _utc()
    last_seen_at: datetime = _utc()


class InviteCode(SQLModel, table=True):
    """A single-use, expiring code that binds whoever presents it to a unit."""

    __tablename__ = "invite_codes"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True, index=True)
    unit_id: int = Field(foreign_key="units.id", index=True)
    role: str = Field(default=Role.CHAIR, max_length=20)
    created_by_person_id: int | None = Field(default=None, foreign_key="people.id")
    created_at: datetime = _utc()
    expires_at: datetime = _utc()
    used_at: datetime | None = _utc(nullable=True)
    used_by_account_id: int | None = Field(default=None, foreign_key="channel_accounts.id")
    revoked_at: datetime | None = _utc(nullable=True)


class Directive(SQLModel, table=True):
    """A directive (công văn, chỉ thị, kế hoạch …) or an officer's own task list."""

    __tablename__ = "directives"
    __table_args__ = (UniqueConstraint("owner_unit_id", "source_sha256"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=50)
    number: str | None = Field(default=None, max_length=100)
    issuer: str | None = Field(default=None, max_length=300)
    issue_date: date | None = None
    subject: str = Field(default="", sa_column=Column(Text, nullable=False))
    owner_unit_id: int = Field(foreign_key="units.id", index=True)
    created_by_person_id: int = Field(foreign_key="people.id")
    created_at: datetime = _utc()
    source_text: str | None = Field(default=None, sa_column=Column(Text))
    source_file: bytes | None = Field(default=None, sa_column=Column(LargeBinary))
    source_file_name: str | None = Field(default=None, max_length=300)
    # The same document may be taken in once per issuing branch: a district takes in again,
    # for its own units, the file it received from the province (docs/passing-down.md).
    source_sha256: str | None = Field(default=None, max_length=64)
    reminder_config: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    # A document an officer sent and has not confirmed yet: it holds the file (and its
    # sha256) while the officer corrects the reading; it has no tasks until confirmed.
    is_draft: bool = Field(
        default=False, sa_column=Column(Boolean, nullable=False, server_default=false())
    )


class Task(SQLModel, table=True):
    """One numbered item of a directive, with its deadline when it has one."""

    __tablename__ = "tasks"
    __table_args__ = (UniqueConstraint("directive_id", "item"),)

    id: int | None = Field(default=None, primary_key=True)
    directive_id: int = Field(foreign_key="directives.id", index=True)
    item: int
    text: str = Field(sa_column=Column(Text, nullable=False))
    deadline_at: datetime | None = _utc(nullable=True)
    deadline_text: str | None = Field(default=None, max_length=300)
    deadline_rule: str | None = Field(default=None, max_length=100)
    indicator_name: str | None = Field(default=None, max_length=200)
    indicator_unit: str | None = Field(default=None, max_length=50)
    state: str = Field(default="open", max_length=20, sa_column_kwargs={"server_default": "open"})


class Assignment(SQLModel, table=True):
    """A task that one unit must carry out; its progress is the latest reply's."""

    __tablename__ = "assignments"
    __table_args__ = (UniqueConstraint("task_id", "unit_id"),)

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="tasks.id", index=True)
    unit_id: int = Field(foreign_key="units.id", index=True)
    created_at: datetime = _utc()
    progress: str = Field(default=Progress.OPEN, max_length=20, index=True)
    percent: int | None = None
    done_at: datetime | None = _utc(nullable=True)
    last_reply_at: datetime | None = _utc(nullable=True)
    # After a change (storage/task_changes.py): this unit's own deadline when extended, the
    # change's revision (a suffix of its reminders' keys) and when its new ladder starts.
    deadline_at: datetime | None = _utc(nullable=True)
    revision: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    replanned_at: datetime | None = _utc(nullable=True)
    # The assignment of the unit above that passed this task down (docs/passing-down.md).
    parent_assignment_id: int | None = Field(default=None, foreign_key="assignments.id", index=True)


class ReminderStep(SQLModel, table=True):
    """A ladder step the planning pass has written to the outbox for the open assignments
    of a task created at one moment: the next pass skips it instead of re-inserting
    150,000 rows that are already there, and never goes back to an older step."""

    __tablename__ = "reminder_steps"
    __table_args__ = (UniqueConstraint("task_id", "assignments_created_at", "step"),)

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="tasks.id", index=True)
    assignments_created_at: datetime = _utc()
    step: str = Field(max_length=40)
    step_at: datetime = _utc()
    planned_at: datetime = _utc()


class InboundMessage(SQLModel, table=True):
    """Everything a person sent (cleaned of invisible characters, schedules.clean_text); the
    platform's update id, counted per bot, makes handling idempotent."""

    __tablename__ = "inbound_messages"
    __table_args__ = (UniqueConstraint("channel", "bot_id", "update_id"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=20)
    # The bot's own id on the platform (getMe): update ids restart with a new token or server.
    bot_id: str = Field(default="", max_length=64)
    update_id: str = Field(max_length=64)
    account_id: int | None = Field(default=None, foreign_key="channel_accounts.id", index=True)
    kind: str = Field(max_length=20)  # text, command, contact, button, file
    text: str | None = Field(default=None, sa_column=Column(Text))
    payload: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    received_at: datetime = _utc()
    handled_at: datetime | None = _utc(nullable=True)


class Reply(SQLModel, table=True):
    """A chair's report on an assignment, with the raw text it was read from."""

    __tablename__ = "replies"

    id: int | None = Field(default=None, primary_key=True)
    assignment_id: int = Field(foreign_key="assignments.id", index=True)
    account_id: int = Field(foreign_key="channel_accounts.id")
    person_id: int = Field(foreign_key="people.id")
    inbound_id: int | None = Field(default=None, foreign_key="inbound_messages.id")
    raw_text: str = Field(sa_column=Column(Text, nullable=False))
    progress: str = Field(max_length=20)
    percent: int | None = None
    # BIGINT: a figure may be money in đồng (`thu 3 tỷ`); see schedules.numbers.
    number: int | None = Field(default=None, sa_column=Column(BigInteger))
    note: str | None = Field(default=None, sa_column=Column(Text))
    attachment_file_id: str | None = Field(default=None, max_length=300)
    received_at: datetime = _utc()


class BroadcastState(StrEnum):
    DRAFT = "draft"  # the officer is still choosing the audience
    SENDING = "sending"  # confirmed: its outbox rows are going out
    DONE = "done"  # every row reached a final state; the report is in the outbox
    CANCELLED = "cancelled"  # stopped while sending: what was not sent is not sent


class Broadcast(SQLModel, table=True):
    """A notice an officer sent to part of the tree. A draft row exists from the notice's
    text on, so that a restart in the middle of choosing the audience loses nothing."""

    __tablename__ = "broadcasts"

    id: int | None = Field(default=None, primary_key=True)
    created_by_person_id: int = Field(foreign_key="people.id")
    scope: str = Field(max_length=300)  # the audience in words, as the officer saw it
    text: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = _utc()
    # The officer's account that gets the delivery report.
    officer_account_id: int | None = Field(default=None, foreign_key="channel_accounts.id")
    state: str = Field(default=BroadcastState.DRAFT, max_length=20)
    units: int = 0  # units in the audience when it was confirmed
    no_account: int = 0  # of them, units with no chair the bot can write to
    sent_at: datetime | None = _utc(nullable=True)  # confirmed
    cancelled_at: datetime | None = _utc(nullable=True)
    finished_at: datetime | None = _utc(nullable=True)


class BroadcastFile(SQLModel, table=True):
    """The photo or document an officer attached to a notice: stored once per broadcast,
    however many recipients, and read by the outbox for each of its notices (a 300-chair
    notice with a 5 MB file keeps one copy, not 300 in `outbox_files`)."""

    __tablename__ = "broadcast_files"

    broadcast_id: int = Field(
        sa_column=Column(Integer, ForeignKey("broadcasts.id", ondelete="CASCADE"), primary_key=True)
    )
    kind: str = Field(max_length=20)  # storage.outbox.FileKind
    name: str = Field(max_length=255)
    mime: str = Field(max_length=100)
    size: int
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class BroadcastDelivery(SQLModel, table=True):
    """One recipient of a broadcast; the outbox row carries the send, this row the receipt."""

    __tablename__ = "broadcast_deliveries"
    __table_args__ = (UniqueConstraint("broadcast_id", "account_id"),)

    id: int | None = Field(default=None, primary_key=True)
    broadcast_id: int = Field(foreign_key="broadcasts.id", index=True)
    account_id: int = Field(foreign_key="channel_accounts.id", index=True)
    unit_id: int | None = Field(default=None, foreign_key="units.id")  # the unit it went to
    outbox_id: int | None = Field(default=None, foreign_key="outbox.id")
    # sent, failed, blocked (the platform said the person blocked the bot or the chat is
    # gone), cancelled; None while the outbox row is still planned or sending.
    outcome: str | None = Field(default=None, max_length=20)
    acknowledged_at: datetime | None = _utc(nullable=True)


class OutboxMessage(SQLModel, table=True):
    """A message the bot will send. The unique key makes planning idempotent; the state and
    lease make sending survive restarts and let several workers share the work.

    `account_id` and `assignment_id` carry no foreign key on purpose: the planner writes
    hundreds of thousands of rows at once with an INSERT … SELECT that joins the very rows
    they name, and accounts and assignments are never deleted; on PostgreSQL the per-row
    key check was a third of a national planning pass (docs/reminders.md).
    """

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_state_due", "state", "due_at"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=200, unique=True)
    account_id: int = Field(index=True)  # channel_accounts.id
    kind: str = Field(max_length=30)
    text: str = Field(sa_column=Column(Text, nullable=False))
    choices: list[list[dict[str, str]]] | None = Field(default=None, sa_column=Column(JSON))
    due_at: datetime = _utc()
    state: str = Field(default=OutboxState.PENDING, max_length=20)
    attempts: int = 0
    # How many parts of a text too long for one message the platform has accepted, so a
    # retry goes on from the next part; the row is sent when its last part is.
    parts_sent: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    claimed_by: str | None = Field(default=None, max_length=100)
    lease_until: datetime | None = _utc(nullable=True)
    # When the send request of the current claim started (written before it goes out): a
    # row still "sending" with this set after its worker died is in doubt, it may have
    # arrived (docs/reliability.md). Cleared when the row goes back to pending.
    sending_started_at: datetime | None = _utc(nullable=True)
    sent_at: datetime | None = _utc(nullable=True)
    platform_message_id: str | None = Field(default=None, max_length=64)
    last_error: str | None = Field(default=None, max_length=500)
    assignment_id: int | None = Field(default=None, index=True)  # assignments.id
    broadcast_id: int | None = Field(default=None, foreign_key="broadcasts.id")
    created_at: datetime = _utc()


class OutboxFile(SQLModel, table=True):
    """The one file (a photo or a document) an outbox row sends with its text.

    Kept in a table of its own so that claiming and scanning the outbox never reads the
    bytes: only the rows being sent load their file."""

    __tablename__ = "outbox_files"

    message_id: int = Field(
        sa_column=Column(Integer, ForeignKey("outbox.id", ondelete="CASCADE"), primary_key=True)
    )
    kind: str = Field(max_length=20)  # storage.outbox.FileKind
    name: str = Field(max_length=255)
    mime: str = Field(max_length=100)
    size: int
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class ConversationState(SQLModel, table=True):
    """Where a multi-step conversation with an account stands (kept here, not in a pickle)."""

    __tablename__ = "conversation_states"

    account_id: int = Field(foreign_key="channel_accounts.id", primary_key=True)
    name: str = Field(max_length=50)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = _utc()


# The working tables live beside these (kept under the size of one module); imported here so
# that loading the models registers every table.
import storage.registration_tables  # noqa: E402
import storage.service_tables  # noqa: E402
import storage.task_change_tables  # noqa: E402, F401
