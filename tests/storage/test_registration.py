"""Refused registration attempts are counted per unit over the last 24 hours."""

from __future__ import annotations

from datetime import datetime, timedelta

from storage.engine import Database
from storage.models import ChannelAccount, Unit
from storage.registration import record_failure
from tests.conftest import VN

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=VN)


def test_failures_are_counted_per_unit_within_a_day(db: Database) -> None:
    with db.session() as session:
        units = [Unit(code=code, name=code, created_at=NOW, updated_at=NOW) for code in "AB"]
        account = ChannelAccount(
            channel="telegram", external_user_id="1", chat_id="1", created_at=NOW, last_seen_at=NOW
        )
        session.add_all([*units, account])
        session.flush()
        a, b = (unit.id for unit in units)
        assert account.id is not None and a is not None and b is not None

        def fail(unit_id: int | None, at: datetime) -> int:
            assert account.id is not None
            return record_failure(
                session, unit_id=unit_id, account_id=account.id, reason="invite_used", now=at
            )

        assert fail(a, NOW - timedelta(hours=25)) == 1
        assert fail(a, NOW) == 1  # the first one is over a day old
        assert fail(b, NOW) == 1  # another unit counts apart
        assert fail(None, NOW) == 0  # an unknown code names no unit
        assert fail(a, NOW + timedelta(hours=1)) == 2
        assert fail(a, NOW + timedelta(hours=2)) == 3
