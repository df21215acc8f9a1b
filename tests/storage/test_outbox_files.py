"""An outbox row may carry one file: stored apart, planned once, handed back with the row
that is claimed, and only with it."""

from __future__ import annotations

import os

from sqlalchemy import func, select

from storage import outbox
from storage.engine import Database
from storage.models import OutboxFile
from storage.outbox import FileKind, OutgoingFile
from tests.storage.test_outbox import LEASE, NOW, account

CHART = OutgoingFile(FileKind.PHOTO, "tong-hop.png", "image/png", b"\x89PNG" + os.urandom(3000))
WORKBOOK = OutgoingFile(
    FileKind.DOCUMENT,
    "Tổng hợp tuần 48.xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    os.urandom(3 * 1024 * 1024),  # a few MB cross the database unchanged
)


def planned(key: str, account_id: int, file: OutgoingFile | None) -> outbox.PlannedMessage:
    return outbox.PlannedMessage(
        key=key,
        account_id=account_id,
        kind="summary",
        text=f"Tổng hợp {key}",
        due_at=NOW,
        file=file,
    )


def test_files_come_back_with_their_rows_byte_for_byte(db: Database) -> None:
    account_id = account(db)
    with db.session() as session:
        new = outbox.enqueue(
            session,
            messages=[
                planned("summary:1:chart", account_id, CHART),
                planned("summary:1:text", account_id, None),
                planned("summary:1:xlsx", account_id, WORKBOOK),
            ],
            now=NOW,
        )
    assert new == 3
    with db.session() as session:
        claimed = outbox.claim_due(session, now=NOW, worker="w", lease=LEASE, limit=10)
    by_key = {m.key: m.file for m in claimed}
    assert by_key == {"summary:1:chart": CHART, "summary:1:text": None, "summary:1:xlsx": WORKBOOK}


def test_planning_again_stores_no_second_file(db: Database) -> None:
    account_id = account(db)
    other = OutgoingFile(FileKind.PHOTO, "khac.png", "image/png", b"other")
    for file in (CHART, other):
        with db.session() as session:
            outbox.enqueue(session, messages=[planned("summary:7:w48", account_id, file)], now=NOW)
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(OutboxFile)) == 1
        claimed = outbox.claim_due(session, now=NOW, worker="w", lease=LEASE, limit=10)
    assert [m.file for m in claimed] == [CHART]


def test_only_the_claimed_rows_load_their_files(db: Database) -> None:
    account_id = account(db)
    with db.session() as session:
        outbox.enqueue(
            session,
            messages=[planned(f"summary:{n}", account_id, CHART) for n in range(3)],
            now=NOW,
        )
    with db.session() as session:
        first = outbox.claim_due(session, now=NOW, worker="a", lease=LEASE, limit=2)
    with db.session() as session:
        rest = outbox.claim_due(session, now=NOW, worker="b", lease=LEASE, limit=10)
    assert [m.file for m in first] == [CHART, CHART]
    assert [m.file for m in rest] == [CHART]
