"""The file attached to a notice: one row per broadcast in `broadcast_files`, whatever the
number of recipients. The outbox reads it for each notice it sends
(`storage.outbox.claim_due`); deleting the draft deletes it (ON DELETE CASCADE)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlmodel import Session, col

from storage.models import BroadcastFile
from storage.outbox import FileKind, OutgoingFile


@dataclass(frozen=True, slots=True)
class AttachedFile:
    """What the officer is shown of the attached file (its bytes stay in the database)."""

    kind: FileKind
    name: str
    size: int


def attach(session: Session, *, broadcast_id: int, file: OutgoingFile) -> None:
    """Keep `file` with the broadcast, in place of any file attached before."""
    session.execute(delete(BroadcastFile).where(col(BroadcastFile.broadcast_id) == broadcast_id))
    session.add(
        BroadcastFile(
            broadcast_id=broadcast_id,
            kind=file.kind.value,
            name=file.name,
            mime=file.mime,
            size=len(file.content),
            content=file.content,
        )
    )
    session.flush()


def attached(session: Session, *, broadcast_id: int) -> AttachedFile | None:
    """The broadcast's file as the preview names it (the bytes are not read)."""
    row = session.execute(
        select(col(BroadcastFile.kind), col(BroadcastFile.name), col(BroadcastFile.size)).where(
            col(BroadcastFile.broadcast_id) == broadcast_id
        )
    ).first()
    if row is None:
        return None
    kind, name, size = row
    return AttachedFile(FileKind(kind), name, size)
