"""Files published at unguessable, expiring addresses (`bot/public_files.py` makes the
addresses). Stored in the database, so that whichever process behind the HTTPS address the
platform's request reaches serves it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlmodel import Session, col

from storage.engine import rows_changed
from storage.service_tables import PublicFile


def add_public_file(
    session: Session, *, token: str, content: bytes, mime_type: str, expires_at: datetime
) -> None:
    """Store a file under its token."""
    session.add(
        PublicFile(token=token, content=content, mime_type=mime_type, expires_at=expires_at)
    )


def find_public_file(session: Session, *, token: str, now: datetime) -> PublicFile | None:
    """The file under `token`, unless it has expired (or never was)."""
    return session.scalars(
        select(PublicFile).where(col(PublicFile.token) == token, col(PublicFile.expires_at) > now)
    ).first()


def delete_expired_files(session: Session, *, now: datetime) -> int:
    """Forget expired files; how many were removed."""
    result = session.execute(delete(PublicFile).where(col(PublicFile.expires_at) <= now))
    return rows_changed(result)
