"""Progress replies: every one kept, the latest one deciding the assignment's progress."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from storage.models import Assignment, Progress, Reply


def record_reply(
    session: Session,
    *,
    assignment: Assignment,
    account_id: int,
    person_id: int,
    raw_text: str,
    progress: Progress,
    now: datetime,
    inbound_id: int | None = None,
    percent: int | None = None,
    number: int | None = None,
    note: str | None = None,
    attachment_file_id: str | None = None,
) -> Reply:
    assert assignment.id is not None
    reply = Reply(
        assignment_id=assignment.id,
        account_id=account_id,
        person_id=person_id,
        inbound_id=inbound_id,
        raw_text=raw_text,
        progress=progress,
        percent=percent,
        number=number,
        note=note,
        attachment_file_id=attachment_file_id,
        received_at=now,
    )
    session.add(reply)
    assignment.progress = progress
    assignment.percent = 100 if progress == Progress.DONE else percent
    assignment.last_reply_at = now
    assignment.done_at = now if progress == Progress.DONE else None
    session.flush()
    return reply
