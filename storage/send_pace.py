"""The platform's sending rate shared by every bot process on one PostgreSQL database.

Telegram's ~30 messages a second (and Zalo's quota) count per bot, while PTB's rate limiter
counts per process: two processes behind one HTTPS address would send twice the rate. Each
send reserves the next free slot of its platform in one row (a generic cell rate
algorithm: the row holds when the next slot is free), so the slots of all processes are
spaced `gap` apart whoever takes them. The database's own clock is used, so machines whose
clocks drift apart still space their slots on one time line.

SQLite is one process by rule (`bot.telegram_application.handler_processes`), which keeps
its pace with PTB's in-process limiter: these functions are for PostgreSQL.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text
from sqlmodel import Session

_RESERVE = text(
    """
    INSERT INTO send_pace (channel, next_at)
    VALUES (:channel, clock_timestamp() + make_interval(secs => :gap))
    ON CONFLICT (channel) DO UPDATE
        SET next_at = GREATEST(send_pace.next_at, clock_timestamp())
                      + make_interval(secs => :gap)
    RETURNING EXTRACT(EPOCH FROM (next_at - clock_timestamp())) - :gap
    """
)


def reserve_send_slot(session: Session, *, channel: str, gap: timedelta) -> float:
    """Take the next free slot of `channel`; seconds until it comes (0 or less: now).

    One row-locked upsert per message: the row lock orders concurrent reservations, and it
    is held only for this short transaction."""
    seconds = gap.total_seconds()
    wait = session.connection().execute(_RESERVE, {"channel": channel, "gap": seconds}).scalar()
    return max(0.0, float(wait or 0.0))
