"""The summaries officers asked for (`/tuantong`): written by the handler's turn, claimed and
finished by the weekly process that renders them.

A claim is a lease: a renderer that died leaves its requests to the next pass once the
lease has run out, and the outbox's unique keys keep a request rendered twice from being
sent twice. Claiming and finishing are short transactions of their own: on SQLite a write
transaction held across seconds of rendering would hold every person's turn.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlmodel import Session, col

from storage.models import ChannelAccount
from storage.service_tables import SummaryRequest


@dataclass(frozen=True, slots=True)
class ClaimedRequest:
    """A request to render: who asked, on which account and channel, for which branches."""

    id: int
    person_id: int
    account_id: int
    channel: str
    unit_ids: tuple[int, ...]
    requested_at: datetime


def request_summary(
    session: Session, *, person_id: int, account_id: int, unit_ids: Sequence[int], now: datetime
) -> int | None:
    """A new request; None when this person already has one waiting on this account (a
    second `/tuantong` while the first renders adds nothing)."""
    waiting = session.scalar(
        select(col(SummaryRequest.id)).where(
            col(SummaryRequest.person_id) == person_id,
            col(SummaryRequest.account_id) == account_id,
            col(SummaryRequest.done_at).is_(None),
        )
    )
    if waiting is not None:
        return None
    request = SummaryRequest(
        person_id=person_id, account_id=account_id, unit_ids=list(unit_ids), requested_at=now
    )
    session.add(request)
    session.flush()
    assert request.id is not None
    return request.id


def claim_requests(session: Session, *, now: datetime, lease: timedelta) -> list[ClaimedRequest]:
    """Claim every request not done and not held by another renderer (never claimed, or
    its lease run out), oldest first. One UPDATE: on PostgreSQL a request two processes
    reach at once is claimed by one of them (the other re-reads `claimed_at` after the
    first commits and finds it taken)."""
    claimed = session.execute(
        update(SummaryRequest)
        .where(
            col(SummaryRequest.done_at).is_(None),
            or_(
                col(SummaryRequest.claimed_at).is_(None),
                col(SummaryRequest.claimed_at) < now - lease,
            ),
        )
        .values(claimed_at=now)
        .returning(col(SummaryRequest.id))
    ).scalars()
    ids = sorted(claimed)
    if not ids:
        return []
    rows = session.execute(
        select(SummaryRequest, col(ChannelAccount.channel))
        .join(ChannelAccount, col(ChannelAccount.id) == col(SummaryRequest.account_id))
        .where(col(SummaryRequest.id).in_(ids))
        .order_by(col(SummaryRequest.id))
    ).all()
    return [
        ClaimedRequest(
            id=request.id,
            person_id=request.person_id,
            account_id=request.account_id,
            channel=channel,
            unit_ids=tuple(int(unit_id) for unit_id in request.unit_ids),
            requested_at=request.requested_at,
        )
        for request, channel in rows
    ]


def finish_request(session: Session, *, request_id: int, now: datetime) -> None:
    """The request's messages are in the outbox."""
    session.execute(
        update(SummaryRequest).where(col(SummaryRequest.id) == request_id).values(done_at=now)
    )
