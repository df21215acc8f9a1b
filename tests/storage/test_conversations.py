"""Conversation state: a step cleared and a new one set in the same turn (a handler leaves
its conversation, then the Zalo renderer keeps the answer's numbered choices) is kept."""

from __future__ import annotations

from datetime import datetime

from storage.conversations import clear_state, get_state, set_state
from storage.engine import Database
from storage.models import ChannelAccount
from tests.conftest import VN

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=VN)


def test_a_state_set_after_a_clear_in_the_same_transaction_is_kept(db: Database) -> None:
    with db.session() as session:
        account = ChannelAccount(
            channel="zalo", external_user_id="a1", chat_id="a1", created_at=NOW, last_seen_at=NOW
        )
        session.add(account)
        session.flush()
        assert account.id is not None
        account_id = account.id
        set_state(session, account_id=account_id, name="broadcast_audience", data={}, now=NOW)
    with db.session() as session:
        clear_state(session, account_id=account_id)
        assert get_state(session, account_id=account_id) is None
        set_state(session, account_id=account_id, name="choices", data={"choices": []}, now=NOW)
    with db.session() as session:
        state = get_state(session, account_id=account_id)
        assert state is not None and (state.name, state.data) == ("choices", {"choices": []})
    with db.session() as session:
        clear_state(session, account_id=account_id)
    with db.session() as session:
        assert get_state(session, account_id=account_id) is None
