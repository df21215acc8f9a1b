"""The writes registration needs: one person per phone number, and an account that speaks
for a person until it is unbound."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlmodel import col

from storage import accounts, people
from storage.engine import Database
from storage.models import ChannelAccount, Person
from tests.conftest import VN

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=VN)


def test_get_or_create_makes_one_person_per_phone(db: Database) -> None:
    with db.session() as session:
        first = people.get_or_create(session, phone="0912345678", full_name="Chị Lan", now=NOW)
        again = people.get_or_create(session, phone="0912345678", full_name="Lan B", now=NOW)
        other = people.get_or_create(session, phone="0987654321", full_name="Anh Nam", now=NOW)
        assert first.id is not None and again.id == first.id and other.id != first.id
    with db.session() as session:
        names = sorted(session.scalars(select(col(Person.full_name))))
        assert names == ["Anh Nam", "Chị Lan"]


def test_an_account_is_bound_then_unbound_and_a_missing_one_is_reported(db: Database) -> None:
    with db.session() as session:
        person = people.add_person(session, full_name="Chị Lan", now=NOW)
        account = ChannelAccount(
            channel="telegram", external_user_id="7", chat_id="7", created_at=NOW, last_seen_at=NOW
        )
        session.add(account)
        session.flush()
        assert account.id is not None and person.id is not None
        account_id, person_id = account.id, person.id
        assert accounts.bind(session, account_id=account_id, person_id=person_id)
        assert not accounts.bind(session, account_id=account_id + 1000, person_id=person_id)
    with db.session() as session:
        assert [a.id for a in accounts.accounts_of_person(session, person_id=person_id)] == [
            account_id
        ]
        accounts.unbind(session, account_id=account_id)
    with db.session() as session:
        assert accounts.accounts_of_person(session, person_id=person_id) == []
