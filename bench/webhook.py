"""Webhook against polling: the same 2,000 chairs' replies (bench/replies.py) handled by the
same bot taking its updates through the webhook server (the sandbox POSTs each update, 40 at
a time, as Telegram does) and by long polling, alternately; the ratio of the best rounds.

Webhook mode is what production runs; it should not be slower than polling (aim ≥ 1.0).
SQLite in a temporary directory, a fresh database per round.
"""

from __future__ import annotations

import asyncio
import socket
import tempfile
from pathlib import Path
from typing import TypedDict

import httpx
from pydantic import SecretStr

from bench.echo import UNLIMITED
from bench.replies import replies_rate
from bench.results import Result, at_least
from bench.sandbox_process import sandbox_process

TARGET_RATIO = 1.0
ROUNDS = 3
TOKEN = "1:REPLIES"  # bench/replies.py's
SECRET = "bench-webhook-key_0123456789abcdefGHIJ"


class WebhookModeSettings(TypedDict):
    webhook_url: str
    webhook_secret: SecretStr
    webhook_listen: str


def webhook_mode() -> WebhookModeSettings:
    """The settings that put the bot in webhook mode on a free local port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    return {
        "webhook_url": f"http://127.0.0.1:{port}",
        "webhook_secret": SecretStr(SECRET),
        "webhook_listen": f"127.0.0.1:{port}",
    }


async def _run() -> list[Result]:
    polled: list[float] = []
    hooked: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        async with sandbox_process(**UNLIMITED) as (url, control):
            for round_ in range(ROUNDS):
                base = Path(folder)
                # The last webhook round left its webhook set (as production does): the
                # sandbox would push this round's updates to a bot that is gone.
                async with httpx.AsyncClient() as client:
                    await client.post(f"{url}/bot{TOKEN}/deleteWebhook")
                polled.append(
                    await replies_rate(url, control, f"sqlite:///{base / f'p{round_}.db'}")
                )
                database_url = f"sqlite:///{base / f'w{round_}.db'}"
                hooked.append(await replies_rate(url, control, database_url, **webhook_mode()))
    polling, webhook = max(polled), max(hooked)
    return [
        at_least("replies by polling (sqlite)", polling, "replies stored/s", 50),
        at_least("replies by webhook (sqlite)", webhook, "replies stored/s", 50),
        at_least("webhook / polling", webhook / polling, "ratio", TARGET_RATIO),
    ]


def run() -> list[Result]:
    return asyncio.run(_run())
