"""Progress replies through Zalo polling and through Zalo's webhook, beside the same bot
polling Telegram: 300 registered chairs answer at once; replies stored (and confirmed in
their chat) per second on each, in one run against one sandbox process.

Zalo's getUpdates hands out ONE update per call and has no offset, so polling waits one
round trip per update, where Telegram's getUpdates takes a batch: polling Zalo is a
development mode, and this says how far it carries (a district's chairs answering after a
reminder). The webhook (the sandbox POSTs each update, up to 40 at once, one chat at a time)
is what production runs. Quotas are lifted on both channels; the database is SQLite in a
temporary directory unless NHACVIEC_BENCH_DATABASE_URL names an empty one (then Zalo
polling alone runs).
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from bench.echo import UNLIMITED
from bench.replies import FIRST_USER, LINES, count_replies, replies_rate, seed
from bench.results import Result, at_least
from bench.sandbox_process import sandbox_process
from bench.webhook import webhook_mode
from bot.runtime import BotRuntime
from bot.sandbox import SandboxControl
from bot.settings import Settings
from storage.engine import Database
from storage.migrate import upgrade
from storage.models import ChannelAccount

CHAIRS = 300
TARGET_ZALO = 10.0  # replies/s: a district's chairs answered within a minute


def on_zalo(db: Database) -> None:
    """The seeded chairs' accounts, moved to Zalo (the seed makes Telegram ones)."""
    with db.session() as session:
        for account in session.scalars(select(ChannelAccount)):
            account.channel = "zalo"


async def zalo_rate(
    url: str, control: SandboxControl, database_url: str, **settings_changes: object
) -> float:
    """Replies stored (and confirmed) per second by the real bot on Zalo: polling, or what
    `settings_changes` make of it (webhook mode)."""
    db = Database.from_url(database_url)
    upgrade(db.engine)
    seed(db, CHAIRS, datetime.now(UTC))
    on_zalo(db)
    for n in range(CHAIRS):
        await control.zalo.inject_text(str(FIRST_USER + n), LINES[n % len(LINES)])
    settings = Settings(
        _env_file=None,
        database_url=database_url,
        zalo_token="1:ZALO-BENCH",
        zalo_api_url=f"{url}/zalo",
        zalo_send_rate_per_second=100,  # the most the setting allows: the quota lifted
    ).model_copy(update=settings_changes)
    start_sent = (await control.zalo.stats()).delivered
    runtime = BotRuntime(settings, dispatch_interval=None)
    started = time.perf_counter()
    await runtime.start()
    try:
        while (await control.zalo.stats()).delivered - start_sent < CHAIRS:  # noqa: ASYNC110
            await asyncio.sleep(0.05)  # the sandbox is another process: ask it again
        while await asyncio.to_thread(count_replies, db) < CHAIRS:  # noqa: ASYNC110
            await asyncio.sleep(0.05)
        elapsed = time.perf_counter() - started
    finally:
        await runtime.stop()
        db.dispose()
    return CHAIRS / elapsed


async def _run() -> list[Result]:
    given = os.environ.get("NHACVIEC_BENCH_DATABASE_URL")
    with tempfile.TemporaryDirectory() as folder:
        async with sandbox_process(**UNLIMITED) as (url, control):
            zalo = await zalo_rate(url, control, given or f"sqlite:///{Path(folder) / 'z.db'}")
            if given is None:  # a given database is used once: it must start empty
                database_url = f"sqlite:///{Path(folder) / 't.db'}"
                telegram = await replies_rate(url, control, database_url, chairs=CHAIRS)
                # Last: the webhook stays set, as in production (getUpdates then answers 409).
                database_url = f"sqlite:///{Path(folder) / 'w.db'}"
                hooked = await zalo_rate(url, control, database_url, **webhook_mode())
    results = [at_least("replies on Zalo (polling)", zalo, "replies stored/s", TARGET_ZALO)]
    if given is None:
        results += [
            at_least("replies on Zalo (webhook)", hooked, "replies stored/s", TARGET_ZALO),
            Result(
                "Zalo polling / Telegram polling",
                zalo / telegram,
                "ratio",
                "reported (Zalo: one update per getUpdates call)",
                True,
            ),
            at_least("Zalo webhook / Telegram polling", hooked / telegram, "ratio", 1.0),
        ]
    return results


def run() -> list[Result]:
    return asyncio.run(_run())
