"""The front door's one read: who wrote, their standing and the waiting step, and the touch
that makes the account reachable again."""

from __future__ import annotations

from datetime import datetime, timedelta

from storage.accounts import arrive, mark_unreachable
from storage.conversations import set_state
from storage.engine import Database
from storage.models import AccountState, Appointment, ChannelAccount, Person, Role, Unit
from tests.conftest import VN

THEN = datetime(2026, 11, 20, 9, 0, tzinfo=VN)
LATER = THEN + timedelta(days=2)


def _chair(db: Database) -> dict[str, int]:
    with db.session() as session:
        live = Unit(code="A", name="CĐCS A", created_at=THEN, updated_at=THEN)
        gone = Unit(code="B", name="CĐCS B", created_at=THEN, updated_at=THEN, archived_at=THEN)
        person = Person(full_name="Chủ tịch", created_at=THEN)
        session.add_all([live, gone, person])
        session.flush()
        assert person.id and live.id and gone.id
        session.add_all(
            [
                Appointment(person_id=person.id, unit_id=live.id, role=Role.CHAIR, started_at=THEN),
                Appointment(person_id=person.id, unit_id=gone.id, role=Role.CHAIR, started_at=THEN),
                Appointment(
                    person_id=person.id,
                    unit_id=live.id,
                    role=Role.OFFICER,
                    started_at=THEN,
                    ended_at=THEN,
                ),
            ]
        )
        account = ChannelAccount(
            channel="telegram",
            external_user_id="5",
            chat_id="5",
            display_name="Lan",
            person_id=person.id,
            created_at=THEN,
            last_seen_at=THEN,
        )
        session.add(account)
        session.flush()
        assert account.id
        return {"account": account.id, "person": person.id, "live": live.id}


def test_a_chair_arrives_with_standing_and_waiting_step(db: Database) -> None:
    ids = _chair(db)
    with db.session() as session:
        set_state(session, account_id=ids["account"], name="which_task", data={"a": 1}, now=THEN)
        mark_unreachable(session, account_id=ids["account"])
    with db.session() as session:
        arrival = arrive(
            session,
            channel="telegram",
            external_user_id="5",
            chat_id="55",
            display_name="",
            now=LATER,
        )
        assert arrival.person is not None and arrival.person.id == ids["person"]
        assert arrival.standing is not None
        assert arrival.standing.chaired_unit_ids == (ids["live"],)  # archived unit left out
        assert not arrival.standing.is_officer  # the ended appointment does not count
        assert arrival.state is not None and arrival.state.data == {"a": 1}
        assert (arrival.account.chat_id, arrival.account.display_name) == ("55", "Lan")
        assert arrival.account.state == AccountState.ACTIVE
    with db.session() as session:
        stored = session.get(ChannelAccount, ids["account"])
        assert stored is not None
        assert (stored.chat_id, stored.display_name) == ("55", "Lan")  # an empty name kept
        assert (stored.state, stored.last_seen_at) == (AccountState.ACTIVE, LATER)


def test_a_stranger_arrives_as_a_new_account(db: Database) -> None:
    with db.session() as session:
        arrival = arrive(
            session,
            channel="telegram",
            external_user_id="9",
            chat_id="9",
            display_name="Người lạ",
            now=THEN,
        )
        assert (arrival.person, arrival.standing, arrival.state) == (None, None, None)
        assert arrival.account.id is not None
    with db.session() as session:
        again = arrive(
            session,
            channel="telegram",
            external_user_id="9",
            chat_id="9",
            display_name="Tên mới",
            now=LATER,
        )
        assert again.account.id == arrival.account.id and again.person is None
    with db.session() as session:
        stored = session.get(ChannelAccount, arrival.account.id)
        assert stored is not None
        assert (stored.display_name, stored.last_seen_at) == ("Tên mới", LATER)
