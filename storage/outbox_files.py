"""The files outbox rows carry (the weekly chart and workbook, a notice's picture): their
type, shared by the handlers' answers and the senders, and how they are stored and read back
beside the rows (`outbox_files`, or once per notice in `broadcast_files`)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import insert as insert_into
from sqlalchemy import select
from sqlmodel import Session, col

from storage.models import BroadcastFile, OutboxFile, OutboxMessage

# The kind of the rows that carry a notice (`storage.broadcasts`): their file, if the notice has
# one, is kept once for the whole broadcast in `broadcast_files`, not once per row.
NOTICE_KIND = "broadcast"

# A file a message carries (the weekly chart, a workbook): one shape for the outbox, the
# handlers' answers (`handlers.messages` re-exports it) and the adapters that send it.


class FileKind(StrEnum):
    """How the platform shows the file: a picture in the chat, or a file to open."""

    PHOTO = "photo"
    DOCUMENT = "document"


@dataclass(frozen=True, slots=True)
class OutgoingFile:
    """A file to send: its kind, the name the person sees, its MIME type, and its bytes."""

    kind: FileKind
    name: str
    mime: str
    content: bytes
    # Files with the same key are the same bytes (a notice's file: `broadcast:{id}`), so a
    # platform that keeps what was uploaded (Telegram's file_id) may send it again by
    # reference instead of uploading it once per recipient (bot/telegram_files.py).
    reuse_key: str | None = None

    def __repr__(self) -> str:  # the bytes would flood a log line or a failed assertion
        return (
            f"OutgoingFile(kind={self.kind.value!r}, name={self.name!r}, mime={self.mime!r}, "
            f"size={len(self.content)})"
        )


def store_files(session: Session, files: dict[int, OutgoingFile]) -> None:
    """The files of the rows just inserted; a row planned again keeps its first file."""
    if not files:
        return
    session.execute(
        insert_into(OutboxFile),
        [
            {
                "message_id": message_id,
                "kind": file.kind.value,
                "name": file.name,
                "mime": file.mime,
                "size": len(file.content),
                "content": file.content,
            }
            for message_id, file in files.items()
        ],
    )


def load_files(session: Session, message_ids: list[int]) -> dict[int, OutgoingFile]:
    """The bytes of the claimed rows that carry a file (none read when none does)."""
    if not message_ids:
        return {}
    stored = session.scalars(select(OutboxFile).where(col(OutboxFile.message_id).in_(message_ids)))
    return {
        row.message_id: OutgoingFile(FileKind(row.kind), row.name, row.mime, row.content)
        for row in stored
    }


def load_broadcast_files(session: Session, broadcast_ids: set[int]) -> dict[int, OutgoingFile]:
    """The files of the claimed notices' broadcasts, each read once per claim whatever the
    number of its rows (none read when no notice has one)."""
    if not broadcast_ids:
        return {}
    stored = session.scalars(
        select(BroadcastFile).where(col(BroadcastFile.broadcast_id).in_(broadcast_ids))
    )
    return {
        row.broadcast_id: OutgoingFile(
            FileKind(row.kind), row.name, row.mime, row.content, f"broadcast:{row.broadcast_id}"
        )
        for row in stored
    }


def shared_file(message: OutboxMessage, shared: dict[int, OutgoingFile]) -> OutgoingFile | None:
    if message.kind != NOTICE_KIND or message.broadcast_id is None:
        return None
    return shared.get(message.broadcast_id)
