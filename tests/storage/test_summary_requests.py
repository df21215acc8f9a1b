"""The summaries officers asked for, against the database (SQLite, and PostgreSQL when
configured): one waiting request per person and account, a claim that holds until its lease
runs out (a renderer that died leaves its requests to the next pass), and a finished
request never claimed again."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from storage.engine import Database
from storage.models import ChannelAccount
from storage.summary_requests import claim_requests, finish_request, request_summary
from tests.conftest import VN
from tests.factories import build_branch

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=VN)
LEASE = timedelta(minutes=10)
FIRST_CHAT = 10_000  # build_branch's first chair


def test_one_waiting_request_per_person_and_account(db: Database) -> None:
    with db.session() as session:
        branch = build_branch(session, units=2, now=NOW)
        assert branch.officer_account_id is not None
        ask = {"person_id": branch.officer_id, "unit_ids": [branch.parent_id], "now": NOW}
        first = request_summary(session, account_id=branch.officer_account_id, **ask)
        assert first is not None
        assert request_summary(session, account_id=branch.officer_account_id, **ask) is None
        # The same officer on another account (Zalo, say) is answered there too.
        other = session.scalar(
            select(ChannelAccount.id).where(ChannelAccount.chat_id == str(FIRST_CHAT))
        )
        assert other is not None
        assert request_summary(session, account_id=other, **ask) not in (None, first)
        finish_request(session, request_id=first, now=NOW)
        assert request_summary(session, account_id=branch.officer_account_id, **ask) is not None


def test_a_claim_holds_until_its_lease_runs_out_and_a_finished_one_is_left(
    db: Database,
) -> None:
    with db.session() as session:
        branch = build_branch(session, units=2, now=NOW)
        assert branch.officer_account_id is not None
        request_id = request_summary(
            session,
            person_id=branch.officer_id,
            account_id=branch.officer_account_id,
            unit_ids=[branch.parent_id],
            now=NOW,
        )
    with db.session() as session:
        claimed = claim_requests(session, now=NOW, lease=LEASE)
    assert [(r.id, r.channel, r.unit_ids, r.requested_at) for r in claimed] == [
        (request_id, "telegram", (branch.parent_id,), NOW)
    ]
    with db.session() as session:  # another renderer, while the first one renders
        assert claim_requests(session, now=NOW + LEASE, lease=LEASE) == []
    later = NOW + LEASE + timedelta(seconds=1)
    with db.session() as session:  # the first one died: its lease has run out
        assert [r.id for r in claim_requests(session, now=later, lease=LEASE)] == [request_id]
    with db.session() as session:
        assert request_id is not None
        finish_request(session, request_id=request_id, now=later)
    with db.session() as session:
        assert claim_requests(session, now=later + 2 * LEASE, lease=LEASE) == []
