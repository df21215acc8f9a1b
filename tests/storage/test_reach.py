"""One person, any channel: a person bound on Telegram and on Zalo gets one copy, on the
account used last, whoever sends it (storage.reach is the one rule)."""

from __future__ import annotations

from datetime import datetime, timedelta

from storage.engine import Database
from storage.models import AccountState, Appointment, ChannelAccount, Person, Role, Unit
from storage.reach import person_account_id
from storage.registration import deciders_for
from tests.conftest import VN

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=VN)


def account(channel: str, user: str, person: Person, seen: datetime) -> ChannelAccount:
    return ChannelAccount(
        channel=channel,
        external_user_id=user,
        chat_id=user,
        person_id=person.id,
        created_at=NOW,
        last_seen_at=seen,
    )


def test_officers_on_two_channels_are_asked_once_on_the_one_used_last(db: Database) -> None:
    with db.session() as session:
        district = Unit(code="LDLD", name="LĐLĐ huyện", created_at=NOW, updated_at=NOW)
        duc = Person(full_name="Phạm Văn Đức", created_at=NOW)
        lan = Person(full_name="Lò Thị Lan", created_at=NOW)
        session.add_all([district, duc, lan])
        session.flush()
        for person in (duc, lan):
            session.add(
                Appointment(
                    person_id=person.id, unit_id=district.id, role=Role.OFFICER, started_at=NOW
                )
            )
        duc_telegram = account("telegram", "100", duc, NOW)
        duc_zalo = account("zalo", "z100", duc, NOW + timedelta(hours=1))  # used last
        lan_telegram = account("telegram", "101", lan, NOW + timedelta(hours=2))
        lan_zalo = account("zalo", "z101", lan, NOW)
        session.add_all([duc_telegram, duc_zalo, lan_telegram, lan_zalo])
        session.flush()
        assert district.id is not None and duc.id is not None

        asked = {
            (a.channel, a.external_user_id) for a in deciders_for(session, unit_id=district.id)
        }
        assert asked == {("zalo", "z100"), ("telegram", "101")}
        assert person_account_id(session, person_id=duc.id) == duc_zalo.id

        duc_zalo.state = AccountState.UNREACHABLE  # blocked the bot on Zalo: Telegram it is
        session.flush()
        asked = {
            (a.channel, a.external_user_id) for a in deciders_for(session, unit_id=district.id)
        }
        assert asked == {("telegram", "100"), ("telegram", "101")}
        assert person_account_id(session, person_id=duc.id) == duc_telegram.id
