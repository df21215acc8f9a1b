"""The sandbox's rules without HTTP: buckets, faults, waiting, reset."""

from __future__ import annotations

import asyncio

import pytest

from bot.sandbox import Fault, Limits, SandboxState
from bot.sandbox.faults import FaultBook
from bot.sandbox.limits import RateLimiter, retry_after_seconds
from bot.sandbox.params import Params
from bot.sandbox.telegram_methods import Call, send_message


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_chat_bucket_allows_a_burst_then_refills() -> None:
    clock = FakeClock()
    limiter = RateLimiter(Limits(per_chat_per_second=1.0, per_chat_burst=3), clock)
    assert [limiter.try_acquire(1) for _ in range(4)] == [0, 0, 0, 1]
    assert limiter.try_acquire(2) == 0  # another chat has its own bucket
    clock.now += 0.5
    assert limiter.try_acquire(1) == 1  # half a token: still wait, rounded up to 1 s
    clock.now += 0.5
    assert limiter.try_acquire(1) == 0


def test_overall_bucket_and_unlimited_rates() -> None:
    clock = FakeClock()
    limiter = RateLimiter(Limits(overall_per_second=2.0, per_chat_burst=10), clock)
    assert [limiter.try_acquire(chat) for chat in (1, 2, 3)] == [0, 0, 1]
    limiter.limits = Limits(overall_per_second=float("inf"), per_chat_per_second=float("inf"))
    assert all(limiter.try_acquire(1) == 0 for _ in range(1000))


def test_retry_after_is_whole_seconds_at_least_one() -> None:
    assert [retry_after_seconds(w) for w in (0.01, 1.0, 1.2, 29.5)] == [1, 1, 2, 30]


def test_fault_ratio_is_reproducible_and_count_runs_out() -> None:
    def pattern(seed: int) -> list[bool]:
        book = FaultBook()
        book.add(Fault(status=500, ratio=0.5, seed=seed))
        return [book.take("sendMessage") is not None for _ in range(40)]

    assert pattern(3) == pattern(3)
    assert 5 < sum(pattern(3)) < 35

    book = FaultBook()
    book.add(Fault(status=429, method=None, count=2))
    assert book.take("getUpdates") is None
    assert book.take("getMe") is None
    assert [book.take("sendDocument") is not None for _ in range(3)] == [True, True, False]
    assert book.active() == []


async def test_wait_for_sent_wakes_on_delivery() -> None:
    state = SandboxState()
    state.inject_text(9, "/start")
    waiter = asyncio.create_task(state.wait_for_sent(9, 1, timeout=180))
    await asyncio.sleep(0)  # let the waiter register (a yield, not a timed sleep)
    call = Call(state, Params({"chat_id": "9", "text": "chào"}), lambda: False)
    await send_message(call)
    (message,) = await waiter
    assert message.text == "chào"


async def test_wait_for_sent_timeout_says_what_was_sent() -> None:
    state = SandboxState()
    state.inject_text(9, "/start")
    await send_message(Call(state, Params({"chat_id": 9, "text": "một"}), lambda: False))
    with pytest.raises(TimeoutError, match=r"(?s)2 message.*got 1.*một"):
        await state.wait_for_sent(9, 2, timeout=0.01)
    with pytest.raises(TimeoutError, match="did not fetch 1 update"):
        await state.wait_until_idle(timeout=0.01)


def test_reset_forgets_but_keeps_counting() -> None:
    state = SandboxState(limits=Limits(max_text_length=100))
    first = state.inject_text(1, "a")
    state.set_limits(max_text_length=5)
    state.block(1)
    state.reset()
    assert state.users == {}
    assert state.pending_updates() == 0
    assert not state.is_blocked(1)
    assert state.limits.max_text_length == 100
    assert state.inject_text(1, "b") > first
    with pytest.raises(ValueError, match="unknown limits"):
        state.set_limits(max_txt_length=1)


def test_reset_forgets_files_and_never_gives_their_ids_again() -> None:
    """A file_id a bot kept from before a reset must not fetch someone else's file."""
    state = SandboxState()
    state.inject_document(1, "cu.txt", b"old", mime_type="text/plain")
    (update,) = state.get_updates(None, 100)
    old_id = update["message"]["document"]["file_id"]
    old = state.files.by_id(old_id)
    assert old is not None
    old_path = old.file_path
    state.reset()
    assert state.files.by_id(old_id) is None
    assert state.files.by_path(old_path) is None
    state.inject_document(1, "moi.txt", b"new", mime_type="text/plain")
    (update,) = state.get_updates(None, 100)
    new = state.files.by_id(update["message"]["document"]["file_id"])
    assert new is not None
    assert (new.content, new.file_name) == (b"new", "moi.txt")
    assert (new.file_id, new.file_path) != (old_id, old_path)


def test_button_on_unknown_message_is_inaccessible() -> None:
    state = SandboxState()
    state.inject_button(3, 42, "forged")
    (update,) = state.get_updates(None, 100)
    assert update["callback_query"]["message"] == {
        "message_id": 42,
        "date": 0,
        "chat": {"id": 3, "type": "private", "first_name": "Người dùng"},
    }
    assert update["callback_query"]["data"] == "forged"
