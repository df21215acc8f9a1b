"""An outbox row longer than its channel allows goes out in numbered parts, one send per
part, the buttons on the last; a failure after part k resumes at part k+1, never repeating."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from schedules.clock import ManualClock
from schedules.dispatcher import Dispatcher, RetryLater, SendOutcome, Sent, Unreachable
from storage.engine import Database
from storage.models import ChannelAccount, OutboxMessage, OutboxState
from storage.outbox import ClaimedMessage, PlannedMessage, enqueue
from tests.conftest import VN

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=VN)
BUTTONS = [[{"label": "✅ Xong", "data": "done:1"}]]
# 120 lines of about 70 characters: 8,400 characters, three Telegram messages, five on Zalo.
LINES = [
    f"- CĐCS Trường Tiểu học và Trung học cơ sở xã Bình Lư số {n:03d}: quá hạn" for n in range(120)
]
LONG = "Các đơn vị quá hạn:\n" + "\n".join(LINES)


class Platform:
    """Answers each send with the next scripted outcome and keeps what it accepted."""

    def __init__(self, outcomes: list[SendOutcome] | None = None) -> None:
        self.outcomes = outcomes or []
        self.accepted: list[ClaimedMessage] = []

    async def send(self, message: ClaimedMessage) -> SendOutcome:
        outcome = self.outcomes.pop(0) if self.outcomes else Sent(str(len(self.accepted) + 1))
        if isinstance(outcome, Sent):
            self.accepted.append(message)
        return outcome


def plan_long(db: Database, channel: str) -> None:
    with db.session() as session:
        account = ChannelAccount(
            channel=channel, external_user_id="7", chat_id="7", created_at=NOW, last_seen_at=NOW
        )
        session.add(account)
        session.flush()
        assert account.id is not None
        enqueue(
            session,
            messages=[
                PlannedMessage(
                    key="escalation:1",
                    account_id=account.id,
                    kind="escalation",
                    text=LONG,
                    due_at=NOW,
                    choices=BUTTONS,
                )
            ],
            now=NOW,
        )


def dispatcher(db: Database, clock: ManualClock, channel: str, platform: Platform) -> Dispatcher:
    return Dispatcher(
        db=db, clock=clock, senders={channel: platform}, worker="w", per_chat_interval=0
    )


def row(db: Database) -> OutboxMessage:
    with db.session() as session:
        found = session.scalars(select(OutboxMessage)).one()
        session.expunge(found)
        return found


def lines_of(messages: list[ClaimedMessage]) -> list[str]:
    return [line for m in messages for line in m.text.split(") ", 1)[1].split("\n")]


async def test_a_long_row_goes_out_in_parts_with_the_buttons_on_the_last(db: Database) -> None:
    clock = ManualClock(NOW)
    platform = Platform()
    plan_long(db, "telegram")
    report = await dispatcher(db, clock, "telegram", platform).run_once()
    assert (report.claimed, report.sent) == (1, 1)
    texts = [m.text for m in platform.accepted]
    assert [t[:6] for t in texts] == ["(1/3) ", "(2/3) ", "(3/3) "]
    assert all(len(t) <= 4096 for t in texts)
    assert lines_of(platform.accepted) == LONG.split("\n")
    assert [m.choices for m in platform.accepted] == [None, None, BUTTONS]
    sent = row(db)
    assert (sent.state, sent.parts_sent, sent.platform_message_id) == (OutboxState.SENT, 3, "3")


async def test_zalo_rows_are_cut_at_its_own_limit(db: Database) -> None:
    platform = Platform()
    plan_long(db, "zalo")
    await dispatcher(db, ManualClock(NOW), "zalo", platform).run_once()
    assert len(platform.accepted) == 5
    assert all(len(m.text) <= 2000 for m in platform.accepted)
    assert lines_of(platform.accepted) == LONG.split("\n")


async def test_a_retry_after_part_two_sends_only_what_is_left(db: Database) -> None:
    clock = ManualClock(NOW)
    platform = Platform([Sent("1"), Sent("2"), RetryLater("429", after=timedelta(seconds=9))])
    plan_long(db, "telegram")
    first = await dispatcher(db, clock, "telegram", platform).run_once()
    assert (first.sent, first.retried) == (0, 1)
    waiting = row(db)
    assert (waiting.state, waiting.parts_sent) == (OutboxState.PENDING, 2)
    assert waiting.due_at == NOW + timedelta(seconds=9)

    clock.advance(timedelta(seconds=9))
    second = await dispatcher(db, clock, "telegram", platform).run_once()
    assert second.sent == 1
    assert [m.text[:6] for m in platform.accepted] == ["(1/3) ", "(2/3) ", "(3/3) "]
    assert lines_of(platform.accepted) == LONG.split("\n")
    done = row(db)
    assert (done.state, done.parts_sent, done.attempts) == (OutboxState.SENT, 3, 2)


async def test_a_chat_lost_midway_fails_the_row_and_keeps_the_count(db: Database) -> None:
    platform = Platform([Sent("1"), Unreachable("403 Forbidden: bot was blocked by the user")])
    plan_long(db, "telegram")
    report = await dispatcher(db, ManualClock(NOW), "telegram", platform).run_once()
    assert report.failed == 1
    failed = row(db)
    assert (failed.state, failed.parts_sent) == (OutboxState.FAILED, 1)


async def test_a_short_row_is_sent_as_it_is(db: Database) -> None:
    with db.session() as session:
        account = ChannelAccount(
            channel="telegram", external_user_id="7", chat_id="7", created_at=NOW, last_seen_at=NOW
        )
        session.add(account)
        session.flush()
        assert account.id is not None
        enqueue(
            session,
            messages=[
                PlannedMessage(
                    key="k", account_id=account.id, kind="reminder", text="Nhắc việc", due_at=NOW
                )
            ],
            now=NOW,
        )
    platform = Platform()
    await dispatcher(db, ManualClock(NOW), "telegram", platform).run_once()
    assert [m.text for m in platform.accepted] == ["Nhắc việc"]
    assert row(db).parts_sent == 1
