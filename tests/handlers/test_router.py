"""The router's promise when a handler fails: the message is kept (handled, with the account
touched), whatever the handler wrote is undone, and the person gets the apology."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from handlers import router
from handlers.context import Services, Turn
from handlers.messages import Channel, Incoming, Outgoing
from handlers.texts import INTERNAL_ERROR
from schedules.clock import ManualClock
from storage.conversations import set_state
from storage.engine import Database
from storage.models import ChannelAccount, ConversationState, InboundMessage, Person
from tests.conftest import VN

THEN = datetime(2026, 11, 20, 9, 0, tzinfo=VN)


def _services(db: Database, clock: ManualClock) -> Services:
    return Services(db=db, clock=clock, zone=ZoneInfo("Asia/Ho_Chi_Minh"))


def _registered(db: Database) -> int:
    with db.session() as session:
        person = Person(full_name="Chủ tịch", created_at=THEN)
        session.add(person)
        session.flush()
        account = ChannelAccount(
            channel="telegram",
            external_user_id="7",
            chat_id="7",
            person_id=person.id,
            created_at=THEN,
            last_seen_at=THEN,
        )
        session.add(account)
        session.flush()
        assert account.id is not None
        return account.id


def _press(data: str) -> Incoming:
    return Incoming(
        channel=Channel.TELEGRAM,
        user_id="7",
        chat_id="70",
        update_id="900",
        display_name="Chị Lan",
        button_data=data,
        message_id="5",
    )


def _writes_then_raises(turn: Turn, rest: str) -> list[Outgoing]:
    assert turn.account.id is not None
    set_state(turn.session, account_id=turn.account.id, name="step", data={}, now=turn.now)
    turn.session.flush()
    raise RuntimeError("handler bug")


def _leaves_a_bad_row(turn: Turn, rest: str) -> list[Outgoing]:
    # Fails only when the turn's writes reach the database (no such account).
    turn.session.add(ConversationState(account_id=999_999, name="x", data={}, updated_at=turn.now))
    return [Outgoing("không tới được")]


@pytest.mark.parametrize("handler", [_writes_then_raises, _leaves_a_bad_row])
def test_a_failing_handler_keeps_the_message_and_undoes_its_writes(
    db: Database, clock: ManualClock, monkeypatch: pytest.MonkeyPatch, handler: router.ButtonHandler
) -> None:
    account_id = _registered(db)
    monkeypatch.setitem(router.BUTTON_HANDLERS, "boom", handler)
    clock.set(THEN + timedelta(hours=2))

    handled = router.handle(_services(db, clock), _press("boom:1"))

    assert [answer.text for answer in handled.answers] == [INTERNAL_ERROR]
    assert not handled.outbox_changed and not handled.duplicate
    with db.session() as session:
        inbound = session.scalars(select(InboundMessage)).one()
        assert (inbound.update_id, inbound.kind) == ("900", "button")
        assert inbound.account_id == account_id
        assert inbound.payload == {"data": "boom:1", "message_id": "5"}
        assert inbound.handled_at == clock.now()
        assert session.scalars(select(ConversationState)).all() == []
        account = session.get(ChannelAccount, account_id)
        assert account is not None
        assert (account.chat_id, account.display_name) == ("70", "Chị Lan")
        assert account.last_seen_at == clock.now()
    again = router.handle(_services(db, clock), _press("boom:1"))
    assert again.duplicate and again.answers == []
