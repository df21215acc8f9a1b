"""A turn under database faults and hostile text, in process: every message is answered,
stored once, or handed back for the spool; nothing is silent, nothing doubled.

The faults are the database's own exceptions raised where the real ones come from: the
first query, the handler's write, and the commit (one whose commit went through though
its answer was lost with the connection). Over HTTP, with connections really cut, see
tests/e2e/test_turn_reliability.py."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import IntegrityError, OperationalError

from handlers import router
from handlers.context import Patience
from handlers.messages import Channel, Incoming
from handlers.router import handle
from handlers.texts import DATABASE_UNAVAILABLE, INTERNAL_ERROR, RECEIVED
from storage.engine import Database
from storage.models import InboundMessage, Progress, Reply
from tests.handlers.harness import Chat, World


@dataclass
class FakeTime:
    """A monotonic clock that moves only when the turn sleeps."""

    now: float = 0.0
    slept: float = 0.0

    def sleep(self, seconds: float) -> None:
        self.now += seconds
        self.slept += seconds

    def patience(self, seconds: float) -> Patience:
        return Patience(seconds=seconds, sleep=self.sleep, monotonic=lambda: self.now)


def lost_connection() -> OperationalError:
    return OperationalError("SELECT", {}, Exception("server closed the connection unexpectedly"))


def failing_first(times: int, real: Callable[..., Any]) -> Callable[..., Any]:
    """`real`, failing the first `times` calls as a lost connection does."""
    calls = {"n": 0}

    def call(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] <= times:
            raise lost_connection()
        return real(*args, **kwargs)

    return call


@pytest.fixture
def chair(world: World) -> Chat:
    """Chị Bình, chair of CDCS-02, with one open task."""
    world.import_roster()
    officer = world.person(100, "Phạm Văn Đức", phone="0912000003")
    officer.shares_contact()
    binh = world.person(202, "Lê Thị Bình", phone="0912000012")
    binh.shares_contact()
    officer.gives_task("/giaoviec 10/12/2026 Nộp báo cáo tổng kết năm 2026")
    return binh


@pytest.fixture
def fake_time(world: World) -> FakeTime:
    time = FakeTime()
    world.services = replace(world.services, patience=time.patience(30.0))
    return time


def replies(db: Database) -> list[Reply]:
    with db.session() as session:
        return list(session.scalars(select(Reply)))


def inbound_count(db: Database) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(InboundMessage)) or 0)


def test_a_lost_connection_on_the_first_query_is_retried(
    chair: Chat, world: World, db: Database, fake_time: FakeTime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(router, "arrive", failing_first(3, router.arrive))

    answer = chair.says("xong")

    assert answer.text.startswith("Đã ghi nhận")
    assert [reply.progress for reply in replies(db)] == [Progress.DONE]
    assert 0 < fake_time.slept < 1  # 0.1 + 0.2 + 0.4: quick after a blip


def test_a_lost_connection_in_the_handler_runs_the_whole_turn_again(
    chair: Chat, world: World, db: Database, fake_time: FakeTime, monkeypatch: pytest.MonkeyPatch
) -> None:
    from handlers import progress

    monkeypatch.setattr(progress, "record_reply", failing_first(1, progress.record_reply))
    before = inbound_count(db)

    answer = chair.says("đang làm 60%")

    assert answer.text.startswith("Đã ghi nhận")
    assert [(r.progress, r.percent) for r in replies(db)] == [(Progress.IN_PROGRESS, 60)]
    assert inbound_count(db) == before + 1  # stored once, not once per attempt


def test_a_commit_that_went_through_though_its_answer_was_lost_is_not_doubled(
    chair: Chat, world: World, db: Database, fake_time: FakeTime
) -> None:
    """The connection drops after the server committed: the retry finds the message stored
    and says it was received, rather than nothing (or recording it twice)."""
    failed = {"n": 0}

    def drop_after_commit(session: object) -> None:
        if failed["n"] == 0:
            failed["n"] += 1
            raise lost_connection()

    event.listen(db._sessions, "after_commit", drop_after_commit)
    try:
        answer = chair.says("xong")
    finally:
        event.remove(db._sessions, "after_commit", drop_after_commit)

    assert answer.text == RECEIVED
    assert [reply.progress for reply in replies(db)] == [Progress.DONE]


def test_a_database_away_past_the_bound_gets_the_apology_and_stores_nothing(
    chair: Chat, world: World, db: Database, fake_time: FakeTime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(router, "arrive", failing_first(10_000, router.arrive))
    before = inbound_count(db)
    incoming = Incoming(Channel.TELEGRAM, "202", "202", "x-1", text="xong", bot_id="42")

    handled = handle(world.services, incoming, now=world.clock.now())

    assert [answer.text for answer in handled.answers] == [DATABASE_UNAVAILABLE]
    assert handled.stored is False  # the runtime keeps it in the spool
    assert 25 <= fake_time.slept <= 30  # the bound, with back-off up to 5 s
    assert inbound_count(db) == before
    assert replies(db) == []

    monkeypatch.undo()  # the database is back: the same message, replayed, is handled
    again = handle(world.services, incoming, now=world.clock.now())
    assert again.stored and again.answers[0].text.startswith("Đã ghi nhận")


def test_an_error_that_is_not_the_database_is_not_retried(
    chair: Chat, world: World, db: Database, fake_time: FakeTime, monkeypatch: pytest.MonkeyPatch
) -> None:
    from handlers import progress

    def broken(*args: object, **kwargs: object) -> None:
        raise IntegrityError("INSERT", {}, Exception("a bug"))

    monkeypatch.setattr(progress, "record_reply", broken)

    answer = chair.says("xong")

    assert answer.text == INTERNAL_ERROR
    assert fake_time.slept == 0
    assert replies(db) == []  # the turn rolled back; the raw message alone was kept


def test_control_characters_and_escapes_are_not_read_as_a_note(
    chair: Chat, world: World, db: Database
) -> None:
    answer = chair.says("\x01\x02\x1b[31m\u202e\u200bxong")

    assert answer.text.startswith("Đã ghi nhận")
    (reply,) = replies(db)
    assert (reply.progress, reply.note, reply.raw_text) == (Progress.DONE, None, "xong")
    with db.session() as session:
        stored = session.scalars(select(InboundMessage.text).order_by(InboundMessage.id.desc()))
        assert stored.first() == "xong"


def test_a_nul_byte_is_answered_and_stored(chair: Chat, world: World, db: Database) -> None:
    """PostgreSQL refuses NUL in text: the message would be lost without a word."""
    answer = chair.says("vướng: thiếu\x00 kinh phí")

    assert answer.text.startswith("Đã ghi nhận")
    (reply,) = replies(db)
    assert (reply.progress, reply.note) == (Progress.BLOCKED, "thiếu kinh phí")


def test_update_numbering_restarting_with_a_new_bot_is_answered(
    chair: Chat, world: World, db: Database
) -> None:
    """A new token (or Bot API server) numbers its updates from 1 again: the 17 messages of
    the new bot are new messages, while a re-delivery to the same bot is still caught."""

    def say(update_id: int, bot_id: str) -> router.Handled:
        incoming = Incoming(
            Channel.TELEGRAM, "202", "202", str(update_id), text="/trogiup", bot_id=bot_id
        )
        return handle(world.services, incoming, now=world.clock.now())

    old = [say(n, "111") for n in range(1, 18)]
    new = [say(n, "222") for n in range(1, 18)]
    again = say(5, "222")

    assert all(h.answers and not h.duplicate for h in old)
    assert sum(1 for h in new if h.answers and not h.duplicate) == 17
    assert again.duplicate and again.answers == []
