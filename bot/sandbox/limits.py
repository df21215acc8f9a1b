"""Telegram's limits and the token buckets that enforce them, so the bot meets 429s in tests."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Limits:
    """The platforms' limits, configurable per sandbox; an infinite rate disables that bucket."""

    max_text_length: int = 4096
    max_callback_data_bytes: int = 64
    overall_per_second: float = 30.0  # token bucket over all sends
    per_chat_per_second: float = 1.0  # token bucket per chat ...
    per_chat_burst: int = 3  # ... allowing a short burst, as Telegram does in private chats
    max_caption_length: int = 1024
    max_photo_upload_bytes: int = 10 * 1024 * 1024  # sendPhoto: larger uploads answer 413
    max_document_upload_bytes: int = 50 * 1024 * 1024  # sendDocument: the same
    # The Zalo dialect (bot/sandbox/zalo_*.py): Zalo publishes no quota figures, so the
    # quota is off (None) unless a test sets one; a send over it answers error 429.
    zalo_max_text_length: int = 2000
    zalo_messages_per_second: int | None = None
    zalo_messages_per_minute: int | None = None
    zalo_poll_seconds: float = 1.0  # longest getUpdates wait before the 408 "no update" answer


class TokenBucket:
    """A bucket refilled at `rate` tokens a second up to `capacity`; starts full."""

    def __init__(self, now: float, capacity: float) -> None:
        self._tokens = capacity
        self._updated = now

    def refill(self, now: float, rate: float, capacity: float) -> None:
        """Bring the bucket up to `now`; rate and capacity are passed so limits can change."""
        elapsed = max(0.0, now - self._updated)
        self._tokens = min(capacity, self._tokens + elapsed * rate)
        self._updated = now

    def wait_seconds(self, rate: float) -> float:
        """Seconds until one whole token is there (0 if one is there now)."""
        if self._tokens >= 1.0:
            return 0.0
        if rate <= 0:
            return math.inf
        return (1.0 - self._tokens) / rate

    def take(self) -> None:
        """Spend one token; call only after `wait_seconds` returned 0."""
        self._tokens -= 1.0


class RateLimiter:
    """The overall and per-chat buckets of the sends; a refused send spends no token."""

    def __init__(self, limits: Limits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self._clock = clock
        self._overall: TokenBucket | None = None
        self._chats: dict[int, TokenBucket] = {}

    def reset(self) -> None:
        """Forget all buckets (they start full again)."""
        self._overall = None
        self._chats.clear()

    def try_acquire(self, chat_id: int) -> int:
        """Take a send slot for `chat_id`: 0 if granted, else the retry_after in whole seconds."""
        now = self._clock()
        limits = self.limits
        waits: list[tuple[TokenBucket, float]] = []
        if not math.isinf(limits.overall_per_second):
            overall_capacity = max(1.0, limits.overall_per_second)
            if self._overall is None:
                self._overall = TokenBucket(now, overall_capacity)
            self._overall.refill(now, limits.overall_per_second, overall_capacity)
            waits.append((self._overall, self._overall.wait_seconds(limits.overall_per_second)))
        if not math.isinf(limits.per_chat_per_second):
            chat_capacity = float(max(1, limits.per_chat_burst))
            bucket = self._chats.get(chat_id)
            if bucket is None:
                bucket = self._chats[chat_id] = TokenBucket(now, chat_capacity)
            bucket.refill(now, limits.per_chat_per_second, chat_capacity)
            waits.append((bucket, bucket.wait_seconds(limits.per_chat_per_second)))
        longest = max((wait for _, wait in waits), default=0.0)
        if longest > 0:
            return retry_after_seconds(longest)
        for granted, _ in waits:
            granted.take()
        return 0


def retry_after_seconds(wait: float) -> int:
    """Telegram's retry_after: whole seconds, at least 1, rounded up."""
    if math.isinf(wait):
        return 3600
    return max(1, math.ceil(wait))
